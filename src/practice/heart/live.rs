//! The heart during a session, beat by beat: the beats cleaned as they come, the heart rate now,
//! the swing over the last few breaths, and the summary the record keeps.

use std::ops::Range;

use super::clean::{BeatCleaner, CleanBeat, Interval, Judged};
use super::swing::{breath_swings, mean, mean_heart_rate, recent_swing, rmssd};
use crate::practice::Micros;

/// The heart rate shown is the mean over this many latest clean beats (a single beat jumps).
pub const BEATS_FOR_THE_RATE: usize = 5;

/// What the live view shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeartNow {
    /// Beats a minute over the latest clean beats; `None` before the first.
    pub heart_rate: Option<f64>,
    /// The mean swing of the last few finished breaths; `None` before the first.
    pub swing: Option<f64>,
    pub clean_beats: usize,
    pub dropped_beats: usize,
}

/// What a session with a strap leaves in its record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeartSummary {
    pub mean_heart_rate: f64,
    /// Over every breath that had a swing; `None` when none had (a strap sending no intervals).
    pub mean_swing: Option<f64>,
    pub rmssd: Option<f64>,
    pub clean_beats: u32,
    pub dropped_beats: u32,
}

#[derive(Clone, Debug, Default)]
pub struct LiveHeart {
    cleaner: BeatCleaner,
    beats: Vec<CleanBeat>,
    dropped: usize,
}

impl LiveHeart {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one interval as it came.
    pub fn push(&mut self, interval: Interval) {
        let judged = self.cleaner.push(interval);
        self.take(judged);
    }

    /// The session has ended: the last beats are judged too.
    pub fn finish(&mut self) {
        let judged = self.cleaner.finish();
        self.take(judged);
    }

    fn take(&mut self, judged: Vec<Judged>) {
        for judgement in judged {
            match judgement {
                Judged::Clean(beat) => self.beats.push(beat),
                Judged::Dropped(_) => self.dropped += 1,
            }
        }
    }

    /// The clean beats so far, in order (for a trace of the heart rate).
    pub fn beats(&self) -> &[CleanBeat] {
        &self.beats
    }

    /// The heart now, given the breaths finished so far (from the timeline).
    pub fn now(&self, finished_breaths: &[Range<Micros>]) -> HeartNow {
        let latest: Vec<f64> = self
            .beats
            .iter()
            .rev()
            .take(BEATS_FOR_THE_RATE)
            .map(|b| b.rr_ms)
            .collect();
        // Only the last few breaths are looked at: a long session costs no more.
        let recent = &finished_breaths[finished_breaths
            .len()
            .saturating_sub(4 * super::swing::BREATHS_AVERAGED)..];
        HeartNow {
            heart_rate: mean(&latest).map(|rr| 60_000.0 / rr),
            swing: recent_swing(&breath_swings(&self.beats, recent)),
            clean_beats: self.beats.len(),
            dropped_beats: self.dropped,
        }
    }

    /// The record's summary; `None` when no beat was clean.
    pub fn summary(&self, breaths: &[Range<Micros>]) -> Option<HeartSummary> {
        let swings: Vec<f64> = breath_swings(&self.beats, breaths)
            .into_iter()
            .flatten()
            .collect();
        Some(HeartSummary {
            mean_heart_rate: mean_heart_rate(&self.beats)?,
            mean_swing: mean(&swings),
            rmssd: rmssd(&self.beats),
            clean_beats: u32::try_from(self.beats.len()).unwrap_or(u32::MAX),
            dropped_beats: u32::try_from(self.dropped).unwrap_or(u32::MAX),
        })
    }
}

/// How far the beats laid end to end may drift from the measurements' arrival before they are
/// placed by arrival again.
pub const MOST_DRIFT: Micros = 1_500_000;

/// Places each measurement's intervals on the caller's clock. A strap's intervals are exact
/// while the times its measurements arrive jitter by tens of milliseconds, so beats are laid
/// end to end from the first measurement's arrival. When the two drift apart by more than
/// 1.5 s (a measurement lost over the air takes its intervals with it), the beats are placed
/// by arrival again: the last interval of a measurement ends when it arrived.
#[derive(Clone, Debug, Default)]
pub struct BeatTimes {
    last_beat: Option<Micros>,
}

impl BeatTimes {
    pub fn new() -> Self {
        Self::default()
    }

    /// The intervals of a measurement that arrived at `at`, each with its beat's time.
    pub fn place(&mut self, at: Micros, rr_ms: &[f64]) -> Vec<Interval> {
        let micros = |rr: f64| {
            if rr.is_finite() && rr > 0.0 {
                (rr * 1000.0).round() as Micros
            } else {
                0
            }
        };
        let total: Micros = rr_ms.iter().map(|&rr| micros(rr)).sum();
        let laid_end = self.last_beat.map(|last| last + total);
        let end = match laid_end {
            Some(end) if end.abs_diff(at) <= MOST_DRIFT => end,
            _ => at,
        };
        let mut beat = end.saturating_sub(total);
        let placed: Vec<Interval> = rr_ms
            .iter()
            .map(|&rr| {
                beat += micros(rr);
                Interval {
                    at: beat,
                    rr_ms: rr,
                }
            })
            .collect();
        if !placed.is_empty() {
            self.last_beat = Some(end);
        }
        placed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::clean::intervals_from;

    #[test]
    fn beats_are_laid_end_to_end_through_arrival_jitter_and_placed_again_after_a_loss() {
        let mut times = BeatTimes::new();
        // The first measurement ends when it arrives.
        let first = times.place(10_000_000, &[1000.0, 800.0]);
        assert_eq!(
            first.iter().map(|i| i.at).collect::<Vec<_>>(),
            [9_200_000, 10_000_000]
        );
        // The next arrives 40 ms late: its beat is still 900 ms after the last one.
        let next = times.place(10_940_000, &[900.0]);
        assert_eq!(next[0].at, 10_900_000);
        // A measurement without intervals places nothing and changes nothing.
        assert!(times.place(11_500_000, &[]).is_empty());
        assert_eq!(times.place(11_920_000, &[1000.0])[0].at, 11_900_000);
        // Two measurements lost over the air: the beats are placed by arrival again.
        let after_loss = times.place(14_950_000, &[1000.0]);
        assert_eq!(after_loss[0].at, 14_950_000);
        assert_eq!(times.place(15_960_000, &[1000.0])[0].at, 15_950_000);
    }

    #[test]
    fn the_live_heart_counts_drops_and_averages_the_last_breaths() {
        // 60 beats of 1000 ms, one missed beat in the middle.
        let mut rr = vec![1000.0; 60];
        rr[30] = 2000.0;
        let mut live = LiveHeart::new();
        assert_eq!(live.now(&[]).heart_rate, None);
        for interval in intervals_from(0, &rr) {
            live.push(interval);
        }
        let breaths: Vec<Range<Micros>> = (0..6)
            .map(|k| k * 10_000_000..(k + 1) * 10_000_000)
            .collect();
        let now = live.now(&breaths);
        assert_eq!(now.dropped_beats, 1);
        assert_eq!(
            now.clean_beats,
            60 - 1 - 3,
            "the last three wait for neighbours"
        );
        assert_eq!(now.heart_rate, Some(60.0));
        assert_eq!(now.swing, Some(0.0));
        live.finish();
        let summary = live.summary(&breaths).expect("a summary");
        assert_eq!(summary.clean_beats, 59);
        assert_eq!(summary.dropped_beats, 1);
        assert_eq!(summary.mean_heart_rate, 60.0);
        assert_eq!(summary.rmssd, Some(0.0));
        assert_eq!(LiveHeart::new().summary(&breaths), None);
    }
}
