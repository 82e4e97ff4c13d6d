//! The cue track: every cue of a practice placed on the sample the timeline names, and a mixer
//! that renders it frame by frame without allocating, locking or touching files.

use std::sync::Arc;

use crate::practice::{
    CueEvent, CueKind, CueSet, LevelSpan, MICROS_PER_SECOND, Micros, Phase, ease,
};

use super::sounds::{SoundBank, SoundId};

/// The timeline position (µs) as a frame number at `sample_rate`, exactly, rounding to nearest.
pub fn micros_to_frame(micros: Micros, sample_rate: u32) -> u64 {
    let scaled = micros as u128 * sample_rate as u128;
    ((scaled + MICROS_PER_SECOND as u128 / 2) / MICROS_PER_SECOND as u128) as u64
}

/// A frame number back to timeline microseconds.
pub fn frame_to_micros(frame: u64, sample_rate: u32) -> Micros {
    (frame as u128 * MICROS_PER_SECOND as u128 / sample_rate.max(1) as u128) as Micros
}

/// One sound starting at one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScheduledCue {
    pub frame: u64,
    pub sound: SoundId,
    pub gain: f32,
}

fn phase_sound(phase: Phase, set: CueSet) -> Option<SoundId> {
    Some(match (set, phase) {
        (_, Phase::Prompt) => return None,
        (CueSet::Tones, Phase::Inhale) => SoundId::Inhale,
        (CueSet::Tones, Phase::TopUp) => SoundId::TopUp,
        (CueSet::Tones, Phase::HoldAfterInhale | Phase::HoldAfterExhale) => SoundId::Hold,
        (CueSet::Tones, Phase::Exhale) => SoundId::Exhale,
        (CueSet::Voice, Phase::Inhale) => SoundId::VoiceInhale,
        (CueSet::Voice, Phase::TopUp) => SoundId::VoiceTopUp,
        (CueSet::Voice, Phase::HoldAfterInhale | Phase::HoldAfterExhale) => SoundId::VoiceHold,
        (CueSet::Voice, Phase::Exhale) => SoundId::VoiceExhale,
    })
}

/// Chimes and bells sit a little under the breath cues so they never startle.
const CHIME_GAIN: f32 = 0.6;

/// The sounds for a practice's cue events, in order, on exact frames, at `gain`.
pub fn schedule(
    events: &[CueEvent],
    sample_rate: u32,
    set: CueSet,
    gain: f32,
) -> Vec<ScheduledCue> {
    let mut cues = Vec::with_capacity(events.len() + 8);
    for event in events {
        let frame = micros_to_frame(event.at, sample_rate);
        let mut push = |sound, level: f32| {
            cues.push(ScheduledCue {
                frame,
                sound,
                gain: level * gain,
            })
        };
        match event.kind {
            CueKind::StepStart { step_index, phase } => {
                if step_index > 0 {
                    push(SoundId::Chime, CHIME_GAIN);
                }
                if phase == Phase::Prompt && set == CueSet::Voice && step_index > 0 {
                    push(SoundId::VoiceNext, 1.0);
                }
                if let Some(sound) = phase_sound(phase, set) {
                    push(sound, 1.0);
                }
            }
            CueKind::PhaseStart { phase, .. } => {
                if let Some(sound) = phase_sound(phase, set) {
                    push(sound, 1.0);
                }
            }
            CueKind::End => {
                push(SoundId::Bell, CHIME_GAIN);
                if set == CueSet::Voice {
                    push(SoundId::VoiceEnd, 1.0);
                }
            }
        }
    }
    cues
}

#[derive(Clone, Copy, Debug)]
struct Voice {
    sound: usize,
    offset: usize,
    gain: f32,
}

const MAX_VOICES: usize = 8;

/// One phase of the breath level on frames.
#[derive(Clone, Copy, Debug)]
struct LevelFrames {
    start: u64,
    end: u64,
    from: f32,
    to: f32,
}

/// A soft, low, continuous tone that rises and swells as the lungs fill and sinks as they empty.
struct BreathTone {
    course: Arc<[LevelFrames]>,
    cursor: usize,
    phase: f32,
    gain: f32,
    /// Follows 1 while breathing, 0 while paused, smoothly.
    presence: f32,
}

impl BreathTone {
    const LOW_HZ: f32 = 110.0;
    const HIGH_HZ: f32 = 146.83;

    fn level_at(&mut self, frame: u64) -> f32 {
        while let Some(span) = self.course.get(self.cursor) {
            if frame < span.end {
                break;
            }
            self.cursor += 1;
        }
        match self.course.get(self.cursor) {
            Some(span) if frame >= span.start => {
                let progress = (frame - span.start) as f64 / (span.end - span.start).max(1) as f64;
                ease(span.from, span.to, progress) as f32
            }
            _ => 0.0,
        }
    }

    fn seek(&mut self, frame: u64) {
        self.cursor = self.course.partition_point(|s| s.end <= frame);
    }

    fn next(&mut self, frame: u64, running: bool, sample_rate: u32) -> f32 {
        let target = if running { 1.0 } else { 0.0 };
        self.presence += (target - self.presence) * 0.0005;
        if self.presence < 1e-4 && !running {
            return 0.0;
        }
        let level = self.level_at(frame);
        let hz = Self::LOW_HZ + (Self::HIGH_HZ - Self::LOW_HZ) * level;
        self.phase =
            (self.phase + std::f32::consts::TAU * hz / sample_rate as f32) % std::f32::consts::TAU;
        let wave = self.phase.sin() + 0.15 * (2.0 * self.phase).sin();
        wave * self.gain * self.presence * (0.25 + 0.75 * level)
    }
}

/// Renders a schedule. Everything it needs is allocated when it is made; `next_frame` only reads
/// and adds.
pub struct CueTrack {
    cues: Arc<[ScheduledCue]>,
    sounds: Vec<Arc<[f32]>>,
    sample_rate: u32,
    next_cue: usize,
    position: u64,
    voices: [Option<Voice>; MAX_VOICES],
    breath_tone: Option<BreathTone>,
    stopped: bool,
}

impl CueTrack {
    pub fn new(cues: Vec<ScheduledCue>, bank: &SoundBank) -> Self {
        CueTrack {
            cues: cues.into(),
            sounds: SoundId::ALL
                .iter()
                .map(|&id| bank.samples(id).clone())
                .collect(),
            sample_rate: bank.sample_rate(),
            next_cue: 0,
            position: 0,
            voices: [None; MAX_VOICES],
            breath_tone: None,
            stopped: false,
        }
    }

    /// Adds the continuous breath tone, following `course` (the timeline's level course), at
    /// `gain`.
    pub fn with_breath_tone(mut self, course: impl Iterator<Item = LevelSpan>, gain: f32) -> Self {
        let rate = self.sample_rate;
        let frames: Vec<LevelFrames> = course
            .map(|span| LevelFrames {
                start: micros_to_frame(span.start, rate),
                end: micros_to_frame(span.end, rate),
                from: span.from,
                to: span.to,
            })
            .collect();
        self.breath_tone = Some(BreathTone {
            course: frames.into(),
            cursor: 0,
            phase: 0.0,
            gain,
            presence: 1.0,
        });
        self
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The timeline frame the next call to `next_frame` renders.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Whether every cue has started and every sound has died away.
    pub fn is_done(&self) -> bool {
        let tone_quiet = self
            .breath_tone
            .as_ref()
            .is_none_or(|tone| tone.presence < 1e-4);
        self.next_cue >= self.cues.len() && self.voices.iter().all(Option::is_none) && tone_quiet
    }

    /// Jumps to `frame` (skip step). Sounds already ringing ring on; cues at `frame` play.
    pub fn seek(&mut self, frame: u64) {
        self.position = frame;
        self.next_cue = self.cues.partition_point(|c| c.frame < frame);
        if let Some(tone) = &mut self.breath_tone {
            tone.seek(frame);
        }
    }

    /// Stops starting new cues (the session ended); what rings fades out naturally.
    pub fn stop_cues(&mut self) {
        self.next_cue = self.cues.len();
        self.stopped = true;
    }

    /// The listener has fallen `frames` behind the plan (the device went hungry): the track
    /// jumps ahead so that later cues land where the timeline puts them. Cues in the stretch
    /// jumped over still start, at once, and sounds already ringing ring on unbroken, so
    /// nothing is lost and nothing clicks.
    pub fn catch_up(&mut self, frames: u64) {
        let target = self.position.saturating_add(frames);
        while let Some(cue) = self.cues.get(self.next_cue) {
            if cue.frame >= target {
                break;
            }
            self.start(cue.sound as usize, cue.gain);
            self.next_cue += 1;
        }
        self.position = target;
        if let Some(tone) = &mut self.breath_tone {
            tone.seek(target);
        }
    }

    /// One mono sample while the track waits for the plan to catch up with it (a device slower
    /// than the clock): like a paused frame, but the breath tone carries on.
    pub fn held_frame(&mut self) -> f32 {
        self.render(false, !self.stopped)
    }

    /// One mono sample. With `advance` false (paused) time stands still: no cue starts, but
    /// sounds already ringing finish, so nothing is cut off with a click.
    pub fn next_frame(&mut self, advance: bool) -> f32 {
        self.render(advance, advance && !self.stopped)
    }

    fn render(&mut self, advance: bool, breathing: bool) -> f32 {
        let mut mixed = match &mut self.breath_tone {
            Some(tone) => tone.next(self.position, breathing, self.sample_rate),
            None => 0.0,
        };
        if advance {
            while let Some(cue) = self.cues.get(self.next_cue) {
                if cue.frame > self.position {
                    break;
                }
                self.start(cue.sound as usize, cue.gain);
                self.next_cue += 1;
            }
            self.position += 1;
        }
        for slot in &mut self.voices {
            if let Some(voice) = slot {
                let samples = &self.sounds[voice.sound];
                match samples.get(voice.offset) {
                    Some(sample) => {
                        mixed += sample * voice.gain;
                        voice.offset += 1;
                    }
                    None => *slot = None,
                }
            }
        }
        mixed
    }

    fn start(&mut self, sound: usize, gain: f32) {
        let voice = Voice {
            sound,
            offset: 0,
            gain,
        };
        // A free slot, else the sound that has rung longest makes way.
        let slot = self
            .voices
            .iter()
            .position(Option::is_none)
            .unwrap_or_else(|| {
                (0..MAX_VOICES)
                    .max_by_key(|&i| self.voices[i].map_or(0, |v| v.offset))
                    .unwrap_or(0)
            });
        self.voices[slot] = Some(voice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::{CueEvent, CueKind, Phase};

    fn event(at: Micros, kind: CueKind) -> CueEvent {
        CueEvent { at, kind }
    }

    #[test]
    fn frames_are_exact_at_common_rates() {
        assert_eq!(micros_to_frame(4_000_000, 48_000), 192_000);
        assert_eq!(
            micros_to_frame(8 * 3600 * MICROS_PER_SECOND, 44_100),
            8 * 3600 * 44_100
        );
        assert_eq!(micros_to_frame(1, 48_000), 0);
        assert_eq!(micros_to_frame(11, 48_000), 1);
        assert_eq!(frame_to_micros(192_000, 48_000), 4_000_000);
    }

    #[test]
    fn steps_after_the_first_open_with_a_chime_and_the_end_rings_a_bell() {
        let events = [
            event(
                0,
                CueKind::StepStart {
                    step_index: 0,
                    phase: Phase::Prompt,
                },
            ),
            event(
                1_000_000,
                CueKind::StepStart {
                    step_index: 1,
                    phase: Phase::Inhale,
                },
            ),
            event(
                5_000_000,
                CueKind::PhaseStart {
                    step_index: 1,
                    phase: Phase::Exhale,
                },
            ),
            event(11_000_000, CueKind::End),
        ];
        let sounds: Vec<(u64, SoundId)> = schedule(&events, 1_000, CueSet::Tones, 1.0)
            .iter()
            .map(|c| (c.frame, c.sound))
            .collect();
        assert_eq!(
            sounds,
            [
                (1_000, SoundId::Chime),
                (1_000, SoundId::Inhale),
                (5_000, SoundId::Exhale),
                (11_000, SoundId::Bell)
            ]
        );
        let voiced: Vec<SoundId> = schedule(&events, 1_000, CueSet::Voice, 1.0)
            .iter()
            .map(|c| c.sound)
            .collect();
        assert_eq!(
            voiced,
            [
                SoundId::Chime,
                SoundId::VoiceInhale,
                SoundId::VoiceExhale,
                SoundId::Bell,
                SoundId::VoiceEnd
            ]
        );
    }

    fn rms(samples: &[f32]) -> f32 {
        (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
    }

    #[test]
    fn the_breath_tone_swells_with_the_breath_and_falls_quiet_when_paused() {
        let course = [
            LevelSpan {
                start: 0,
                end: 4_000_000,
                from: 0.0,
                to: 1.0,
            },
            LevelSpan {
                start: 4_000_000,
                end: 10_000_000,
                from: 1.0,
                to: 0.0,
            },
        ];
        let bank = SoundBank::clicks(8_000);
        let mut track = CueTrack::new(Vec::new(), &bank).with_breath_tone(course.into_iter(), 0.5);
        let rendered: Vec<f32> = (0..80_000).map(|_| track.next_frame(true)).collect();
        let full = rms(&rendered[31_000..33_000]); // around the top of the inhale
        let empty = rms(&rendered[77_000..79_000]); // the end of the exhale
        assert!(full > 2.5 * empty, "full {full} vs empty {empty}");
        assert!(empty > 0.0, "the tone is continuous");
        let paused: Vec<f32> = (0..40_000).map(|_| track.next_frame(false)).collect();
        assert!(rms(&paused[30_000..]) < 0.01 * full, "quiet while paused");
        assert_eq!(track.position(), 80_000);
    }
}
