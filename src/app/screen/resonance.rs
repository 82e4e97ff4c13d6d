//! The resonance test's result: each rate's swing and low-frequency power with the beats behind
//! them, the ranking or why a rate is not ranked, the best rate in words, and the offer to set
//! the resonance practice to it.

use super::SaveStatus;
use crate::practice::Pattern;
use crate::practice::heart::{Resonance, StepVerdict};

/// One rate of the test as the result shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RateRow {
    /// Breaths a minute.
    pub rate: f64,
    /// Mean swing per breath, beats a minute.
    pub swing: Option<f64>,
    /// Low-frequency power over the step, (beats a minute)².
    pub lf_power: Option<f64>,
    pub clean_beats: usize,
    pub dropped_beats: usize,
    /// Its place (1 best), or why it has none.
    pub standing: Standing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    Ranked(usize),
    /// Breathed whole, with too few clean beats: the reason.
    TooFewCleanBeats(String),
    /// Not breathed whole: a pause or a skip broke into it, or the test stopped before it.
    NotWhole,
    /// Breathed whole, but no other rate was to compare it with.
    Alone,
}

/// Setting the resonance practice to the best rate.
#[derive(Clone, Debug, PartialEq)]
pub struct RateOffer {
    /// The practice to set ("Resonance 5-5").
    pub practice: String,
    pub rate: f64,
    pub pattern: Pattern,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResonanceScreen {
    pub rows: Vec<RateRow>,
    /// The best rate, when at least two rates could be ranked.
    pub best: Option<f64>,
    /// The result in words (or why there is none).
    pub verdict: String,
    /// The test was stopped before its end: only the rates breathed whole are ranked.
    pub stopped_early: bool,
    pub clean_beats: usize,
    pub dropped_beats: usize,
    pub saved: SaveStatus,
    pub offer: Option<RateOffer>,
    /// What became of the offer.
    pub offer_answer: Option<String>,
}

/// Fewer rates than this breathed whole rank nothing: one alone says nothing of resonance.
pub const RATES_TO_RANK: usize = 2;

impl ResonanceScreen {
    /// The result of a test of `rates` (in the order paced) from its analysis over the rates
    /// breathed whole (`None`: none was), stopped early or not.
    pub fn new(
        rates: &[f64],
        analysis: Option<&Resonance>,
        stopped_early: bool,
        saved: SaveStatus,
    ) -> Self {
        let steps = analysis.map_or(&[][..], |a| a.steps.as_slice());
        let whole = steps.len();
        let rows = rates
            .iter()
            .map(
                |&rate| match steps.iter().find(|s| (s.rate - rate).abs() < 1e-9) {
                    Some(step) => RateRow {
                        rate,
                        swing: step.swing,
                        lf_power: step.low_frequency.map(|lf| lf.power),
                        clean_beats: step.clean_beats,
                        dropped_beats: step.dropped_beats,
                        standing: match &step.verdict {
                            StepVerdict::Ranked(rank) if whole >= RATES_TO_RANK => {
                                Standing::Ranked(*rank)
                            }
                            StepVerdict::Ranked(_) => Standing::Alone,
                            StepVerdict::TooFewCleanBeats(why) => {
                                Standing::TooFewCleanBeats(why.clone())
                            }
                        },
                    },
                    None => RateRow {
                        rate,
                        swing: None,
                        lf_power: None,
                        clean_beats: 0,
                        dropped_beats: 0,
                        standing: Standing::NotWhole,
                    },
                },
            )
            .collect::<Vec<_>>();
        let ranked = rows
            .iter()
            .filter(|r| matches!(r.standing, Standing::Ranked(_)))
            .count();
        let (best, mut verdict) = match analysis {
            Some(analysis) if ranked >= RATES_TO_RANK => (analysis.best_rate(), analysis.verdict()),
            Some(_) if whole >= RATES_TO_RANK => (
                None,
                "No rate could be ranked: too few clean beats. Is the strap snug, with its \
                 contacts moistened?"
                    .to_owned(),
            ),
            _ => (
                None,
                format!(
                    "Nothing could be ranked: fewer than {RATES_TO_RANK} rates were breathed \
                     whole, with the heart's beats."
                ),
            ),
        };
        if stopped_early && best.is_some() {
            verdict.push_str(&format!(
                " The test was stopped early: only the {ranked} rates breathed whole are ranked."
            ));
        }
        ResonanceScreen {
            rows,
            best,
            verdict,
            stopped_early,
            clean_beats: analysis.map_or(0, |a| a.clean_beats),
            dropped_beats: analysis.map_or(0, |a| a.dropped_beats),
            saved,
            offer: None,
            offer_answer: None,
        }
    }
}
