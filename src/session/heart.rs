//! The heart during a live session, whoever sends its beats (a strap, a recording replayed).
//!
//! Two clocks meet here. A measurement's beats come stamped on the monotonic clock (the one
//! `Now::mono` reads), laid end to end by `BeatTimes`; the breaths come from the timeline, in
//! the session's own time, which stops while the session is paused and jumps when a step is
//! skipped. So, as the session runs, each breath of the timeline is placed on the monotonic
//! clock once it is over, by how far the session's place then was from the monotonic time; a
//! breath that a pause, a skip or a jump of the sound's clock (more than a quarter second)
//! broke into is left out, since no one span of heartbeats belongs to it. The live model (`LiveHeart`) then sees beats and
//! breaths on one clock, and a pause costs only the breath it fell in.
//!
//! Pure: time comes in; nothing here waits, reads a clock or writes a file.

use std::ops::Range;

use crate::practice::heart::{
    BeatTimes, HeartEvent, HeartNow, Interval, LiveHeart, StepPlan, analyse,
};
use crate::practice::{Micros, StepKind, Timeline};
use crate::store::history::HeartRecord;

/// The session's place may move against the monotonic clock by this much between two looks
/// without breaking the breath under way (the sound's clock pulls it by a tenth of a second
/// now and then; a pause, a skip or a restart move it by much more).
const STEADY_WITHIN: i64 = 250_000;

/// How the source of beats is doing, in the terms the screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeartLink {
    /// Started, nothing heard yet (a strap connecting).
    Waiting,
    /// Sending; the strap's (or the recording's) name.
    Connected(String),
    /// The strap was lost; it is looked for.
    Lost,
    /// A recording replayed has come to its end.
    Ended,
    /// Something stands in the way, in plain words.
    Problem(String),
}

/// What the screen and the terminal show of the heart now.
#[derive(Clone, Debug, PartialEq)]
pub struct HeartShown {
    pub link: HeartLink,
    /// Beats a minute over the latest clean beats, or the strap's own count when it sends no
    /// intervals.
    pub heart_rate: Option<f64>,
    /// The mean swing of the last few whole breaths, beats a minute.
    pub swing: Option<f64>,
    pub clean_beats: usize,
    pub dropped_beats: usize,
    /// The strap sends its rate only: no swing can be shown.
    pub rate_only: bool,
}

/// Where the session's place stands against the monotonic clock, as last seen.
#[derive(Clone, Debug, Default)]
struct Placing {
    /// Session place less monotonic time while running undisturbed; `None` while paused or
    /// ended.
    offset: Option<i64>,
    /// The session's place from which it has run undisturbed.
    since: Micros,
    /// The next breath, and the next step, of the timeline still to be placed.
    next_breath: usize,
    next_step: usize,
    /// Looked at before: the first look comes as the session begins, which has run
    /// undisturbed since its start.
    looked: bool,
}

#[derive(Clone, Debug)]
pub struct SessionHeart {
    link: HeartLink,
    /// The name the source gave when it connected.
    name: String,
    rate_only: bool,
    /// The heart rates the strap counted itself (beats a minute, none of zero), for a strap
    /// that sends no intervals.
    strap_rates: Vec<u16>,
    beat_times: BeatTimes,
    live: LiveHeart,
    /// Every interval as it came (artefacts too), on the monotonic clock: a resonance test is
    /// analysed from them as a whole at its end.
    intervals: Vec<Interval>,
    /// The timeline's breaths and steps, in the session's time.
    breath_spans: Vec<Range<Micros>>,
    steps: Vec<(Range<Micros>, StepKind, Range<usize>)>,
    /// Where the timeline ends: a session there stands still, though its clock runs.
    total: Micros,
    /// The breaths placed so far on the monotonic clock, and which breath of the timeline each
    /// is.
    breaths: Vec<Range<Micros>>,
    breath_numbers: Vec<usize>,
    /// The steps breathed whole, on the monotonic clock, by their index in the timeline.
    whole_steps: Vec<(usize, Range<Micros>)>,
    placing: Placing,
    /// Intervals not yet written to the raw file (only kept when the person asked).
    keep_raw: bool,
    raw_waiting: Vec<f64>,
}

impl SessionHeart {
    /// The heart of a session breathing `timeline`; `keep_raw`: its intervals are to be written
    /// to a file of their own.
    pub fn new(timeline: &Timeline, keep_raw: bool) -> Self {
        let mut first_breath = 0;
        let steps = timeline
            .steps()
            .iter()
            .map(|step| {
                let breaths = first_breath..first_breath + step.breaths as usize;
                first_breath = breaths.end;
                (step.start..step.end, step.kind, breaths)
            })
            .collect();
        SessionHeart {
            link: HeartLink::Waiting,
            name: String::new(),
            rate_only: false,
            strap_rates: Vec::new(),
            beat_times: BeatTimes::new(),
            live: LiveHeart::new(),
            intervals: Vec::new(),
            breath_spans: timeline.breath_spans(),
            steps,
            total: timeline.total(),
            breaths: Vec::new(),
            breath_numbers: Vec::new(),
            whole_steps: Vec::new(),
            placing: Placing::default(),
            keep_raw,
            raw_waiting: Vec::new(),
        }
    }

    /// Takes one event from the source of beats.
    pub fn take(&mut self, event: HeartEvent) {
        match event {
            HeartEvent::Connected { name } => {
                self.name = name;
                self.link = HeartLink::Connected(self.name.clone());
            }
            HeartEvent::Back => self.link = HeartLink::Connected(self.name.clone()),
            HeartEvent::Lost { .. } => self.link = HeartLink::Lost,
            HeartEvent::Ended => self.link = HeartLink::Ended,
            HeartEvent::Problem(words) => {
                // A problem while sending (a measurement that does not read) does not stop it.
                if !matches!(self.link, HeartLink::Connected(_)) {
                    self.link = HeartLink::Problem(words);
                }
            }
            HeartEvent::HeartRateOnly => self.rate_only = true,
            HeartEvent::Beats {
                at,
                heart_rate,
                rr_ms,
                ..
            } => {
                if heart_rate > 0 {
                    self.strap_rates.push(heart_rate);
                }
                if !rr_ms.is_empty() {
                    self.rate_only = false;
                }
                if self.keep_raw {
                    self.raw_waiting.extend_from_slice(&rr_ms);
                }
                for interval in self.beat_times.place(at, &rr_ms) {
                    self.live.push(interval);
                    self.intervals.push(interval);
                }
                if matches!(self.link, HeartLink::Waiting | HeartLink::Lost) {
                    self.link = HeartLink::Connected(self.name.clone());
                }
            }
        }
    }

    /// The session is at `position` (its own time) at monotonic `now`, running or not: the
    /// breaths and steps it has finished since the last look are placed on the monotonic clock.
    pub fn follow(&mut self, now: Micros, position: Micros, running: bool) {
        // At its end the session's place stands still while its clock runs on: it stopped.
        let running = running && position < self.total;
        let offset = position as i64 - now as i64;
        if !std::mem::replace(&mut self.placing.looked, true) && running {
            self.place_finished(position, offset);
            self.placing.offset = Some(offset);
            return;
        }
        match self.placing.offset {
            // Undisturbed since the last look: what ended by now was breathed whole.
            Some(before) if running && (offset - before).abs() <= STEADY_WITHIN => {
                self.place_finished(position, offset);
                self.placing.offset = Some(offset);
            }
            // It stopped (paused, ended) since the last look: what ended before it stopped was
            // breathed on the clock as it was.
            Some(before) if !running => {
                self.place_finished(position, before);
                self.placing.offset = None;
            }
            // A pause taken up, or the place moved (a skip): nothing under way counts, and
            // from here it runs anew.
            _ => {
                self.pass_over(position);
                self.placing.offset = running.then_some(offset);
            }
        }
    }

    /// Places the breaths and steps ended by `position`, breathed undisturbed since
    /// `placing.since`, with `offset` between the two clocks.
    fn place_finished(&mut self, position: Micros, offset: i64) {
        let on_the_clock = |span: &Range<Micros>| {
            (span.start as i64 - offset) as Micros..(span.end as i64 - offset) as Micros
        };
        while let Some(span) = self.breath_spans.get(self.placing.next_breath) {
            if span.end > position {
                break;
            }
            if span.start >= self.placing.since {
                self.breaths.push(on_the_clock(span));
                self.breath_numbers.push(self.placing.next_breath);
            }
            self.placing.next_breath += 1;
        }
        while let Some((span, kind, _)) = self.steps.get(self.placing.next_step) {
            if span.end > position {
                break;
            }
            if *kind == StepKind::Breathe && span.start >= self.placing.since {
                self.whole_steps
                    .push((self.placing.next_step, on_the_clock(span)));
            }
            self.placing.next_step += 1;
        }
    }

    /// The session's place moved (a skip, a pause taken up): what ended before
    /// `position` is passed over, and it runs undisturbed from here.
    fn pass_over(&mut self, position: Micros) {
        while self
            .breath_spans
            .get(self.placing.next_breath)
            .is_some_and(|span| span.end <= position)
        {
            self.placing.next_breath += 1;
        }
        while self
            .steps
            .get(self.placing.next_step)
            .is_some_and(|(span, ..)| span.end <= position)
        {
            self.placing.next_step += 1;
        }
        self.placing.since = position;
    }

    /// The session has ended at `position`: the breath it ended in is over, and the last beats
    /// are judged with the neighbours they have.
    pub fn finish(&mut self, now: Micros, position: Micros) {
        self.follow(now, position, false);
        self.live.finish();
    }

    /// What the screen shows now.
    pub fn shown(&self) -> HeartShown {
        let HeartNow {
            heart_rate,
            swing,
            clean_beats,
            dropped_beats,
        } = self.live.now(&self.breaths);
        let strap_rate = || {
            self.strap_rates
                .last()
                .map(|&rate| f64::from(rate))
                .filter(|_| self.rate_only)
        };
        HeartShown {
            link: self.link.clone(),
            heart_rate: heart_rate.or_else(strap_rate),
            swing,
            clean_beats,
            dropped_beats,
            rate_only: self.rate_only,
        }
    }

    pub fn link(&self) -> &HeartLink {
        &self.link
    }

    /// How many intervals have come so far, artefacts included.
    pub fn received(&self) -> usize {
        self.intervals.len()
    }

    /// What the record keeps: from the clean beats, or, from a strap that sends no intervals,
    /// the mean of the rates it counted. `None` when nothing came.
    pub fn summary(&self) -> Option<HeartRecord> {
        if let Some(summary) = self.live.summary(&self.breaths) {
            return Some(HeartRecord::of(&summary));
        }
        let counted: Vec<f64> = self.strap_rates.iter().map(|&r| f64::from(r)).collect();
        (!counted.is_empty()).then(|| HeartRecord {
            mean_heart_rate: (counted.iter().sum::<f64>() / counted.len() as f64 * 10.0).round()
                / 10.0,
            mean_swing: None,
            rmssd: None,
            clean_beats: 0,
            dropped_beats: 0,
        })
    }

    /// The intervals that came since the last call, for the raw file (none unless asked).
    pub fn take_raw(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.raw_waiting)
    }

    pub fn keeps_raw(&self) -> bool {
        self.keep_raw
    }

    /// The clean beats from monotonic time `from` on, each as (its time, beats a minute): for
    /// a trace of the heart rate.
    pub fn trace_from(&self, from: Micros) -> impl Iterator<Item = (Micros, f64)> + '_ {
        let beats = self.live.beats();
        let first = beats.partition_point(|b| b.at < from);
        beats[first..].iter().map(|b| (b.at, b.heart_rate()))
    }

    /// The session's place at monotonic `at`, while it runs undisturbed (for drawing the breath
    /// beside the heart).
    pub fn session_time_at(&self, at: Micros) -> Option<Micros> {
        let offset = self.placing.offset?;
        let place = at as i64 + offset;
        (place >= self.placing.since as i64).then_some(place as Micros)
    }

    /// A resonance test's analysis from the steps breathed whole, each at its own rate in
    /// breaths a minute (`rates`, one per breathing step of the timeline, in order); `None`
    /// when no step was breathed whole.
    pub fn resonance(&self, rates: &[f64]) -> Option<crate::practice::heart::Resonance> {
        let breathing: Vec<usize> = (0..self.steps.len())
            .filter(|&i| self.steps[i].1 == StepKind::Breathe)
            .collect();
        let plan: Vec<StepPlan> = self
            .whole_steps
            .iter()
            .filter_map(|(step, span)| {
                let rate = *rates.get(breathing.iter().position(|s| s == step)?)?;
                let numbers = &self.steps[*step].2;
                let breaths = self
                    .breath_numbers
                    .iter()
                    .zip(&self.breaths)
                    .filter(|(number, _)| numbers.contains(number))
                    .map(|(_, breath)| breath.clone())
                    .collect();
                Some(StepPlan {
                    rate,
                    span: span.clone(),
                    breaths,
                })
            })
            .collect();
        (!plan.is_empty()).then(|| analyse(&self.intervals, &plan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::Contact;
    use crate::practice::{BreatheBlock, MICROS_PER_SECOND as S, Pattern, Practice, Step};

    /// Two steps of five 10-second breaths (5 in, 5 out).
    fn timeline() -> Timeline {
        let block = || Step::Breathe(BreatheBlock::breaths(Pattern::in_out(5.0, 5.0), 5));
        Timeline::new(&Practice::new("Two steps", vec![block(), block()])).expect("valid")
    }

    /// A beat every second, from monotonic `from` to `to`, with the rate rising in the first
    /// half of each 10-second breath of the monotonic clock and falling in the second.
    fn beats(heart: &mut SessionHeart, from: Micros, to: Micros) {
        let mut at = from;
        while at < to {
            let into = (at / S) % 10;
            let rr = if into < 5 {
                1000.0 - 40.0 * into as f64
            } else {
                800.0 + 40.0 * (into - 5) as f64
            };
            at += S;
            heart.take(HeartEvent::Beats {
                at,
                heart_rate: 60,
                contact: Contact::Touching,
                rr_ms: vec![rr],
            });
        }
    }

    #[test]
    fn breaths_are_placed_on_the_monotonic_clock_and_a_paused_one_is_left_out() {
        let timeline = timeline();
        let mut heart = SessionHeart::new(&timeline, false);
        // The session begins at monotonic 100 s; it is looked at every half second.
        let start = 100 * S;
        let look = |heart: &mut SessionHeart, from: Micros, to: Micros, offset: Micros| {
            let mut now = from;
            while now <= to {
                heart.follow(now, now - offset, true);
                now += S / 2;
            }
        };
        look(&mut heart, start, start + 25 * S, start);
        assert_eq!(
            heart.breaths,
            [start..start + 10 * S, start + 10 * S..start + 20 * S],
            "two whole breaths, where they were breathed"
        );
        // Paused at 25 s of the session for 30 s: the third breath is broken into.
        heart.follow(start + 25 * S, 25 * S, false);
        heart.follow(start + 40 * S, 25 * S, false);
        look(&mut heart, start + 55 * S, start + 80 * S, start + 30 * S);
        assert_eq!(heart.breath_numbers, [0, 1, 3, 4], "the third is left out");
        assert_eq!(heart.breaths[2], start + 60 * S..start + 70 * S);
        // The first step was paused in: it is not whole.
        assert!(heart.whole_steps.is_empty());
        // Looked at now and then: the end, where the place stops at 100 s, ends the last step.
        for now in [
            start + 90 * S,
            start + 129 * S,
            start + 131 * S,
            start + 140 * S,
        ] {
            heart.follow(now, (now - start - 30 * S).min(100 * S), true);
        }
        assert_eq!(heart.whole_steps, [(1, start + 80 * S..start + 130 * S)]);
        assert_eq!(heart.breath_numbers, [0, 1, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn the_first_breath_counts_though_the_first_look_comes_a_little_after_the_start() {
        let mut heart = SessionHeart::new(&timeline(), false);
        heart.follow(5 * S + 300_000, 300_000, true);
        heart.follow(15 * S, 10 * S, true);
        assert_eq!(heart.breaths.len(), 1);
        assert_eq!(heart.breaths[0], 5 * S..15 * S);
    }

    #[test]
    fn a_skip_passes_over_what_it_jumped_and_the_record_keeps_the_beats() {
        let timeline = timeline();
        let mut heart = SessionHeart::new(&timeline, true);
        let start = 10 * S;
        beats(&mut heart, start, start + 35 * S);
        for t in 0..=30 {
            heart.follow(start + t * S, t * S, true);
        }
        // Skipped from 30 s to the second step (50 s) at monotonic 40 s.
        heart.follow(start + 30 * S + 1, 50 * S, true);
        for t in 31..=60 {
            heart.follow(start + t * S, (t + 20) * S, true);
        }
        assert_eq!(heart.breath_numbers, [0, 1, 2, 5, 6, 7]);
        let shown = heart.shown();
        assert_eq!(shown.link, HeartLink::Connected(String::new()));
        let swing = shown.swing.expect("a swing");
        assert!((swing - 15.0).abs() < 3.0, "60 to 75 a minute: {swing}");
        let summary = heart.summary().expect("a summary");
        assert_eq!(summary.dropped_beats, 0);
        assert!(summary.clean_beats >= 30, "{summary:?}");
        assert_eq!(
            heart.take_raw().len(),
            35,
            "every interval, for the raw file"
        );
        assert!(heart.take_raw().is_empty(), "taken once");
    }

    #[test]
    fn a_strap_that_sends_only_its_rate_keeps_its_mean_rate() {
        let mut heart = SessionHeart::new(&timeline(), false);
        assert_eq!(heart.summary(), None, "nothing came");
        for (n, rate) in [70u16, 72, 0, 74].into_iter().enumerate() {
            heart.take(HeartEvent::Beats {
                at: n as Micros * S,
                heart_rate: rate,
                contact: Contact::Unknown,
                rr_ms: Vec::new(),
            });
        }
        heart.take(HeartEvent::HeartRateOnly);
        let shown = heart.shown();
        assert!(shown.rate_only);
        assert_eq!(shown.heart_rate, Some(74.0));
        assert_eq!(shown.swing, None);
        let summary = heart.summary().expect("the rate it counted");
        assert_eq!(summary.mean_heart_rate, 72.0);
        assert_eq!((summary.mean_swing, summary.clean_beats), (None, 0));
    }

    #[test]
    fn lost_and_back_and_problems_are_followed() {
        let mut heart = SessionHeart::new(&timeline(), false);
        assert_eq!(heart.link(), &HeartLink::Waiting);
        heart.take(HeartEvent::Problem("Bluetooth is switched off.".into()));
        assert_eq!(
            heart.link(),
            &HeartLink::Problem("Bluetooth is switched off.".into())
        );
        heart.take(HeartEvent::Connected {
            name: "Polar H10".into(),
        });
        heart.take(HeartEvent::Problem("a measurement not read".into()));
        assert_eq!(heart.link(), &HeartLink::Connected("Polar H10".into()));
        heart.take(HeartEvent::Lost { why: "gone".into() });
        assert_eq!(heart.link(), &HeartLink::Lost);
        heart.take(HeartEvent::Back);
        assert_eq!(heart.link(), &HeartLink::Connected("Polar H10".into()));
    }
}
