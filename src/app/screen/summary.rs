//! The end of a session: what was done, which stays until dismissed.

use crate::practice::paced_sitting::SittingOffer;
use crate::practice::pacing::Offer;
use crate::practice::{Outcome, Practice, Step};

/// Where the session's record is: on its way to the log, there, or not (and why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// The record with this id is on its way.
    Saving(String),
    Saved,
    Failed(String),
}

/// What the summary says; made once when the session ends.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSummary {
    pub title: String,
    pub practice: String,
    pub details: String,
    /// Whether the session's record reached the history.
    pub saved: SaveStatus,
    /// "Tension 6 → 3", when rated.
    pub tension: Option<String>,
    /// What the heart did, in words, for a session with a strap.
    pub heart: Option<String>,
    /// A progression step waiting for a yes or a no.
    pub offer: Option<Offer>,
    /// A paced-sitting change of the micro-rest interval waiting for a yes or a no.
    pub pacing_offer: Option<SittingOffer>,
    /// What became of the offer.
    pub offer_answer: Option<String>,
}

impl SessionSummary {
    pub fn new(practice: &Practice, outcome: &Outcome, saved: SaveStatus) -> Self {
        let minutes = outcome.practised as f64 / 60e6;
        let breaths = match outcome.breaths {
            1 => "1 breath".to_owned(),
            n => format!("{n} breaths"),
        };
        let title = if outcome.completed {
            "Well done.".to_owned()
        } else {
            "Session ended.".to_owned()
        };
        let how = if outcome.completed {
            "Completed".to_owned()
        } else {
            let step = outcome.last_step_index + 1;
            let what = match practice.steps.get(outcome.last_step_index) {
                Some(Step::Prompt(_)) => "a prompt",
                Some(Step::Breathe(_)) => "breathing",
                None => "",
            };
            if practice.steps.len() > 1 {
                format!(
                    "Ended early, at step {step} of {} ({what})",
                    practice.steps.len()
                )
            } else {
                "Ended early".to_owned()
            }
        };
        SessionSummary {
            title,
            practice: practice.name.clone(),
            details: format!("{how} · {minutes:.1} minutes · {breaths}"),
            saved,
            tension: None,
            heart: None,
            offer: None,
            pacing_offer: None,
            offer_answer: None,
        }
    }

    pub fn with_tension(mut self, ratings: Option<(Option<u8>, Option<u8>)>) -> Self {
        self.tension = match ratings {
            Some((Some(before), Some(after))) => {
                Some(format!("Tension: {before} before, {after} after"))
            }
            Some((Some(before), None)) => Some(format!("Tension before: {before}")),
            Some((None, Some(after))) => Some(format!("Tension after: {after}")),
            _ => None,
        };
        self
    }
}
