//! What `update` asks the world to do (effects), and what comes back (messages). The runtime
//! carries effects out off the window's thread; the window handles the viewport ones itself.

use std::path::PathBuf;
use std::sync::Arc;

use super::kept::KeptHistory;
use super::screen::ExportFormat;
use crate::audio::SessionControl;
use crate::practice::Practice;
use crate::practice::reminders::Reminder;
use crate::session::CuePlan;
use crate::store::checkins::{CheckIn, CheckIns};
use crate::store::progress::ProgressBook;
use crate::store::small_tests::SmallTests;
use crate::store::{Library, SessionRecord, Settings};

/// A live session's number, unique while the app runs: sound that arrives late finds its session.
pub type SessionId = u64;

/// Something for the window itself to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewportEffect {
    Close,
    /// Cancel a close the desktop asked for (unsaved edits: ask first).
    CancelClose,
    Fullscreen(bool),
    /// Show, un-minimise and take the keyboard: the person asked for the window.
    BringUp,
    /// Show (from the tray too) and un-minimise, asking for attention without taking the
    /// keyboard.
    Attention,
    /// Put the window away (downshift stays in the tray).
    Hide,
}

#[derive(Debug)]
pub enum Effect {
    Viewport(ViewportEffect),
    /// Open the sound device and decode the cues (a worker thread).
    OpenSound,
    /// Start a session's cues on the open device, steered by `control`.
    PlayCues {
        session: SessionId,
        control: Arc<SessionControl>,
        plan: Box<CuePlan>,
    },
    SaveSettings(Box<Settings>),
    SaveProgress(Box<ProgressBook>),
    /// Append a session's record to the history log (and flush it); its checkpoint goes.
    AppendRecord(Box<SessionRecord>),
    /// Keep the live session's checkpoint: the record as it would be written if it ended now,
    /// and, while it runs, its timing (`LiveSession::without_sound`), from which the files
    /// worker keeps checkpointing when the window stops drawing (hidden on Wayland) and records
    /// it if the process has to end without the window's help.
    Checkpoint {
        record: Box<SessionRecord>,
        running: Option<Box<RunningSession>>,
    },
    /// Turn checkpoints left behind by sessions that were cut off into history records.
    RecoverInterrupted,
    LoadHistory,
    DeleteRecord {
        id: String,
    },
    /// Export every session in the log (read again, in full).
    ExportHistory {
        format: ExportFormat,
        to: PathBuf,
    },
    /// Write a practice to `path`, or to a new file in the presets folder.
    SavePreset {
        path: Option<PathBuf>,
        practice: Box<Practice>,
    },
    RemovePreset {
        path: PathBuf,
        name: String,
    },
    /// Import a preset file (checked against the presets on disk), then read the library again.
    ImportPreset(PathBuf),
    ExportPreset {
        practice: Box<Practice>,
        to: PathBuf,
    },
    /// Show a reminder as a desktop notification.
    Notify(Reminder),
    WithdrawNotification,
    /// Hold the screen saver off (a session is running) or let go.
    KeepAwake(bool),
    /// Put downshift's item in the tray, or show this on it.
    Tray(crate::desktop::tray::TrayLook),
    /// Read idle time, full screen and do-not-disturb every few seconds (true), or stop.
    WatchSurroundings(bool),
    /// A word in passing, as a desktop notification with no actions.
    Inform(String),
    /// Read the check-ins (`checkins.log`).
    LoadCheckIns,
    /// Append a check-in, or an addition to one, and flush it.
    AppendCheckIn(Box<CheckIn>),
    /// Keep the small tests (`small-tests.ron`), atomically.
    SaveSmallTests(Box<SmallTests>),
    /// Keep how the reminders went each day (`reminder-days.ron`), atomically.
    SaveReminderDays(Box<crate::store::reminder_days::ReminderDays>),
    /// Write (true) or remove (false) the autostart entry that runs `downshift --background`
    /// when the desktop session starts.
    Autostart {
        entry: PathBuf,
        on: bool,
    },
}

/// What the runtime reports back.
#[derive(Debug)]
pub enum Message {
    SoundReady {
        sample_rate: u32,
        /// Cue files of one's own that could not be used.
        problems: Vec<String>,
    },
    SoundUnavailable(String),
    SoundLost,
    /// A session's cues are on the device, paused at the start, waiting to be put in place.
    CuesJoined(SessionId),
    HistoryLoaded(Result<KeptHistory, String>),
    /// Sessions cut off last time (a crash, a power cut), now in the history, and checkpoints
    /// that could not be read.
    Recovered {
        sessions: usize,
        problems: Vec<String>,
    },
    RecordSaved(Box<SessionRecord>),
    RecordNotSaved {
        record: Box<SessionRecord>,
        reason: String,
    },
    RecordDeleted {
        id: String,
        result: Result<bool, String>,
    },
    /// The library as read from disk again, and the practice to select.
    LibraryLoaded {
        library: Box<Library>,
        select: Option<String>,
    },
    PresetSaved {
        path: PathBuf,
        name: String,
    },
    /// A short message for the person (an export done, a file that could not be written).
    Notice(String),
    /// What the history screen should say (an export done or failed).
    HistoryMessage(String),
    /// The person answered a desktop notification.
    Notification(crate::desktop::notify::NotifierEvent),
    /// downshift was started again while this copy runs: show the window and take the keyboard.
    Activated,
    /// Something was picked in the tray's menu.
    Tray(crate::desktop::tray::TrayEvent),
    /// Whether the tray item can be seen.
    TrayStatus(crate::desktop::tray::TrayStatus),
    /// The autostart entry was written or removed (whether it is there now), or why not.
    Autostart(Result<bool, String>),
    CheckInsLoaded(Result<CheckIns, String>),
    /// A check-in (or an addition) reached the log, or why not.
    CheckInWritten {
        checkin: Box<CheckIn>,
        result: Result<(), String>,
    },
    /// What the desktop says now about idle time and what is on screen, for the reminders.
    Surroundings(crate::practice::reminders::Surroundings),
}

/// A running session's timing, away from the window.
pub struct RunningSession {
    pub session: crate::session::LiveSession,
    pub tension_before: Option<u8>,
}

impl RunningSession {
    /// The record it would leave if it ended at `now` (monotonic).
    pub fn record_at(&mut self, now: crate::practice::Micros) -> SessionRecord {
        let mut record = self.session.record_now(now);
        record.tension_before = self.tension_before;
        record
    }
}

impl std::fmt::Debug for RunningSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSession")
            .field("practice", &self.session.practice().name)
            .field("tension_before", &self.tension_before)
            .finish_non_exhaustive()
    }
}
