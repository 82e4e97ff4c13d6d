//! The runtime: carries out `update`'s effects away from the window's thread and feeds what
//! happened back as messages. Files are written one after another on a worker thread of their
//! own (so a save never overtakes an earlier one); the sound device lives on a second worker,
//! which opens it, decodes the cues, starts each session's stream and watches for the device
//! going away. Desktop services (notifications, keep-awake) run on threads of their own already.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::effect::{Effect, Message, RunningSession};
use super::ops;
use super::screen::ExportFormat;
use crate::audio::{AudioOutput, SoundBank};
use crate::clock::Clocks;
use crate::desktop::keep_awake::KeepAwake;
use crate::desktop::notify::Notifier;
use crate::desktop::presence::Presence;
use crate::desktop::tray::Tray;
use crate::store::checkpoint::{LiveCheckpoint, recover_interrupted};
use crate::store::{DataDir, Library};

/// Called from a worker when a message is waiting: wakes the window, which may be asleep.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// How effects are carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On worker threads, with the desktop's services (the real window).
    Threads,
    /// File effects at once, on the calling thread, in order; no sound device, no desktop
    /// services. For tests that step the window frame by frame and must see each result at a
    /// known frame.
    Inline,
}

pub struct Runtime {
    data_dir: DataDir,
    /// The files, when they are written inline (tests).
    inline_files: Option<Files>,
    mode: Mode,
    wake: Wake,
    messages: Receiver<Message>,
    send: Sender<Message>,
    files: Option<Sender<Effect>>,
    /// Joined when the runtime goes, so nothing asked for is lost when the window closes.
    files_worker: Option<std::thread::JoinHandle<()>>,
    sound: Option<Sender<Effect>>,
    notifier: Option<Notifier>,
    keep_awake: Option<KeepAwake>,
    tray: Option<Tray>,
    presence: Option<Presence>,
}

impl Runtime {
    pub fn start(data_dir: DataDir, clocks: Clocks, mode: Mode, wake: Wake) -> Runtime {
        let (send, messages) = channel();
        let (files, files_worker) = if mode == Mode::Threads {
            let (jobs, received) = channel::<Effect>();
            let data_dir = data_dir.clone();
            let clocks = clocks.clone();
            let send = send.clone();
            let wake = Arc::clone(&wake);
            let files = Arc::new(Mutex::new(Files::new(data_dir, clocks)));
            // If the process must end without the window's help (its display gone, a signal it
            // did not act on), the live session is recorded from here.
            let for_last_words = Arc::downgrade(&files);
            crate::desktop::last_words::set_last_words(move || {
                if let Some(files) = for_last_words.upgrade() {
                    lock(&files).end_live_session();
                }
            });
            let worker = spawn("files", move || {
                loop {
                    let effect = match received.recv_timeout(KEEP_CHECKPOINTING_AFTER) {
                        Ok(effect) => effect,
                        // The window has sent no checkpoint for a while (it may not be drawing):
                        // the worker takes them from the session's timing itself.
                        Err(RecvTimeoutError::Timeout) => {
                            lock(&files).checkpoint_running();
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    };
                    // The lock is let go before the window is woken.
                    let messages = lock(&files).carry_out(effect);
                    for message in messages {
                        let _ = send.send(message);
                        wake();
                    }
                }
            });
            (Some(jobs), worker)
        } else {
            (None, None)
        };
        Runtime {
            inline_files: (mode == Mode::Inline).then(|| Files::new(data_dir.clone(), clocks)),
            data_dir,
            mode,
            wake,
            messages,
            send,
            files,
            files_worker,
            sound: None,
            notifier: None,
            keep_awake: None,
            tray: None,
            presence: None,
        }
    }

    /// A way for another thread (a desktop service) to report to the app: its message joins the
    /// workers' and the window is woken.
    pub fn reporter(&self) -> impl Fn(Message) + Send + 'static {
        let (send, wake) = (self.send.clone(), Arc::clone(&self.wake));
        move |message| {
            let _ = send.send(message);
            wake();
        }
    }

    /// The next message from the workers, if one is waiting.
    pub fn try_message(&self) -> Option<Message> {
        self.messages.try_recv().ok()
    }

    /// Carries out one effect (not a viewport one: the window does those).
    pub fn carry_out(&mut self, effect: Effect) {
        match effect {
            Effect::Viewport(_) => {}
            Effect::OpenSound | Effect::PlayCues { .. } => self.send_to_sound_worker(effect),
            Effect::Notify(reminder) => {
                if self.mode == Mode::Threads {
                    let wake = &self.wake;
                    let notifier = self
                        .notifier
                        .get_or_insert_with(|| Notifier::start(None, Arc::clone(wake)));
                    notifier.show(&reminder.practice, &reminder.message);
                }
            }
            Effect::WithdrawNotification => {
                if let Some(notifier) = &self.notifier {
                    notifier.withdraw();
                }
            }
            Effect::Tray(look) => {
                if self.mode == Mode::Threads {
                    match &self.tray {
                        Some(tray) => tray.show(look),
                        None => {
                            let report = self.reporter();
                            let report_status = self.reporter();
                            self.tray = Some(Tray::start(
                                look,
                                move |event| report(Message::Tray(event)),
                                move |status| report_status(Message::TrayStatus(status)),
                            ));
                        }
                    }
                }
            }
            Effect::WatchSurroundings(watch) => {
                if !watch {
                    self.presence = None;
                } else if self.mode == Mode::Inline {
                    // Nothing to read here (tests): nothing is known, at once.
                    let _ = self.send.send(Message::Surroundings(Default::default()));
                } else if self.presence.is_none() {
                    let report = self.reporter();
                    self.presence = Some(Presence::start(move |surroundings| {
                        report(Message::Surroundings(surroundings))
                    }));
                }
            }
            Effect::Inform(text) => {
                if self.mode == Mode::Threads {
                    let wake = &self.wake;
                    let notifier = self
                        .notifier
                        .get_or_insert_with(|| Notifier::start(None, Arc::clone(wake)));
                    notifier.inform("downshift", &text);
                }
            }
            Effect::KeepAwake(on) => {
                self.keep_awake = (on && self.mode == Mode::Threads)
                    .then(|| KeepAwake::request("A breathing session is running"));
            }
            file_effect => {
                if let Some(files) = &self.files {
                    let _ = files.send(file_effect);
                } else if let Some(files) = &mut self.inline_files {
                    for message in files.carry_out(file_effect) {
                        let _ = self.send.send(message);
                    }
                }
            }
        }
        self.forward_notifications();
    }

    /// What the person did with a notification comes back as messages.
    fn forward_notifications(&self) {
        if let Some(notifier) = &self.notifier {
            while let Some(event) = notifier.try_event() {
                let _ = self.send.send(Message::Notification(event));
            }
        }
    }

    /// Looks for answers from the notification service (called every frame).
    pub fn poll(&self) {
        self.forward_notifications();
    }

    fn send_to_sound_worker(&mut self, effect: Effect) {
        if self.mode != Mode::Threads {
            if matches!(effect, Effect::OpenSound) {
                let _ = self
                    .send
                    .send(Message::SoundUnavailable("no sound in this mode".into()));
            }
            return;
        }
        let sound = self.sound.get_or_insert_with(|| {
            let (jobs, received) = channel::<Effect>();
            let send = self.send.clone();
            let wake = Arc::clone(&self.wake);
            let sounds_dir = self.data_dir.sounds_dir();
            // Not joined: it holds the device, and ends with the program.
            let _ = spawn("sound", move || {
                sound_worker(&received, &send, &wake, &sounds_dir)
            });
            jobs
        });
        let _ = sound.send(effect);
    }
}

impl Drop for Runtime {
    /// Waits for the files worker to finish what it was given: the last session's record is on
    /// disk before the program ends.
    fn drop(&mut self) {
        self.files = None;
        if let Some(worker) = self.files_worker.take()
            && worker.join().is_err()
        {
            log::error!("the files worker stopped with a panic");
        }
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
        .map_err(|e| log::error!("the {name} worker could not start: {e}"))
        .ok()
}

/// How often the sound worker looks at the device's health.
const SOUND_WATCH: Duration = Duration::from_millis(250);
/// After a device was lost, how often to look for one (microseconds).
const REOPEN_EVERY: u64 = 2_000_000;

/// Owns the sound device: it cannot leave the thread that opened it.
fn sound_worker(
    jobs: &Receiver<Effect>,
    send: &Sender<Message>,
    wake: &Wake,
    sounds_dir: &std::path::Path,
) {
    let clocks = Clocks::system();
    let mut device: Option<(AudioOutput, SoundBank)> = None;
    // After a device was lost: when to look for one again (it may come back, or another
    // become the default).
    let mut reopen_at: Option<u64> = None;
    let tell = |message: Message| {
        let _ = send.send(message);
        wake();
    };
    let open = || -> Result<(AudioOutput, SoundBank, Vec<String>), String> {
        let output = AudioOutput::open()?;
        output.wait_until_flowing(&clocks);
        let (bank, problems) = SoundBank::load(output.sample_rate(), Some(sounds_dir));
        Ok((output, bank, problems))
    };
    // A device just opened: the window hears it is ready.
    let ready = |(output, bank, problems): (AudioOutput, SoundBank, Vec<String>)| {
        tell(Message::SoundReady {
            sample_rate: output.sample_rate(),
            problems,
        });
        (output, bank)
    };
    loop {
        let job = match jobs.recv_timeout(SOUND_WATCH) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                let now = clocks.now();
                if let Some((output, _)) = &mut device
                    && output.is_lost(now)
                {
                    device = None;
                    reopen_at = Some(now + REOPEN_EVERY);
                    tell(Message::SoundLost);
                } else if device.is_none() && reopen_at.is_some_and(|at| now >= at) {
                    match open() {
                        Ok(opened) => {
                            log::info!("a sound device is back");
                            reopen_at = None;
                            device = Some(ready(opened));
                        }
                        Err(_) => reopen_at = Some(now + REOPEN_EVERY),
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        match job {
            Effect::OpenSound if device.is_none() => match open() {
                Ok(opened) => {
                    reopen_at = None;
                    device = Some(ready(opened));
                }
                Err(reason) => tell(Message::SoundUnavailable(reason)),
            },
            Effect::OpenSound => {
                if let Some((output, _)) = &device {
                    tell(Message::SoundReady {
                        sample_rate: output.sample_rate(),
                        problems: Vec::new(),
                    });
                }
            }
            Effect::PlayCues {
                session,
                control,
                plan,
            } => {
                let Some((output, bank)) = &device else {
                    continue;
                };
                output.play_with(plan.track(bank), control);
                tell(Message::CuesJoined(session));
            }
            _ => {}
        }
    }
}

/// The files side of the runtime: it writes, in the order asked, and holds the running
/// session's checkpoint (and the lock that says it is running).
struct Files {
    data_dir: DataDir,
    clocks: Clocks,
    live: Option<LiveCheckpoint>,
    /// The live session's record as of its last checkpoint.
    latest: Option<crate::store::SessionRecord>,
    /// The live session's timing while it runs.
    running: Option<Box<RunningSession>>,
    /// The session recorded by last words (the process ending without the window): what the
    /// window still had queued for it is not written again.
    ended: Option<String>,
}

/// Past this long without a checkpoint from the window (which sends one every
/// `CHECKPOINT_EVERY` while it draws), the files worker takes them itself: well within the 10 s
/// a crash may lose.
const KEEP_CHECKPOINTING_AFTER: Duration = Duration::from_secs(6);

/// The files, whoever holds them: a worker that panicked has still left them usable.
fn lock(files: &Mutex<Files>) -> MutexGuard<'_, Files> {
    files
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Files {
    fn new(data_dir: DataDir, clocks: Clocks) -> Self {
        Files {
            data_dir,
            clocks,
            live: None,
            latest: None,
            running: None,
            ended: None,
        }
    }

    /// The process is about to end with no time for the window to leave: the live session goes
    /// into the history as ended early with what was breathed until now (or, once over, as it
    /// was last kept), unless its record is there already.
    fn end_live_session(&mut self) {
        let now = self.clocks.now();
        let record = match self.running.take() {
            Some(mut running) => Some(running.record_at(now)),
            None => self.latest.take(),
        };
        let (Some(live), Some(record)) = (self.live.take(), record) else {
            return;
        };
        self.ended = Some(record.id.clone());
        match crate::store::history::append_record_once(&self.data_dir.history_path(), &record) {
            Ok(_) => {
                if let Err(e) = live.finish() {
                    log::warn!("the session's checkpoint could not be removed: {e}");
                }
            }
            // The checkpoint stays, for the next start to recover.
            Err(e) => log::warn!("the session could not be recorded: {e}"),
        }
    }

    /// Carries out one effect on files; returns what to report.
    fn carry_out(&mut self, effect: Effect) -> Vec<Message> {
        match effect {
            Effect::Checkpoint { record, .. } | Effect::AppendRecord(record)
                if self.ended.as_deref() == Some(record.id.as_str()) =>
            {
                log::info!("{} was recorded already as the process ended", record.id);
                Vec::new()
            }
            Effect::Checkpoint { record, running } => {
                self.running = running;
                self.checkpoint(&record);
                Vec::new()
            }
            Effect::AppendRecord(record) => {
                let appended = crate::store::append_record(&self.data_dir.history_path(), &record);
                if appended.is_ok() {
                    self.finish_checkpoint(&record.id);
                }
                // When the record could not be appended, the checkpoint stays for the next
                // start to recover.
                vec![match appended {
                    Ok(()) => Message::RecordSaved(record),
                    Err(e) => Message::RecordNotSaved {
                        record,
                        reason: e.to_string(),
                    },
                }]
            }
            Effect::RecoverInterrupted => {
                let recovery = recover_interrupted(&self.data_dir);
                vec![Message::Recovered {
                    sessions: recovery.recovered.len(),
                    problems: recovery.problems,
                }]
            }
            other => carry_out_file(&self.data_dir, other),
        }
    }

    fn checkpoint(&mut self, record: &crate::store::SessionRecord) {
        self.latest = Some(record.clone());
        let written = match &self.live {
            Some(live) if live.id() == record.id => live.update(record),
            _ => LiveCheckpoint::start(&self.data_dir, record).map(|live| {
                self.live = Some(live);
            }),
        };
        if let Err(e) = written {
            log::warn!("the session's checkpoint could not be written: {e}");
        }
    }

    /// A checkpoint of the running session taken here, from its timing.
    fn checkpoint_running(&mut self) {
        let now = self.clocks.now();
        if let Some(record) = self.running.as_mut().map(|running| running.record_at(now)) {
            self.checkpoint(&record);
        }
    }

    fn finish_checkpoint(&mut self, id: &str) {
        if self.latest.as_ref().is_some_and(|record| record.id == id) {
            self.latest = None;
            self.running = None;
        }
        if let Some(live) = self.live.take_if(|live| live.id() == id)
            && let Err(e) = live.finish()
        {
            log::warn!("the session's checkpoint could not be removed: {e}");
        }
    }
}

/// Carries out one effect on files that needs nothing but the data folder.
fn carry_out_file(data_dir: &DataDir, effect: Effect) -> Vec<Message> {
    use crate::store::{load_history, write_atomic};
    let message = match effect {
        Effect::SaveSettings(settings) => match settings.save(&data_dir.settings_path()) {
            Ok(kept) => kept.map(|kept| Message::Notice(kept.to_string())),
            Err(e) => Some(Message::Notice(format!("Settings could not be saved: {e}"))),
        },
        Effect::SaveProgress(progress) => match progress.save(&data_dir.progress_path()) {
            Ok(kept) => kept.map(|kept| Message::Notice(kept.to_string())),
            Err(e) => Some(Message::Notice(format!(
                "Your progress could not be saved: {e}"
            ))),
        },
        Effect::LoadHistory => Some(Message::HistoryLoaded(
            super::kept::read_kept(&data_dir.history_path()).map_err(|e| e.to_string()),
        )),
        Effect::DeleteRecord { id } => Some(Message::RecordDeleted {
            result: crate::store::history::delete_record(&data_dir.history_path(), &id)
                .map_err(|e| e.to_string()),
            id,
        }),
        Effect::ExportHistory { format, to } => {
            let mut bytes = Vec::new();
            let written = load_history(&data_dir.history_path()).and_then(|history| {
                let records = &history.records;
                match format {
                    ExportFormat::Csv => crate::store::history::write_csv(&mut bytes, records),
                    ExportFormat::Json => crate::store::history::write_json(&mut bytes, records),
                }
            });
            Some(Message::HistoryMessage(
                match written.and_then(|()| write_atomic(&to, &bytes)) {
                    Ok(()) => format!("Exported to {}", to.display()),
                    Err(e) => format!("Could not export to {}: {e}", to.display()),
                },
            ))
        }
        Effect::SavePreset { path, practice } => {
            let path = path.unwrap_or_else(|| {
                crate::store::presets::free_path(
                    &data_dir.presets_dir(),
                    &crate::store::presets::file_name_for(&practice.name),
                )
            });
            return match crate::store::presets::write_preset(&path, &practice) {
                Ok(()) => vec![
                    Message::PresetSaved {
                        path,
                        name: practice.name.clone(),
                    },
                    reload(data_dir, Some(practice.name)),
                ],
                Err(e) => vec![Message::Notice(format!(
                    "The preset could not be saved to {}: {e}",
                    path.display()
                ))],
            };
        }
        Effect::RemovePreset { path, name } => {
            return match std::fs::remove_file(&path) {
                Ok(()) => vec![reload(data_dir, Some(name))],
                Err(e) => vec![Message::Notice(format!(
                    "{} could not be removed: {e}",
                    path.display()
                ))],
            };
        }
        Effect::ImportPreset(file) => {
            let library = Library::load(Some(&data_dir.presets_dir()));
            return match ops::import_preset(data_dir, &library, &file, false) {
                Ok(imported) => vec![
                    Message::Notice(format!("Imported \"{}\".", imported.name)),
                    reload(data_dir, Some(imported.name)),
                ],
                Err(refusal) => vec![Message::Notice(format!("Not imported: {refusal}"))],
            };
        }
        Effect::LoadCheckIns => Some(Message::CheckInsLoaded(
            crate::store::checkins::load_checkins(&data_dir.checkins_path())
                .map_err(|e| format!("{} cannot be read: {e}", data_dir.checkins_path().display())),
        )),
        Effect::AppendCheckIn(checkin) => {
            let result =
                crate::store::checkins::append_checkin(&data_dir.checkins_path(), &checkin)
                    .map_err(|e| e.to_string());
            Some(Message::CheckInWritten { checkin, result })
        }
        Effect::SaveSmallTests(tests) => match tests.save(&data_dir.small_tests_path()) {
            Ok(kept) => kept.map(|kept| Message::Notice(kept.to_string())),
            Err(e) => Some(Message::Notice(format!(
                "Your small test could not be saved to {}: {e}",
                data_dir.small_tests_path().display()
            ))),
        },
        Effect::SaveReminderDays(days) => match days.save(&data_dir.reminder_days_path()) {
            Ok(kept) => kept.map(|kept| Message::Notice(kept.to_string())),
            Err(e) => {
                // Only "What changed?" reads it: a word in the log, not a notice.
                log::warn!(
                    "{} could not be saved: {e}",
                    data_dir.reminder_days_path().display()
                );
                None
            }
        },
        Effect::Autostart { entry, on } => Some(Message::Autostart(
            crate::desktop::autostart::set(&entry, on, data_dir.root()),
        )),
        Effect::ExportPreset { practice, to } => Some(Message::Notice(
            match ops::export_preset(&practice, &to, false) {
                Ok(()) => format!("Exported \"{}\" to {}.", practice.name, to.display()),
                Err(refusal) => format!("Not exported: {refusal}"),
            },
        )),
        other => {
            log::error!("not a file effect: {other:?}");
            None
        }
    };
    message.into_iter().collect()
}

/// The presets read again, keeping `select` chosen.
fn reload(data_dir: &DataDir, select: Option<String>) -> Message {
    Message::LibraryLoaded {
        library: Box::new(Library::load(Some(&data_dir.presets_dir()))),
        select,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::SessionEnd;
    use crate::store::record::sample_record;

    #[test]
    fn what_the_window_still_had_queued_is_not_written_again_after_last_words() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let data_dir = DataDir::new(folder.path());
        let mut files = Files::new(data_dir.clone(), Clocks::system());
        let record = sample_record("Micro-rest reset", SessionEnd::EndedEarly { step: 1 });
        files.carry_out(Effect::Checkpoint {
            record: Box::new(record.clone()),
            running: None,
        });
        // The process ends without the window (its display gone): recorded from here.
        files.end_live_session();
        // Then the worker reaches what the window had queued before it went.
        files.carry_out(Effect::Checkpoint {
            record: Box::new(record.clone()),
            running: None,
        });
        files.carry_out(Effect::AppendRecord(Box::new(record)));
        let history = crate::store::load_history(&data_dir.history_path()).expect("reads");
        assert_eq!(history.records.len(), 1, "recorded once");
        let checkpoints = std::fs::read_dir(data_dir.checkpoints_dir())
            .map(|entries| entries.count())
            .unwrap_or(0);
        assert_eq!(
            checkpoints, 0,
            "no checkpoint left to recover a second time"
        );
    }
}
