//! Cleaning the beat series: intervals no heart makes, and intervals far from their neighbours
//! (a beat the strap missed, which doubles an interval, or an extra one it saw, which splits
//! one), are dropped and counted, never drawn or measured.
//!
//! The rule, and why:
//! - Physiologically impossible: shorter than 300 ms (over 200 beats a minute, not a resting
//!   heart) or longer than 2000 ms (under 30 a minute). OpenHRV bounds intervals the same way
//!   (30 to 220 a minute).
//! - Far from its neighbours: more than 20 % away from the median of the three plausible
//!   intervals on each side. 20 % is Malik's rule (Malik et al. 1989) and the quotient filter's
//!   (Piskorski and Guzik 2005: successive intervals within 0.8 to 1.2 of each other); Kubios'
//!   threshold correction compares with a local median the same way. Comparing with the median
//!   of six neighbours rather than with the previous interval keeps one artefact from
//!   condemning the beat after it (a split beat leaves two short intervals; a median of six
//!   still sees the normal rhythm). Six beats span about six seconds, less than half a slow
//!   breath, so the breath's own swing (at resonance it moves the interval by 30 % or more over
//!   half a breath) is not mistaken for an artefact: at a swing's turning point the neighbours'
//!   median lies under 10 % from it.
//!
//! A beat is judged once three plausible beats after it have come (live, about three seconds
//! late); the last ones are judged with the neighbours they have when the series ends.

use std::collections::VecDeque;

use crate::practice::Micros;

pub const SHORTEST_INTERVAL_MS: f64 = 300.0;
pub const LONGEST_INTERVAL_MS: f64 = 2000.0;
/// Plausible neighbours looked at on each side.
pub const NEIGHBOURS_EACH_SIDE: usize = 3;
/// How far (a fraction of the neighbours' median) an interval may lie from it.
pub const MOST_FROM_NEIGHBOURS: f64 = 0.20;

/// One beat-to-beat interval as it came, with the time of the beat that ends it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// When the beat ending the interval came, on the session's (or file's) timeline.
    pub at: Micros,
    pub rr_ms: f64,
}

/// A beat kept: its time, its interval and where it stood in the series as it came (two clean
/// beats are successive when their positions are).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CleanBeat {
    pub at: Micros,
    pub rr_ms: f64,
    pub position: u64,
}

impl CleanBeat {
    /// The heart rate this interval stands for, in beats a minute.
    pub fn heart_rate(&self) -> f64 {
        60_000.0 / self.rr_ms
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Shorter than 300 ms or longer than 2000 ms (or not a number).
    Impossible,
    /// More than 20 % from its neighbours' median.
    FarFromNeighbours,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DroppedBeat {
    pub at: Micros,
    pub rr_ms: f64,
    pub position: u64,
    pub why: DropReason,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Judged {
    Clean(CleanBeat),
    Dropped(DroppedBeat),
}

/// Judges intervals as they come. Impossible ones are dropped at once; the others when three
/// plausible ones have followed them, or at `finish`.
#[derive(Clone, Debug, Default)]
pub struct BeatCleaner {
    /// Plausible intervals: up to three judged ones (the left neighbours), then those waiting.
    window: VecDeque<(Interval, u64)>,
    /// Index in `window` of the first interval not judged yet.
    next: usize,
    /// Intervals received so far.
    received: u64,
}

impl BeatCleaner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next interval; returns what could be judged now.
    pub fn push(&mut self, interval: Interval) -> Vec<Judged> {
        let position = self.received;
        self.received += 1;
        if !is_plausible(interval.rr_ms) {
            return vec![Judged::Dropped(DroppedBeat {
                at: interval.at,
                rr_ms: interval.rr_ms,
                position,
                why: DropReason::Impossible,
            })];
        }
        self.window.push_back((interval, position));
        let mut judged = Vec::new();
        while self.next + NEIGHBOURS_EACH_SIDE < self.window.len() {
            judged.push(self.judge(self.next));
            self.next += 1;
        }
        while self.next > NEIGHBOURS_EACH_SIDE {
            self.window.pop_front();
            self.next -= 1;
        }
        judged
    }

    /// Judges the intervals still waiting (the series has ended).
    pub fn finish(&mut self) -> Vec<Judged> {
        let judged = (self.next..self.window.len())
            .map(|i| self.judge(i))
            .collect();
        self.window.clear();
        self.next = 0;
        judged
    }

    fn judge(&self, index: usize) -> Judged {
        let (interval, position) = self.window[index];
        let from = index.saturating_sub(NEIGHBOURS_EACH_SIDE);
        let to = (index + NEIGHBOURS_EACH_SIDE + 1).min(self.window.len());
        let mut neighbours: Vec<f64> = (from..to)
            .filter(|&i| i != index)
            .map(|i| self.window[i].0.rr_ms)
            .collect();
        // With fewer than two neighbours there is nothing to compare with: kept.
        let far = neighbours.len() >= 2 && {
            let median = median(&mut neighbours);
            (interval.rr_ms - median).abs() > MOST_FROM_NEIGHBOURS * median
        };
        if far {
            Judged::Dropped(DroppedBeat {
                at: interval.at,
                rr_ms: interval.rr_ms,
                position,
                why: DropReason::FarFromNeighbours,
            })
        } else {
            Judged::Clean(CleanBeat {
                at: interval.at,
                rr_ms: interval.rr_ms,
                position,
            })
        }
    }
}

fn is_plausible(rr_ms: f64) -> bool {
    (SHORTEST_INTERVAL_MS..=LONGEST_INTERVAL_MS).contains(&rr_ms)
}

/// The median of a non-empty set (the mean of the middle two for an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

/// A whole series, cleaned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cleaned {
    /// The beats kept, in time order.
    pub beats: Vec<CleanBeat>,
    /// The beats dropped, in time order.
    pub dropped: Vec<DroppedBeat>,
}

/// Cleans a whole series at once (the same judgement as live).
pub fn clean(intervals: &[Interval]) -> Cleaned {
    let mut cleaner = BeatCleaner::new();
    let mut cleaned = Cleaned::default();
    let judged = intervals
        .iter()
        .flat_map(|&interval| cleaner.push(interval))
        .collect::<Vec<_>>()
        .into_iter()
        .chain(cleaner.finish());
    for judgement in judged {
        match judgement {
            Judged::Clean(beat) => cleaned.beats.push(beat),
            Judged::Dropped(beat) => cleaned.dropped.push(beat),
        }
    }
    cleaned.beats.sort_by_key(|b| b.position);
    cleaned.dropped.sort_by_key(|b| b.position);
    cleaned
}

/// Intervals in milliseconds laid end to end from `start`: each beat's time is the sum of the
/// intervals before it and its own (a dropped interval still took its time).
pub fn intervals_from(start: Micros, rr_ms: &[f64]) -> Vec<Interval> {
    let mut at = start as f64;
    rr_ms
        .iter()
        .map(|&rr| {
            if rr.is_finite() && rr > 0.0 {
                at += rr * 1000.0;
            }
            Interval {
                at: at.round() as Micros,
                rr_ms: rr,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(rr: &[f64]) -> Cleaned {
        clean(&intervals_from(0, rr))
    }

    #[test]
    fn a_steady_heart_keeps_every_beat() {
        let c = cleaned(&[1000.0; 30]);
        assert_eq!(c.beats.len(), 30);
        assert!(c.dropped.is_empty());
        assert_eq!(c.beats[2].at, 3_000_000);
    }

    #[test]
    fn a_missed_beat_drops_its_doubled_interval_only() {
        let mut rr = vec![950.0; 20];
        rr[10] = 1900.0;
        let c = cleaned(&rr);
        assert_eq!(c.dropped.len(), 1);
        assert_eq!(c.dropped[0].position, 10);
        assert_eq!(c.dropped[0].why, DropReason::FarFromNeighbours);
        assert_eq!(c.beats.len(), 19);
    }

    #[test]
    fn an_extra_beat_drops_both_halves_and_not_the_beats_around_them() {
        let mut rr = vec![1000.0; 20];
        rr.splice(10..11, [420.0, 580.0]);
        let c = cleaned(&rr);
        let dropped: Vec<u64> = c.dropped.iter().map(|d| d.position).collect();
        assert_eq!(dropped, [10, 11]);
        assert_eq!(c.beats.len(), 19);
        // The time of the beats after it is unchanged by the split.
        assert_eq!(c.beats.last().map(|b| b.at), Some(20_000_000));
    }

    #[test]
    fn impossible_intervals_are_dropped_at_once() {
        let mut cleaner = BeatCleaner::new();
        for (at, rr) in [(1, 250.0), (2, 2600.0), (3, f64::NAN), (4, -5.0)] {
            let judged = cleaner.push(Interval { at, rr_ms: rr });
            assert!(
                matches!(
                    judged[..],
                    [Judged::Dropped(DroppedBeat {
                        why: DropReason::Impossible,
                        ..
                    })]
                ),
                "{rr}: {judged:?}"
            );
        }
        assert!(cleaner.finish().is_empty());
    }

    #[test]
    fn a_large_slow_swing_is_not_an_artefact() {
        // 4.5 breaths a minute, heart rate swinging 55 to 90 beats a minute: the intervals move
        // by 40 % over half a breath.
        let mut rr = Vec::new();
        let mut t = 0.0;
        while t < 300.0 {
            let hr = 72.5 + 17.5 * (2.0 * std::f64::consts::PI * 4.5 / 60.0 * t).sin();
            let interval = 60.0 / hr;
            rr.push(interval * 1000.0);
            t += interval;
        }
        let c = cleaned(&rr);
        assert!(c.dropped.is_empty(), "{:?}", c.dropped);
    }

    #[test]
    fn live_judgement_waits_for_three_beats_after_and_agrees_with_the_whole() {
        let mut rr = vec![800.0; 12];
        rr[5] = 1600.0;
        let intervals = intervals_from(0, &rr);
        let mut cleaner = BeatCleaner::new();
        let mut judged = Vec::new();
        for (i, &interval) in intervals.iter().enumerate() {
            let now = cleaner.push(interval);
            if i < NEIGHBOURS_EACH_SIDE {
                assert!(now.is_empty(), "nothing judged at {i}");
            }
            judged.extend(now);
        }
        judged.extend(cleaner.finish());
        assert_eq!(judged.len(), 12);
        let whole = clean(&intervals);
        let dropped: Vec<_> = judged
            .iter()
            .filter_map(|j| match j {
                Judged::Dropped(d) => Some(*d),
                Judged::Clean(_) => None,
            })
            .collect();
        assert_eq!(dropped, whole.dropped);
    }
}
