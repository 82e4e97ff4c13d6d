//! The app's state: everything the screens show, and nothing that touches the world (no egui
//! handles, no files, no device). What is kept on disk (settings, progress, the history) is held
//! here as the plain values the store reads and writes.

use std::sync::Arc;

use super::kept::{KeptSession, Names};
use super::notices::Notices;
use super::ops;
use super::screen::{HomeForm, Screen};
use crate::practice::Micros;
use crate::practice::reminders::{ReminderState, Surroundings};
use crate::store::checkins::CheckIn;
use crate::store::progress::ProgressBook;
use crate::store::reminder_days::{ReminderAnswer, ReminderDays};
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
/// so it is read from disk once per run.
#[derive(Clone, Debug, Default)]
pub enum HistoryCache {
    #[default]
    Loading,
    Loaded {
        records: Arc<Vec<KeptSession>>,
        /// Lines that could not be read, with why.
        problems: Vec<String>,
        names: Names,
    },
    Failed(String),
}

impl HistoryCache {
    pub fn records(&self) -> Option<&Arc<Vec<KeptSession>>> {
        match self {
            HistoryCache::Loaded { records, .. } => Some(records),
            _ => None,
        }
    }
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
    /// The rating given before the running session, for its record.
    pub tension_before: Option<u8>,
    /// Why the preselected practice was chosen ("It's 18:10 — time to leave work behind.").
    pub suggestion: Option<String>,
    /// The name of the practice suggested for the time of day, marked on home.
    pub suggested: Option<String>,
    /// The streak and the last session, for the home screen.
    pub glance: Option<String>,
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
    /// The person asked to leave (a quit waiting on the unsaved-edits question, or done).
    pub leaving: bool,
    /// A signal asked the app to end: it is leaving, and asks nothing.
    pub ending: bool,
    /// The tray, the window put away, the autostart entry.
    pub desktop: super::background::DesktopStatus,
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
            tension_before: None,
            glance: None,
            reminders: ReminderState::default(),
            surroundings: Surroundings::default(),
            history: HistoryCache::Loading,
            checkins: CheckInCache::Loading,
            small_tests: loaded.small_tests,
            reminder_days: loaded.reminder_days,
            next_session: 1,
            leaving: false,
            ending: false,
            desktop: Default::default(),
        };
        state.suggest(now);
        state
    }

    /// Chooses the practice suggested for the time of day (home marks it and says why), and
    /// selects it.
    pub fn suggest(&mut self, now: &Now) {
        let suggested = ops::suggestion(&self.library, &self.settings, now.local());
        if let Some((index, _)) = &suggested {
            self.selected = *index;
        }
        self.suggested = suggested
            .as_ref()
            .and_then(|(index, _)| self.library.entries.get(*index))
            .map(|entry| entry.practice.name.clone());
        self.suggestion = suggested.map(|(_, why)| why);
    }

    /// Counts how a reminder went today, and asks for the counts to be kept.
    pub fn count_reminder(
        &mut self,
        answer: ReminderAnswer,
        now: &Now,
        effects: &mut Vec<super::Effect>,
    ) {
        self.reminder_days.count(answer, now.today());
        effects.push(super::Effect::SaveReminderDays(Box::new(
            self.reminder_days.clone(),
        )));
    }

    /// Gentle mode is on and `practice`, at the person's level, is outside it.
    pub fn is_outside_gentle_mode(&self, practice: &crate::practice::Practice) -> bool {
        self.settings.gentle_mode
            && !crate::practice::fits_gentle_mode(&super::ops::at_current_level(
                &self.progress,
                practice.clone(),
            ))
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
        ops::level_of(&self.progress, &entry.practice)
    }
}
