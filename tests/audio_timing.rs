//! Cues land on the sample the timeline names: the cue track rendered offline, with no device,
//! over a whole 20-minute practice, and through a pause.

use std::num::NonZero;
use std::sync::Arc;

use downshift::audio::{CueSource, CueTrack, SessionControl, SoundBank, schedule};
use downshift::practice::{CueKind, CueSet, Timeline};
use downshift::store::Library;

const RATE: u32 = 48_000;

/// Where each cue's sound should begin: the timeline's microseconds as frames, worked out here
/// independently of the app's own conversion.
fn planned_frames(timeline: &Timeline) -> Vec<u64> {
    timeline
        .cue_events()
        .iter()
        .map(|e| (e.at as f64 * RATE as f64 / 1e6).round() as u64)
        .collect()
}

/// Frames where sound starts after silence.
fn onsets(samples: &[f32]) -> Vec<u64> {
    let mut found = Vec::new();
    let mut previous = 0.0f32;
    for (i, &s) in samples.iter().enumerate() {
        if s != 0.0 && previous == 0.0 {
            found.push(i as u64);
        }
        previous = s;
    }
    found
}

fn night_3_7() -> Timeline {
    let library = Library::built_in();
    let practice = &library.find("Night 3-7").expect("built in").practice;
    Timeline::new(practice).expect("valid")
}

#[test]
fn every_cue_of_a_twenty_minute_practice_starts_on_its_planned_sample() {
    let timeline = night_3_7();
    assert_eq!(timeline.total(), 20 * 60 * 1_000_000);
    // Every sound is a short click, so each cue's first sample is plain to see.
    let bank = SoundBank::clicks(RATE);
    let mut track = CueTrack::new(
        schedule(&timeline.cue_events(), RATE, CueSet::Tones, 1.0),
        &bank,
    );
    let frames = planned_frames(&timeline);
    let length = *frames.last().expect("an end") as usize + RATE as usize;
    let rendered: Vec<f32> = (0..length).map(|_| track.next_frame(true)).collect();
    let heard = onsets(&rendered);
    assert_eq!(heard.len(), frames.len(), "one onset per cue");
    let worst = heard
        .iter()
        .zip(&frames)
        .map(|(h, p)| h.abs_diff(*p))
        .max()
        .unwrap_or(0);
    assert!(worst <= 1, "a cue is {worst} samples off its plan");
    // 120 breaths of in and out, then the closing bell at exactly 20 minutes.
    assert_eq!(heard.len(), 241);
    assert_eq!(heard.last(), Some(&(20 * 60 * RATE as u64)));
}

#[test]
fn the_stream_keeps_going_through_a_pause_and_cues_resume_shifted_by_it() {
    let timeline = night_3_7();
    let events = timeline.cue_events();
    assert!(matches!(events[0].kind, CueKind::StepStart { .. }));
    let bank = SoundBank::clicks(RATE);
    let track = CueTrack::new(schedule(&events, RATE, CueSet::Tones, 1.0), &bank);
    let control = Arc::new(SessionControl::new(1.0, false));
    let channels = NonZero::new(2).expect("two channels");
    let mut source = CueSource::new(track, Arc::clone(&control), channels);
    let mut left = Vec::new();
    let render = |source: &mut CueSource, frames: usize, out: &mut Vec<f32>| {
        for _ in 0..frames {
            let l = source.next().expect("the stream never runs dry");
            let r = source.next().expect("the stream never runs dry");
            assert_eq!(l, r, "both channels carry the cue");
            out.push(l);
        }
    };
    // 12.5 s in (during the second breath's exhale), pause for 7 s, then 30 s more.
    let before = 12 * RATE as usize + RATE as usize / 2;
    let paused = 7 * RATE as usize;
    render(&mut source, before, &mut left);
    control.set_paused(true);
    render(&mut source, paused, &mut left);
    assert_eq!(
        control.position(),
        before as u64,
        "time stood still while paused"
    );
    control.set_paused(false);
    render(&mut source, 30 * RATE as usize, &mut left);
    assert_eq!(
        left.len(),
        before + paused + 30 * RATE as usize,
        "the stream kept going"
    );

    let planned = planned_frames(&timeline);
    let expected: Vec<u64> = planned
        .iter()
        .filter(|&&f| f < (before + 30 * RATE as usize) as u64)
        .map(|&f| {
            if f < before as u64 {
                f
            } else {
                f + paused as u64
            }
        })
        .collect();
    assert_eq!(onsets(&left), expected);
}
