//! The resonance test's analysis: for each step (a few minutes at one breathing rate), the
//! heart's mean swing per breath and its low-frequency power over the whole step; then which
//! rate the heart follows most.
//!
//! Ranking: Lehrer, Vaschillo and Vaschillo (2000) and Shaffer and Meehan (2020) look at several
//! signs at once (peak-to-trough heart rate, LF power, the LF peak's height, the heart moving in
//! step with the breath) and choose the rate where most of them agree. downshift uses the two
//! that are steady over a two-minute step and need no breath sensor: the mean swing per breath
//! (peak-to-trough) and the LF power. Each rankable step gets a place on each (1 for the
//! largest), and the steps are ordered by the sum of their two places; a tie goes to the step
//! whose LF peak lies at its own breathing rate (within 0.3 breaths a minute: the heart follows
//! the pacer), then to the larger swing. Neither measure can be traded against the other in any
//! unit, so their places, not their values, are added.
//!
//! Whether the best rate stands out: its breaths' swings are compared with the runner-up's. It
//! stands out when its mean swing is larger by more than twice the standard error of the
//! difference (Welch's, from the per-breath swings). A best rate that does not stand out is
//! still named, with the words that the next one was as good within the breath-to-breath
//! variation.
//!
//! A step is not ranked, and says "too few clean beats", when its clean beats cover less than
//! 70 % of its time (artefacts or a strap that lost contact), or when fewer than half of its
//! breaths (and fewer than three) hold the three clean beats a swing needs.

use std::ops::Range;

use super::clean::{Cleaned, Interval, clean};
use super::spectrum::{LowFrequency, low_frequency};
use super::swing::{breath_swings, mean, mean_heart_rate, rmssd, standard_deviation};
use crate::practice::{BreatheBlock, Micros, Pattern, Practice, Step, seconds_to_micros};

/// The resonance test's rates, in the order paced (Lehrer, Vaschillo and Vaschillo 2000): from
/// quicker to slower, so that the slowest, hardest breathing comes last and briefly.
pub const TEST_RATES: [f64; 5] = [6.5, 6.0, 5.5, 5.0, 4.5];
/// Minutes at each rate: two, the least in which 5.5 and 6.0 can be told apart.
pub const TEST_MINUTES_EACH: f64 = 2.0;
pub const TEST_NAME: &str = "Resonance test";

/// A hold-free breath `rate` times a minute, in and out equally long (as the resonance
/// practice breathes), each to a tenth of a second as patterns are kept.
pub fn even_breath(rate: f64) -> Pattern {
    let breath = 60.0 / rate;
    let inhale = (breath / 2.0 * 10.0).round() / 10.0;
    let exhale = ((breath - inhale) * 10.0).round() / 10.0;
    Pattern::in_out(inhale, exhale)
}

/// The resonance test as a practice: each rate for whole breaths filling about two minutes.
pub fn test_practice() -> Practice {
    let steps = TEST_RATES
        .iter()
        .map(|&rate| {
            let breaths = (rate * TEST_MINUTES_EACH).round() as u32;
            Step::Breathe(BreatheBlock::breaths(even_breath(rate), breaths))
        })
        .collect();
    let mut practice = Practice::new(TEST_NAME, steps).with_description(
        "Five rates, two minutes each, from 6.5 to 4.5 breaths a minute: where your heart swings \
         most with the breath is your resonance rate.",
    );
    practice.sources = vec![
        "Lehrer, Vaschillo & Vaschillo 2000".to_owned(),
        "Shaffer & Meehan 2020".to_owned(),
    ];
    practice
}

/// Clean beats must cover this share of a step's time.
pub const COVERAGE_NEEDED: f64 = 0.70;
/// An LF peak this close to the step's breathing rate (breaths a minute) follows the pacer.
pub const FOLLOWS_WITHIN_PER_MINUTE: f64 = 0.3;
/// How many standard errors of the difference the best swing must lead by to stand out.
pub const STANDS_OUT_BY: f64 = 2.0;

/// One step of the test as it was paced: its rate, when it ran, and its breaths.
#[derive(Clone, Debug, PartialEq)]
pub struct StepPlan {
    /// Breaths a minute.
    pub rate: f64,
    pub span: Range<Micros>,
    pub breaths: Vec<Range<Micros>>,
}

/// Steps of `minutes_each` at each rate in turn from `start`, each breath exactly `60 / rate`
/// seconds (how a recording made while pacing elsewhere is read).
pub fn even_steps(rates: &[f64], minutes_each: f64, start: Micros) -> Vec<StepPlan> {
    let step_length = seconds_to_micros(minutes_each * 60.0);
    rates
        .iter()
        .enumerate()
        .map(|(i, &rate)| {
            let from = start + step_length * i as u64;
            let to = from + step_length;
            let breath = 60.0 / rate;
            let count = (minutes_each * rate).round().max(1.0) as u64;
            let breaths = (0..count)
                .map(|k| {
                    let a = from + seconds_to_micros(breath * k as f64);
                    let b = (from + seconds_to_micros(breath * (k + 1) as f64)).min(to);
                    a..b
                })
                .filter(|b| b.start < b.end)
                .collect();
            StepPlan {
                rate,
                span: from..to,
                breaths,
            }
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepVerdict {
    /// Ranked: 1 is the best.
    Ranked(usize),
    /// Not ranked: too few clean beats; the reason in words.
    TooFewCleanBeats(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepResult {
    pub rate: f64,
    pub span: Range<Micros>,
    pub clean_beats: usize,
    pub dropped_beats: usize,
    /// The share of the step's time the clean beats cover (0..1).
    pub coverage: f64,
    pub breaths: usize,
    pub breaths_with_swing: usize,
    /// Mean swing per breath, beats a minute.
    pub swing: Option<f64>,
    /// The per-breath swings' standard deviation.
    pub swing_spread: Option<f64>,
    pub low_frequency: Option<LowFrequency>,
    pub rmssd: Option<f64>,
    pub mean_heart_rate: Option<f64>,
    pub verdict: StepVerdict,
}

impl StepResult {
    /// Whether the LF peak lies at this step's own breathing rate.
    pub fn follows_pacer(&self) -> bool {
        self.low_frequency
            .is_some_and(|lf| (lf.peak_per_minute() - self.rate).abs() <= FOLLOWS_WITHIN_PER_MINUTE)
    }

    pub fn rank(&self) -> Option<usize> {
        match self.verdict {
            StepVerdict::Ranked(rank) => Some(rank),
            StepVerdict::TooFewCleanBeats(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resonance {
    pub steps: Vec<StepResult>,
    /// Index in `steps` of the best rate, if any step could be ranked.
    pub best: Option<usize>,
    /// The best rate's swing leads the runner-up's by more than the breaths' variation.
    pub stands_out: bool,
    pub clean_beats: usize,
    pub dropped_beats: usize,
}

impl Resonance {
    pub fn best_rate(&self) -> Option<f64> {
        self.best.map(|i| self.steps[i].rate)
    }

    /// The step ranked second, if any.
    pub fn runner_up(&self) -> Option<&StepResult> {
        self.steps.iter().find(|s| s.rank() == Some(2))
    }

    /// The result in words, as the window and `heart analyze` say it.
    pub fn verdict(&self) -> String {
        let Some(best) = self.best.map(|i| &self.steps[i]) else {
            return "No rate could be ranked: every step has too few clean beats.".to_owned();
        };
        let rate = best.rate;
        match self.runner_up() {
            None => {
                format!("Best: {rate:.1} breaths a minute (the only step that could be ranked).")
            }
            Some(second) if self.stands_out => format!(
                "Best: {rate:.1} breaths a minute: the heart swings most there, clearly more than \
                 at {:.1} (the next best).",
                second.rate
            ),
            Some(second) => format!(
                "Best: {rate:.1} breaths a minute, though {:.1} was as good within the \
                 breath-to-breath variation: either suits you.",
                second.rate
            ),
        }
    }
}

/// Analyses a test: the whole series is cleaned once (so no beat loses its neighbours at a
/// step's edge), then each step is measured and the steps ranked.
pub fn analyse(intervals: &[Interval], plan: &[StepPlan]) -> Resonance {
    let cleaned = clean(intervals);
    analyse_cleaned(&cleaned, plan)
}

pub fn analyse_cleaned(cleaned: &Cleaned, plan: &[StepPlan]) -> Resonance {
    let mut steps: Vec<(StepResult, Vec<f64>)> =
        plan.iter().map(|step| measure(cleaned, step)).collect();
    let rankable: Vec<usize> = (0..steps.len())
        .filter(|&i| steps[i].0.verdict == StepVerdict::Ranked(0))
        .collect();
    let place = |key: &dyn Fn(&StepResult) -> f64, i: usize| {
        let value = key(&steps[i].0);
        1 + rankable
            .iter()
            .filter(|&&j| key(&steps[j].0) > value)
            .count()
    };
    let swing = |s: &StepResult| s.swing.unwrap_or(0.0);
    let power = |s: &StepResult| s.low_frequency.map_or(0.0, |lf| lf.power);
    let mut order: Vec<(usize, usize)> = rankable
        .iter()
        .map(|&i| (i, place(&swing, i) + place(&power, i)))
        .collect();
    order.sort_by(|&(a, score_a), &(b, score_b)| {
        let (a, b) = (&steps[a].0, &steps[b].0);
        score_a
            .cmp(&score_b)
            .then(b.follows_pacer().cmp(&a.follows_pacer()))
            .then(swing(b).total_cmp(&swing(a)))
    });
    for (rank, &(i, _)) in order.iter().enumerate() {
        steps[i].0.verdict = StepVerdict::Ranked(rank + 1);
    }
    let best = order.first().map(|&(i, _)| i);
    let stands_out = match order.as_slice() {
        [(first, _), (second, _), ..] => leads(&steps[*first].1, &steps[*second].1),
        _ => false,
    };
    Resonance {
        steps: steps.into_iter().map(|(step, _)| step).collect(),
        best,
        stands_out,
        clean_beats: cleaned.beats.len(),
        dropped_beats: cleaned.dropped.len(),
    }
}

/// Whether the swings `a` lead `b` by more than `STANDS_OUT_BY` standard errors.
fn leads(a: &[f64], b: &[f64]) -> bool {
    let (Some(mean_a), Some(mean_b)) = (mean(a), mean(b)) else {
        return false;
    };
    let (Some(sd_a), Some(sd_b)) = (standard_deviation(a), standard_deviation(b)) else {
        return false;
    };
    let error = (sd_a.powi(2) / a.len() as f64 + sd_b.powi(2) / b.len() as f64).sqrt();
    mean_a - mean_b > STANDS_OUT_BY * error
}

/// One step measured; its verdict is `Ranked(0)` (to be placed) or too few clean beats. The
/// per-breath swings come back beside it.
fn measure(cleaned: &Cleaned, step: &StepPlan) -> (StepResult, Vec<f64>) {
    let within = |at: Micros| step.span.contains(&at);
    let first = cleaned.beats.partition_point(|b| b.at < step.span.start);
    let last = cleaned.beats.partition_point(|b| b.at < step.span.end);
    let beats = &cleaned.beats[first..last.max(first)];
    let dropped = cleaned.dropped.iter().filter(|d| within(d.at)).count();
    let length = step.span.end.saturating_sub(step.span.start) as f64;
    // Folded from +0: an empty float sum is -0, which would print as "-0 %".
    let covered = beats.iter().fold(0.0, |sum, b| sum + b.rr_ms * 1000.0);
    let coverage = if length > 0.0 {
        (covered / length).min(1.0)
    } else {
        0.0
    };
    let swings: Vec<f64> = breath_swings(beats, &step.breaths)
        .into_iter()
        .flatten()
        .collect();
    let needed_breaths = (step.breaths.len().div_ceil(2)).max(3);
    let verdict = if coverage < COVERAGE_NEEDED {
        StepVerdict::TooFewCleanBeats(format!(
            "clean beats cover {:.0} % of the step, under the {:.0} % needed",
            coverage * 100.0,
            COVERAGE_NEEDED * 100.0
        ))
    } else if swings.len() < needed_breaths {
        StepVerdict::TooFewCleanBeats(format!(
            "{} of {} breaths hold enough clean beats for a swing, under the {needed_breaths} needed",
            swings.len(),
            step.breaths.len()
        ))
    } else {
        StepVerdict::Ranked(0)
    };
    // The spectrum is interpolated across gaps, so it takes the beats just outside the step too.
    let around = &cleaned.beats[first.saturating_sub(1)..(last + 1).min(cleaned.beats.len())];
    let result = StepResult {
        rate: step.rate,
        span: step.span.clone(),
        clean_beats: beats.len(),
        dropped_beats: dropped,
        coverage,
        breaths: step.breaths.len(),
        breaths_with_swing: swings.len(),
        swing: mean(&swings),
        swing_spread: standard_deviation(&swings),
        // A step with fewer than two beats of its own has no spectrum to speak of.
        low_frequency: if beats.len() >= 2 {
            low_frequency(around, step.span.clone())
        } else {
            None
        },
        rmssd: rmssd(beats),
        mean_heart_rate: mean_heart_rate(beats),
        verdict,
    };
    (result, swings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::clean::intervals_from;

    #[test]
    fn the_test_paces_each_rate_for_about_two_minutes_of_whole_breaths() {
        let practice = test_practice();
        let timeline = crate::practice::Timeline::new(&practice).expect("valid");
        assert!(
            crate::practice::fits_gentle_mode(&practice),
            "no holds, 8 s or more"
        );
        for (step, &rate) in timeline.steps().iter().zip(&TEST_RATES) {
            let seconds = step.length() as f64 / 1e6;
            assert!((seconds - 120.0).abs() <= 1.0, "{rate}: {seconds} s");
            let paced = f64::from(step.breaths) * 60.0 / seconds;
            assert!((paced - rate).abs() < 0.05, "{rate}: paced {paced}");
        }
        assert_eq!(even_breath(5.5), Pattern::in_out(5.5, 5.4));
        assert_eq!(even_breath(6.0), Pattern::in_out(5.0, 5.0));
    }

    #[test]
    fn even_steps_lay_whole_breaths_end_to_end() {
        let plan = even_steps(&[6.5, 6.0, 5.5, 5.0, 4.5], 2.0, 0);
        assert_eq!(plan.len(), 5);
        assert_eq!(plan[0].span, 0..120_000_000);
        assert_eq!(plan[4].span, 480_000_000..600_000_000);
        let counts: Vec<usize> = plan.iter().map(|s| s.breaths.len()).collect();
        assert_eq!(counts, [13, 12, 11, 10, 9]);
        for step in &plan {
            assert_eq!(step.breaths.first().map(|b| b.start), Some(step.span.start));
            assert_eq!(step.breaths.last().map(|b| b.end), Some(step.span.end));
            assert!(step.breaths.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    /// A heart swinging `amplitude` either side of 66 at each step's breathing rate.
    fn recording(rates: &[f64], amplitudes: &[f64]) -> Vec<f64> {
        let mut rr = Vec::new();
        let mut t = 0.0;
        while t < 120.0 * rates.len() as f64 {
            let step = (t / 120.0) as usize;
            let phase = 2.0 * std::f64::consts::PI * rates[step] / 60.0 * (t - 120.0 * step as f64);
            let interval = 60.0 / (66.0 + amplitudes[step] * phase.sin());
            rr.push(interval * 1000.0);
            t += interval;
        }
        rr
    }

    #[test]
    fn the_rate_with_the_largest_swing_and_power_is_best_and_stands_out() {
        let rates = [6.5, 6.0, 5.5, 5.0, 4.5];
        let rr = recording(&rates, &[3.0, 5.0, 8.0, 5.0, 3.0]);
        let result = analyse(&intervals_from(0, &rr), &even_steps(&rates, 2.0, 0));
        assert_eq!(result.best_rate(), Some(5.5));
        let ranks: Vec<Option<usize>> = result.steps.iter().map(StepResult::rank).collect();
        assert_eq!(ranks[2], Some(1));
        for step in &result.steps {
            assert!(step.follows_pacer(), "{step:?}");
        }
        assert!(result.stands_out);
    }

    #[test]
    fn a_step_with_a_gap_is_not_ranked_and_says_why() {
        let rates = [6.0, 5.5];
        let mut rr = recording(&rates, &[4.0, 6.0]);
        // 50 s in the second step with nothing a heart makes (contact lost).
        let start = rr
            .iter()
            .scan(0.0, |t, r| {
                *t += r;
                Some(*t)
            })
            .position(|t| t > 130_000.0)
            .expect("in range");
        for r in &mut rr[start..start + 20] {
            *r = 2500.0;
        }
        let result = analyse(&intervals_from(0, &rr), &even_steps(&rates, 2.0, 0));
        match &result.steps[1].verdict {
            StepVerdict::TooFewCleanBeats(why) => assert!(why.contains("cover"), "{why}"),
            other => panic!("ranked: {other:?}"),
        }
        assert_eq!(result.best_rate(), Some(6.0));
        assert!(!result.stands_out, "nothing to compare with");
    }
}
