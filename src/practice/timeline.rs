//! The timeline: every phase of a practice laid out in whole microseconds, so that any moment,
//! at one second or eight hours, is found by a binary search from absolute time and nothing drifts.

use super::model::{BreatheBlock, Pattern, Practice, Step};
use super::validate::{MIN_PHASE_SECONDS, Problem, Profile, validate};

/// Time on the timeline, in microseconds of breathing time since the practice began.
pub type Micros = u64;
pub const MICROS_PER_SECOND: Micros = 1_000_000;

/// Pattern durations are kept to 0.1 s; eased (ramped) durations to the millisecond.
const PATTERN_RESOLUTION: Micros = 100_000;
const RAMP_RESOLUTION: Micros = 1_000;

pub fn seconds_to_micros(seconds: f64) -> Micros {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * MICROS_PER_SECOND as f64).round() as Micros
    } else {
        0
    }
}

pub fn micros_to_seconds(micros: Micros) -> f64 {
    micros as f64 / MICROS_PER_SECOND as f64
}

fn quantize(seconds: f64, resolution: Micros) -> Micros {
    let micros = seconds_to_micros(seconds);
    (micros + resolution / 2) / resolution * resolution
}

/// What the person is doing right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Inhale,
    TopUp,
    HoldAfterInhale,
    Exhale,
    HoldAfterExhale,
    /// A prompt step: follow the instruction, breathe naturally.
    Prompt,
}

impl Phase {
    /// The words shown on screen (and spoken by the voice cues).
    pub fn label(self) -> &'static str {
        match self {
            Phase::Inhale => "Breathe in",
            Phase::TopUp => "Top up",
            Phase::HoldAfterInhale | Phase::HoldAfterExhale => "Hold",
            Phase::Exhale => "Breathe out",
            Phase::Prompt => "Rest",
        }
    }

    pub fn is_hold(self) -> bool {
        matches!(self, Phase::HoldAfterInhale | Phase::HoldAfterExhale)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Breathe,
    Prompt,
}

/// One contiguous stretch of the timeline: one phase of one breath, or a whole prompt.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segment {
    start: Micros,
    length: Micros,
    step: u32,
    phase: Phase,
    level_from: f32,
    level_to: f32,
    /// Breaths finished in the whole practice before this segment's breath began.
    breaths_before: u32,
}

impl Segment {
    fn end(&self) -> Micros {
        self.start + self.length
    }
}

/// Where one step sits on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepSpan {
    pub start: Micros,
    pub end: Micros,
    pub kind: StepKind,
    /// Breaths in this step (0 for a prompt).
    pub breaths: u32,
}

impl StepSpan {
    pub fn length(&self) -> Micros {
        self.end - self.start
    }
}

/// The phase that follows the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upcoming {
    pub phase: Phase,
    pub step_index: usize,
    pub starts_at: Micros,
}

/// Everything the screen, the sound and the record need to know about one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment {
    /// The queried time, clamped to the practice length.
    pub elapsed: Micros,
    pub step_index: usize,
    pub step_kind: StepKind,
    pub phase: Phase,
    /// How far into the phase, 0..1.
    pub phase_progress: f64,
    pub phase_remaining: Micros,
    /// How full the lungs are, 0 (empty) ..1 (full), eased like a real breath.
    pub level: f64,
    pub next: Option<Upcoming>,
    pub step_remaining: Micros,
    pub practice_remaining: Micros,
    pub breaths_completed: u32,
    pub finished: bool,
}

/// One phase of the breath level: from `from` at `start` to `to` at `end`, eased.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LevelSpan {
    pub start: Micros,
    pub end: Micros,
    pub from: f32,
    pub to: f32,
}

/// A sound-worthy instant: each phase start (the first phase of a step is a step start), and the
/// end. Times are strictly increasing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueEvent {
    pub at: Micros,
    pub kind: CueKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueKind {
    StepStart { step_index: usize, phase: Phase },
    PhaseStart { step_index: usize, phase: Phase },
    End,
}

/// A practice laid out in time. Built only from a practice that passes validation.
#[derive(Clone, Debug)]
pub struct Timeline {
    segments: Vec<Segment>,
    steps: Vec<StepSpan>,
    total: Micros,
    breaths_total: u32,
}

/// Top-up inhales fill the last fifth of the lungs.
const LEVEL_BEFORE_TOP_UP: f32 = 0.8;

impl Timeline {
    /// Lays out a practice; refuses one that does not pass (standard) validation.
    pub fn new(practice: &Practice) -> Result<Timeline, Vec<Problem>> {
        let problems = validate(practice, Profile::Standard);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self::lay_out(practice))
    }

    fn lay_out(practice: &Practice) -> Timeline {
        let mut builder = Builder::default();
        for (index, step) in practice.steps.iter().enumerate() {
            let start = builder.now;
            let breaths_before = builder.breaths;
            let kind = match step {
                Step::Breathe(block) => {
                    builder.breathe_block(index as u32, block);
                    StepKind::Breathe
                }
                Step::Prompt(prompt) => {
                    let length = quantize(prompt.seconds, PATTERN_RESOLUTION);
                    builder.push(index as u32, Phase::Prompt, length, 0.0, 0.0);
                    StepKind::Prompt
                }
            };
            builder.steps.push(StepSpan {
                start,
                end: builder.now,
                kind,
                breaths: builder.breaths - breaths_before,
            });
        }
        Timeline {
            segments: builder.segments,
            steps: builder.steps,
            total: builder.now,
            breaths_total: builder.breaths,
        }
    }

    /// Length of the whole practice.
    pub fn total(&self) -> Micros {
        self.total
    }

    /// Length of the breathing blocks alone (what `--minutes` sets).
    pub fn breathing_total(&self) -> Micros {
        self.steps
            .iter()
            .filter(|s| s.kind == StepKind::Breathe)
            .map(StepSpan::length)
            .sum()
    }

    pub fn breaths_total(&self) -> u32 {
        self.breaths_total
    }

    pub fn steps(&self) -> &[StepSpan] {
        &self.steps
    }

    /// Index of the segment playing at `t` (the last one once the practice is over).
    fn segment_index_at(&self, t: Micros) -> usize {
        self.segments
            .partition_point(|s| s.start <= t)
            .saturating_sub(1)
    }

    pub fn step_index_at(&self, t: Micros) -> usize {
        self.segments[self.segment_index_at(t)].step as usize
    }

    /// Breaths fully finished by time `t`.
    pub fn breaths_completed_at(&self, t: Micros) -> u32 {
        if t >= self.total {
            return self.breaths_total;
        }
        self.segments[self.segment_index_at(t)].breaths_before
    }

    /// Each breath's span, in order: from its inhale's start to the start of the next breath
    /// (its holds included). Prompts hold no breath.
    pub fn breath_spans(&self) -> Vec<std::ops::Range<Micros>> {
        let mut spans: Vec<std::ops::Range<Micros>> =
            Vec::with_capacity(self.breaths_total as usize);
        let mut current: Option<u32> = None;
        for segment in self.segments.iter().filter(|s| s.phase != Phase::Prompt) {
            match spans.last_mut() {
                Some(span) if current == Some(segment.breaths_before) => span.end = segment.end(),
                _ => spans.push(segment.start..segment.end()),
            }
            current = Some(segment.breaths_before);
        }
        spans
    }

    /// Where the step after the one playing at `t` begins (the end, for the last step).
    pub fn next_step_start(&self, t: Micros) -> Micros {
        if t >= self.total {
            return self.total;
        }
        self.steps[self.step_index_at(t)].end
    }

    pub fn moment_at(&self, t: Micros) -> Moment {
        let elapsed = t.min(self.total);
        let index = self.segment_index_at(elapsed);
        let segment = &self.segments[index];
        let step = &self.steps[segment.step as usize];
        let finished = elapsed >= self.total;
        let into = elapsed - segment.start;
        let phase_progress = if finished {
            1.0
        } else {
            into as f64 / segment.length as f64
        };
        let level = ease(segment.level_from, segment.level_to, phase_progress);
        let next = self.segments.get(index + 1).map(|n| Upcoming {
            phase: n.phase,
            step_index: n.step as usize,
            starts_at: n.start,
        });
        Moment {
            elapsed,
            step_index: segment.step as usize,
            step_kind: step.kind,
            phase: segment.phase,
            phase_progress,
            phase_remaining: segment.end() - elapsed,
            level,
            next,
            step_remaining: step.end - elapsed,
            practice_remaining: self.total - elapsed,
            breaths_completed: self.breaths_completed_at(elapsed),
            finished,
        }
    }

    /// The breath level's course: each phase's start, end, and the levels it eases between.
    pub fn level_course(&self) -> impl Iterator<Item = LevelSpan> + '_ {
        self.segments.iter().map(|s| LevelSpan {
            start: s.start,
            end: s.end(),
            from: s.level_from,
            to: s.level_to,
        })
    }

    /// Every cue in order: phase starts (a step's first phase is its step start) and the end.
    pub fn cue_events(&self) -> Vec<CueEvent> {
        let mut events = Vec::with_capacity(self.segments.len() + 1);
        let mut previous_step = None;
        for segment in &self.segments {
            let step_index = segment.step as usize;
            let kind = if previous_step != Some(segment.step) {
                CueKind::StepStart {
                    step_index,
                    phase: segment.phase,
                }
            } else {
                CueKind::PhaseStart {
                    step_index,
                    phase: segment.phase,
                }
            };
            previous_step = Some(segment.step);
            events.push(CueEvent {
                at: segment.start,
                kind,
            });
        }
        events.push(CueEvent {
            at: self.total,
            kind: CueKind::End,
        });
        events
    }
}

/// A breath's motion: slow at the turns, quicker in the middle, like lungs filling and emptying.
pub fn ease(from: f32, to: f32, progress: f64) -> f64 {
    let p = progress.clamp(0.0, 1.0);
    let shaped = (1.0 - (std::f64::consts::PI * p).cos()) / 2.0;
    let level = from as f64 + (to as f64 - from as f64) * shaped;
    level.clamp(0.0, 1.0)
}

#[derive(Default)]
struct Builder {
    segments: Vec<Segment>,
    steps: Vec<StepSpan>,
    now: Micros,
    breaths: u32,
}

/// One breath's phases in microseconds.
#[derive(Clone, Copy)]
struct BreathPlan {
    inhale: Micros,
    top_up: Micros,
    hold_after_inhale: Micros,
    exhale: Micros,
    hold_after_exhale: Micros,
}

impl BreathPlan {
    fn of(pattern: &Pattern, resolution: Micros) -> Self {
        // A hold or top-up eased in from none starts once it is long enough to be a phase, not
        // as a flicker of a few milliseconds.
        let optional = |seconds: f64| {
            if seconds < MIN_PHASE_SECONDS {
                0
            } else {
                quantize(seconds, resolution)
            }
        };
        BreathPlan {
            inhale: quantize(pattern.inhale, resolution),
            top_up: optional(pattern.top_up),
            hold_after_inhale: optional(pattern.hold_after_inhale),
            exhale: quantize(pattern.exhale, resolution),
            hold_after_exhale: optional(pattern.hold_after_exhale),
        }
    }

    fn length(&self) -> Micros {
        self.inhale + self.top_up + self.hold_after_inhale + self.exhale + self.hold_after_exhale
    }
}

impl Builder {
    fn push(&mut self, step: u32, phase: Phase, length: Micros, from: f32, to: f32) {
        if length == 0 {
            return;
        }
        self.segments.push(Segment {
            start: self.now,
            length,
            step,
            phase,
            level_from: from,
            level_to: to,
            breaths_before: self.breaths,
        });
        self.now += length;
    }

    fn breath(&mut self, step: u32, plan: BreathPlan) {
        let top = if plan.top_up > 0 {
            LEVEL_BEFORE_TOP_UP
        } else {
            1.0
        };
        self.push(step, Phase::Inhale, plan.inhale, 0.0, top);
        self.push(step, Phase::TopUp, plan.top_up, top, 1.0);
        self.push(
            step,
            Phase::HoldAfterInhale,
            plan.hold_after_inhale,
            1.0,
            1.0,
        );
        self.push(step, Phase::Exhale, plan.exhale, 1.0, 0.0);
        self.push(
            step,
            Phase::HoldAfterExhale,
            plan.hold_after_exhale,
            0.0,
            0.0,
        );
        self.breaths += 1;
    }

    fn breathe_block(&mut self, step: u32, block: &BreatheBlock) {
        let plan_for = |fraction: f64| match &block.ramp_to {
            Some(target) => BreathPlan::of(&block.pattern.lerp(target, fraction), RAMP_RESOLUTION),
            None => BreathPlan::of(&block.pattern, PATTERN_RESOLUTION),
        };
        let count = match block.breaths {
            Some(count) => count.max(1),
            None => breaths_for_minutes(block.minutes.unwrap_or(0.0), &plan_for),
        };
        // A ramp eases breath by breath: the first pattern on the first breath, the target on
        // the last.
        for i in 0..count {
            let fraction = if count > 1 {
                i as f64 / (count - 1) as f64
            } else {
                0.0
            };
            self.breath(step, plan_for(fraction));
        }
    }
}

/// Minute blocks end on a whole breath: the count whose total lies nearest the planned length,
/// at least one. Breath lengths change linearly from first to last, so the total of `n` breaths
/// is `n` times the mean of the first and the last.
fn breaths_for_minutes(minutes: f64, plan_for: &impl Fn(f64) -> BreathPlan) -> u32 {
    let planned = seconds_to_micros(minutes * 60.0) as f64;
    let mean = (plan_for(0.0).length() + plan_for(1.0).length()) as f64 / 2.0;
    (planned / mean.max(1.0))
        .round()
        .clamp(1.0, u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::model::{PromptStep, Step};

    fn minutes_practice(pattern: Pattern, minutes: f64) -> Practice {
        Practice::new(
            "test",
            vec![Step::Breathe(BreatheBlock::minutes(pattern, minutes))],
        )
    }

    fn timeline(practice: &Practice) -> Timeline {
        Timeline::new(practice).expect("valid practice")
    }

    #[test]
    fn a_four_six_breath_walks_through_its_phases() {
        let t = timeline(&minutes_practice(Pattern::in_out(4.0, 6.0), 1.0));
        assert_eq!(t.total(), 60 * MICROS_PER_SECOND);
        assert_eq!(t.breaths_total(), 6);
        let start = t.moment_at(0);
        assert_eq!(start.phase, Phase::Inhale);
        assert_eq!(start.level, 0.0);
        let mid_inhale = t.moment_at(2 * MICROS_PER_SECOND);
        assert!((mid_inhale.level - 0.5).abs() < 1e-9);
        assert!((mid_inhale.phase_progress - 0.5).abs() < 1e-9);
        assert_eq!(mid_inhale.phase_remaining, 2 * MICROS_PER_SECOND);
        let exhale = t.moment_at(5 * MICROS_PER_SECOND);
        assert_eq!(exhale.phase, Phase::Exhale);
        assert_eq!(
            exhale.next.map(|n| (n.phase, n.starts_at)),
            Some((Phase::Inhale, 10 * MICROS_PER_SECOND))
        );
        assert_eq!(t.moment_at(10 * MICROS_PER_SECOND).breaths_completed, 1);
        let end = t.moment_at(61 * MICROS_PER_SECOND);
        assert!(end.finished);
        assert_eq!(end.breaths_completed, 6);
        assert_eq!(end.practice_remaining, 0);
    }

    #[test]
    fn eight_hours_in_is_as_exact_as_one_second_in() {
        // 8 h is over the 3 h limit for a practice, so lay it out directly.
        let long = minutes_practice(Pattern::in_out(4.1, 6.3), 8.0 * 60.0 + 1.0);
        let t = Timeline::lay_out(&long);
        let cycle = 10_400_000;
        let eight_hours = 8 * 3600 * MICROS_PER_SECOND;
        let breath_start = eight_hours / cycle * cycle;
        let m = t.moment_at(breath_start + 4_100_000 + 1);
        assert_eq!(m.phase, Phase::Exhale);
        assert_eq!(m.phase_remaining, 6_300_000 - 1);
        assert_eq!(m.breaths_completed as u64, breath_start / cycle);
    }

    #[test]
    fn minute_blocks_round_to_the_nearest_whole_breath() {
        // 1 minute of 4-7 (11 s): 5 breaths = 55 s, 6 = 66 s; 55 is nearer.
        let t = timeline(&minutes_practice(Pattern::in_out(4.0, 7.0), 1.0));
        assert_eq!(t.breaths_total(), 5);
        assert_eq!(t.total(), 55 * MICROS_PER_SECOND);
        // 1 minute of 4-4.6 (8.6 s): 7 breaths = 60.2 s is nearer than 6 = 51.6 s.
        let t = timeline(&minutes_practice(Pattern::in_out(4.0, 4.6), 1.0));
        assert_eq!(t.breaths_total(), 7);
        assert_eq!(t.total(), 60_200_000);
    }

    #[test]
    fn a_ramp_lengthens_the_exhale_gradually_and_reaches_its_target() {
        let block = BreatheBlock::minutes(Pattern::in_out(4.0, 4.0), 5.0)
            .ramping_to(Pattern::in_out(4.0, 8.0));
        let t = timeline(&Practice::new("ramp", vec![Step::Breathe(block)]));
        let exhales: Vec<Micros> = t
            .segments
            .iter()
            .filter(|s| s.phase == Phase::Exhale)
            .map(|s| s.length)
            .collect();
        assert_eq!(exhales.first(), Some(&4_000_000));
        assert_eq!(exhales.last(), Some(&8_000_000));
        assert!(exhales.windows(2).all(|w| w[1] >= w[0]));
        let biggest_jump = exhales.windows(2).map(|w| w[1] - w[0]).max();
        assert!(biggest_jump < Some(300_000), "jump {biggest_jump:?}");
        let total = t.total() as f64 / 1e6;
        assert!((total - 300.0).abs() < 8.0, "ramp block lasts {total} s");
    }

    #[test]
    fn phases_add_up_to_the_block_to_the_microsecond() {
        let block = BreatheBlock::minutes(Pattern::in_out(4.0, 4.0), 20.0)
            .ramping_to(Pattern::in_out(4.3, 7.7));
        let t = timeline(&Practice::new("ramp", vec![Step::Breathe(block)]));
        let sum: Micros = t.segments.iter().map(|s| s.length).sum();
        assert_eq!(sum, t.total());
        assert_eq!(t.steps()[0].length(), t.total());
    }

    #[test]
    fn cyclic_sighing_tops_up_then_breathes_out_long() {
        let sigh = Pattern {
            top_up: 1.0,
            ..Pattern::in_out(3.0, 8.0)
        };
        let t = timeline(&Practice::new(
            "sigh",
            vec![Step::Breathe(BreatheBlock::breaths(sigh, 2))],
        ));
        let phases: Vec<Phase> = t.cue_events().iter().filter_map(phase_of).collect();
        assert_eq!(
            phases,
            [
                Phase::Inhale,
                Phase::TopUp,
                Phase::Exhale,
                Phase::Inhale,
                Phase::TopUp,
                Phase::Exhale
            ]
        );
        let before_top_up = t.moment_at(3 * MICROS_PER_SECOND);
        assert_eq!(before_top_up.phase, Phase::TopUp);
        assert!((before_top_up.level - 0.8).abs() < 1e-6);
    }

    fn phase_of(event: &CueEvent) -> Option<Phase> {
        match event.kind {
            CueKind::StepStart { phase, .. } | CueKind::PhaseStart { phase, .. } => Some(phase),
            CueKind::End => None,
        }
    }

    #[test]
    fn a_ritual_names_its_steps_and_what_comes_next() {
        let ritual = Practice::new(
            "ritual",
            vec![
                Step::Prompt(PromptStep {
                    text: "Let your shoulders drop.".into(),
                    seconds: 30.0,
                }),
                Step::Breathe(BreatheBlock::breaths(Pattern::in_out(4.0, 6.0), 3)),
                Step::Prompt(PromptStep {
                    text: "Stand and walk across the room.".into(),
                    seconds: 60.0,
                }),
            ],
        );
        let t = timeline(&ritual);
        assert_eq!(t.total(), 120 * MICROS_PER_SECOND);
        assert_eq!(t.breathing_total(), 30 * MICROS_PER_SECOND);
        let prompt = t.moment_at(10 * MICROS_PER_SECOND);
        assert_eq!(prompt.step_kind, StepKind::Prompt);
        assert_eq!(prompt.step_remaining, 20 * MICROS_PER_SECOND);
        assert_eq!(
            prompt.next,
            Some(Upcoming {
                phase: Phase::Inhale,
                step_index: 1,
                starts_at: 30 * MICROS_PER_SECOND
            })
        );
        assert_eq!(
            t.next_step_start(10 * MICROS_PER_SECOND),
            30 * MICROS_PER_SECOND
        );
        let events = t.cue_events();
        assert_eq!(
            events.first().map(|e| e.kind),
            Some(CueKind::StepStart {
                step_index: 0,
                phase: Phase::Prompt
            })
        );
        assert_eq!(
            events.last(),
            Some(&CueEvent {
                at: 120 * MICROS_PER_SECOND,
                kind: CueKind::End
            })
        );
        let step_starts = events
            .iter()
            .filter(|e| matches!(e.kind, CueKind::StepStart { .. }))
            .count();
        assert_eq!(step_starts, 3);
    }

    #[test]
    fn breath_spans_run_from_each_inhale_to_the_next_and_skip_prompts() {
        let held = Pattern {
            hold_after_exhale: 2.0,
            ..Pattern::in_out(4.0, 6.0)
        };
        let t = timeline(&Practice::new(
            "spans",
            vec![
                Step::Breathe(BreatheBlock::breaths(held, 2)),
                Step::Prompt(PromptStep {
                    text: "Rest.".into(),
                    seconds: 5.0,
                }),
                Step::Breathe(BreatheBlock::breaths(Pattern::in_out(4.0, 6.0), 1)),
            ],
        ));
        assert_eq!(
            t.breath_spans(),
            [
                0..12_000_000,
                12_000_000..24_000_000,
                29_000_000..39_000_000
            ]
        );
        assert_eq!(t.breath_spans().len() as u32, t.breaths_total());
    }

    #[test]
    fn an_invalid_practice_gets_no_timeline() {
        let bad = minutes_practice(Pattern::in_out(4.0, f64::NAN), 1.0);
        assert!(Timeline::new(&bad).is_err());
        assert!(Timeline::new(&Practice::new("empty", vec![])).is_err());
    }

    #[test]
    fn a_top_up_eased_in_from_none_appears_only_once_it_is_a_real_phase() {
        let with_top_up = Pattern {
            top_up: 1.0,
            ..Pattern::in_out(4.0, 6.0)
        };
        let block = BreatheBlock::breaths(Pattern::in_out(4.0, 6.0), 11).ramping_to(with_top_up);
        let t = timeline(&Practice::new("ramp", vec![Step::Breathe(block)]));
        let top_ups: Vec<Micros> = t
            .segments
            .iter()
            .filter(|s| s.phase == Phase::TopUp)
            .map(|s| s.length)
            .collect();
        // Breath i has i/10 s of top-up: the first five (under 0.5 s) have none.
        assert_eq!(
            top_ups,
            [500_000, 600_000, 700_000, 800_000, 900_000, 1_000_000]
        );
    }
}
