//! The window: one module per screen. Screens draw and return actions; the app applies them after
//! the frame. Files and sound are touched here, in the app, never in a widget.

mod editor;
mod history;
mod home;
mod rating;
mod reminder;
mod session;
mod settings;
mod summary;
pub mod theme;
mod widgets;

use std::sync::Arc;
use std::time::Instant;

use crate::audio::{AudioOutput, SoundBank};
use crate::practice::Outcome;
use crate::practice::pacing::{SessionFacts, after_session, answer, minute_of};
use crate::practice::reminders::{Activity, ReminderState};
use crate::practice::{Micros, Practice};
use crate::session::{LiveSession, SoundChoice};
use crate::store::progress::{LevelChange, ProgressBook};
use crate::store::{
    DataDir, Library, LibraryEntry, Origin, SessionRecord, Settings, append_record,
};
use rating::{RatingScreen, RatingStage};

pub use summary::SessionSummary;

/// A practice to begin as soon as the window opens (`downshift play NAME`).
pub struct StartRequest {
    pub practice: Practice,
    pub muted: bool,
}

/// The time now, in microseconds from any fixed start. Injected so tests can drive time.
pub type Clock = Arc<dyn Fn() -> Micros + Send + Sync>;

/// A clock that never goes backwards.
pub fn monotonic_clock() -> Clock {
    let epoch = Instant::now();
    Arc::new(move || epoch.elapsed().as_micros() as Micros)
}

/// The local date and time now. Injected so tests can set the hour and move through the day.
pub type LocalClock = Arc<dyn Fn() -> jiff::civil::DateTime + Send + Sync>;

/// The system's local time.
pub fn system_local_clock() -> LocalClock {
    Arc::new(|| jiff::Zoned::now().datetime())
}

/// A local clock that always reads `at`.
pub fn fixed_local_clock(at: jiff::civil::DateTime) -> LocalClock {
    Arc::new(move || at)
}

/// Whether to look for a sound device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoundMode {
    /// Open the default output device when the first session starts.
    Device,
    /// Never touch a device (tests).
    Off,
}

pub struct AppOptions {
    pub clock: Clock,
    pub sound: SoundMode,
    pub start: Option<StartRequest>,
    /// Local time, for the suggested practice and for reminders.
    pub local_clock: LocalClock,
    /// The real window rather than a test: it asks the desktop to keep the screen on during
    /// sessions, and clears to the background colour instead of painting it.
    pub real_window: bool,
}

impl AppOptions {
    pub fn new(clock: Clock, sound: SoundMode) -> Self {
        AppOptions {
            clock,
            sound,
            start: None,
            local_clock: system_local_clock(),
            real_window: false,
        }
    }
}

/// The local time now, in minutes after midnight.
pub fn local_minute_of_day() -> u32 {
    minute_of(jiff::Zoned::now().datetime())
}

/// The practice to suggest at `minute_of_day`, as an index into `library`, and why.
pub fn suggestion(
    library: &Library,
    settings: &Settings,
    minute_of_day: u32,
) -> Option<(usize, String)> {
    let slot = crate::practice::pacing::slot_at(&settings.time_slots, minute_of_day)?;
    let index = library.position(&slot.practice)?;
    let (hours, minutes) = (minute_of_day / 60, minute_of_day % 60);
    Some((
        index,
        format!("It's {hours:02}:{minutes:02} — {}.", slot.reason),
    ))
}

/// A question the home screen asks before changing files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeQuestion {
    /// Delete the selected preset of one's own.
    Delete,
    /// Remove one's customisation of the selected built-in.
    RestoreOriginal,
}

/// What a screen asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Select(usize),
    Start,
    TogglePause,
    SkipStep,
    EndSession,
    ToggleMute,
    ToggleFullscreen,
    Dismiss,
    OpenSettings,
    OpenHistory,
    /// Show one practice's sessions (an index into the history's practice list), or all.
    HistoryFilter(Option<usize>),
    HistoryDays(usize),
    HistorySelect(usize),
    /// Ask (true) or stop asking (false) whether to delete the selected session.
    AskDeleteSession(bool),
    DeleteSession,
    ExportHistory(history::ExportFormat),
    /// A tension rating, or `None` to skip it.
    Rate(Option<u8>),
    /// Yes or no to the progression step on the summary.
    AnswerOffer(bool),
    NewPreset,
    EditPreset,
    DuplicatePreset,
    /// Ask before deleting the selected preset of one's own (or restoring a built-in).
    AskHome(HomeQuestion),
    AnswerHome(bool),
    ImportPreset,
    ExportPreset,
    EditSteps(editor::StepEdit),
    SavePreset,
    LeaveEditor,
    DiscardEdits,
    KeepEditing,
    /// Begin the practice a reminder suggests.
    ReminderStart,
    /// Put the reminder off for a few minutes.
    ReminderLater,
    /// Back from a secondary screen (settings) to the home screen.
    CloseScreen,
    Quit,
}

enum Sound {
    NotOpened,
    Ready {
        output: AudioOutput,
        bank: SoundBank,
    },
    Unavailable,
    Off,
}

enum Screen {
    Home,
    Session(Box<LiveSession>),
    Summary(SessionSummary),
    Settings,
    Rating(Box<RatingScreen>),
    History(Box<history::HistoryScreen>),
    Editor(Box<editor::Editor>),
}

pub struct DownshiftApp {
    data_dir: DataDir,
    library: Library,
    settings: Settings,
    selected: usize,
    screen: Screen,
    sound: Sound,
    clock: Clock,
    /// Short, calm messages: a missing sound device, a file that could not be saved.
    notices: Vec<String>,
    actions: Vec<Action>,
    fullscreen: bool,
    applied_theme: Option<crate::store::settings::Theme>,
    /// The rating given before the running session, for its record.
    tension_before: Option<u8>,
    /// Set when the first frame's time is to be reported (`DOWNSHIFT_REPORT_FIRST_FRAME`).
    report_first_frame: Option<Instant>,
    progress: ProgressBook,
    /// Why the preselected practice was chosen ("It's 18:10 — time to leave work behind.").
    suggestion: Option<String>,
    /// The streak and the last session, for the home screen.
    glance: Option<String>,
    /// Holds the screen saver off while a session runs (real windows only).
    keep_awake: Option<crate::desktop::keep_awake::KeepAwake>,
    /// The real window (see `AppOptions::real_window`): keeps the screen on, clears to the
    /// background instead of painting it.
    real_window: bool,
    /// A question waiting on the home screen.
    home_question: Option<HomeQuestion>,
    /// The path typed for importing or exporting a preset.
    pub file_path: String,
    local_clock: LocalClock,
    reminders: ReminderState,
    /// Desktop notifications for reminders (real windows only; started at the first one).
    notifier: Option<crate::desktop::notify::Notifier>,
    /// The home screen's practice rows, as last drawn: Space on one of them starts it.
    home_rows: Vec<egui::Id>,
    /// The suggestions as they were when Settings opened, to see if they changed.
    slots_when_opened: Option<Vec<crate::practice::pacing::TimeSlot>>,
}

impl DownshiftApp {
    pub fn new(data_dir: DataDir, options: AppOptions) -> Self {
        let library = Library::load(Some(&data_dir.presets_dir()));
        let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
        let mut notices: Vec<String> = settings_problem.into_iter().collect();
        let (progress, progress_problem) = ProgressBook::load(&data_dir.progress_path());
        notices.extend(progress_problem);
        let minute_of_day = minute_of((options.local_clock)());
        let suggested = suggestion(&library, &settings, minute_of_day);
        let mut app = DownshiftApp {
            data_dir,
            library,
            settings,
            selected: suggested.as_ref().map_or(0, |(index, _)| *index),
            screen: Screen::Home,
            sound: match options.sound {
                SoundMode::Device => Sound::NotOpened,
                SoundMode::Off => Sound::Off,
            },
            clock: options.clock,
            notices,
            actions: Vec::new(),
            fullscreen: false,
            applied_theme: None,
            tension_before: None,
            report_first_frame: None,
            progress,
            suggestion: suggested.map(|(_, why)| why),
            glance: None,
            keep_awake: None,
            real_window: options.real_window,
            home_question: None,
            file_path: String::new(),
            local_clock: options.local_clock,
            reminders: ReminderState::default(),
            notifier: None,
            home_rows: Vec::new(),
            slots_when_opened: None,
        };
        app.glance = app.glance_text();
        if let Some(request) = options.start {
            if request.muted {
                app.settings.muted = true;
            }
            app.begin(request.practice, None);
        }
        app
    }

    fn now(&self) -> Micros {
        (self.clock)()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn is_in_session(&self) -> bool {
        matches!(self.screen, Screen::Session(_))
    }

    fn open_sound(&mut self) {
        if let Sound::NotOpened = self.sound {
            self.sound = match AudioOutput::open() {
                Ok(output) => {
                    output.wait_until_flowing();
                    let (bank, problems) =
                        SoundBank::load(output.sample_rate(), Some(&self.data_dir.sounds_dir()));
                    self.notices.extend(problems);
                    Sound::Ready { output, bank }
                }
                Err(reason) => {
                    log::warn!("no sound device: {reason}");
                    Sound::Unavailable
                }
            };
        }
    }

    /// The streak and the last session, from the history.
    fn glance_text(&self) -> Option<String> {
        let history = crate::store::load_history(&self.data_dir.history_path()).ok()?;
        let last = history.records.last()?;
        let today = jiff::Zoned::now().date();
        let insights = crate::store::insights::Insights::of(&history.records, today);
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

    /// The exhale a progressive practice is breathed at now, and its target.
    fn level_of(&self, practice: &Practice) -> Option<(f64, f64)> {
        let progression = practice.progression?;
        let base = practice.base_exhale()?;
        let level = self.progress.standing(&practice.name, base).exhale;
        Some((level, progression.target_exhale))
    }

    fn begin(&mut self, practice: Practice, tension_before: Option<u8>) {
        let practice = match self.level_of(&practice) {
            Some((level, _)) => practice.with_exhale(level),
            None => practice,
        };
        self.tension_before = tension_before;
        self.open_sound();
        let device = match &self.sound {
            Sound::Ready { output, bank } => Some((output, bank)),
            _ => None,
        };
        let choice = SoundChoice::from_settings(&self.settings);
        match LiveSession::start(practice, self.now(), device, choice) {
            Ok(session) => {
                if self.real_window {
                    self.keep_awake = Some(crate::desktop::keep_awake::KeepAwake::request(
                        "A breathing session is running",
                    ));
                }
                self.screen = Screen::Session(Box::new(session));
            }
            Err(problems) => self.notices.push(format!(
                "This practice cannot be started: {}",
                problems
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            )),
        }
    }

    /// Ends the running session. Its record is saved at once, or, when the person is asked how
    /// tense they feel afterwards (and is not leaving), once they answer or skip.
    fn finish_session(&mut self, leaving: bool) {
        let now = self.now();
        let Screen::Session(session) = &mut self.screen else {
            return;
        };
        let outcome = session.end(now);
        self.keep_awake = None;
        let mut record = session.record();
        if let Some(record) = &mut record {
            record.tension_before = self.tension_before;
        }
        let practice = session.practice().clone();
        if self.settings.ask_tension && !leaving {
            self.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::After {
                practice,
                outcome,
                record: record.map(Box::new),
            })));
        } else {
            self.save_and_summarize(&practice, &outcome, record);
        }
    }

    fn save_and_summarize(
        &mut self,
        practice: &Practice,
        outcome: &Outcome,
        record: Option<SessionRecord>,
    ) {
        let saved = match &record {
            Some(record) => append_record(&self.data_dir.history_path(), record).map_err(|e| {
                format!(
                    "This session could not be saved to {}: {e}",
                    self.data_dir.history_path().display()
                )
            }),
            None => Ok(()),
        };
        let tension = record.as_ref().map(|r| (r.tension_before, r.tension_after));
        let mut summary = SessionSummary::new(practice, outcome, saved).with_tension(tension);
        summary.offer = record
            .as_ref()
            .and_then(|r| self.progress_after(practice, r));
        self.screen = Screen::Summary(summary);
    }

    /// Moves a progressive practice's standing on after a session; returns an offer if due.
    fn progress_after(
        &mut self,
        practice: &Practice,
        record: &SessionRecord,
    ) -> Option<crate::practice::pacing::Offer> {
        let (_, target) = self.level_of(practice)?;
        let standing = self
            .progress
            .standing(&practice.name, practice.base_exhale()?);
        let facts = SessionFacts {
            completed: record.completed(),
            tension_before: record.tension_before,
            tension_after: record.tension_after,
        };
        // Never an exhale shorter than the inhale: the out-breath stays the longer one.
        let floor = practice
            .breathe_blocks()
            .next()
            .map_or(2.0, |b| b.pattern.inhale);
        let (next, offer) = after_session(&standing, facts, target, floor);
        self.progress.set(&practice.name, next, None);
        self.save_progress();
        offer
    }

    fn answer_offer(&mut self, accepted: bool) {
        let Screen::Summary(summary) = &mut self.screen else {
            return;
        };
        let Some(offer) = summary.offer.take() else {
            return;
        };
        let name = summary.practice.clone();
        let base = self
            .library
            .find(&name)
            .and_then(|e| e.practice.base_exhale())
            .unwrap_or(offer.from);
        let standing = self.progress.standing(&name, base);
        let next = answer(&standing, &offer, accepted);
        let change = accepted.then(|| LevelChange {
            date: jiff::Zoned::now().date().to_string(),
            from: offer.from,
            to: offer.to,
        });
        summary.offer_answer = Some(if accepted {
            format!("Your exhale is now {:.1} s.", offer.to)
        } else {
            format!("Staying at {:.1} s for now.", offer.from)
        });
        self.progress.set(&name, next, change);
        self.save_progress();
    }

    fn open_editor(
        &mut self,
        practice: Practice,
        path: Option<std::path::PathBuf>,
        original: Option<String>,
    ) {
        let taken = self
            .library
            .names()
            .map(|n| n.trim().to_lowercase())
            .collect();
        let editor = editor::Editor::new(practice, path, original, taken, self.now());
        self.screen = Screen::Editor(Box::new(editor));
    }

    /// `name`, or "name (copy)", "name (copy 2)"… whichever no practice has yet.
    fn free_name(&self, name: &str) -> String {
        let taken = |candidate: &str| self.library.find(candidate).is_some();
        let mut candidate = format!("{name} (copy)");
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{name} (copy {n})");
            n += 1;
        }
        candidate
    }

    /// Reads the presets again, keeping the selection on `name` if it is still there.
    fn reload_library(&mut self, name: Option<&str>) {
        self.library = Library::load(Some(&self.data_dir.presets_dir()));
        if let Some(index) = name.and_then(|n| self.library.position(n)) {
            self.selected = index;
        }
        self.selected = self
            .selected
            .min(self.library.entries.len().saturating_sub(1));
    }

    fn notice(&mut self, message: String) {
        if !self.notices.contains(&message) {
            self.notices.push(message);
        }
    }

    fn save_preset(&mut self) {
        let Screen::Editor(editor) = &mut self.screen else {
            return;
        };
        if !editor.can_save() {
            return;
        }
        let presets = self.data_dir.presets_dir();
        let path = editor.path.clone().unwrap_or_else(|| {
            crate::store::presets::free_path(
                &presets,
                &crate::store::presets::file_name_for(&editor.draft.name),
            )
        });
        match crate::store::presets::write_preset(&path, &editor.draft) {
            Ok(()) => {
                editor.mark_saved(path);
                let name = editor.draft.name.clone();
                self.reload_library(Some(&name));
                // The editor stays open; its file and name are now these.
                if let Screen::Editor(editor) = &mut self.screen {
                    editor.taken_names = self
                        .library
                        .names()
                        .map(|n| n.trim().to_lowercase())
                        .collect();
                }
            }
            Err(e) => self.notice(format!(
                "The preset could not be saved to {}: {e}",
                path.display()
            )),
        }
    }

    /// Deletes the selected preset of one's own; for a customised built-in this restores the
    /// original.
    fn remove_selected_preset(&mut self) {
        let Some(entry) = self.library.entries.get(self.selected).cloned() else {
            return;
        };
        let Origin::User { path, .. } = &entry.origin else {
            return;
        };
        match std::fs::remove_file(path) {
            Ok(()) => self.reload_library(Some(&entry.practice.name)),
            Err(e) => self.notice(format!("{} could not be removed: {e}", path.display())),
        }
    }

    /// Adds a preset file to one's presets, after checking it; never replaces one of one's own.
    pub fn import_preset(&mut self, file: &std::path::Path) {
        let practice = match crate::store::presets::read_preset_file(file) {
            Ok(practice) => practice,
            Err(errors) => {
                let first = errors.first().map(ToString::to_string).unwrap_or_default();
                self.notice(format!("Not imported: {first}"));
                return;
            }
        };
        if let Some(LibraryEntry {
            origin: Origin::User { path, .. },
            ..
        }) = self.library.find(&practice.name)
        {
            self.notice(format!(
                "Not imported: you already have a practice called \"{}\" ({}). Rename one of them first.",
                practice.name,
                path.display()
            ));
            return;
        }
        let presets = self.data_dir.presets_dir();
        let target = crate::store::presets::free_path(
            &presets,
            &crate::store::presets::file_name_for(&practice.name),
        );
        match crate::store::presets::write_preset(&target, &practice) {
            Ok(()) => {
                self.reload_library(Some(&practice.name));
                self.notice(format!("Imported \"{}\".", practice.name));
            }
            Err(e) => self.notice(format!(
                "Not imported: {} could not be written: {e}",
                target.display()
            )),
        }
    }

    fn export_preset(&mut self) {
        let Some(entry) = self.library.entries.get(self.selected) else {
            return;
        };
        let target = std::path::PathBuf::from(self.file_path.trim());
        let message = if self.file_path.trim().is_empty() {
            "Type the file to export to first.".to_owned()
        } else if target.exists() {
            format!("Not exported: {} already exists.", target.display())
        } else {
            match crate::store::presets::write_preset(&target, &entry.practice) {
                Ok(()) => format!(
                    "Exported \"{}\" to {}.",
                    entry.practice.name,
                    target.display()
                ),
                Err(e) => format!("Not exported: {e}"),
            }
        };
        self.notice(message);
    }

    fn save_progress(&mut self) {
        if let Err(e) = self.progress.save(&self.data_dir.progress_path()) {
            let message = format!("Your progress could not be saved: {e}");
            if !self.notices.contains(&message) {
                self.notices.push(message);
            }
        }
    }

    /// Saves whatever is in flight before the window closes.
    fn leave(&mut self) {
        self.finish_session(true);
        if let Screen::Rating(screen) = &self.screen
            && matches!(screen.stage, RatingStage::After { .. })
        {
            self.rate(None);
        }
    }

    fn rate(&mut self, value: Option<u8>) {
        let Screen::Rating(screen) = std::mem::replace(&mut self.screen, Screen::Home) else {
            return;
        };
        match screen.stage {
            RatingStage::Before { practice } => self.begin(practice, value),
            RatingStage::After {
                practice,
                outcome,
                mut record,
            } => {
                if let Some(record) = &mut record {
                    record.tension_after = value;
                }
                self.save_and_summarize(&practice, &outcome, record.map(|r| *r));
            }
        }
    }

    /// Reads the history from disk and shows it.
    pub fn open_history(&mut self) {
        let path = self.data_dir.history_path();
        match crate::store::load_history(&path) {
            Ok(history) => {
                let today = jiff::Zoned::now().date();
                self.screen =
                    Screen::History(Box::new(history::HistoryScreen::new(history, today)));
            }
            Err(e) => self.notices.push(format!(
                "The history in {} cannot be read: {e}",
                path.display()
            )),
        }
    }

    fn delete_session(&mut self) {
        let Screen::History(screen) = &self.screen else {
            return;
        };
        let Some(id) = screen.confirmed_deletion().map(str::to_owned) else {
            return;
        };
        let filter = screen.filter_name().map(str::to_owned);
        let path = self.data_dir.history_path();
        let result = crate::store::history::delete_record(&path, &id);
        self.open_history();
        if let Screen::History(screen) = &mut self.screen {
            screen.filter_to(filter.as_deref());
            screen.message = Some(match result {
                Ok(true) => "The session was deleted.".to_owned(),
                Ok(false) => "That session was already gone.".to_owned(),
                Err(e) => format!("The session could not be deleted: {e}"),
            });
        }
    }

    fn export_history(&mut self, format: history::ExportFormat) {
        let Screen::History(screen) = &mut self.screen else {
            return;
        };
        let (extension, result) = {
            let mut bytes = Vec::new();
            let records = screen.records();
            match format {
                history::ExportFormat::Csv => (
                    "csv",
                    crate::store::history::write_csv(&mut bytes, records).map(|_| bytes),
                ),
                history::ExportFormat::Json => (
                    "json",
                    crate::store::history::write_json(&mut bytes, records).map(|_| bytes),
                ),
            }
        };
        let name = format!("history-{}.{extension}", jiff::Zoned::now().date());
        let path = self.data_dir.root().join("exports").join(name);
        screen.message = Some(
            match result.and_then(|bytes| crate::store::write_atomic(&path, &bytes)) {
                Ok(()) => format!("Exported to {}", path.display()),
                Err(e) => format!("Could not export to {}: {e}", path.display()),
            },
        );
    }

    fn save_settings(&mut self) {
        if let Err(e) = self.settings.save(&self.data_dir.settings_path()) {
            let message = format!("Settings could not be saved: {e}");
            if !self.notices.contains(&message) {
                self.notices.push(message);
            }
        }
    }

    fn apply(&mut self, action: Action, ctx: &egui::Context) {
        let now = self.now();
        match action {
            Action::Select(index) => {
                if index < self.library.entries.len() {
                    self.selected = index;
                }
            }
            Action::Start => self.start_selected(),
            Action::Rate(value) => self.rate(value),
            Action::ReminderStart => self.start_reminder(),
            Action::ReminderLater => self.later_reminder(),
            Action::AnswerOffer(accepted) => self.answer_offer(accepted),
            Action::NewPreset => self.open_editor(editor::Editor::blank_practice(), None, None),
            Action::EditPreset => {
                if let Some(entry) = self.library.entries.get(self.selected).cloned() {
                    let path = match entry.origin {
                        Origin::User { path, .. } => Some(path),
                        Origin::BuiltIn => None,
                    };
                    let name = entry.practice.name.clone();
                    self.open_editor(entry.practice, path, Some(name));
                }
            }
            Action::DuplicatePreset => {
                if let Some(entry) = self.library.entries.get(self.selected) {
                    let mut copy = entry.practice.clone();
                    copy.name = self.free_name(&copy.name);
                    self.open_editor(copy, None, None);
                }
            }
            Action::AskHome(question) => self.home_question = Some(question),
            Action::AnswerHome(yes) => {
                if let (true, Some(_)) = (yes, self.home_question) {
                    self.remove_selected_preset();
                }
                self.home_question = None;
            }
            Action::ImportPreset => {
                if self.file_path.trim().is_empty() {
                    self.notice("Type the path of a preset file to import first.".to_owned());
                } else {
                    let path = std::path::PathBuf::from(self.file_path.trim());
                    self.import_preset(&path);
                }
            }
            Action::ExportPreset => self.export_preset(),
            Action::EditSteps(edit) => {
                if let Screen::Editor(editor) = &mut self.screen {
                    editor.edit_steps(edit);
                }
            }
            Action::SavePreset => self.save_preset(),
            Action::LeaveEditor => {
                if let Screen::Editor(editor) = &mut self.screen {
                    if editor.has_changes() {
                        editor.confirming_leave = true;
                    } else {
                        self.screen = Screen::Home;
                    }
                }
            }
            Action::DiscardEdits => self.screen = Screen::Home,
            Action::KeepEditing => {
                if let Screen::Editor(editor) = &mut self.screen {
                    editor.confirming_leave = false;
                }
            }
            Action::TogglePause => {
                if let Screen::Session(session) = &mut self.screen {
                    session.toggle_pause(now);
                }
            }
            Action::SkipStep => {
                if let Screen::Session(session) = &mut self.screen {
                    session.skip_step(now);
                }
            }
            Action::EndSession => self.finish_session(false),
            Action::ToggleMute => {
                self.settings.muted = !self.settings.muted;
                if let Screen::Session(session) = &self.screen {
                    session.set_muted(self.settings.muted);
                }
                self.save_settings();
            }
            Action::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Action::Dismiss => {
                self.glance = self.glance_text();
                self.screen = Screen::Home;
            }
            Action::OpenSettings => {
                self.slots_when_opened = Some(self.settings.time_slots.clone());
                self.screen = Screen::Settings;
            }
            Action::OpenHistory => self.open_history(),
            Action::HistoryFilter(filter) => {
                if let Screen::History(screen) = &mut self.screen {
                    screen.set_filter(filter);
                }
            }
            Action::HistoryDays(days) => {
                if let Screen::History(screen) = &mut self.screen {
                    screen.set_chart_days(days);
                }
            }
            Action::ExportHistory(format) => self.export_history(format),
            Action::HistorySelect(index) => {
                if let Screen::History(screen) = &mut self.screen {
                    screen.select(index);
                }
            }
            Action::AskDeleteSession(asking) => {
                if let Screen::History(screen) = &mut self.screen {
                    screen.ask_to_delete(asking);
                }
            }
            Action::DeleteSession => self.delete_session(),
            Action::CloseScreen => {
                if matches!(self.screen, Screen::Settings) {
                    self.save_settings();
                    // Changed suggestions take effect at once; otherwise the choice stays.
                    if self.slots_when_opened.take().as_ref() != Some(&self.settings.time_slots) {
                        let minute = minute_of((self.local_clock)());
                        let suggested = suggestion(&self.library, &self.settings, minute);
                        if let Some((index, _)) = &suggested {
                            self.selected = *index;
                        }
                        self.suggestion = suggested.map(|(_, why)| why);
                    }
                }
                self.screen = Screen::Home;
            }
            Action::Quit => {
                if let Screen::Editor(editor) = &mut self.screen
                    && editor.has_changes()
                    && !editor.confirming_leave
                {
                    editor.confirming_leave = true;
                    return;
                }
                self.leave();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// The keyboard: taken before widgets see it, so a focused button never acts twice.
    fn keys(&mut self, ctx: &egui::Context) {
        use egui::{Key, Modifiers};
        // Only a text field keeps every key to itself; a focused button is handled below.
        let typing = ctx.text_edit_focused();
        let pressed = |key: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Q)) {
            self.actions.push(Action::Quit);
            return;
        }
        if matches!(self.screen, Screen::Editor(_))
            && ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::S))
        {
            self.actions.push(Action::SavePreset);
        }
        if typing {
            return;
        }
        // A button reached with Tab takes Space and Enter itself (egui focuses buttons only from
        // the keyboard), so "Tab to Settings, Enter" opens Settings rather than a session. On a
        // practice row they still start the practice.
        let button_focused = ctx
            .memory(|m| m.focused())
            .is_some_and(|id| !self.home_rows.contains(&id));
        match &self.screen {
            Screen::Home => {
                let count = self.library.entries.len();
                if !button_focused && (pressed(Key::Space) || pressed(Key::Enter)) {
                    self.actions.push(Action::Start);
                }
                if pressed(Key::ArrowDown) && self.selected + 1 < count {
                    self.actions.push(Action::Select(self.selected + 1));
                }
                if pressed(Key::ArrowUp) && self.selected > 0 {
                    self.actions.push(Action::Select(self.selected - 1));
                }
            }
            Screen::Session(_) => {
                for (key, action) in [
                    (Key::Space, Action::TogglePause),
                    (Key::Escape, Action::EndSession),
                    (Key::S, Action::SkipStep),
                    (Key::M, Action::ToggleMute),
                    (Key::F, Action::ToggleFullscreen),
                ] {
                    if pressed(key) {
                        self.actions.push(action);
                    }
                }
            }
            Screen::Summary(_) => {
                if pressed(Key::Escape)
                    || (!button_focused && (pressed(Key::Enter) || pressed(Key::Space)))
                {
                    self.actions.push(Action::Dismiss);
                }
            }
            Screen::Editor(_) => {
                if pressed(Key::Escape) {
                    self.actions.push(Action::LeaveEditor);
                }
            }
            Screen::Settings | Screen::History(_) => {
                if pressed(Key::Escape) {
                    self.actions.push(Action::CloseScreen);
                }
            }
            Screen::Rating(_) => {
                let keys = [
                    Key::Num0,
                    Key::Num1,
                    Key::Num2,
                    Key::Num3,
                    Key::Num4,
                    Key::Num5,
                    Key::Num6,
                    Key::Num7,
                    Key::Num8,
                    Key::Num9,
                    Key::Enter,
                    Key::Space,
                ];
                let typed: Vec<Key> = keys.into_iter().filter(|&k| pressed(k)).collect();
                let skip = pressed(Key::S);
                let escape = pressed(Key::Escape);
                if let Screen::Rating(screen) = &mut self.screen {
                    for key in typed {
                        if let Some(value) = screen.key(key) {
                            self.actions.push(Action::Rate(Some(value)));
                        }
                    }
                    let before = matches!(screen.stage, RatingStage::Before { .. });
                    if skip || (escape && !before) {
                        self.actions.push(Action::Rate(None));
                    } else if escape {
                        self.actions.push(Action::CloseScreen);
                    }
                }
            }
        }
        if pressed(Key::F) && !matches!(self.screen, Screen::Session(_)) {
            self.actions.push(Action::ToggleFullscreen);
        }
    }

    fn sound_notice(&self) -> Option<String> {
        match &self.sound {
            Sound::Unavailable if self.is_in_session() => {
                Some("No sound device: the session runs silently.".to_owned())
            }
            _ => None,
        }
    }

    /// Reminders: looks at the time, shows one that is newly due, and hears back from the
    /// desktop's notification.
    fn keep_reminders(&mut self, ctx: &egui::Context) {
        use crate::desktop::notify::NotifierEvent;
        let now = (self.local_clock)();
        let activity = match &self.screen {
            Screen::Session(session) => Activity::InSession(&session.practice().name),
            Screen::Rating(screen) => Activity::InSession(&screen.practice().name),
            _ => Activity::Free,
        };
        let was_showing = self.reminders.showing().is_some();
        if let Some(reminder) = self.reminders.tick(&self.settings.reminders, now, activity) {
            self.announce(&reminder, ctx);
        } else if was_showing && self.reminders.showing().is_none() {
            self.withdraw_notification();
        }
        let events: Vec<NotifierEvent> = self
            .notifier
            .iter()
            .flat_map(|n| std::iter::from_fn(|| n.try_event()))
            .collect();
        for event in events {
            match event {
                // Answered in the notification, perhaps with the window minimised (when only
                // `logic` runs, never the screens): acted on here and now.
                NotifierEvent::Start => {
                    bring_up(ctx);
                    self.start_reminder();
                }
                NotifierEvent::Later => self.later_reminder(),
                NotifierEvent::Open => bring_up(ctx),
                NotifierEvent::Unavailable(reason) => {
                    // No notification service: the window itself comes up, without taking
                    // the keyboard from whatever the person is typing into.
                    log::info!("no desktop notifications ({reason}); raising the window");
                    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ));
                }
            }
        }
        if let Some(wait) = self.reminders.next_check(&self.settings.reminders, now) {
            // At least once a minute: the window's timers do not count time the computer slept.
            let seconds = wait.as_secs().clamp(1, 60) as u64;
            ctx.request_repaint_after(std::time::Duration::from_secs(seconds));
        }
    }

    /// A reminder fell due: the prompt shows in the window; a real window also asks the desktop
    /// to show a notification.
    fn announce(&mut self, reminder: &crate::practice::reminders::Reminder, ctx: &egui::Context) {
        if !self.real_window {
            return;
        }
        let notifier = self.notifier.get_or_insert_with(|| {
            let ctx = ctx.clone();
            crate::desktop::notify::Notifier::start(None, Arc::new(move || ctx.request_repaint()))
        });
        notifier.show(&reminder.practice, &reminder.message);
        ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
            egui::UserAttentionType::Informational,
        ));
    }

    /// "Later": the prompt goes, in the window and on the desktop, and comes back in a while.
    fn later_reminder(&mut self) {
        self.reminders
            .later(&self.settings.reminders, (self.local_clock)());
        self.withdraw_notification();
    }

    fn withdraw_notification(&self) {
        if let Some(notifier) = &self.notifier {
            notifier.withdraw();
        }
    }

    /// Begins the selected practice, asking first how tense the person feels if they want that.
    fn start_selected(&mut self) {
        if let Some(entry) = self.library.entries.get(self.selected) {
            let practice = entry.practice.clone();
            if self.settings.ask_tension {
                self.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::Before {
                    practice,
                })));
            } else {
                self.begin(practice, None);
            }
        }
    }

    /// "Start" on a reminder: its practice begins as if chosen on the home screen.
    fn start_reminder(&mut self) {
        if let Screen::Editor(editor) = &mut self.screen
            && editor.has_changes()
        {
            // Unsaved edits are never dropped for a reminder: the editor asks first, and the
            // reminder waits.
            editor.confirming_leave = true;
            return;
        }
        if matches!(self.screen, Screen::Settings) {
            self.save_settings();
        }
        let Some(reminder) = self.reminders.start() else {
            return;
        };
        self.withdraw_notification();
        match self.library.position(&reminder.practice) {
            Some(index) => {
                self.selected = index;
                self.screen = Screen::Home;
                self.start_selected();
            }
            None => self.notice(format!(
                "The reminder's practice \"{}\" is not in your list: choose another in Settings.",
                reminder.practice
            )),
        }
    }

    /// Work that must happen even while the window is hidden: the end of a practice, a lost
    /// device, reminders.
    fn keep_time(&mut self, ctx: &egui::Context) {
        self.keep_reminders(ctx);
        let now = self.now();
        if let Sound::Ready { output, .. } = &mut self.sound
            && output.is_lost()
        {
            self.sound = Sound::Unavailable;
            self.notices
                .push("The sound device stopped: the session goes on silently.".to_owned());
            if let Screen::Session(session) = &mut self.screen {
                session.lose_sound(now);
            }
        }
        if let Screen::Session(session) = &mut self.screen
            && session.is_finished(now)
        {
            self.finish_session(false);
        }
    }

    /// Draws the current screen into `ui` and applies what it asked for. The clock's work
    /// (`keep_time`) is done before, in `logic`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(&ctx, self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            if let Screen::Editor(editor) = &mut self.screen
                && editor.has_changes()
                && !editor.confirming_leave
            {
                // Unsaved edits are never lost silently: ask first.
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                editor.confirming_leave = true;
            } else {
                self.leave();
            }
        }
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for file in dropped {
            self.import_preset(&file);
        }
        scale_to_window(&ctx);
        self.keys(&ctx);
        let palette = theme::Palette::of(self.settings.theme);
        let now = self.now();
        let mut notices = self.notices.clone();
        notices.extend(self.sound_notice());
        // The background is the window's clear colour (see `clear_color`), not a painted panel:
        // under software rendering every pixel painted costs, and this saves a whole window's.
        let fill = if self.real_window {
            egui::Color32::TRANSPARENT
        } else {
            palette.background
        };
        let frame = egui::Frame::central_panel(ui.style())
            .fill(fill)
            .inner_margin(24);
        egui::CentralPanel::default().frame(frame).show(ui, |ui| {
            if !matches!(self.screen, Screen::Session(_))
                && let Some(shown) = self.reminders.showing()
            {
                reminder::show(ui, shown, &palette, &mut self.actions);
            }
            match &mut self.screen {
                Screen::Home => {
                    let level = self
                        .library
                        .entries
                        .get(self.selected)
                        .and_then(|e| self.level_of(&e.practice));
                    let glance = home::Glance {
                        suggestion: self.suggestion.as_deref(),
                        recent: self.glance.as_deref(),
                        level,
                        question: self.home_question,
                    };
                    self.home_rows = home::show(
                        ui,
                        &self.library,
                        self.selected,
                        &glance,
                        &mut self.file_path,
                        &palette,
                        &mut self.actions,
                    )
                }
                Screen::Session(session) => session::show(
                    ui,
                    session,
                    now,
                    &self.settings,
                    &palette,
                    &mut self.actions,
                ),
                Screen::Summary(summary) => summary::show(ui, summary, &palette, &mut self.actions),
                Screen::Settings => {
                    let practices: Vec<String> = self.library.names().map(str::to_owned).collect();
                    settings::show(
                        ui,
                        &mut self.settings,
                        &practices,
                        &palette,
                        &mut self.actions,
                    )
                }
                Screen::Rating(screen) => rating::show(ui, screen, &palette, &mut self.actions),
                Screen::History(screen) => history::show(ui, screen, &palette, &mut self.actions),
                Screen::Editor(editor) => editor::show(
                    ui,
                    editor,
                    now,
                    self.settings.reduced_motion,
                    &palette,
                    &mut self.actions,
                ),
            }
            widgets::notices(ui, &notices, &palette);
        });
        for action in std::mem::take(&mut self.actions) {
            self.apply(action, &ctx);
        }
        let now = self.now();
        match &mut self.screen {
            Screen::Session(session) => {
                let wait = session::next_repaint(session, now, &self.settings);
                ctx.request_repaint_after(wait);
            }
            // The preview breathes while the editor is open.
            Screen::Editor(_) => ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                1.0 / self.settings.frame_rate_cap.max(1) as f64,
            )),
            _ => {}
        }
    }
}

/// Un-minimises the window and gives it the keyboard: the person asked for it.
fn bring_up(ctx: &egui::Context) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
}

/// Everything grows with the window (full screen, a large monitor) and shrinks a little with a
/// small one: the layout is made for 720 × 760 points.
fn scale_to_window(ctx: &egui::Context) {
    let Some(inner) = ctx.input(|i| i.viewport().inner_rect) else {
        return;
    };
    let zoom = ctx.zoom_factor();
    let unzoomed = inner.size() * zoom;
    let fit = (unzoomed.x / 720.0)
        .min(unzoomed.y / 760.0)
        .clamp(0.85, 2.0);
    // In steps of 5 %, so dragging the window's edge does not re-lay the text at every pixel.
    let wanted = (fit * 20.0).round() / 20.0;
    if (wanted - zoom).abs() > 0.01 {
        ctx.set_zoom_factor(wanted);
    }
}

impl eframe::App for DownshiftApp {
    /// Runs before every `ui`, and alone while the window is hidden.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.keep_time(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(launched) = self.report_first_frame.take() {
            // For scripts/bench.sh: how long from launch until the first frame was built.
            eprintln!("first frame after {} ms", launched.elapsed().as_millis());
        }
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        theme::Palette::of(self.settings.theme)
            .background
            .to_normalized_gamma_f32()
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Opens the window and runs until it is closed.
pub fn run(data_dir: DataDir, start: Option<StartRequest>) -> Result<(), String> {
    let launched = Instant::now();
    // Window size and position are kept beside the person's other files.
    let persistence_path = data_dir
        .ensure_exists()
        .ok()
        .map(|_| data_dir.root().join("window.ron"));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("downshift")
            .with_app_id("downshift")
            .with_inner_size([720.0, 760.0])
            .with_min_inner_size([420.0, 520.0]),
        renderer: renderer(),
        persist_window: persistence_path.is_some(),
        persistence_path,
        ..Default::default()
    };
    let app_options = AppOptions {
        start,
        real_window: true,
        ..AppOptions::new(monotonic_clock(), SoundMode::Device)
    };
    eframe::run_native(
        "downshift",
        options,
        Box::new(move |_cc| {
            let mut app = DownshiftApp::new(data_dir, app_options);
            if std::env::var_os("DOWNSHIFT_REPORT_FIRST_FRAME").is_some() {
                app.report_first_frame = Some(launched);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("the window could not be opened: {e}"))
}

/// OpenGL (glow) draws the window: measured lighter than wgpu under software rendering (see the
/// README's Performance section). A build with the `wgpu` feature can be asked for wgpu with
/// `DOWNSHIFT_RENDERER=wgpu`, to compare the two.
fn renderer() -> eframe::Renderer {
    #[cfg(feature = "wgpu")]
    if std::env::var("DOWNSHIFT_RENDERER").as_deref() == Ok("wgpu") {
        return eframe::Renderer::Wgpu;
    }
    eframe::Renderer::Glow
}
