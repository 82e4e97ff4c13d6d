//! A live session: one practice being breathed, its clock, its cue stream if there is sound, and
//! the record it leaves. Shared by the window and by `downshift play --no-window`.
//!
//! Time comes in as microseconds from a monotonic source the caller owns, so tests can drive it.

use std::sync::Arc;

use crate::audio::{
    AudioOutput, CueTrack, SessionControl, SoundBank, frame_to_micros, micros_to_frame, schedule,
};
use crate::practice::{CueSet, Micros, Moment, Outcome, Practice, Problem, SessionClock, Timeline};
use crate::store::Settings;
use crate::store::history::{RECORD_VERSION, SessionEnd, SessionRecord, StartTime, new_record_id};

/// The screen follows the sound; it is pulled back when it strays further than this from the
/// stream (the stream renders a buffer at a time, so small differences are expected).
const FOLLOW_TOLERANCE: Micros = 120_000;

/// The sound side of a session.
struct SessionAudio {
    control: Arc<SessionControl>,
    sample_rate: u32,
}

pub struct LiveSession {
    practice: Practice,
    timeline: Timeline,
    clock: SessionClock,
    audio: Option<SessionAudio>,
    started: StartTime,
    outcome: Option<Outcome>,
}

/// How the cues should sound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SoundChoice {
    /// Used unless the practice names its own.
    pub cue_set: CueSet,
    pub master_volume: f32,
    pub tones_volume: f32,
    pub voice_volume: f32,
    /// The continuous breath tone's volume, if it is on.
    pub breath_tone: Option<f32>,
    pub muted: bool,
}

impl SoundChoice {
    pub fn from_settings(settings: &Settings) -> Self {
        SoundChoice {
            cue_set: settings.cue_set,
            master_volume: settings.master_volume,
            tones_volume: settings.tones_volume,
            voice_volume: settings.voice_volume,
            breath_tone: settings.breath_tone.then_some(settings.breath_tone_volume),
            muted: settings.muted,
        }
    }
}

impl LiveSession {
    /// Starts `practice` at `now`, with its cues on `output` when there is one.
    pub fn start(
        practice: Practice,
        now: Micros,
        output: Option<(&AudioOutput, &SoundBank)>,
        sound: SoundChoice,
    ) -> Result<LiveSession, Vec<Problem>> {
        let timeline = Timeline::new(&practice)?;
        let audio = output.map(|(device, bank)| {
            let cue_set = practice.cues.unwrap_or(sound.cue_set);
            let set_volume = match cue_set {
                CueSet::Tones => sound.tones_volume,
                CueSet::Voice => sound.voice_volume,
            };
            let cues = schedule(
                &timeline.cue_events(),
                bank.sample_rate(),
                cue_set,
                set_volume,
            );
            let mut track = CueTrack::new(cues, bank);
            if let Some(volume) = sound.breath_tone {
                track = track.with_breath_tone(timeline.level_course(), volume);
            }
            let control = device.play(track, sound.master_volume, sound.muted);
            SessionAudio {
                control,
                sample_rate: bank.sample_rate(),
            }
        });
        Ok(LiveSession {
            clock: SessionClock::start(&timeline, now),
            practice,
            timeline,
            audio,
            started: StartTime::now(),
            outcome: None,
        })
    }

    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn has_sound(&self) -> bool {
        self.audio.is_some()
    }

    /// Where the session is: the sound's clock while it plays, the monotonic clock otherwise.
    pub fn position(&mut self, now: Micros) -> Micros {
        if let Some(audio) = &self.audio
            && !self.clock.is_paused()
            && !self.clock.is_ended()
        {
            let heard = frame_to_micros(audio.control.position(), audio.sample_rate);
            let shown = self.clock.position(now);
            if heard.abs_diff(shown) > FOLLOW_TOLERANCE {
                self.clock.follow(heard, now);
            }
        }
        self.clock.position(now)
    }

    pub fn moment(&mut self, now: Micros) -> Moment {
        let position = self.position(now);
        self.timeline.moment_at(position)
    }

    pub fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }

    pub fn is_finished(&mut self, now: Micros) -> bool {
        let position = self.position(now);
        position >= self.timeline.total()
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    pub fn toggle_pause(&mut self, now: Micros) {
        // Take the sound's position first, so both stop on the same breath.
        self.position(now);
        self.clock.toggle_pause(now);
        if let Some(audio) = &self.audio {
            audio.control.set_paused(self.clock.is_paused());
        }
    }

    pub fn skip_step(&mut self, now: Micros) {
        self.position(now);
        self.clock.skip_step(&self.timeline, now);
        if let Some(audio) = &self.audio {
            let target = self.clock.position(now);
            audio
                .control
                .seek(micros_to_frame(target, audio.sample_rate));
        }
    }

    pub fn set_muted(&self, muted: bool) {
        if let Some(audio) = &self.audio {
            audio.control.set_muted(muted);
        }
    }

    pub fn set_volume(&self, volume: f32) {
        if let Some(audio) = &self.audio {
            audio.control.set_volume(volume);
        }
    }

    /// The device went away: carry on silently from where the sound was.
    pub fn lose_sound(&mut self, now: Micros) {
        self.position(now);
        self.audio = None;
    }

    /// Ends the session (finished or not) and says how it went. Ending twice changes nothing.
    pub fn end(&mut self, now: Micros) -> Outcome {
        if let Some(outcome) = self.outcome {
            return outcome;
        }
        let position = self.position(now);
        let outcome = self.clock.end(&self.timeline, now);
        if let Some(audio) = &self.audio {
            let stop = if outcome.completed {
                self.timeline.total()
            } else {
                position
            };
            audio
                .control
                .stop_at(micros_to_frame(stop, audio.sample_rate));
        }
        self.outcome = Some(outcome);
        outcome
    }

    /// The sound has finished ringing out (or there is none).
    pub fn sound_done(&self) -> bool {
        self.audio.as_ref().is_none_or(|a| a.control.is_done())
    }

    /// The history record of an ended session.
    pub fn record(&self) -> Option<SessionRecord> {
        let outcome = self.outcome?;
        let seconds = |m: Micros| (m as f64 / 1e6 * 10.0).round() / 10.0;
        Some(SessionRecord {
            version: RECORD_VERSION,
            id: new_record_id(&self.started),
            started: self.started,
            practice: self.practice.name.clone(),
            practised: self.practice.summary(),
            planned_seconds: seconds(self.timeline.total()),
            breathed_seconds: seconds(outcome.practised),
            paused_seconds: seconds(outcome.paused),
            breaths: outcome.breaths,
            end: if outcome.completed {
                SessionEnd::Completed
            } else {
                SessionEnd::EndedEarly {
                    step: outcome.last_step_index as u32 + 1,
                }
            },
            tension_before: None,
            tension_after: None,
            note: String::new(),
            app_version: crate::APP_VERSION.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::{BreatheBlock, MICROS_PER_SECOND as S, Pattern, Phase, Step};

    fn silent() -> SoundChoice {
        SoundChoice::from_settings(&Settings::default())
    }

    #[test]
    fn a_silent_session_runs_on_the_clock_and_records_how_it_ended() {
        let practice = Practice::new(
            "Plain 4-6",
            vec![Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(4.0, 6.0),
                1.0,
            ))],
        );
        let mut session = LiveSession::start(practice, 100 * S, None, silent()).expect("valid");
        assert_eq!(session.moment(105 * S).phase, Phase::Exhale);
        session.toggle_pause(105 * S);
        assert_eq!(session.moment(200 * S).phase, Phase::Exhale);
        session.toggle_pause(200 * S);
        let outcome = session.end(212 * S);
        assert!(!outcome.completed);
        let record = session.record().expect("ended");
        assert_eq!(record.end, SessionEnd::EndedEarly { step: 1 });
        assert_eq!(record.breathed_seconds, 17.0);
        assert_eq!(record.paused_seconds, 95.0);
        assert_eq!(record.breaths, 1);
        assert_eq!(record.practised, "4-6, 1 min");
        assert!(session.sound_done());
    }
}
