//! The window's life: downshift runs with a window while one is wanted and without any (in the
//! tray, `--background`) otherwise. The app (`AppHost`) outlives its windows: a window is made
//! when the person asks for it (the tray, a reminder, starting downshift again) and closed, not
//! hidden, when it is put away, so nothing of it is left on any desktop (a Wayland window cannot
//! be hidden). Without a window a plain loop keeps time, woken by the runtime's workers and the
//! desktop's services or by the next reminder.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::{AppOptions, HostRef, SoundMode, StartRequest, WindowApp};
use crate::app::host::AppHost;
use crate::app::{self, Loaded, ViewportEffect};
use crate::clock::Clocks;
use crate::store::DataDir;

/// Wakes whoever keeps the app's time: the window (a frame) while there is one, and the loop
/// that runs without one.
#[derive(Default)]
struct Bell {
    rung: Mutex<bool>,
    ringing: Condvar,
    window: Mutex<Option<egui::Context>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Bell {
    fn ring(&self) {
        *lock(&self.rung) = true;
        self.ringing.notify_all();
        if let Some(window) = lock(&self.window).as_ref() {
            window.request_repaint();
        }
    }

    /// Waits until rung, or at most `at_most`.
    fn wait(&self, at_most: Duration) {
        let rung = lock(&self.rung);
        let (mut rung, _) = self
            .ringing
            .wait_timeout_while(rung, at_most, |rung| !*rung)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *rung = false;
    }

    fn set_window(&self, window: Option<egui::Context>) {
        *lock(&self.window) = window;
    }
}

/// Why the loop without a window stopped.
enum Wanted {
    /// A window: brought up by the person (and given the keyboard), or for a reminder that has
    /// no other way to be seen (without taking the keyboard).
    Window { focus: bool },
    /// downshift is to end.
    Leave,
}

/// Keeps the app's time with no window, until one is wanted or downshift ends.
fn without_window(host: &mut AppHost, bell: &Bell) -> Wanted {
    log::info!("running without a window");
    loop {
        let now = host.now();
        let asked = host.keep_time(&now);
        if asked.contains(&ViewportEffect::Close) {
            return Wanted::Leave;
        }
        if !host.state.desktop.window_away {
            return Wanted::Window {
                focus: !asked.contains(&ViewportEffect::Attention),
            };
        }
        bell.wait(host.sleep_at_most(&now));
    }
}

/// Opens the window and runs until it is closed (put away, or downshift leaving).
fn with_window(
    host: &mut AppHost,
    bell: &Arc<Bell>,
    persistence_path: Option<std::path::PathBuf>,
    focus: bool,
    report_first_frame: Option<crate::practice::Micros>,
) -> Result<(), String> {
    let (work_area, asked_on) = crate::desktop::work_area();
    let (size, min_size) = fitted_size(work_area);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("downshift")
        // The launcher's name: the desktop groups the window with it and shows its icon.
        .with_app_id(crate::APP_ID)
        .with_inner_size(size)
        .with_min_inner_size(min_size)
        .with_active(focus);
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
        // The app goes on when the window closes, and may open another.
        run_and_return: true,
        ..Default::default()
    };
    let result = eframe::run_native(
        "downshift",
        options,
        Box::new(move |cc| {
            // The window's connection is open now: the one the work area was asked on may go.
            drop(asked_on);
            bell.set_window(Some(cc.egui_ctx.clone()));
            let mut window = WindowApp::over(HostRef::Lent(host), true, work_area);
            window.report_first_frame = report_first_frame;
            window.report_history = report_first_frame;
            Ok(Box::new(window))
        }),
    );
    bell.set_window(None);
    result.map_err(|e| format!("the window failed: {e}"))
}

/// Runs downshift until it ends: with a window from the start, or (`background`) in the tray
/// until one is asked for. `activations`, when this is the one copy running, are the requests
/// of later starts to bring the window to the front.
pub fn run(
    data_dir: DataDir,
    start: Option<StartRequest>,
    activations: Option<crate::desktop::single_copy::Activations>,
    background: bool,
) -> Result<(), String> {
    let clocks = Clocks::system();
    let launched = clocks.now();
    // What the first frame needs is read before the window opens, never on its thread.
    let mut loaded = Loaded::read(&data_dir);
    let autostart_entry = crate::desktop::autostart::entry_path();
    // Window size and position are kept beside the person's other files. eframe writes over a
    // window.ron it cannot read: one that does not read is kept aside first.
    let persistence_path = data_dir
        .ensure_exists()
        .ok()
        .map(|_| data_dir.root().join("window.ron"));
    if let Some(path) = &persistence_path {
        match crate::store::keep_aside_if_unreadable(path, window_file_reads) {
            Ok(kept) => loaded.problems.extend(kept.map(|k| k.to_string())),
            Err(e) => log::warn!("{} could not be checked: {e}", path.display()),
        }
    }
    crate::desktop::last_words::watch_x11();
    let bell = Arc::new(Bell::default());
    let wake: app::runtime::Wake = {
        let bell = Arc::clone(&bell);
        Arc::new(move || bell.ring())
    };
    let options = AppOptions {
        start,
        real_window: true,
        autostart_on: autostart_entry
            .as_deref()
            .is_some_and(std::path::Path::exists),
        autostart_entry,
        background,
        ..AppOptions::new(clocks.clone(), SoundMode::Device)
    };
    let mut host = AppHost::start(
        data_dir,
        loaded,
        clocks,
        options.startup(),
        Arc::clone(&wake),
    );
    if let Some(activations) = activations {
        let report = host.reporter();
        activations.deliver_to(move || report(app::Message::Activated));
    }
    host.watch_signals(crate::desktop::ending::watch(
        crate::desktop::ending::WINDOW_GRACE,
        move || wake(),
    ));
    let mut report_first_frame = std::env::var_os("DOWNSHIFT_REPORT_FIRST_FRAME")
        .is_some()
        .then_some(launched);
    let mut focus = true;
    loop {
        if host.state.desktop.window_away {
            match without_window(&mut host, &bell) {
                Wanted::Leave => return Ok(()),
                Wanted::Window { focus: asked } => focus = asked,
            }
        }
        with_window(
            &mut host,
            &bell,
            persistence_path.clone(),
            focus,
            report_first_frame.take(),
        )?;
        // Closed: put away in the tray (the app runs on without a window), or leaving.
        if !host.state.desktop.window_away {
            return Ok(());
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
