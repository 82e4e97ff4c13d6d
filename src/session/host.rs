//! A session with everything it needs from the world, driven from one thread: the terminal's
//! `downshift play --no-window`. Its parts are the window's too: the sound device
//! ([`SoundKeeper`], on the window's sound worker) and the checkpoints and the record
//! ([`RecordKeeper`], on its files worker), whose last words record the session when the
//! process must end without the loop's help. The caller says when a signal asked it to end
//! (`desktop::ending`, above this layer, watches them for the window and the terminal alike) and
//! prints.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::records::{RawIntervals, RecordKeeper};
use super::sound::{SoundChange, SoundKeeper};
use super::{CuePlan, LiveSession, SoundChoice};
use crate::audio::SessionControl;
use crate::clock::Clocks;
use crate::practice::heart::{HeartEvent, HeartSource};
use crate::practice::{Micros, Moment, Outcome, Practice, Problem};
use crate::store::history::StartTime;
use crate::store::{DataDir, SessionRecord};

/// How long an ended session's last sounds may ring out.
const RING_OUT: Duration = Duration::from_secs(6);

/// What happened in one turn of the host's loop.
#[derive(Debug, PartialEq)]
pub enum HostEvent {
    /// The device went away: the session goes on silently until it is back.
    SoundLost,
    /// A device is there again: the session's cues go on from where it is.
    SoundBack,
    /// The heart's source said something other than beats (connected, lost, back, a problem,
    /// a recording's end).
    Heart(HeartEvent),
    /// The raw beat intervals could not be kept (said once).
    RawNotKept(String),
}

pub struct SessionHost {
    session: LiveSession,
    clocks: Clocks,
    /// `None`: muted, or no device could be opened.
    sound: Option<(SoundKeeper, SoundChoice)>,
    /// Shared with the last words, which record the session if the process must end without
    /// this loop's help.
    records: Arc<Mutex<RecordKeeper>>,
    /// Whether a signal asked the session to end.
    asked_to_end: Box<dyn Fn() -> bool>,
    /// Where the heart's beats come from, if anywhere.
    heart: Option<Box<dyn HeartSource>>,
    raw: RawIntervals,
    /// Where the raw intervals were kept, once the session is over.
    raw_file: Option<std::path::PathBuf>,
}

fn lock(records: &Mutex<RecordKeeper>) -> MutexGuard<'_, RecordKeeper> {
    records
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A session started: the host, and what to tell the person about its sound.
pub struct Started {
    pub host: SessionHost,
    /// Plain words: no sound device, cue files of one's own that could not be used.
    pub sound_notes: Vec<String>,
}

impl SessionHost {
    /// Starts `practice` now, with its cues on the default device unless `sound` is `None`
    /// (muted); `asked_to_end` says when a signal asked it to end.
    pub fn start(
        data_dir: &DataDir,
        practice: Practice,
        sound: Option<SoundChoice>,
        clocks: Clocks,
        asked_to_end: impl Fn() -> bool + 'static,
    ) -> Result<Started, Vec<Problem>> {
        let mut sound_notes = Vec::new();
        let mut keeper = None;
        if let Some(choice) = sound {
            let mut opened = SoundKeeper::new(clocks.clone(), &data_dir.sounds_dir());
            match opened.open() {
                Ok((_, problems)) => {
                    sound_notes.extend(problems);
                    keeper = Some((opened, choice));
                }
                Err(reason) => sound_notes.push(format!(
                    "no sound device ({reason}); the session runs silently"
                )),
            }
        }
        let records = Arc::new(Mutex::new(RecordKeeper::new(
            data_dir.clone(),
            clocks.clone(),
        )));
        let started = StartTime::of(&clocks.wall());
        let session = LiveSession::start(1, practice, clocks.now(), started)?;
        let mut host = SessionHost {
            session,
            clocks,
            sound: keeper,
            records,
            asked_to_end: Box::new(asked_to_end),
            heart: None,
            raw: RawIntervals::new(data_dir),
            raw_file: None,
        };
        host.attach_cues();
        Ok(Started { host, sound_notes })
    }

    pub fn session(&self) -> &LiveSession {
        &self.session
    }

    pub fn now(&self) -> Micros {
        self.clocks.now()
    }

    /// The heart's beats come from `source` (a strap, a recording replayed); `keep_raw`: its
    /// intervals are kept in a file of their own.
    pub fn attach_heart(&mut self, source: Box<dyn HeartSource>, keep_raw: bool) {
        self.session.attach_heart(keep_raw);
        self.heart = Some(source);
    }

    /// Where the raw beat intervals were kept, once the session is over.
    pub fn raw_file(&self) -> Option<&std::path::Path> {
        self.raw_file.as_deref()
    }

    /// The heart's news since the last turn, and its beats given to the session.
    fn take_heart(&mut self, now: Micros, events: &mut Vec<HostEvent>) {
        let Some(source) = &mut self.heart else {
            return;
        };
        for event in source.poll(now) {
            if !matches!(event, HeartEvent::Beats { .. }) {
                events.push(HostEvent::Heart(event.clone()));
            }
            self.session.take_heart(event, now);
        }
    }

    /// The raw intervals that came, written; `sync`: to disk too.
    fn keep_raw(&mut self, sync: bool, events: &mut Vec<HostEvent>) {
        let rr = self.session.take_raw_intervals();
        if rr.is_empty() && !sync {
            return;
        }
        if self.session.heart().is_some_and(|h| h.keeps_raw()) {
            let id = self.session.record_id().to_owned();
            if let Err(words) = self.raw.append(&id, &self.session.about(), &rr, sync) {
                events.push(HostEvent::RawNotKept(words));
            }
        }
    }

    /// The session's cues on the device's stream, joined at the session's place.
    fn attach_cues(&mut self) {
        let Some((keeper, choice)) = &self.sound else {
            return;
        };
        let Some(sample_rate) = keeper.sample_rate() else {
            return;
        };
        let plan = CuePlan::new(&self.session, choice);
        let control = Arc::new(SessionControl::waiting(choice.master_volume, choice.muted));
        self.session.attach_cues(Arc::clone(&control), sample_rate);
        if keeper.play(&plan, control) {
            self.session.join_cues(self.clocks.now());
        }
    }

    /// One turn of the loop: the sound watched (lost, back), the clock following it, a
    /// checkpoint kept when one is due. Returns what happened, and the moment now.
    pub fn turn(&mut self) -> (Vec<HostEvent>, Moment) {
        let mut events = Vec::new();
        match self.sound.as_mut().and_then(|(keeper, _)| keeper.watch()) {
            Some(SoundChange::Lost) => {
                self.session.lose_sound(self.clocks.now());
                events.push(HostEvent::SoundLost);
            }
            Some(SoundChange::Back { .. }) => {
                self.attach_cues();
                events.push(HostEvent::SoundBack);
            }
            None => {}
        }
        let now = self.clocks.now();
        self.take_heart(now, &mut events);
        self.session.follow_sound(now);
        let checkpoint = self.session.checkpoint_due(now);
        self.keep_raw(checkpoint.is_some(), &mut events);
        if let Some(record) = checkpoint {
            let running = Box::new(self.session.without_sound());
            lock(&self.records).checkpoint(&record, Some(running));
        }
        (events, self.session.moment(now))
    }

    /// A signal asked the session to end (Ctrl-C, shutdown, the terminal closed).
    pub fn is_asked_to_end(&self) -> bool {
        (self.asked_to_end)()
    }

    /// What to do when the process must end without this loop's help: the live session goes
    /// into the history as ended early with what was breathed until then.
    pub fn last_words(&self) -> impl Fn() + Send + 'static {
        let records = Arc::downgrade(&self.records);
        move || {
            if let Some(records) = records.upgrade() {
                lock(&records).end_live_session();
            }
        }
    }

    /// Ends the session (finished or not) and lets its last sounds ring out. The heart's source
    /// is let go, and its raw intervals are on disk; what could not be kept is said.
    pub fn end(&mut self) -> (Outcome, Vec<HostEvent>) {
        let mut events = Vec::new();
        let now = self.clocks.now();
        self.take_heart(now, &mut events);
        let outcome = self.session.end(now);
        if let Some(source) = self.heart.take() {
            source.close();
        }
        self.keep_raw(false, &mut events);
        match self.raw.finish(self.session.record_id()) {
            Ok(file) => self.raw_file = file,
            Err(words) => events.push(HostEvent::RawNotKept(words)),
        }
        let deadline = self.clocks.deadline(RING_OUT);
        while !self.session.sound_done() && !deadline.passed() {
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Some((keeper, _)) = self.sound.take() {
            keeper.log_health();
        }
        (outcome, events)
    }

    /// Appends the ended session's record to the history; its checkpoint goes once it is
    /// there (or stays, for the next start to recover, when it could not be written).
    pub fn save(&mut self) -> Option<Result<SessionRecord, std::io::Error>> {
        let record = self.session.record()?;
        Some(lock(&self.records).append(&record).map(|_| record))
    }
}
