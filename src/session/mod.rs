//! A live session: one practice being breathed, its clock, its cue stream if there is sound, and
//! the record it leaves. Shared by the window and by `downshift play --no-window`, as is what a
//! session needs from the world: its sound device (`sound`), its checkpoints and record
//! (`records`), and for the terminal the whole of it on one thread (`host`).
//!
//! Time comes in as microseconds from a monotonic source the caller owns, so tests can drive it.

pub mod heart;
pub mod host;
pub mod records;
pub mod sound;

use std::sync::Arc;

use crate::audio::{
    CueTrack, SessionControl, SoundBank, frame_to_micros, micros_to_frame, schedule,
};
use crate::practice::heart::HeartEvent;
use crate::practice::{CueSet, Micros, Moment, Outcome, Practice, Problem, SessionClock, Timeline};
use crate::store::Settings;
use crate::store::history::{
    HeartRecord, RECORD_VERSION, SessionEnd, SessionRecord, StartTime, new_record_id,
};
use heart::SessionHeart;

/// The screen follows the sound; it is pulled back when it strays further than this from the
/// stream (the stream renders a buffer at a time, so small differences are expected).
const FOLLOW_TOLERANCE: Micros = 120_000;

/// The sound side of a session.
struct SessionAudio {
    control: Arc<SessionControl>,
    sample_rate: u32,
    /// The stream is at the session's place: until then it waits, silent, and the monotonic
    /// clock leads.
    joined: bool,
}

pub struct LiveSession {
    id: u64,
    practice: Practice,
    timeline: Timeline,
    clock: SessionClock,
    audio: Option<SessionAudio>,
    started: StartTime,
    /// The id its record gets, fixed at the start so its checkpoints and record agree.
    record_id: String,
    outcome: Option<Outcome>,
    /// How tense the person felt before it, if they said (for its record).
    tension_before: Option<u8>,
    /// When the last checkpoint was taken (monotonic), in which step, and whether paused.
    checkpointed: Option<(Micros, usize, bool)>,
    /// The heart, when a strap (or a recording replayed) sends its beats to this session.
    heart: Option<Box<SessionHeart>>,
    /// What the heart's summary was when this copy was taken (`without_sound`), for its record.
    heart_kept: Option<HeartRecord>,
    /// The session is the resonance test: its end shows the rates ranked, not a summary.
    resonance_test: bool,
}

impl std::fmt::Debug for LiveSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSession")
            .field("id", &self.id)
            .field("practice", &self.practice.name)
            .field("tension_before", &self.tension_before)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

/// A stream that joins a session less than this far in starts it again from the beginning:
/// opening the sound device can take this long (the window's first session), and a first cue
/// missed is worse for closed eyes than the first breath drawn again on screen.
const JOIN_FROM_THE_START: Micros = 2_000_000;

/// A live session's checkpoint is taken at least this often, and at every step change.
pub const CHECKPOINT_EVERY: Micros = 5 * crate::practice::MICROS_PER_SECOND;

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

/// How a session's cues are to be made: worked out where the session lives, turned into a
/// track where the sound device lives.
#[derive(Clone, Debug)]
pub struct CuePlan {
    pub timeline: Timeline,
    pub cue_set: CueSet,
    /// The chosen cue set's own volume.
    pub set_volume: f32,
    /// The continuous breath tone's volume, if it is on.
    pub breath_tone: Option<f32>,
}

impl CuePlan {
    pub fn new(session: &LiveSession, sound: &SoundChoice) -> Self {
        let cue_set = session.practice.cues.unwrap_or(sound.cue_set);
        CuePlan {
            timeline: session.timeline.clone(),
            cue_set,
            set_volume: match cue_set {
                CueSet::Tones => sound.tones_volume,
                CueSet::Voice => sound.voice_volume,
            },
            breath_tone: sound.breath_tone,
        }
    }

    /// The cue track, in `bank`'s sounds at its sample rate.
    pub fn track(&self, bank: &SoundBank) -> CueTrack {
        let cues = schedule(
            &self.timeline.cue_events(),
            bank.sample_rate(),
            self.cue_set,
            self.set_volume,
        );
        let track = CueTrack::new(cues, bank);
        match self.breath_tone {
            Some(volume) => track.with_breath_tone(self.timeline.level_course(), volume),
            None => track,
        }
    }
}

impl LiveSession {
    /// Starts `practice` at `now` (monotonic), begun at `started` (wall clock). It runs on the
    /// monotonic clock until a cue stream is attached and joins it.
    pub fn start(
        id: u64,
        practice: Practice,
        now: Micros,
        started: StartTime,
    ) -> Result<LiveSession, Vec<Problem>> {
        let timeline = Timeline::new(&practice)?;
        Ok(LiveSession {
            id,
            clock: SessionClock::start(&timeline, now),
            practice,
            timeline,
            audio: None,
            record_id: new_record_id(&started),
            started,
            outcome: None,
            tension_before: None,
            checkpointed: None,
            heart: None,
            heart_kept: None,
            resonance_test: false,
        })
    }

    /// The heart's beats come to this session (a strap is on, or a recording is replayed);
    /// `keep_raw`: its intervals are to be written to a file of their own.
    pub fn with_heart(mut self, keep_raw: bool) -> Self {
        self.attach_heart(keep_raw);
        self
    }

    /// As `with_heart`, for a session already running.
    pub fn attach_heart(&mut self, keep_raw: bool) {
        self.heart = Some(Box::new(SessionHeart::new(&self.timeline, keep_raw)));
    }

    /// The session is the resonance test.
    pub fn as_resonance_test(mut self) -> Self {
        self.resonance_test = true;
        self
    }

    pub fn is_resonance_test(&self) -> bool {
        self.resonance_test
    }

    /// The heart, if its beats come to this session.
    pub fn heart(&self) -> Option<&SessionHeart> {
        self.heart.as_deref()
    }

    /// Takes an event from the source of the heart's beats, at `now` (monotonic). Beats that
    /// come after the session ended are not its own.
    pub fn take_heart(&mut self, event: HeartEvent, now: Micros) {
        if self.outcome.is_some() {
            return;
        }
        self.follow_sound(now);
        if let Some(heart) = &mut self.heart {
            heart.take(event);
        }
    }

    /// The intervals that came since the last call, for the raw interval file (none unless
    /// the person asked for it).
    pub fn take_raw_intervals(&mut self) -> Vec<f64> {
        self.heart
            .as_mut()
            .map(|h| h.take_raw())
            .unwrap_or_default()
    }

    /// The record's id, fixed at the start (the raw interval file is named by it).
    pub fn record_id(&self) -> &str {
        &self.record_id
    }

    /// What the session is, in words, for the first lines of its raw interval file.
    pub fn about(&self) -> String {
        format!(
            "{} ({}), started {}, record {}",
            self.practice.name,
            self.practice.summary(),
            self.started,
            self.record_id
        )
    }

    /// How tense the person said they felt before it: its record keeps it.
    pub fn with_tension_before(mut self, tension_before: Option<u8>) -> Self {
        self.tension_before = tension_before;
        self
    }

    /// The session's number (see `app::SessionId`).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// A cue stream is being started for this session under `control`; it plays once it has
    /// joined (`join_cues`).
    pub fn attach_cues(&mut self, control: Arc<SessionControl>, sample_rate: u32) {
        if let Some(old) = self.audio.take() {
            old.control.abandon();
        }
        self.audio = Some(SessionAudio {
            control,
            sample_rate,
            joined: false,
        });
    }

    /// The stream is on the device: it starts at the session's place now, on the sample. A
    /// session that has only just begun (`JOIN_FROM_THE_START`) begins again with its stream,
    /// so its first cue is heard whole.
    pub fn join_cues(&mut self, now: Micros) {
        let paused = self.clock.is_paused();
        if !paused && self.clock.position(now) < JOIN_FROM_THE_START {
            self.clock = SessionClock::start(&self.timeline, now);
        }
        let position = self.clock.position(now);
        if let Some(audio) = self.audio.as_mut().filter(|a| !a.joined) {
            audio
                .control
                .seek(micros_to_frame(position, audio.sample_rate));
            audio.control.set_paused(paused);
            audio.joined = true;
        }
    }

    pub fn is_ended(&self) -> bool {
        self.outcome.is_some()
    }

    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn has_sound(&self) -> bool {
        self.audio.as_ref().is_some_and(|a| a.joined)
    }

    /// Pulls the session's clock to where the sound is, if it has strayed: while the sound
    /// plays, what is heard is the session's place. Called once a frame (or a turn of the
    /// terminal's loop) before the session is read; reading never moves it.
    pub fn follow_sound(&mut self, now: Micros) {
        if let Some(audio) = self.audio.as_ref().filter(|a| a.joined)
            && !audio.control.is_seeking()
            && !self.clock.is_paused()
            && !self.clock.is_ended()
        {
            let heard = frame_to_micros(audio.control.position(), audio.sample_rate);
            let shown = self.clock.position(now);
            if heard.abs_diff(shown) > FOLLOW_TOLERANCE {
                self.clock.follow(heard, now);
            }
        }
        self.follow_heart(now);
    }

    /// The heart learns where the session is (its breaths are placed as they end).
    fn follow_heart(&mut self, now: Micros) {
        if let Some(heart) = &mut self.heart
            && self.outcome.is_none()
        {
            let running = !self.clock.is_paused() && !self.clock.is_ended();
            heart.follow(now, self.clock.position(now), running);
        }
    }

    /// Where the session is, after following the sound.
    fn position(&mut self, now: Micros) -> Micros {
        self.follow_sound(now);
        self.clock.position(now)
    }

    /// What is happening at `now`, as of the last time the clock followed the sound.
    pub fn moment(&self, now: Micros) -> Moment {
        self.timeline.moment_at(self.clock.position(now))
    }

    pub fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }

    pub fn is_finished(&mut self, now: Micros) -> bool {
        self.position(now) >= self.timeline.total()
    }

    pub fn toggle_pause(&mut self, now: Micros) {
        // Take the sound's position first, so both stop on the same breath.
        self.position(now);
        self.clock.toggle_pause(now);
        if let Some(audio) = self.audio.as_ref().filter(|a| a.joined) {
            audio.control.set_paused(self.clock.is_paused());
        }
        self.follow_heart(now);
    }

    pub fn skip_step(&mut self, now: Micros) {
        self.position(now);
        self.clock.skip_step(&self.timeline, now);
        if let Some(audio) = self.audio.as_ref().filter(|a| a.joined) {
            let target = self.clock.position(now);
            audio
                .control
                .seek(micros_to_frame(target, audio.sample_rate));
        }
        self.follow_heart(now);
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
        if let Some(audio) = self.audio.take() {
            audio.control.abandon();
        }
    }

    /// Ends the session (finished or not) and says how it went. Ending twice changes nothing.
    pub fn end(&mut self, now: Micros) -> Outcome {
        if let Some(outcome) = self.outcome {
            return outcome;
        }
        let position = self.position(now);
        let outcome = self.clock.end(&self.timeline, now);
        if let Some(heart) = &mut self.heart {
            heart.finish(now, position);
        }
        if let Some(audio) = self.audio.as_ref().filter(|a| !a.joined) {
            // It never played: nothing to ring out.
            audio.control.abandon();
        } else if let Some(audio) = &self.audio {
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
        self.outcome.map(|outcome| self.record_of(outcome))
    }

    /// The record this session would leave if it ended now (as ended early, unless it is over).
    pub fn record_now(&mut self, now: Micros) -> SessionRecord {
        if let Some(outcome) = self.outcome {
            return self.record_of(outcome);
        }
        self.position(now);
        let mut clock = self.clock.clone();
        let outcome = clock.end(&self.timeline, now);
        self.record_of(outcome)
    }

    /// The record as of now, when a checkpoint is due: the first one, every `CHECKPOINT_EVERY`,
    /// when the step changes and when the session is paused or resumed.
    pub fn checkpoint_due(&mut self, now: Micros) -> Option<SessionRecord> {
        self.follow_sound(now);
        let step = self.moment(now).step_index;
        let paused = self.is_paused();
        let due = self.checkpointed.is_none_or(|(at, last_step, was_paused)| {
            now.saturating_sub(at) >= CHECKPOINT_EVERY || last_step != step || was_paused != paused
        });
        if !due {
            return None;
        }
        self.checkpointed = Some((now, step, paused));
        Some(self.record_now(now))
    }

    /// The session's timing without its sound: it keeps time on the monotonic clock as this one
    /// does, so records can be taken from it on another thread (`record_now`).
    pub fn without_sound(&self) -> LiveSession {
        LiveSession {
            id: self.id,
            practice: self.practice.clone(),
            timeline: self.timeline.clone(),
            clock: self.clock.clone(),
            audio: None,
            started: self.started,
            record_id: self.record_id.clone(),
            outcome: self.outcome,
            tension_before: self.tension_before,
            checkpointed: self.checkpointed,
            heart: None,
            heart_kept: self.heart_summary(),
            resonance_test: self.resonance_test,
        }
    }

    /// What the record keeps of the heart now.
    fn heart_summary(&self) -> Option<HeartRecord> {
        match &self.heart {
            Some(heart) => heart.summary(),
            None => self.heart_kept,
        }
    }

    fn record_of(&self, outcome: Outcome) -> SessionRecord {
        let seconds = |m: Micros| (m as f64 / 1e6 * 10.0).round() / 10.0;
        SessionRecord {
            version: RECORD_VERSION,
            id: self.record_id.clone(),
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
            tension_before: self.tension_before,
            tension_after: None,
            heart: self.heart_summary(),
            note: String::new(),
            app_version: crate::APP_VERSION.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::{BreatheBlock, MICROS_PER_SECOND as S, Pattern, Phase, Step};

    /// A minute of 4-6 breathing, begun on a Monday evening.
    fn plain_minute() -> (Practice, StartTime) {
        let practice = Practice::new(
            "Plain 4-6",
            vec![Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(4.0, 6.0),
                1.0,
            ))],
        );
        let started = "2026-11-23T21:00:00+01:00".parse().expect("a start time");
        (practice, started)
    }

    #[test]
    fn a_silent_session_runs_on_the_clock_and_records_how_it_ended() {
        let (practice, started) = plain_minute();
        let mut session = LiveSession::start(1, practice, 100 * S, started).expect("valid");
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

    #[test]
    fn checkpoints_come_every_few_seconds_and_at_each_step_with_the_record_so_far() {
        let practice = Practice::new(
            "Prompt then breathe",
            vec![
                Step::Prompt(crate::practice::PromptStep {
                    text: "Settle.".into(),
                    seconds: 7.0,
                }),
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(4.0, 6.0), 1.0)),
            ],
        );
        let started = "2026-11-23T21:00:00+01:00".parse().expect("a start time");
        let mut session = LiveSession::start(1, practice, 0, started).expect("valid");
        let first = session.checkpoint_due(0).expect("the first at once");
        assert_eq!(first.breathed_seconds, 0.0);
        assert!(session.checkpoint_due(4 * S).is_none(), "not yet");
        let second = session.checkpoint_due(5 * S).expect("five seconds on");
        assert_eq!(second.end, SessionEnd::EndedEarly { step: 1 });
        assert_eq!(second.id, first.id, "one id for the whole session");
        let step = session.checkpoint_due(7 * S + 1).expect("the step changed");
        assert_eq!(step.end, SessionEnd::EndedEarly { step: 2 });
        session.toggle_pause(8 * S);
        let paused = session.checkpoint_due(8 * S).expect("paused");
        assert_eq!(paused.breathed_seconds, 8.0);
        assert!(session.checkpoint_due(9 * S).is_none(), "still paused");
        session.toggle_pause(10 * S);
        let resumed = session.checkpoint_due(10 * S).expect("resumed");
        assert_eq!(
            (resumed.breathed_seconds, resumed.paused_seconds),
            (8.0, 2.0)
        );
        // Away from its sound, a copy keeps the same time.
        let mut copy = session.without_sound();
        assert_eq!(copy.record_now(12 * S), session.record_now(12 * S));
        assert!(!session.is_ended(), "taking a checkpoint ends nothing");
        session.end(20 * S);
        assert_eq!(session.record().expect("ended").id, first.id);
    }

    #[test]
    fn the_heart_is_kept_in_the_record_and_in_copies_taken_for_checkpoints() {
        use crate::practice::heart::{HeartSource, Replay};
        let (practice, started) = plain_minute();
        let mut without = LiveSession::start(2, practice.clone(), 0, started).expect("valid");
        without.end(S);
        assert_eq!(without.record().expect("ended").heart, None, "no strap");

        let mut session = LiveSession::start(1, practice, 0, started)
            .expect("valid")
            .with_heart(false);
        let mut replay = Replay::new("steady", vec![1000.0; 90]);
        for t in 0..=45 {
            let now = t * S;
            for event in replay.poll(now) {
                session.take_heart(event, now);
            }
            session.follow_sound(now);
        }
        let mut copy = session.without_sound();
        let kept = copy
            .record_now(45 * S)
            .heart
            .expect("the copy keeps the heart");
        assert_eq!(kept.mean_heart_rate, 60.0);
        session.end(45 * S);
        let heart = session.record().expect("ended").heart.expect("the heart");
        assert_eq!(heart.mean_heart_rate, 60.0);
        assert_eq!(heart.mean_swing, Some(0.0), "a steady heart does not swing");
        assert_eq!((heart.clean_beats, heart.dropped_beats), (45, 0));
    }

    #[test]
    fn a_stream_joining_at_once_starts_the_session_from_its_first_cue() {
        let (practice, started) = plain_minute();
        let mut early = LiveSession::start(1, practice.clone(), 0, started).expect("valid");
        let control = Arc::new(SessionControl::waiting(1.0, false));
        early.attach_cues(Arc::clone(&control), 1_000);
        // The device took a second and a half to open: the session begins again with it.
        early.join_cues(1_500_000);
        assert_eq!(control.position(), 0, "from the first cue");
        assert_eq!(early.position(1_500_000), 0);

        let mut late = LiveSession::start(2, practice, 0, started).expect("valid");
        let control = Arc::new(SessionControl::waiting(1.0, false));
        late.attach_cues(Arc::clone(&control), 1_000);
        late.join_cues(2_500_000);
        assert_eq!(
            control.position(),
            2_500,
            "at the session's place, on the sample"
        );
    }
}
