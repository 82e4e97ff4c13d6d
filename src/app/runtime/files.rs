//! The files worker: writes in the order asked, and keeps the running session's checkpoint and
//! record (`session::records::RecordKeeper`, which the terminal uses too).

use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::Wake;
use crate::app::effect::{FileEffect, Message};
use crate::app::preset_files;
use crate::app::screen::ExportFormat;
use crate::clock::Clocks;
use crate::session::records::{RawIntervals, RecordKeeper};
use crate::store::checkpoint::recover_interrupted;
use crate::store::{DataDir, Library};

/// Past this long without a checkpoint from the window (which sends one every
/// `CHECKPOINT_EVERY` while it draws), the files worker takes them itself: well within the 10 s
/// a crash may lose.
const KEEP_CHECKPOINTING_AFTER: Duration = Duration::from_secs(6);

/// The files side of the runtime.
pub(super) struct Files {
    data_dir: DataDir,
    records: RecordKeeper,
    /// The live session's raw beat intervals, when the person asked for them.
    raw: RawIntervals,
}

/// The files, whoever holds them: a worker that panicked has still left them usable.
pub(super) fn lock(files: &Mutex<Files>) -> MutexGuard<'_, Files> {
    files
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the worker; it ends when the runtime lets go of the sender.
pub(super) fn spawn_worker(
    files: Arc<Mutex<Files>>,
    send: Sender<Message>,
    wake: Wake,
) -> (Sender<FileEffect>, Option<std::thread::JoinHandle<()>>) {
    let (jobs, received) = channel::<FileEffect>();
    let worker = super::spawn("files", move || {
        loop {
            let effect = match received.recv_timeout(KEEP_CHECKPOINTING_AFTER) {
                Ok(effect) => effect,
                // The window has sent no checkpoint for a while (it may not be drawing): the
                // worker takes them from the session's timing itself.
                Err(RecvTimeoutError::Timeout) => {
                    lock(&files).records.checkpoint_running();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            // The lock is let go before the window is woken.
            let messages = lock(&files).write(effect);
            for message in messages {
                let _ = send.send(message);
                wake();
            }
        }
    });
    (jobs, worker)
}

impl Files {
    pub(super) fn new(data_dir: DataDir, clocks: Clocks) -> Self {
        Files {
            records: RecordKeeper::new(data_dir.clone(), clocks),
            raw: RawIntervals::new(&data_dir),
            data_dir,
        }
    }

    /// The process is about to end without the window: the live session is recorded.
    pub(super) fn end_live_session(&mut self) {
        self.records.end_live_session();
        self.raw.flush();
    }

    /// Carries out one effect on files; returns what to report.
    pub(super) fn write(&mut self, effect: FileEffect) -> Vec<Message> {
        use crate::store::{load_history, write_atomic};
        let data_dir = &self.data_dir;
        let message = match effect {
            FileEffect::Checkpoint { record, running } => {
                self.records.checkpoint(&record, running);
                None
            }
            FileEffect::AppendRecord(record) => match self.records.append(&record) {
                Ok(true) => Some(Message::RecordSaved(record)),
                Ok(false) => None,
                Err(e) => Some(Message::RecordNotSaved {
                    record,
                    reason: e.to_string(),
                }),
            },
            FileEffect::RecoverInterrupted => {
                let recovery = recover_interrupted(data_dir);
                Some(Message::Recovered {
                    sessions: recovery.recovered.len(),
                    problems: recovery.problems,
                })
            }
            FileEffect::SaveSettings(settings) => {
                kept_or_said(settings.save(&data_dir.settings_path()), |e| {
                    format!("Settings could not be saved: {e}")
                })
            }
            FileEffect::SaveProgress(progress) => {
                kept_or_said(progress.save(&data_dir.progress_path()), |e| {
                    format!("Your progress could not be saved: {e}")
                })
            }
            FileEffect::LoadHistory => Some(Message::HistoryLoaded(
                crate::app::kept::read_kept(&data_dir.history_path()).map_err(|e| e.to_string()),
            )),
            FileEffect::DeleteRecord { id } => Some(Message::RecordDeleted {
                result: crate::store::history::delete_record(&data_dir.history_path(), &id)
                    .map_err(|e| e.to_string()),
                id,
            }),
            FileEffect::ExportHistory { format, to } => {
                let mut bytes = Vec::new();
                let written = load_history(&data_dir.history_path()).and_then(|history| {
                    let records = &history.records;
                    match format {
                        ExportFormat::Csv => crate::store::history::write_csv(&mut bytes, records),
                        ExportFormat::Json => {
                            crate::store::history::write_json(&mut bytes, records)
                        }
                    }
                });
                Some(Message::HistoryMessage(
                    match written.and_then(|()| write_atomic(&to, &bytes)) {
                        Ok(()) => format!("Exported to {}", to.display()),
                        Err(e) => format!("Could not export to {}: {e}", to.display()),
                    },
                ))
            }
            FileEffect::SavePreset { path, practice } => {
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
            FileEffect::RemovePreset { path, name } => {
                return match std::fs::remove_file(&path) {
                    Ok(()) => vec![reload(data_dir, Some(name))],
                    Err(e) => vec![Message::Notice(format!(
                        "{} could not be removed: {e}",
                        path.display()
                    ))],
                };
            }
            FileEffect::ImportPreset(file) => {
                let library = Library::load(Some(&data_dir.presets_dir()));
                return match preset_files::import_preset(data_dir, &library, &file, false) {
                    Ok(imported) => vec![
                        Message::Notice(format!("Imported \"{}\".", imported.name)),
                        reload(data_dir, Some(imported.name)),
                    ],
                    Err(refusal) => vec![Message::Notice(format!("Not imported: {refusal}"))],
                };
            }
            FileEffect::ExportPreset { practice, to } => Some(Message::Notice(
                match preset_files::export_preset(&practice, &to, false) {
                    Ok(()) => format!("Exported \"{}\" to {}.", practice.name, to.display()),
                    Err(refusal) => format!("Not exported: {refusal}"),
                },
            )),
            FileEffect::LoadCheckIns => Some(Message::CheckInsLoaded(
                crate::store::checkins::load_checkins(&data_dir.checkins_path()).map_err(|e| {
                    format!("{} cannot be read: {e}", data_dir.checkins_path().display())
                }),
            )),
            FileEffect::AppendCheckIn(checkin) => {
                let result =
                    crate::store::checkins::append_checkin(&data_dir.checkins_path(), &checkin)
                        .map_err(|e| e.to_string());
                Some(Message::CheckInWritten { checkin, result })
            }
            FileEffect::SaveSmallTests(tests) => {
                kept_or_said(tests.save(&data_dir.small_tests_path()), |e| {
                    format!(
                        "Your small test could not be saved to {}: {e}",
                        data_dir.small_tests_path().display()
                    )
                })
            }
            FileEffect::SaveReminderDays(days) => match days.save(&data_dir.reminder_days_path()) {
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
            FileEffect::Autostart { entry, on } => Some(Message::Autostart(
                crate::desktop::autostart::set(&entry, on, data_dir.root()),
            )),
            FileEffect::RawIntervals {
                record_id,
                about,
                rr_ms,
                sync,
                last,
            } => {
                let mut said = self.raw.append(&record_id, &about, &rr_ms, sync).err();
                if last && let Err(words) = self.raw.finish(&record_id) {
                    said.get_or_insert(words);
                }
                said.map(Message::Notice)
            }
        };
        message.into_iter().collect()
    }
}

/// After an atomic save: a notice when an unreadable file was kept aside first, or when the save
/// failed.
fn kept_or_said<K: std::fmt::Display, E>(
    saved: Result<Option<K>, E>,
    failed: impl FnOnce(E) -> String,
) -> Option<Message> {
    match saved {
        Ok(kept) => kept.map(|kept| Message::Notice(kept.to_string())),
        Err(e) => Some(Message::Notice(failed(e))),
    }
}

/// The presets read again, keeping `select` chosen.
fn reload(data_dir: &DataDir, select: Option<String>) -> Message {
    Message::LibraryLoaded {
        library: Box::new(Library::load(Some(&data_dir.presets_dir()))),
        select,
    }
}
