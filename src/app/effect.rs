//! What `update` asks the world to do (effects), and what comes back (messages). Each effect
//! names the part of the world that carries it out: the window itself, the sound worker, the
//! files worker or a desktop service. The runtime routes them by that kind, and each worker
//! matches every effect of its kind, so an effect that nobody carries out does not compile.

use std::path::PathBuf;
use std::sync::Arc;

use super::kept::KeptHistory;
use super::screen::ExportFormat;
use crate::audio::SessionControl;
use crate::desktop::heart_strap::ScanEvent;
use crate::practice::Practice;
use crate::practice::heart::{HeartEvent, Recording};
use crate::practice::reminders::Reminder;
use crate::session::{CuePlan, LiveSession};
use crate::store::checkins::{CheckIn, CheckIns};
use crate::store::progress::ProgressBook;
use crate::store::{Library, SessionRecord, Settings};

/// A live session's number, unique while the app runs: sound that arrives late finds its session.
pub type SessionId = u64;

#[derive(Debug)]
pub enum Effect {
    /// For the window itself (eframe's viewport).
    Viewport(ViewportEffect),
    /// For the sound worker, which owns the device.
    Sound(SoundEffect),
    /// For the files worker: written one after another, in the order asked.
    Files(FileEffect),
    /// For the desktop's services (notifications, the tray, keep-awake, presence).
    Desktop(DesktopEffect),
}

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
    /// Ask for attention as the window is (a reminder is up in a notification too): the task
    /// bar may mark it; nothing moves.
    Mark,
}

/// For the sound worker.
#[derive(Debug)]
pub enum SoundEffect {
    /// Open the sound device and decode the cues.
    Open,
    /// Start a session's cues on the open device, steered by `control` (a handle shared with
    /// the session: see `LiveSession::attach_cues`).
    PlayCues {
        session: SessionId,
        control: Arc<SessionControl>,
        plan: Box<CuePlan>,
    },
}

/// For the files worker.
#[derive(Debug)]
pub enum FileEffect {
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
        running: Option<Box<LiveSession>>,
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
    /// Read the check-ins (`checkins.log`).
    LoadCheckIns,
    /// Append a check-in, or an addition to one, and flush it.
    AppendCheckIn(Box<CheckIn>),
    /// Keep the small tests (`small-tests.ron`), atomically.
    SaveSmallTests(Box<crate::store::small_tests::SmallTests>),
    /// Keep how the reminders went each day (`reminder-days.ron`), atomically.
    SaveReminderDays(Box<crate::store::reminder_days::ReminderDays>),
    /// Write (true) or remove (false) the autostart entry that runs `downshift --background`
    /// when the desktop session starts.
    Autostart {
        entry: PathBuf,
        on: bool,
    },
    /// Add the heart's raw beat intervals (ms) to the live session's file
    /// (`heart/<record id>.rr`, made with the first; `about` heads it); `sync`: to disk too;
    /// `last`: the session is over and its file is closed.
    RawIntervals {
        record_id: String,
        about: String,
        rr_ms: Vec<f64>,
        sync: bool,
        last: bool,
    },
}

/// For the desktop's services.
#[derive(Debug)]
pub enum DesktopEffect {
    /// Show a reminder as a desktop notification.
    Notify(Reminder),
    WithdrawNotification,
    /// A word in passing, as a desktop notification with no actions.
    Inform(String),
    /// Hold the screen saver off (a session is running) or let go.
    KeepAwake(bool),
    /// Put downshift's item in the tray, or show this on it.
    Tray(crate::desktop::tray::TrayLook),
    /// Read idle time, full screen and do-not-disturb every few seconds (true), or stop.
    WatchSurroundings(bool),
    /// Start sending the live session the heart's beats from this source, or (`None`) stop.
    /// Nothing of Bluetooth is made unless a strap is asked for here, or `LookForStraps`.
    HeartSource(Option<HeartFeed>),
    /// Look for heart rate straps nearby (true), or stop looking.
    LookForStraps(bool),
}

/// Where a session's heartbeats come from.
#[derive(Clone, Debug, PartialEq)]
pub enum HeartFeed {
    /// The chosen strap, by its Bluetooth address.
    Strap { address: String },
    /// A recording replayed (`play --heart-rate-from FILE`).
    Recording(Recording),
}

impl From<ViewportEffect> for Effect {
    fn from(effect: ViewportEffect) -> Self {
        Effect::Viewport(effect)
    }
}

impl From<SoundEffect> for Effect {
    fn from(effect: SoundEffect) -> Self {
        Effect::Sound(effect)
    }
}

impl From<FileEffect> for Effect {
    fn from(effect: FileEffect) -> Self {
        Effect::Files(effect)
    }
}

impl From<DesktopEffect> for Effect {
    fn from(effect: DesktopEffect) -> Self {
        Effect::Desktop(effect)
    }
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
    /// From the heart's source of the live session: beats, connected, lost, back, a problem.
    Heart(HeartEvent),
    /// What the look for straps found, or why it cannot look.
    StrapScan(ScanEvent),
}
