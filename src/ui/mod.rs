//! The window: one module per screen, drawing from the app's state and pushing commands. After
//! the frame, `app::update` applies them; the effects go to the runtime (files, sound,
//! notifications, off this thread) or, for the viewport, to eframe here. The screens never touch
//! a file or a device; `run` reads what the first frame needs (presets, settings) before the
//! window opens, and the app's files are read and written by the runtime's workers.

mod about;
mod announce;
mod checkin;
mod editor;
mod history;
mod history_charts;
mod home;
mod keymap;
mod rating;
mod reminder;
mod safety;
mod session;
mod settings;
mod summary;
pub mod theme;
mod widgets;
mod your_days;

use std::sync::Arc;

use crate::app::screen::Screen;
use crate::app::{
    self, AppState, Command, Effect, FileEffect, Loaded, Mode, Now, Runtime, SoundStatus,
    ViewportEffect,
};
use crate::clock::Clocks;
use crate::practice::Practice;
use crate::store::DataDir;

/// A practice to begin as soon as the window opens (`downshift play NAME`).
pub struct StartRequest {
    pub practice: Practice,
    pub muted: bool,
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
    pub clocks: Clocks,
    pub sound: SoundMode,
    pub start: Option<StartRequest>,
    /// The real window rather than a test: effects run on worker threads with the desktop's
    /// services (keep-awake, notifications), and the window clears to the background colour
    /// instead of painting it.
    pub real_window: bool,
    /// Where "Start with my desktop session" writes its entry; `None`: nowhere (tests).
    pub autostart_entry: Option<std::path::PathBuf>,
    /// Whether that entry was there (looked at before the window opened).
    pub autostart_on: bool,
    /// Started with no window (`--background`): only the tray and the reminders.
    pub background: bool,
    /// The desktop's work area: the window is made to fit it at start.
    pub work_area: Option<crate::desktop::WorkArea>,
}

impl AppOptions {
    pub fn new(clocks: Clocks, sound: SoundMode) -> Self {
        AppOptions {
            clocks,
            sound,
            start: None,
            real_window: false,
            autostart_entry: None,
            autostart_on: false,
            background: false,
            work_area: None,
        }
    }
}

pub struct DownshiftApp {
    state: AppState,
    runtime: Runtime,
    clocks: Clocks,
    real_window: bool,
    /// Pushed by the screens and the keymap during a frame; applied after it.
    commands: Vec<Command>,
    /// Returned by `update`; carried out at once.
    effects: Vec<Effect>,
    /// The theme and reduced motion as last applied to egui's style.
    applied_look: Option<(crate::store::settings::Theme, bool)>,
    /// When the program started, if the first frame's time is to be reported
    /// (`DOWNSHIFT_REPORT_FIRST_FRAME`).
    report_first_frame: Option<crate::practice::Micros>,
    /// When the program started, if the history's loading time is to be reported (with the
    /// first frame's).
    report_history: Option<crate::practice::Micros>,
    /// The home screen's practice rows, as last drawn: Space on one of them starts it.
    home_rows: Vec<egui::Id>,
    /// Set by a signal (logout, shutdown, the terminal closed): leave as soon as possible.
    end_request: Option<crate::desktop::ending::EndRequest>,
    /// What the screen reader is told as screens open and a session goes on.
    announcer: announce::Announcer,
    /// The work area the window must fit, until it has been checked at the first frames.
    fit_to: Option<crate::desktop::WorkArea>,
    /// Nothing had the keyboard focus when this frame began.
    nothing_focused: bool,
    /// The clock as read once at the start of this frame (`logic`): the screens draw, and the
    /// commands apply, at this one time.
    frame_now: Option<Now>,
}

impl DownshiftApp {
    /// The app for tests: reads the data folder here, and carries effects out inline.
    pub fn new(data_dir: DataDir, options: AppOptions) -> Self {
        let loaded = Loaded::read(&data_dir);
        Self::with_loaded(data_dir, loaded, options, Arc::new(|| {}))
    }

    /// The app over what was read beforehand; `wake` is called from the runtime's workers when
    /// a result is waiting (it asks the window for a frame).
    pub fn with_loaded(
        data_dir: DataDir,
        loaded: Loaded,
        options: AppOptions,
        wake: app::runtime::Wake,
    ) -> Self {
        let now = now_of(&options.clocks);
        let sound = match options.sound {
            SoundMode::Device => SoundStatus::NotOpened,
            SoundMode::Off => SoundStatus::Off,
        };
        let mode = if options.real_window {
            Mode::Threads
        } else {
            Mode::Inline
        };
        let runtime = Runtime::start(data_dir.clone(), options.clocks.clone(), mode, wake);
        let mut app = DownshiftApp {
            state: AppState::new(data_dir, loaded, sound, &now),
            runtime,
            clocks: options.clocks,
            real_window: options.real_window,
            commands: Vec::new(),
            effects: vec![
                FileEffect::RecoverInterrupted.into(),
                FileEffect::LoadHistory.into(),
                FileEffect::LoadCheckIns.into(),
            ],
            applied_look: None,
            report_first_frame: None,
            report_history: None,
            home_rows: Vec::new(),
            end_request: None,
            announcer: announce::Announcer::default(),
            fit_to: options.work_area,
            nothing_focused: true,
            frame_now: None,
        };
        app.state.desktop.autostart = options.autostart_on;
        app.state.desktop.autostart_entry = options.autostart_entry;
        app.state.desktop.window_away = options.background;
        if let Some(request) = options.start {
            if request.muted {
                app.state.settings.muted = true;
            }
            app::begin_practice(&mut app.state, request.practice, &now, &mut app.effects);
        }
        app.carry_out(None, &now);
        if options.background {
            // Done at the first frame: a Wayland window cannot start hidden (winit shows it
            // regardless), so there it is minimised then.
            app.effects.push(ViewportEffect::Hide.into());
        }
        app
    }

    /// What the screen reader was last told (for tests).
    pub fn announcement(&self) -> Option<&str> {
        self.announcer.current()
    }

    /// The app's state, as the screens see it.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn settings(&self) -> &crate::store::Settings {
        &self.state.settings
    }

    pub fn is_in_session(&self) -> bool {
        self.state.is_in_session()
    }

    fn now(&self) -> Now {
        now_of(&self.clocks)
    }

    /// Applies a command as a screen would push it (tests, benchmarks); its effects are
    /// carried out, but none for the viewport.
    pub fn apply(&mut self, command: Command) {
        let now = self.now();
        app::update(&mut self.state, command, &now, &mut self.effects);
        self.carry_out(None, &now);
    }

    /// Hands the app a message as the runtime would report it (tests: the tray's state).
    pub fn receive(&mut self, message: app::Message) {
        let now = self.now();
        app::receive(&mut self.state, message, &now, &mut self.effects);
        self.carry_out(None, &now);
    }

    /// Carries out the effects waiting, and applies what comes back at once (inline, results
    /// are there already; from the workers, whatever has arrived).
    fn carry_out(&mut self, ctx: Option<&egui::Context>, now: &Now) {
        loop {
            for effect in std::mem::take(&mut self.effects) {
                let Some(viewport) = self.runtime.dispatch(effect) else {
                    continue;
                };
                match ctx {
                    // A reminder is marked on the task bar only by the real window.
                    Some(_) if viewport == ViewportEffect::Mark && !self.real_window => {}
                    Some(ctx) => send_viewport(ctx, viewport),
                    None => {}
                }
            }
            let mut received = false;
            while let Some(message) = self.runtime.try_message() {
                app::receive(&mut self.state, message, now, &mut self.effects);
                received = true;
            }
            if !received && self.effects.is_empty() {
                return;
            }
        }
    }

    /// The work that must happen even while the window is hidden: messages from the workers,
    /// a practice reaching its end, reminders.
    fn keep_time(&mut self, ctx: &egui::Context) {
        self.fit_to_work_area(ctx);
        let now = self.now();
        self.frame_now = Some(now.clone());
        self.runtime.poll();
        if self.end_request.as_ref().is_some_and(|r| r.is_set()) {
            app::update(&mut self.state, Command::Leave, &now, &mut self.effects);
        }
        // Here rather than in `show`: a minimised or covered window is closed without a frame
        // being drawn, and what is in flight must still be saved.
        if ctx.input(|i| i.viewport().close_requested()) {
            app::update(
                &mut self.state,
                Command::CloseRequested,
                &now,
                &mut self.effects,
            );
        }
        // The desktop first: watching begins before the first reminder can fall due.
        app::background::follow_desktop(&mut self.state, &now, &mut self.effects);
        app::tick(&mut self.state, &now, &mut self.effects);
        self.carry_out(Some(ctx), &now);
        if let Some(launched) = self.report_history
            && !matches!(self.state.history, app::HistoryCache::Loading)
        {
            // For scripts/measure-startup.sh: the history is read off the window's thread.
            let sessions = self.state.history.records().map_or(0, |r| r.len());
            let elapsed = now.mono.saturating_sub(launched) / 1_000;
            eprintln!("history loaded after {elapsed} ms ({sessions} sessions)");
            self.report_history = None;
        }
        if let Some(wait) = app::next_reminder_check(&self.state, &now) {
            // At least once a minute: the window's timers do not count time the computer slept.
            ctx.request_repaint_after(wait.clamp(
                std::time::Duration::from_secs(1),
                std::time::Duration::from_secs(60),
            ));
        }
    }

    /// Draws the current screen into `ui`, then applies what it asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let settings = &self.state.settings;
        let look = (settings.theme, settings.reduced_motion);
        if self.applied_look != Some(look) {
            theme::apply(&ctx, settings.theme, settings.reduced_motion);
            self.applied_look = Some(look);
        }
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::ImportFiles(dropped));
        }
        scale_to_window(&ctx);
        self.nothing_focused = ctx.memory(|m| m.focused()).is_none();
        let button_focused = ctx
            .memory(|m| m.focused())
            .is_some_and(|id| !self.home_rows.contains(&id));
        keymap::commands(
            &ctx,
            self.state.screen.kind(),
            button_focused,
            &mut self.commands,
        );
        let now = self.frame_now.take().unwrap_or_else(|| self.now());
        self.draw(ui, &now);
        for command in std::mem::take(&mut self.commands) {
            app::update(&mut self.state, command, &now, &mut self.effects);
        }
        self.carry_out(Some(&ctx), &now);
        // The window's name, as the reader says it when the window takes the focus.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |root| {
            root.set_label("downshift");
        });
        self.announcer
            .update(&ctx, &self.state, now.mono, self.real_window);
        let settings = &self.state.settings;
        match &self.state.screen {
            Screen::Session(live) => {
                let wait = session::next_repaint(live, now.mono, settings);
                ctx.request_repaint_after(wait);
            }
            // The preview breathes while the editor is open.
            Screen::Editor(_) => ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                1.0 / settings.frame_rate_cap.max(1) as f64,
            )),
            _ => {}
        }
    }

    fn draw(&mut self, ui: &mut egui::Ui, wall_now: &Now) {
        let state = &mut self.state;
        let commands = &mut self.commands;
        let palette = theme::Palette::of(state.settings.theme);
        let now = wall_now.mono;
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
            let reduced_motion = state.settings.reduced_motion;
            // On home the reminder takes the header's place (see `home`); elsewhere it comes
            // above the screen. Never over a session.
            if !matches!(state.screen, Screen::Session(_) | Screen::Home)
                && let Some(shown) = state.reminders.showing()
            {
                reminder::show(ui, shown, reduced_motion, &palette, commands);
            }
            // Laid out before the screen, at the foot: a notice is never below the fold.
            widgets::notices(ui, state.notices.all(), &palette, commands);
            let checkin_offer = app::pain_days::offer(state, wall_now);
            let test_side = match state.screen {
                Screen::Home => app::pain_days::todays_side(state, wall_now),
                _ => None,
            };
            match &mut state.screen {
                Screen::Home => {
                    let level = state.selected_level();
                    let glance = home::Glance {
                        suggestion: state.suggestion.as_deref(),
                        suggested: state.suggested_index(),
                        order: state.home_order(),
                        recent: state.history.glance(),
                        level,
                        question: state.home.question,
                        outside_gentle_mode: state.outside_gentle_mode(),
                        reminder: state.reminders.showing(),
                        reduced_motion,
                        checkin: checkin_offer,
                        test_side: test_side.as_deref(),
                        nothing_focused: self.nothing_focused,
                    };
                    self.home_rows = home::show(
                        ui,
                        &state.library,
                        state.selected,
                        &glance,
                        &mut state.home.file_path,
                        &palette,
                        commands,
                    );
                }
                Screen::Session(live) => {
                    session::show(ui, live, now, &state.settings, &palette, commands);
                }
                Screen::Summary(summary) => {
                    let checkin =
                        crate::practice::same_name(&summary.practice, app::pain_days::WIND_DOWN)
                            && checkin_offer.is_some();
                    summary::show(ui, summary, checkin, &palette, commands);
                }
                Screen::Settings(form) => {
                    settings::show(ui, form, &state.desktop, &palette, commands);
                    if form.draft != state.settings {
                        commands.push(Command::SettingsEdited);
                    }
                }
                Screen::Rating(screen) => rating::show(ui, screen, &palette, commands),
                Screen::History(screen) => history::show(ui, screen, &palette, commands),
                Screen::Safety(screen) => safety::show(ui, screen, &palette, commands),
                Screen::About(about) => about::show(ui, about, &palette, commands),
                Screen::CheckIn(screen) => checkin::show(ui, screen, &palette, commands),
                Screen::YourDays(screen) => your_days::show(ui, screen, &palette, commands),
                Screen::Editor(editor) => editor::show(
                    ui,
                    editor,
                    now,
                    state.settings.reduced_motion,
                    &palette,
                    commands,
                ),
            }
        });
    }
}

fn now_of(clocks: &Clocks) -> Now {
    Now {
        mono: clocks.now(),
        wall: clocks.wall(),
    }
}

fn send_viewport(ctx: &egui::Context, viewport: ViewportEffect) {
    use egui::ViewportCommand as V;
    match viewport {
        ViewportEffect::Close => ctx.send_viewport_cmd(V::Close),
        ViewportEffect::CancelClose => ctx.send_viewport_cmd(V::CancelClose),
        ViewportEffect::Fullscreen(on) => ctx.send_viewport_cmd(V::Fullscreen(on)),
        ViewportEffect::BringUp => {
            ctx.send_viewport_cmd(V::Visible(true));
            ctx.send_viewport_cmd(V::Minimized(false));
            ctx.send_viewport_cmd(V::Focus);
        }
        ViewportEffect::Hide => {
            ctx.send_viewport_cmd(V::Visible(false));
            // A Wayland window cannot be hidden (winit ignores it there): it goes to the dock.
            if std::env::var_os("WAYLAND_DISPLAY").is_some() {
                ctx.send_viewport_cmd(V::Minimized(true));
            }
        }
        ViewportEffect::Mark => ctx.send_viewport_cmd(V::RequestUserAttention(
            egui::UserAttentionType::Informational,
        )),
        ViewportEffect::Attention => {
            ctx.send_viewport_cmd(V::Visible(true));
            ctx.send_viewport_cmd(V::Minimized(false));
            ctx.send_viewport_cmd(V::RequestUserAttention(
                egui::UserAttentionType::Informational,
            ));
        }
    }
}

/// The default size (720 × 760 points), or less where the work area is smaller: room is left
/// for a title bar. The smallest size the window may be made shrinks with it.
fn fitted_size(work_area: Option<crate::desktop::WorkArea>) -> ([f32; 2], [f32; 2]) {
    const TITLE_BAR: f32 = 40.0;
    const BORDERS: f32 = 16.0;
    let Some(area) = work_area else {
        return ([720.0, 760.0], [420.0, 520.0]);
    };
    let width = (area.width - BORDERS).clamp(320.0, 720.0);
    let height = (area.height - TITLE_BAR - BORDERS).clamp(320.0, 760.0);
    ([width, height], [width.min(420.0), height.min(520.0)])
}

impl DownshiftApp {
    /// Once the window is there: a size kept from a larger screen, or a title bar taller than
    /// guessed, is brought inside the work area, so nothing is below the bottom of the screen.
    fn fit_to_work_area(&mut self, ctx: &egui::Context) {
        let Some(area) = self.fit_to else {
            return;
        };
        let (inner, outer) = ctx.input(|i| (i.viewport().inner_rect, i.viewport().outer_rect));
        let (Some(inner), Some(outer)) = (inner, outer) else {
            return;
        };
        self.fit_to = None;
        let per_point = ctx.pixels_per_point();
        let mut decoration = (outer.size() - inner.size()) * per_point;
        if decoration.y < 1.0 {
            // Not told (a window manager may frame the window after it is mapped): a title bar.
            decoration = egui::vec2(0.0, 40.0);
        }
        let room = egui::vec2(area.width, area.height) - decoration;
        let size = inner.size() * per_point;
        let top = outer.min.y * per_point;
        let bottom = top + size.y + decoration.y;
        let left = outer.min.x * per_point;
        let right = left + size.x + decoration.x;
        let inside = top >= area.y - 0.5
            && bottom <= area.y + area.height + 0.5
            && left >= area.x - 0.5
            && right <= area.x + area.width + 0.5;
        if inside {
            return;
        }
        let fitted = egui::vec2(size.x.min(room.x), size.y.min(room.y));
        // Where it was, moved up and left only as far as it must go to be inside.
        let x = left
            .min(area.x + area.width - fitted.x - decoration.x)
            .max(area.x);
        let y = top
            .min(area.y + area.height - fitted.y - decoration.y)
            .max(area.y);
        log::info!(
            "the window is brought inside the work area: {:?} pixels at ({x}, {y})",
            fitted
        );
        ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(fitted / per_point));
        ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(
            egui::pos2(x, y) / per_point,
        ));
    }
}

/// Everything grows with the window (full screen, a large monitor) and shrinks a little with a
/// small one: the layout is made for 720 × 760 points.
fn scale_to_window(ctx: &egui::Context) {
    // Only a real window says where it is (a test's does not, and keeps the zoom at 1).
    if ctx.input(|i| i.viewport().inner_rect).is_none() {
        return;
    }
    // The window's size in pixels, as this frame has it, over the desktop's own scale: the
    // zoom's effect taken out. (The viewport's inner_rect is in points of an earlier zoom, so
    // scaling it back by the zoom now chased its own tail: 1, 0.9, 0.8, 0.9, 1, ... at every
    // frame on a 1366 x 768 screen.)
    let (pixels, native) = ctx.input(|i| {
        (
            i.viewport_rect().size() * i.pixels_per_point(),
            i.viewport().native_pixels_per_point.unwrap_or(1.0),
        )
    });
    let zoom = ctx.zoom_factor();
    let unzoomed = pixels / native;
    let fit = (unzoomed.x / 720.0).min(unzoomed.y / 760.0).clamp(0.8, 2.0);
    // In steps of 5 %, so dragging the window's edge does not re-lay the text at every pixel.
    let wanted = (fit * 20.0).round() / 20.0;
    if (wanted - zoom).abs() > 0.01 {
        ctx.set_zoom_factor(wanted);
    }
}

/// However the window goes, a session still running is recorded as ended early first (the
/// connection to a Wayland compositor lost, the event loop failing): the runtime, dropped after
/// this, finishes writing what was asked.
impl Drop for DownshiftApp {
    fn drop(&mut self) {
        if matches!(self.state.screen, Screen::Session(_)) {
            log::info!("the window went with a session running; recording it");
            let now = self.now();
            app::update(&mut self.state, Command::Leave, &now, &mut self.effects);
            self.carry_out(None, &now);
        }
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
            let elapsed = self.clocks.now().saturating_sub(launched);
            eprintln!("first frame after {} ms", elapsed / 1_000);
        }
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        theme::Palette::of(self.state.settings.theme)
            .background
            .to_normalized_gamma_f32()
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Opens the window and runs until it is closed. `activations`, when this is the one copy
/// running, are the requests of later starts to bring the window to the front.
pub fn run(
    data_dir: DataDir,
    start: Option<StartRequest>,
    activations: Option<crate::desktop::single_copy::Activations>,
    background: bool,
) -> Result<(), String> {
    let clocks = Clocks::system();
    let launched = clocks.now();
    // What the first frame needs is read before the window opens, never on its thread.
    let loaded = Loaded::read(&data_dir);
    let autostart_entry = crate::desktop::autostart::entry_path();
    // Window size and position are kept beside the person's other files. eframe writes over a
    // window.ron it cannot read: one that does not read is kept aside first.
    let persistence_path = data_dir
        .ensure_exists()
        .ok()
        .map(|_| data_dir.root().join("window.ron"));
    let mut kept_aside = None;
    if let Some(path) = &persistence_path {
        match crate::store::keep_aside_if_unreadable(path, window_file_reads) {
            Ok(kept) => kept_aside = kept.map(|k| k.to_string()),
            Err(e) => log::warn!("{} could not be checked: {e}", path.display()),
        }
    }
    crate::desktop::last_words::watch_x11();
    let (work_area, asked_on) = crate::desktop::work_area();
    let (size, min_size) = fitted_size(work_area);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("downshift")
        // The launcher's name: the desktop groups the window with it and shows its icon.
        .with_app_id(crate::APP_ID)
        .with_inner_size(size)
        .with_min_inner_size(min_size)
        // `--background`: the tray and the reminders only, until the window is asked for.
        .with_visible(!background);
    if let Some(icon) = crate::desktop::app_icon() {
        viewport = viewport.with_icon(egui::IconData {
            rgba: icon.rgba.clone(),
            width: icon.width,
            height: icon.height,
        });
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: renderer(),
        persist_window: persistence_path.is_some(),
        persistence_path,
        ..Default::default()
    };
    let app_options = AppOptions {
        start,
        real_window: true,
        autostart_on: autostart_entry
            .as_deref()
            .is_some_and(std::path::Path::exists),
        autostart_entry,
        background,
        work_area,
        ..AppOptions::new(clocks, SoundMode::Device)
    };
    eframe::run_native(
        "downshift",
        options,
        Box::new(move |cc| {
            // The window's connection is open now: the one the work area was asked on may go.
            drop(asked_on);
            let ctx = cc.egui_ctx.clone();
            let wake: app::runtime::Wake = Arc::new(move || ctx.request_repaint());
            let mut loaded = loaded;
            loaded.problems.extend(kept_aside);
            let mut app =
                DownshiftApp::with_loaded(data_dir, loaded, app_options, Arc::clone(&wake));
            if let Some(activations) = activations {
                let report = app.runtime.reporter();
                activations.deliver_to(move || report(app::Message::Activated));
            }
            app.end_request = Some(crate::desktop::ending::watch(
                crate::desktop::ending::WINDOW_GRACE,
                move || wake(),
            ));
            if std::env::var_os("DOWNSHIFT_REPORT_FIRST_FRAME").is_some() {
                app.report_first_frame = Some(launched);
                app.report_history = Some(launched);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("the window failed: {e}"))
}

/// Whether eframe can read a window.ron (a RON map of text to text).
fn window_file_reads(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .is_ok_and(|text| ron::from_str::<std::collections::HashMap<String, String>>(text).is_ok())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::WorkArea;

    /// Frames of a window `pixels` large, its inside reported as eframe reports it on X11: in
    /// points of the zoom of the frame before. The zoom after each frame.
    fn zooms(pixels: egui::Vec2, frames: usize) -> Vec<f32> {
        let ctx = egui::Context::default();
        let mut reported_zoom = 1.0;
        let mut zooms = Vec::new();
        for _ in 0..frames {
            let zoom = ctx.zoom_factor();
            let mut input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, pixels / zoom)),
                ..Default::default()
            };
            let viewport = input.viewports.entry(egui::ViewportId::ROOT).or_default();
            viewport.native_pixels_per_point = Some(1.0);
            viewport.inner_rect = Some(egui::Rect::from_min_size(
                egui::pos2(320.0, 40.0),
                pixels / reported_zoom,
            ));
            reported_zoom = zoom;
            let mut output = ctx.run_pass(input, scale_to_window);
            output.textures_delta.clear();
            zooms.push(ctx.zoom_factor());
        }
        zooms
    }

    #[test]
    fn the_zoom_follows_the_windows_size_and_then_stays() {
        // 720 x 680 pixels (1366 x 768 with a panel): 0.9 from the next frame, for good. (It
        // went round 0.9, 0.8, 0.9, 1.0 for ever, repainting every frame.)
        let settled = zooms(egui::vec2(720.0, 680.0), 12);
        assert!(settled[1..].iter().all(|&zoom| zoom == 0.9), "{settled:?}");
        // A large window: larger text, in steps of 5 %, at most twice.
        assert_eq!(zooms(egui::vec2(1080.0, 1140.0), 6).last(), Some(&1.5));
        assert_eq!(zooms(egui::vec2(3000.0, 3000.0), 6).last(), Some(&2.0));
        // Never below 80 %.
        assert_eq!(zooms(egui::vec2(420.0, 520.0), 6).last(), Some(&0.8));
    }

    #[test]
    fn the_window_opens_no_larger_than_the_work_area_less_a_title_bar() {
        let area = |width, height| {
            Some(WorkArea {
                x: 0.0,
                y: 28.0,
                width,
                height,
            })
        };
        assert_eq!(fitted_size(None), ([720.0, 760.0], [420.0, 520.0]));
        assert_eq!(fitted_size(area(1920.0, 1052.0)).0, [720.0, 760.0]);
        // 1366 x 768 with a 28-pixel panel.
        let (size, min) = fitted_size(area(1366.0, 740.0));
        assert_eq!(size, [720.0, 684.0]);
        assert_eq!(min, [420.0, 520.0]);
        // 1280 x 720 with a panel: smaller still, and so is the smallest it may be made.
        let (size, min) = fitted_size(area(1280.0, 480.0));
        assert_eq!(size, [720.0, 424.0]);
        assert_eq!(min, [420.0, 424.0]);
    }
}
