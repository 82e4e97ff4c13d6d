//! The app's state: everything the screens show, as plain values. What is kept on disk
//! (settings, progress, the history) is held here as the values the store reads and writes.
//! Nothing here reads a file or a clock; the one handle to the world it holds is a live
//! session's sound control (see `LiveSession::attach_cues`), which only a session changes.

use std::sync::Arc;

use super::kept::{KeptHistory, KeptSession, Names};
use super::notices::Notices;
use super::screen::{HomeForm, Screen};
use crate::desktop::tray::{TrayLook, TrayStatus};
use crate::practice::Micros;
use crate::practice::reminders::{ReminderState, Surroundings};
use crate::store::checkins::CheckIn;
use crate::store::progress::ProgressBook;
use crate::store::reminder_days::ReminderDays;
use crate::store::small_tests::SmallTests;
use crate::store::{DataDir, Library, Settings};

/// The time, as `update` is handed it: the monotonic clock for sessions, the wall clock for
/// dates and the time of day.
#[derive(Clone, Debug)]
pub struct Now {
    pub mono: Micros,
    pub wall: jiff::Zoned,
}

impl Now {
    pub fn local(&self) -> jiff::civil::DateTime {
        self.wall.datetime()
    }

    pub fn today(&self) -> jiff::civil::Date {
        self.wall.date()
    }
}

/// The sound device, as the app knows it (the device itself lives in the runtime).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoundStatus {
    /// Not asked for yet: opened when the first session starts.
    NotOpened,
    /// Being opened on a worker; a session that starts meanwhile is silent until it is ready.
    Opening,
    Ready {
        sample_rate: u32,
    },
    /// Never to be touched (tests, benchmarks).
    Off,
}

/// The history log as last read, kept up to date with every record written or deleted since,
/// so it is read from disk once per run. What home says of it (the streak and the last session)
/// is worked out here, whenever the records change, and nowhere else.
#[derive(Clone, Debug, Default)]
pub enum HistoryCache {
    #[default]
    Loading,
    Loaded {
        records: Arc<Vec<KeptSession>>,
        /// Lines that could not be read, with why.
        problems: Vec<String>,
        names: Names,
        /// The streak and the last session, for the home screen.
        glance: Option<String>,
    },
    Failed(String),
}

impl HistoryCache {
    /// The history as read, or why it could not be.
    pub fn read(history: Result<KeptHistory, String>, today: jiff::civil::Date) -> Self {
        match history {
            Ok(history) => {
                let mut cache = HistoryCache::Loaded {
                    records: Arc::new(history.sessions),
                    problems: history.problems,
                    names: history.names,
                    glance: None,
                };
                cache.refresh_glance(today);
                cache
            }
            Err(reason) => HistoryCache::Failed(reason),
        }
    }

    pub fn records(&self) -> Option<&Arc<Vec<KeptSession>>> {
        match self {
            HistoryCache::Loaded { records, .. } => Some(records),
            _ => None,
        }
    }

    /// The streak and the last session ("3 days in a row  ·  Last: …").
    pub fn glance(&self) -> Option<&str> {
        match self {
            HistoryCache::Loaded { glance, .. } => glance.as_deref(),
            _ => None,
        }
    }

    /// A session just written joins what is kept.
    pub fn add(&mut self, record: &crate::store::SessionRecord, today: jiff::civil::Date) {
        if let HistoryCache::Loaded { records, names, .. } = self {
            Arc::make_mut(records).push(KeptSession::of(record, names));
            self.refresh_glance(today);
        }
    }

    /// A session deleted from the log leaves what is kept.
    pub fn remove(&mut self, id: &str, today: jiff::civil::Date) {
        if let HistoryCache::Loaded { records, .. } = self {
            Arc::make_mut(records).retain(|r| *r.id != *id);
            self.refresh_glance(today);
        }
    }

    fn refresh_glance(&mut self, today: jiff::civil::Date) {
        if let HistoryCache::Loaded {
            records, glance, ..
        } = self
        {
            *glance = glance_of(records, today);
        }
    }
}

/// The streak and the last session.
fn glance_of(records: &[KeptSession], today: jiff::civil::Date) -> Option<String> {
    let last = records.last()?;
    let insights = crate::store::insights::Insights::of(records.iter(), today);
    let streak = match insights.streak_days {
        0 => String::new(),
        1 => "1 day in a row  ·  ".to_owned(),
        n => format!("{n} days in a row  ·  "),
    };
    Some(format!(
        "{streak}Last: {}, {}",
        last.practice,
        last.started.local.strftime("%a %d %b, %H:%M")
    ))
}

/// The check-ins as last read, kept up to date with every one written since.
#[derive(Clone, Debug, Default)]
pub enum CheckInCache {
    #[default]
    Loading,
    Loaded(Arc<Vec<CheckIn>>),
    Failed(String),
}

impl CheckInCache {
    pub fn entries(&self) -> &[CheckIn] {
        match self {
            CheckInCache::Loaded(entries) => entries,
            _ => &[],
        }
    }
}

/// What the app starts from: read from the data folder before the window opens.
pub struct Loaded {
    pub library: Library,
    pub settings: Settings,
    pub progress: ProgressBook,
    pub small_tests: SmallTests,
    pub reminder_days: ReminderDays,
    /// Problems reading them, for the notices.
    pub problems: Vec<String>,
}

impl Loaded {
    /// Reads presets, settings and progress (small files) from the data folder.
    pub fn read(data_dir: &DataDir) -> Self {
        let library = Library::load(Some(&data_dir.presets_dir()));
        let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
        let (progress, progress_problem) = ProgressBook::load(&data_dir.progress_path());
        let (small_tests, tests_problem) = SmallTests::load(&data_dir.small_tests_path());
        let (reminder_days, days_problem) = ReminderDays::load(&data_dir.reminder_days_path());
        Loaded {
            library,
            settings,
            progress,
            small_tests,
            reminder_days,
            problems: settings_problem
                .into_iter()
                .chain(progress_problem)
                .chain(tests_problem)
                .chain(days_problem)
                .collect(),
        }
    }
}

pub struct AppState {
    pub data_dir: DataDir,
    pub library: Library,
    pub settings: Settings,
    pub progress: ProgressBook,
    /// The practice chosen on the home screen (an index into `library`).
    pub selected: usize,
    pub screen: Screen,
    pub home: HomeForm,
    pub sound: SoundStatus,
    pub notices: Notices,
    pub fullscreen: bool,
    /// Why the preselected practice was chosen ("It's 18:10 — time to leave work behind.").
    pub suggestion: Option<String>,
    /// The name of the practice suggested for the time of day, marked on home.
    pub suggested: Option<String>,
    pub reminders: ReminderState,
    /// What the desktop last said about the person and the screen (idle time, full screen, do
    /// not disturb), for the reminders; never stored.
    pub surroundings: Surroundings,
    pub history: HistoryCache,
    pub checkins: CheckInCache,
    pub small_tests: SmallTests,
    /// How the reminders went each day (for "What changed?").
    pub reminder_days: ReminderDays,
    /// The number the next session gets.
    pub next_session: u64,
    /// Whether, and how, the person (or the desktop) asked downshift to go.
    pub departure: Departure,
    /// The tray, the window put away, the autostart entry.
    pub desktop: DesktopStatus,
    /// Beats to replay into the next session begun (`play NAME --heart-rate-from FILE`).
    pub heart_recording: Option<crate::practice::heart::Recording>,
}

/// Whether downshift is on its way out, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Departure {
    /// Nothing asked.
    #[default]
    Staying,
    /// The window is closing (closed, or the close waits on the unsaved-edits question);
    /// downshift may stay in the tray.
    Closing,
    /// Quit was asked for (the tray's Quit, Ctrl+Q): the close that follows ends downshift.
    Quitting,
    /// A signal asked downshift to end (logout, shutdown, the terminal closed): it leaves at
    /// once and asks nothing.
    Ending,
}

impl Departure {
    /// Leaving in any way.
    pub fn is_leaving(self) -> bool {
        self != Departure::Staying
    }
}

/// What the desktop side of downshift is doing, for Settings to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesktopStatus {
    pub tray: TrayStatus,
    /// The XDG autostart entry downshift writes, where there is one to write.
    pub autostart_entry: Option<std::path::PathBuf>,
    /// Whether that entry is there (read when the app opened, then as written).
    pub autostart: bool,
    /// The window is put away (in the tray, or never shown: `--background`).
    pub window_away: bool,
    /// What the tray item was last asked to show.
    pub tray_look: Option<TrayLook>,
    /// The local minute that look was worked out in; and whether a command or message came
    /// since, which may have changed it. Between the two it is not worked out again (it would
    /// be on every frame of a session).
    pub tray_looked_at: Option<(jiff::civil::Date, i8, i8)>,
    pub tray_outdated: bool,
    /// Idle time, full screen and do-not-disturb are being read (only while reminders are on).
    pub watching: bool,
    /// The first reading since watching began has come: until then nothing is known of a
    /// meeting or do-not-disturb, so no reminder falls due.
    pub surroundings_read: bool,
    /// The heart rate strap, as Settings says it.
    pub strap: StrapStatus,
}

/// What is known of heart rate straps, for Settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrapStatus {
    /// Looking for straps nearby (Settings asked).
    pub looking: bool,
    /// The straps found, strongest signal first.
    pub found: Vec<crate::desktop::heart_strap::StrapDevice>,
    /// What stands in the way (no Bluetooth, no adapter, switched off), in plain words.
    pub problem: Option<String>,
    /// How the strap did in the last session, in plain words.
    pub last_session: Option<String>,
}

impl Default for DesktopStatus {
    fn default() -> Self {
        DesktopStatus {
            tray: TrayStatus::Starting,
            autostart_entry: None,
            autostart: false,
            window_away: false,
            tray_look: None,
            tray_looked_at: None,
            tray_outdated: true,
            watching: false,
            surroundings_read: false,
            strap: StrapStatus::default(),
        }
    }
}

impl AppState {
    /// The app as it opens, at `now`. Does no I/O: what it needs was `Loaded` before.
    pub fn new(data_dir: DataDir, loaded: Loaded, sound: SoundStatus, now: &Now) -> Self {
        let mut notices = Notices::default();
        for problem in loaded.problems {
            notices.push(problem);
        }
        let mut state = AppState {
            data_dir,
            selected: 0,
            suggested: None,
            suggestion: None,
            library: loaded.library,
            settings: loaded.settings,
            progress: loaded.progress,
            screen: Screen::Home,
            home: HomeForm::default(),
            sound,
            notices,
            fullscreen: false,
            reminders: ReminderState::default(),
            surroundings: Surroundings::default(),
            history: HistoryCache::Loading,
            checkins: CheckInCache::Loading,
            small_tests: loaded.small_tests,
            reminder_days: loaded.reminder_days,
            next_session: 1,
            departure: Departure::Staying,
            desktop: Default::default(),
            heart_recording: None,
        };
        state.suggest(now);
        state
    }

    /// Chooses the practice suggested for the time of day (home marks it and says why), and
    /// selects it.
    pub fn suggest(&mut self, now: &Now) {
        let suggested = super::suggestion::suggestion(&self.library, &self.settings, now.local());
        if let Some((index, _)) = &suggested {
            self.selected = *index;
        }
        self.suggested = suggested
            .as_ref()
            .and_then(|(index, _)| self.library.entries.get(*index))
            .map(|entry| entry.practice.name.clone());
        self.suggestion = suggested.map(|(_, why)| why);
    }

    /// Gentle mode is on and `practice`, at the person's level, is outside it.
    pub fn is_outside_gentle_mode(&self, practice: &crate::practice::Practice) -> bool {
        self.settings.gentle_mode
            && !super::progression::outside_gentle_mode(&self.progress, practice).is_empty()
    }

    /// In gentle mode, for each practice in the library, whether it is outside it; empty when
    /// gentle mode is off.
    pub fn outside_gentle_mode(&self) -> Vec<bool> {
        if !self.settings.gentle_mode {
            return Vec::new();
        }
        self.library
            .entries
            .iter()
            .map(|entry| self.is_outside_gentle_mode(&entry.practice))
            .collect()
    }

    /// The person stays after all (a quit waiting on the unsaved-edits question was answered
    /// with Save, Back or Keep editing). A signal's ending is not taken back.
    pub fn stay(&mut self) {
        if self.departure != Departure::Ending {
            self.departure = Departure::Staying;
        }
    }

    /// Closing the window puts it away rather than ending downshift: reminders are on, the
    /// person wants it so, and there is a tray to come back from.
    pub fn stays_in_tray(&self) -> bool {
        self.settings.keep_in_tray
            && self.settings.reminders.any()
            && self.desktop.tray == TrayStatus::Shown
    }

    pub fn is_in_session(&self) -> bool {
        matches!(self.screen, Screen::Session(_))
    }

    /// The library as home lists it: the rituals, then the breathing practices, each in the
    /// library's order. The arrow keys move through it in this order.
    pub fn home_order(&self) -> Vec<usize> {
        let entries = &self.library.entries;
        let rituals = (0..entries.len()).filter(|&i| entries[i].practice.is_ritual());
        let breathing = (0..entries.len()).filter(|&i| !entries[i].practice.is_ritual());
        rituals.chain(breathing).collect()
    }

    /// Where the suggested practice is in the library now.
    pub fn suggested_index(&self) -> Option<usize> {
        self.library.position(self.suggested.as_deref()?)
    }

    /// The selected practice's current exhale and target, if it is progressive.
    pub fn selected_level(&self) -> Option<(f64, f64)> {
        let entry = self.library.entries.get(self.selected)?;
        super::progression::level_of(&self.progress, &entry.practice)
    }
}
