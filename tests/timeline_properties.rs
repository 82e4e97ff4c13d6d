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
            let held = clock.position(now);
            now += pause * MICROS_PER_SECOND;
            paused_total += pause * MICROS_PER_SECOND;
            prop_assert_eq!(clock.position(now), held, "the session stands still while paused");
            clock.resume(now);
        }
        let later = now + (query * timeline.total() as f64) as Micros;
        let breathing_time = (later - start - paused_total).min(timeline.total());
        prop_assert_eq!(clock.position(later), breathing_time);
        prop_assert_eq!(clock.paused_time(later), paused_total);
        // What the record says: the breathing and the pauses apart, and how it ended.
        let outcome = clock.end(&timeline, later);
        prop_assert_eq!(outcome.practised, breathing_time);
        prop_assert_eq!(outcome.paused, paused_total);
        prop_assert_eq!(outcome.completed, breathing_time == timeline.total());
        prop_assert_eq!(outcome.breaths, timeline.breaths_completed_at(breathing_time));
    }
}

/// Over three hours a ramp's breaths lengthen one by one, each phase lasting what the ramp
/// says at that breath (to the millisecond), with nothing accumulated or lost on the way.
#[test]
fn every_phase_of_a_three_hour_ramp_lasts_what_the_ramp_says_at_its_breath() {
    let (from, to) = (Pattern::in_out(4.3, 6.7), Pattern::in_out(4.1, 8.9));
    let block = BreatheBlock::minutes(from, 179.0).ramping_to(to);
    let timeline =
        Timeline::new(&Practice::new("long", vec![Step::Breathe(block)])).expect("valid");
    // Breaths lengthen evenly from 11 s to 13 s: 179 minutes hold 10,740 s / 12 s = 895 of them.
    let breaths = 895;
    assert_eq!(timeline.breaths_total(), breaths);
    let events = timeline.cue_events();
    assert_eq!(
        events.len(),
        2 * breaths as usize + 1,
        "an inhale and an exhale a breath"
    );
    // The ideal length of a phase at breath `n`, in µs; the timeline keeps ramps to the ms.
    let ideal = |first: f64, last: f64, n: usize| {
        let fraction = n as f64 / (breaths - 1) as f64;
        (first + (last - first) * fraction) * MICROS_PER_SECOND as f64
    };
    // Where the ideal ramp puts the phase now starting; rounding each phase to the ms may move
    // a cue by a fraction of a ms, never add up to a drift the ear could hear.
    let mut ideal_start = 0.0;
    for (n, breath) in events[..events.len() - 1].chunks(2).enumerate() {
        let exhale_end = events[2 * n + 2].at;
        let (inhale, exhale) = (breath[0].at, breath[1].at);
        for (phase, start, end, ideal) in [
            (
                Phase::Inhale,
                inhale,
                exhale,
                ideal(from.inhale, to.inhale, n),
            ),
            (
                Phase::Exhale,
                exhale,
                exhale_end,
                ideal(from.exhale, to.exhale, n),
            ),
        ] {
            assert_eq!(timeline.moment_at(start).phase, phase, "breath {n}");
            let length = (end - start) as f64;
            assert!(
                (length - ideal).abs() <= 500.0,
                "breath {n}: {phase:?} lasts {length} µs, the ramp says {ideal}"
            );
            let drift = start as f64 - ideal_start;
            assert!(
                drift.abs() <= 2_000.0,
                "breath {n}: {phase:?} starts {drift} µs from the ideal ramp's place"
            );
            ideal_start += ideal;
        }
    }
    let drift = timeline.total() as f64 - ideal_start;
    assert!(drift.abs() <= 2_000.0, "the end drifted by {drift} µs");
    let m = timeline.moment_at(timeline.total() - 1);
    assert_eq!(m.phase, Phase::Exhale);
    assert_eq!(m.practice_remaining, 1);
}
