//! The window: one module per screen. Screens draw and return actions; the app applies them after
//! the frame. Files and sound are touched here, in the app, never in a widget.

mod history;
mod home;
mod rating;
mod session;
mod settings;
mod summary;
pub mod theme;
mod widgets;

use std::sync::Arc;
use std::time::Instant;

use crate::audio::{AudioOutput, SoundBank};
use crate::practice::Outcome;
use crate::practice::{Micros, Practice};
use crate::session::{LiveSession, SoundChoice};
use crate::store::{DataDir, Library, SessionRecord, Settings, append_record};
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
}

impl AppOptions {
    pub fn new(clock: Clock, sound: SoundMode) -> Self {
        AppOptions {
            clock,
            sound,
            start: None,
        }
    }
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
}

impl DownshiftApp {
    pub fn new(data_dir: DataDir, options: AppOptions) -> Self {
        let library = Library::load(Some(&data_dir.presets_dir()));
        let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
        let mut notices: Vec<String> = settings_problem.into_iter().collect();
        if !library.problems.is_empty() {
            notices.push(format!(
                "{} preset file{} could not be used: see `downshift presets list` for details",
                library.problems.len(),
                if library.problems.len() == 1 { "" } else { "s" }
            ));
        }
        let mut app = DownshiftApp {
            data_dir,
            library,
            settings,
            selected: 0,
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
        };
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

    fn begin(&mut self, practice: Practice, tension_before: Option<u8>) {
        self.tension_before = tension_before;
        self.open_sound();
        let device = match &self.sound {
            Sound::Ready { output, bank } => Some((output, bank)),
            _ => None,
        };
        let choice = SoundChoice::from_settings(&self.settings);
        match LiveSession::start(practice, self.now(), device, choice) {
            Ok(session) => self.screen = Screen::Session(Box::new(session)),
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
        let summary = SessionSummary::new(practice, outcome, saved).with_tension(tension);
        self.screen = Screen::Summary(summary);
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
            Action::Start => {
                if let Some(entry) = self.library.entries.get(self.selected) {
                    let practice = entry.practice.clone();
                    if self.settings.ask_tension {
                        self.screen =
                            Screen::Rating(Box::new(RatingScreen::new(RatingStage::Before {
                                practice,
                            })));
                    } else {
                        self.begin(practice, None);
                    }
                }
            }
            Action::Rate(value) => self.rate(value),
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
            Action::Dismiss => self.screen = Screen::Home,
            Action::OpenSettings => self.screen = Screen::Settings,
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
                }
                self.screen = Screen::Home;
            }
            Action::Quit => {
                self.leave();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// The keyboard: taken before widgets see it, so a focused button never acts twice.
    fn keys(&mut self, ctx: &egui::Context) {
        use egui::{Key, Modifiers};
        let typing = ctx.egui_wants_keyboard_input();
        let pressed = |key: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Q)) {
            self.actions.push(Action::Quit);
            return;
        }
        if typing {
            return;
        }
        match &self.screen {
            Screen::Home => {
                let count = self.library.entries.len();
                if pressed(Key::Space) || pressed(Key::Enter) {
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
                if pressed(Key::Enter) || pressed(Key::Space) || pressed(Key::Escape) {
                    self.actions.push(Action::Dismiss);
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

    /// Work that must happen even while the window is hidden: the end of a practice, a lost
    /// device.
    fn keep_time(&mut self) {
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

    /// Draws the current screen into `ui` and applies what it asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(&ctx, self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.leave();
        }
        self.keep_time();
        self.keys(&ctx);
        let palette = theme::Palette::of(self.settings.theme);
        let now = self.now();
        let mut notices = self.notices.clone();
        notices.extend(self.sound_notice());
        let frame = egui::Frame::central_panel(ui.style())
            .fill(palette.background)
            .inner_margin(24);
        egui::CentralPanel::default().frame(frame).show(ui, |ui| {
            match &mut self.screen {
                Screen::Home => home::show(
                    ui,
                    &self.library,
                    self.selected,
                    &palette,
                    &mut self.actions,
                ),
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
                    settings::show(ui, &mut self.settings, &palette, &mut self.actions)
                }
                Screen::Rating(screen) => rating::show(ui, screen, &palette, &mut self.actions),
                Screen::History(screen) => history::show(ui, screen, &palette, &mut self.actions),
            }
            widgets::notices(ui, &notices, &palette);
        });
        for action in std::mem::take(&mut self.actions) {
            self.apply(action, &ctx);
        }
        let now = self.now();
        if let Screen::Session(session) = &mut self.screen {
            let wait = session::next_repaint(session, now, &self.settings);
            ctx.request_repaint_after(wait);
        }
    }
}

impl eframe::App for DownshiftApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.keep_time();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Opens the window and runs until it is closed.
pub fn run(data_dir: DataDir, start: Option<StartRequest>) -> Result<(), String> {
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
        renderer: eframe::Renderer::Glow,
        persist_window: persistence_path.is_some(),
        persistence_path,
        ..Default::default()
    };
    let app_options = AppOptions {
        clock: monotonic_clock(),
        sound: SoundMode::Device,
        start,
    };
    eframe::run_native(
        "downshift",
        options,
        Box::new(move |_cc| Ok(Box::new(DownshiftApp::new(data_dir, app_options)))),
    )
    .map_err(|e| format!("the window could not be opened: {e}"))
}
