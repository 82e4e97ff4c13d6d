//! The end of a session: what was done, which stays until dismissed.

use egui::RichText;

use super::Action;
use super::theme::Palette;
use crate::practice::pacing::Offer;
use crate::practice::{Outcome, Practice, Step};

/// What the summary says; made once when the session ends.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSummary {
    pub title: String,
    pub practice: String,
    pub details: String,
    /// `Err` with the reason when the record could not be saved.
    pub saved: Result<(), String>,
    /// "Tension 6 → 3", when rated.
    pub tension: Option<String>,
    /// A progression step waiting for a yes or a no.
    pub offer: Option<Offer>,
    /// What became of the offer.
    pub offer_answer: Option<String>,
}

impl SessionSummary {
    pub fn new(practice: &Practice, outcome: &Outcome, saved: Result<(), String>) -> Self {
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
            offer: None,
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

pub fn show(
    ui: &mut egui::Ui,
    summary: &SessionSummary,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.2);
        ui.label(RichText::new(&summary.title).size(40.0));
        ui.add_space(8.0);
        ui.label(RichText::new(&summary.practice).heading());
        ui.label(&summary.details);
        if let Some(tension) = &summary.tension {
            ui.label(tension);
        }
        ui.add_space(8.0);
        match &summary.saved {
            Ok(()) => ui.label(RichText::new("Saved to your history.").color(palette.quiet_text)),
            Err(reason) => ui.label(RichText::new(reason).color(palette.warning)),
        };
        if let Some(offer) = &summary.offer {
            ui.add_space(16.0);
            ui.label(RichText::new(&offer.reason).color(palette.quiet_text));
            let question = if offer.lengthens() {
                format!(
                    "Lengthen the exhale from {:.1} s to {:.1} s?",
                    offer.from, offer.to
                )
            } else {
                format!(
                    "Step the exhale back from {:.1} s to {:.1} s?",
                    offer.from, offer.to
                )
            };
            ui.label(question);
            ui.horizontal(|ui| {
                let yes = if offer.lengthens() {
                    "Lengthen"
                } else {
                    "Step back"
                };
                if ui.button(yes).clicked() {
                    actions.push(Action::AnswerOffer(true));
                }
                if ui.button("Not now").clicked() {
                    actions.push(Action::AnswerOffer(false));
                }
            });
        }
        if let Some(answer) = &summary.offer_answer {
            ui.label(RichText::new(answer).color(palette.quiet_text));
        }
        ui.add_space(24.0);
        let done = ui.add(
            egui::Button::new(RichText::new("Done").size(24.0)).min_size(egui::vec2(160.0, 52.0)),
        );
        if done.clicked() {
            actions.push(Action::Dismiss);
        }
    });
}
