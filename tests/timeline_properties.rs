//! Properties of the timeline that must hold for every valid practice, not just the built-ins.

use downshift::practice::{
    BreatheBlock, CueKind, MICROS_PER_SECOND, Micros, Pattern, Phase, Practice, PromptStep,
    SessionClock, Step, Timeline,
};
use proptest::prelude::*;

/// Seconds with 0.1 s resolution in `low..=high`.
fn tenths(low: u32, high: u32) -> impl Strategy<Value = f64> {
    (low..=high).prop_map(|t| t as f64 / 10.0)
}

fn optional_phase() -> impl Strategy<Value = f64> {
    prop_oneof![2 => Just(0.0), 1 => tenths(5, 100)]
}

fn pattern() -> impl Strategy<Value = Pattern> {
    (
        tenths(5, 120),
        optional_phase(),
        optional_phase(),
        tenths(5, 160),
        optional_phase(),
    )
        .prop_map(
            |(inhale, top_up, hold_after_inhale, exhale, hold_after_exhale)| Pattern {
                inhale,
                top_up,
                hold_after_inhale,
                exhale,
                hold_after_exhale,
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    let prompt = tenths(10, 1200).prop_map(|seconds| {
        Step::Prompt(PromptStep {
            text: "Let your shoulders drop.".into(),
            seconds,
        })
    });
    let length = prop_oneof![
        (1u32..=80).prop_map(|tenth_minutes| (Some(tenth_minutes as f64 / 10.0), None)),
        (1u32..=30).prop_map(|breaths| (None, Some(breaths))),
    ];
    let breathe = (pattern(), proptest::option::of(pattern()), length).prop_map(
        |(pattern, ramp_to, (minutes, breaths))| {
            Step::Breathe(BreatheBlock {
                pattern,
                ramp_to,
                minutes,
                breaths,
            })
        },
    );
    prop_oneof![1 => prompt, 3 => breathe]
}

fn practice() -> impl Strategy<Value = Practice> {
    proptest::collection::vec(step(), 1..6).prop_map(|steps| Practice::new("random", steps))
}

fn phase_of(kind: CueKind) -> Option<Phase> {
    match kind {
        CueKind::StepStart { phase, .. } | CueKind::PhaseStart { phase, .. } => Some(phase),
        CueKind::End => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn phases_tile_the_timeline_without_gaps_or_overlaps(practice in practice()) {
        let timeline = Timeline::new(&practice).expect("valid by construction");
        let events = timeline.cue_events();
        prop_assert_eq!(events.first().map(|e| e.at), Some(0));
        prop_assert_eq!(events.last().map(|e| (e.at, e.kind)), Some((timeline.total(), CueKind::End)));
        for pair in events.windows(2) {
            // Strictly increasing: every phase has a length.
            prop_assert!(pair[0].at < pair[1].at, "{:?}", pair);
            let phase = phase_of(pair[0].kind).expect("only the last event is the end");
            // The phase begins exactly at its cue, and lasts until the next one.
            let start = timeline.moment_at(pair[0].at);
            prop_assert_eq!(start.phase, phase);
            prop_assert_eq!(start.phase_progress, 0.0);
            prop_assert_eq!(start.phase_remaining, pair[1].at - pair[0].at);
            let last_instant = timeline.moment_at(pair[1].at - 1);
            prop_assert_eq!(last_instant.phase, phase);
            prop_assert_eq!(last_instant.phase_remaining, 1);
        }
        let steps = timeline.steps();
        prop_assert_eq!(steps.len(), practice.steps.len());
        prop_assert_eq!(steps[0].start, 0);
        for pair in steps.windows(2) {
            prop_assert_eq!(pair[0].end, pair[1].start);
        }
        prop_assert_eq!(steps.last().map(|s| s.end), Some(timeline.total()));
    }

    #[test]
    fn levels_stay_in_range_and_move_continuously(practice in practice(), samples in proptest::collection::vec(0.0f64..1.0, 50)) {
        let timeline = Timeline::new(&practice).expect("valid");
        let total = timeline.total();
        // The steepest an eased level can move: pi/2 of its range over the shortest phase (0.5 s).
        let max_change_per_milli = std::f64::consts::FRAC_PI_2 / 500.0 + 1e-9;
        let mut instants: Vec<Micros> = samples.iter().map(|f| (f * total as f64) as Micros).collect();
        // Both sides of every phase boundary, where a jump would show.
        instants.extend(timeline.cue_events().iter().map(|e| e.at.saturating_sub(1_000)));
        for t in instants {
            let now = timeline.moment_at(t);
            let later = timeline.moment_at(t + 1_000);
            prop_assert!((0.0..=1.0).contains(&now.level), "level {} at {t}", now.level);
            let change = (later.level - now.level).abs();
            prop_assert!(change <= max_change_per_milli, "level jumps by {change} at {t} µs");
        }
    }

    #[test]
    fn pausing_never_changes_what_happens_at_a_breathing_time(
        practice in practice(),
        pauses in proptest::collection::vec((1u64..600, 1u64..3_600), 0..5),
        query in 0.0f64..1.2,
    ) {
        let timeline = Timeline::new(&practice).expect("valid");
        let start = 5_000 * MICROS_PER_SECOND;
        let mut clock = SessionClock::start(&timeline, start);
        let mut now = start;
        let mut paused_total = 0;
        for (run, pause) in &pauses {
            now += run * MICROS_PER_SECOND;
            clock.pause(now);
            now += pause * MICROS_PER_SECOND;
            paused_total += pause * MICROS_PER_SECOND;
            clock.resume(now);
        }
        let later = now + (query * timeline.total() as f64) as Micros;
        let breathing_time = (later - start - paused_total).min(timeline.total());
        prop_assert_eq!(clock.position(later), breathing_time);
        prop_assert_eq!(timeline.moment_at(clock.position(later)), timeline.moment_at(breathing_time));
        prop_assert_eq!(clock.paused_time(later), paused_total);
    }
}

#[test]
fn block_length_is_the_sum_of_its_phases_even_over_three_hours() {
    let block = BreatheBlock::minutes(Pattern::in_out(4.3, 6.7), 179.0)
        .ramping_to(Pattern::in_out(4.1, 8.9));
    let timeline =
        Timeline::new(&Practice::new("long", vec![Step::Breathe(block)])).expect("valid");
    let events = timeline.cue_events();
    let summed: Micros = events.windows(2).map(|p| p[1].at - p[0].at).sum();
    assert_eq!(summed, timeline.total());
    let m = timeline.moment_at(timeline.total() - 1);
    assert_eq!(m.phase, Phase::Exhale);
    assert_eq!(m.practice_remaining, 1);
}
