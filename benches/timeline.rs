//! What a timeline query and a cue list cost: the screen asks `moment_at` every frame and the
//! audio schedule is built once per session.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use downshift::practice::{
    BreatheBlock, MICROS_PER_SECOND, Pattern, Practice, PromptStep, Step, Timeline,
};

/// A 3-hour ritual: prompts between ramping 10-minute breathing blocks.
fn three_hour_ritual() -> Practice {
    let mut steps = Vec::new();
    for i in 0..17 {
        steps.push(Step::Prompt(PromptStep {
            text: "Let your shoulders drop.".into(),
            seconds: 30.0,
        }));
        let exhale = 6.0 + (i % 3) as f64;
        steps.push(Step::Breathe(
            BreatheBlock::minutes(Pattern::in_out(4.0, exhale), 10.0)
                .ramping_to(Pattern::in_out(4.0, exhale + 1.5)),
        ));
    }
    Practice::new("Three hours", steps)
}

fn timeline_benches(c: &mut Criterion) {
    let practice = three_hour_ritual();
    let timeline = Timeline::new(&practice).expect("valid");
    assert!(timeline.total() > 2 * 3600 * MICROS_PER_SECOND);
    let total = timeline.total();
    // A spread of instants across the whole practice, visited in a scrambled order.
    let instants: Vec<u64> = (0..1024u64)
        .map(|i| (i.wrapping_mul(2_654_435_761) % 1024) * (total / 1024))
        .collect();
    let mut next = 0;
    c.bench_function("moment_at (3-hour ritual)", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(timeline.moment_at(black_box(instants[next])))
        })
    });
    c.bench_function("cue_events (3-hour ritual)", |b| {
        b.iter(|| black_box(timeline.cue_events()))
    });
    c.bench_function("Timeline::new (3-hour ritual)", |b| {
        b.iter(|| black_box(Timeline::new(black_box(&practice))))
    });
}

criterion_group!(benches, timeline_benches);
criterion_main!(benches);
