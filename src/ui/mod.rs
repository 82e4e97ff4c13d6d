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
mod resonance;
mod safety;
mod session;
mod settings;
mod summary;
pub mod theme;
mod widgets;
mod window;
mod your_days;

pub use window::run;

use std::sync::Arc;

use crate::app::host::{AppHost, Startup};
use crate::app::screen::Screen;
use crate::app::{self, AppState, Command, Loaded, Mode, Now, SoundStatus, ViewportEffect};
use crate::clock::Clocks;
use crate::practice::Practice;
use crate::store::DataDir;

/// A practice to begin as soon as the window opens (`downshift play NAME`).
pub struct StartRequest {
    pub practice: Practice,
    pub muted: bool,
    /// Beats to replay into it as if a strap sent them (`--heart-rate-from FILE`).
    pub heart_recording: Option<crate::practice::heart::Recording>,
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
    /// Where a strap is looked for: the system bus (a real window, unless another is given),
    /// a private bus (tests with a stand-in BlueZ), or, in tests by default, nowhere.
    pub bluetooth_bus: Option<String>,
}

impl AppOptions {
    /// How the app starts, as these options say.
    fn startup(self) -> Startup {
        let (begin, heart_recording) = match self.start {
            Some(request) => (
                Some((request.practice, request.muted)),
                request.heart_recording,
            ),
            None => (None, None),
        };
        let bluetooth = match (self.bluetooth_bus, self.real_window) {
            (Some(bus), _) => app::runtime::Bluetooth::Bus(bus),
            (None, true) => app::runtime::Bluetooth::System,
            (None, false) => app::runtime::Bluetooth::Nowhere,
        };
        Startup {
            sound: match self.sound {
                SoundMode::Device => SoundStatus::NotOpened,
                SoundMode::Off => SoundStatus::Off,
            },
            mode: if self.real_window {
                Mode::Threads
            } else {
                Mode::Inline
            },
            autostart_entry: self.autostart_entry,
            autostart_on: self.autostart_on,
            background: self.background,
            begin,
            heart_recording,
            bluetooth,
        }
    }

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
            bluetooth_bus: None,
        }
    }
}

/// The app as a window holds it: its own (tests, benchmarks), or lent for as long as the window
/// is open (`run`, where the app outlives its windows).
enum HostRef<'h> {
    Own(Box<AppHost>),
    Lent(&'h mut AppHost),
}

impl std::ops::Deref for HostRef<'_> {
    type Target = AppHost;
    fn deref(&self) -> &AppHost {
        match self {
            HostRef::Own(host) => host,
            HostRef::Lent(host) => host,
        }
    }
}

impl std::ops::DerefMut for HostRef<'_> {
    fn deref_mut(&mut self) -> &mut AppHost {
        match self {
            HostRef::Own(host) => host,
            HostRef::Lent(host) => host,
        }
    }
}

/// The window over the app: draws it, turns keys and clicks into commands, and carries out the
/// viewport's effects.
pub struct WindowApp<'h> {
    host: HostRef<'h>,
    real_window: bool,
    /// Pushed by the screens and the keymap during a frame; applied after it.
    commands: Vec<Command>,
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

/// The window that owns its app: what the tests and benchmarks drive.
pub type DownshiftApp = WindowApp<'static>;

impl DownshiftApp {
    /// The app for tests: reads the data folder here, and carries effects out inline.
    pub fn new(data_dir: DataDir, options: AppOptions) -> Self {
        let loaded = Loaded::read(&data_dir);
        let real_window = options.real_window;
        let work_area = options.work_area;
        let host = AppHost::start(
            data_dir,
            loaded,
            options.clocks.clone(),
            options.startup(),
            Arc::new(|| {}),
        );
        WindowApp::over(HostRef::Own(Box::new(host)), real_window, work_area)
    }
}

impl<'h> WindowApp<'h> {
    fn over(
        host: HostRef<'h>,
        real_window: bool,
        work_area: Option<crate::desktop::WorkArea>,
    ) -> Self {
        WindowApp {
            host,
            real_window,
            commands: Vec::new(),
            applied_look: None,
            report_first_frame: None,
            report_history: None,
            home_rows: Vec::new(),
            announcer: announce::Announcer::default(),
            fit_to: work_area,
            nothing_focused: true,
            frame_now: None,
        }
    }

    /// What the screen reader was last told (for tests).
    pub fn announcement(&self) -> Option<&str> {
        self.announcer.current()
    }

    /// The app's state, as the screens see it.
    pub fn state(&self) -> &AppState {
        &self.host.state
    }

    pub fn settings(&self) -> &crate::store::Settings {
        &self.host.state.settings
    }

    pub fn is_in_session(&self) -> bool {
        self.host.state.is_in_session()
    }

    /// Applies a command as a screen would push it (tests, benchmarks); its effects are
    /// carried out, but none for the viewport.
    pub fn apply(&mut self, command: Command) {
        let now = self.host.now();
        let _ = self.host.apply(command, &now);
    }

    /// Beats to replay into the next session begun, as `play --heart-rate-from FILE` gives them
    /// (tests: the resonance test without a strap).
    pub fn replay_heart(&mut self, recording: crate::practice::heart::Recording) {
        self.host.state.heart_recording = Some(recording);
    }

    /// Hands the app a message as the runtime would report it (tests: the tray's state).
    pub fn receive(&mut self, message: app::Message) {
        let now = self.host.now();
        let _ = self.host.receive(message, &now);
    }

    /// Carries out the viewport's effects on this window.
    fn steer(&self, ctx: &egui::Context, effects: Vec<ViewportEffect>) {
        for effect in effects {
            // A reminder is marked on the task bar only by the real window.
            if effect == ViewportEffect::Mark && !self.real_window {
                continue;
            }
            send_viewport(ctx, effect);
        }
    }

    /// The work that must happen even while the window is covered or minimised: messages from
    /// the workers, a practice reaching its end, reminders; and the window's own close.
    fn keep_time(&mut self, ctx: &egui::Context) {
        self.fit_to_work_area(ctx);
        let now = self.host.now();
        self.frame_now = Some(now.clone());
        // Here rather than in `show`: a minimised or covered window is closed without a frame
        // being drawn, and what is in flight must still be saved.
        if ctx.input(|i| i.viewport().close_requested()) {
            self.host.update(Command::CloseRequested, &now);
        }
        let effects = self.host.keep_time(&now);
        self.steer(ctx, effects);
        if self.host.state.desktop.window_away {
            // Put away in the tray: the window goes (its close is not cancelled) and the app
            // runs on without one (`run`).
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some(launched) = self.report_history
            && !matches!(self.host.state.history, app::HistoryCache::Loading)
        {
            // For scripts/measure-startup.sh: the history is read off the window's thread.
            let sessions = self.host.state.history.records().map_or(0, |r| r.len());
            let elapsed = now.mono.saturating_sub(launched) / 1_000;
            eprintln!("history loaded after {elapsed} ms ({sessions} sessions)");
            self.report_history = None;
        }
        if let Some(wait) = app::next_reminder_check(&self.host.state, &now) {
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
        let settings = &self.host.state.settings;
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
            self.host.state.screen.kind(),
            button_focused,
            &mut self.commands,
        );
        let now = self.frame_now.take().unwrap_or_else(|| self.host.now());
        self.draw(ui, &now);
        for command in std::mem::take(&mut self.commands) {
            self.host.update(command, &now);
        }
        let effects = self.host.carry_out(&now);
        self.steer(&ctx, effects);
        // The window's name, as the reader says it when the window takes the focus.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |root| {
            root.set_label("downshift");
        });
        self.announcer
            .update(&ctx, &self.host.state, now.mono, self.real_window);
        let settings = &self.host.state.settings;
        match &self.host.state.screen {
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
        let state = &mut self.host.state;
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
                Screen::Resonance(screen) => resonance::show(ui, screen, &palette, commands),
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

impl WindowApp<'_> {
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
impl Drop for WindowApp<'_> {
    fn drop(&mut self) {
        if matches!(self.host.state.screen, Screen::Session(_)) {
            log::info!("the window went with a session running; recording it");
            let now = self.host.now();
            let _ = self.host.apply(Command::Leave, &now);
        }
    }
}

impl eframe::App for WindowApp<'_> {
    /// Runs before every `ui`, and alone while the window is hidden.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.keep_time(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(launched) = self.report_first_frame.take() {
            // For scripts/bench.sh: how long from launch until the first frame was built.
            let elapsed = self.host.now().mono.saturating_sub(launched);
            eprintln!("first frame after {} ms", elapsed / 1_000);
        }
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        theme::Palette::of(self.host.state.settings.theme)
            .background
            .to_normalized_gamma_f32()
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
