//! What the clean beats say, breath by breath: the heart's swing in each breath (its highest
//! rate less its lowest, in beats a minute), averaged over the last few breaths; RMSSD; the
//! mean heart rate.

use std::ops::Range;

use super::clean::CleanBeat;
use crate::practice::Micros;

/// A breath needs this many clean beats in it for its swing to mean something (a rise and a
/// fall need at least three points).
pub const BEATS_FOR_A_SWING: usize = 3;
/// The live swing is the mean of the last this many breaths that have one.
pub const BREATHS_AVERAGED: usize = 4;

/// The swing of each breath: `None` for a breath with fewer than three clean beats.
/// A beat belongs to the breath in which it came (`start <= at < end`).
pub fn breath_swings(beats: &[CleanBeat], breaths: &[Range<Micros>]) -> Vec<Option<f64>> {
    breaths
        .iter()
        .map(|breath| {
            let first = beats.partition_point(|b| b.at < breath.start);
            let last = beats.partition_point(|b| b.at < breath.end);
            let within = &beats[first..last.max(first)];
            (within.len() >= BEATS_FOR_A_SWING).then(|| {
                let rates = within.iter().map(CleanBeat::heart_rate);
                let high = rates.clone().fold(f64::MIN, f64::max);
                let low = rates.fold(f64::MAX, f64::min);
                high - low
            })
        })
        .collect()
}

/// The mean swing of the last `BREATHS_AVERAGED` breaths that have one.
pub fn recent_swing(swings: &[Option<f64>]) -> Option<f64> {
    let recent: Vec<f64> = swings
        .iter()
        .rev()
        .flatten()
        .take(BREATHS_AVERAGED)
        .copied()
        .collect();
    mean(&recent)
}

/// The root mean square of successive differences (ms), over pairs of clean beats that came
/// one after the other (a dropped beat between two breaks the pair).
pub fn rmssd(beats: &[CleanBeat]) -> Option<f64> {
    let squares: Vec<f64> = beats
        .windows(2)
        .filter(|pair| pair[1].position == pair[0].position + 1)
        .map(|pair| (pair[1].rr_ms - pair[0].rr_ms).powi(2))
        .collect();
    mean(&squares).map(f64::sqrt)
}

/// Beats a minute over the clean beats: 60 000 over their mean interval.
pub fn mean_heart_rate(beats: &[CleanBeat]) -> Option<f64> {
    let intervals: Vec<f64> = beats.iter().map(|b| b.rr_ms).collect();
    mean(&intervals).map(|rr| 60_000.0 / rr)
}

pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The sample standard deviation (n - 1), for two or more values.
pub(crate) fn standard_deviation(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    (values.len() >= 2).then(|| {
        (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::clean::{clean, intervals_from};

    #[test]
    fn the_swing_is_the_highest_rate_less_the_lowest_within_each_breath() {
        // Two 6-second breaths: 60, 75, 60 a minute then 50, 60, 60.
        let rr = [1000.0, 800.0, 1000.0, 1200.0, 1000.0, 1000.0];
        let beats = clean(&intervals_from(0, &rr)).beats;
        let breaths = [0..3_000_001, 3_000_001..6_000_001];
        let swings = breath_swings(&beats, &breaths);
        assert_eq!(swings.len(), 2);
        assert!((swings[0].expect("a swing") - 15.0).abs() < 1e-9);
        assert!((swings[1].expect("a swing") - 10.0).abs() < 1e-9);
        assert_eq!(recent_swing(&swings), Some(12.5));
    }

    #[test]
    fn a_breath_with_too_few_beats_has_no_swing_and_is_passed_over() {
        let beats = clean(&intervals_from(0, &[1000.0; 6])).beats;
        let swings = breath_swings(
            &beats,
            &[0..2_500_000, 2_500_000..6_500_000, 7_000_000..9_000_000],
        );
        assert_eq!(swings[0], None);
        assert_eq!(swings[1], Some(0.0));
        assert_eq!(swings[2], None);
        assert_eq!(recent_swing(&swings), Some(0.0));
        assert_eq!(recent_swing(&[None, None]), None);
    }

    #[test]
    fn rmssd_counts_only_beats_that_followed_each_other() {
        // 800, 900, [1800 missed beat], 850, 950: pairs (800,900) and (850,950).
        let c = clean(&intervals_from(
            0,
            &[800.0, 900.0, 1800.0, 850.0, 950.0, 850.0],
        ));
        assert_eq!(c.dropped.len(), 1);
        let expected = ((100.0f64.powi(2) + 100.0f64.powi(2) + 100.0f64.powi(2)) / 3.0).sqrt();
        assert!((rmssd(&c.beats).expect("rmssd") - expected).abs() < 1e-9);
        assert_eq!(rmssd(&c.beats[..1]), None);
    }

    #[test]
    fn the_mean_heart_rate_is_sixty_thousand_over_the_mean_interval() {
        let beats = clean(&intervals_from(0, &[800.0, 1000.0, 1200.0])).beats;
        assert_eq!(mean_heart_rate(&beats), Some(60.0));
        assert_eq!(mean_heart_rate(&[]), None);
    }
}
