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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::clean::intervals_from;

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
