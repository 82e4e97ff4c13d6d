//! The window under test, the way every window test opens it: a temporary data folder, the
//! fixed clock, no sound device, and egui_kittest's harness around `DownshiftApp`, stepped as
//! eframe runs it. Modelled on rerun's `viewer_test_utils` (a builder, and `step_until` that
//! leaves a screenshot when a wait fails).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use downshift::practice::Micros;
use downshift::store::DataDir;
use downshift::ui::{AppOptions, DownshiftApp, SoundMode, StartRequest};
use egui_kittest::Harness;
use jiff::civil::DateTime;

use super::clock::TestClock;

/// The window's default size.
pub const SIZE: [f32; 2] = [720.0, 760.0];

/// How many frames `step_until` steps before it gives up.
pub const WAIT_FRAMES: usize = 120;

/// A data folder of its own and the clock the app runs on; the windows opened on it share both,
/// so a second window is downshift opened again on the same files.
pub struct Rig {
    pub clock: TestClock,
    dir: tempfile::TempDir,
}

impl Rig {
    /// Someone who has used downshift before and does not rate their tension: the safety note
    /// read, the tension question off.
    pub fn new() -> Rig {
        Rig::returning("(ask_tension: false)")
    }

    /// An empty data folder: the first time downshift runs.
    pub fn first_run() -> Rig {
        Rig {
            clock: TestClock::new(),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A data folder whose `settings.ron` is `settings`, as written.
    pub fn with_settings(settings: &str) -> Rig {
        let rig = Rig::first_run();
        std::fs::write(rig.data_dir().settings_path(), settings).expect("settings");
        rig
    }

    /// Someone who has used downshift before: these settings, with the safety note already
    /// read unless they say otherwise.
    pub fn returning(settings: &str) -> Rig {
        if settings.contains("safety_note_seen") {
            Rig::with_settings(settings)
        } else {
            Rig::with_settings(&settings.replacen('(', "(safety_note_seen: true, ", 1))
        }
    }

    /// The temporary folder (the data folder unless a window is given another).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> DataDir {
        DataDir::new(self.dir.path())
    }

    /// Moves the monotonic clock on.
    pub fn advance(&self, micros: Micros) {
        self.clock.advance(micros);
    }

    /// Sets the local time.
    pub fn set_local(&self, to: DateTime) {
        self.clock.set_local(to);
    }

    /// A window to open on this folder and clock.
    pub fn window(&self) -> Window<'_> {
        Window {
            rig: self,
            size: SIZE,
            step_dt: 0.25,
            max_steps: None,
            at: None,
            data_dir: None,
            autostart_entry: None,
            before_first_frame: None,
            render_cursor: true,
            play: None,
            bluetooth_bus: None,
        }
    }

    /// The window at its default size, at the clock's time.
    pub fn harness(&self) -> Harness<'static, DownshiftApp> {
        self.window().open()
    }
}

/// Done to the app before its first frame.
type Prepare = Box<dyn FnOnce(&mut DownshiftApp)>;

/// How a window is opened; `open` gives the harness.
#[must_use]
pub struct Window<'a> {
    rig: &'a Rig,
    size: [f32; 2],
    step_dt: f32,
    max_steps: Option<u64>,
    at: Option<DateTime>,
    data_dir: Option<DataDir>,
    autostart_entry: Option<PathBuf>,
    before_first_frame: Option<Prepare>,
    render_cursor: bool,
    play: Option<StartRequest>,
    bluetooth_bus: Option<String>,
}

impl Window<'_> {
    pub fn size(mut self, size: [f32; 2]) -> Self {
        self.size = size;
        self
    }

    /// Frames `seconds` apart (kittest's default is a quarter second). Unless `max_steps` says
    /// otherwise, `run` settles within a second of frames.
    pub fn step_dt(mut self, seconds: f32) -> Self {
        self.step_dt = seconds;
        self
    }

    /// How many frames `run` may take to settle before it fails.
    pub fn max_steps(mut self, steps: u64) -> Self {
        self.max_steps = Some(steps);
        self
    }

    /// Sets the clock's local time before the window opens (which practice home suggests, and
    /// what is due, depend on it).
    pub fn at(mut self, local: DateTime) -> Self {
        self.at = Some(local);
        self
    }

    /// Another data folder than the rig's (one that cannot be written, say).
    pub fn data_dir(mut self, data_dir: DataDir) -> Self {
        self.data_dir = Some(data_dir);
        self
    }

    /// Where "Start with my desktop session" writes its entry (nowhere unless given).
    pub fn autostart_entry(mut self, entry: PathBuf) -> Self {
        self.autostart_entry = Some(entry);
        self
    }

    /// Done to the app before its first frame (what the desktop said, the screen it opens on).
    pub fn before_first_frame(mut self, prepare: impl FnOnce(&mut DownshiftApp) + 'static) -> Self {
        self.before_first_frame = Some(Box::new(prepare));
        self
    }

    /// Opened as `downshift play NAME [--heart-rate-from FILE]` opens it: the practice begins
    /// at once (after the safety note, the first time).
    pub fn play(mut self, request: StartRequest) -> Self {
        self.play = Some(request);
        self
    }

    /// Bluetooth on this bus (a stand-in BlueZ's); without it the app never reaches Bluetooth.
    pub fn bluetooth_bus(mut self, address: &str) -> Self {
        self.bluetooth_bus = Some(address.to_owned());
        self
    }

    /// Whether renders (snapshots, screenshots) show kittest's pointer.
    pub fn render_cursor(mut self, shown: bool) -> Self {
        self.render_cursor = shown;
        self
    }

    pub fn open(self) -> Harness<'static, DownshiftApp> {
        if let Some(local) = self.at {
            self.rig.clock.set_local(local);
        }
        let mut options = AppOptions::new(self.rig.clock.clocks(), SoundMode::Off);
        options.autostart_entry = self.autostart_entry;
        options.start = self.play;
        options.bluetooth_bus = self.bluetooth_bus;
        let data_dir = self.data_dir.unwrap_or_else(|| self.rig.data_dir());
        let mut app = DownshiftApp::new(data_dir, options);
        if let Some(prepare) = self.before_first_frame {
            prepare(&mut app);
        }
        let max_steps = self
            .max_steps
            .unwrap_or((1.0 / self.step_dt).round() as u64);
        // As eframe runs it: `logic` then `ui`, filling the whole window.
        Harness::builder()
            .with_size(self.size)
            .with_step_dt(self.step_dt)
            .with_max_steps(max_steps)
            .with_render_cursor(self.render_cursor)
            .build_eframe(move |_| app)
    }
}

/// What the tests add to kittest's harness.
pub trait HarnessExt {
    /// Steps frames, at least one and at most [`WAIT_FRAMES`], until `ready` holds; returns how
    /// many were stepped. If it never holds, the window as it was is saved as a picture and
    /// the panic names it.
    fn step_until(&mut self, what: &str, ready: impl FnMut(&Self) -> bool) -> usize;

    /// Renders the last frame into `target/tmp/screenshots/NAME.png`.
    fn screenshot(&mut self, name: &str) -> Result<PathBuf, String>;
}

impl<State> HarnessExt for Harness<'_, State> {
    #[track_caller]
    fn step_until(&mut self, what: &str, mut ready: impl FnMut(&Self) -> bool) -> usize {
        for frame in 1..=WAIT_FRAMES {
            self.step();
            if ready(self) {
                return frame;
            }
        }
        let test = std::thread::current()
            .name()
            .unwrap_or("unnamed test")
            .to_owned();
        let picture = match self.screenshot(&format!("{test} - {what}")) {
            Ok(path) => format!("the window as it was: {}", path.display()),
            Err(why) => format!("no screenshot: {why}"),
        };
        panic!("{what}: not within {WAIT_FRAMES} frames; {picture}")
    }

    fn screenshot(&mut self, name: &str) -> Result<PathBuf, String> {
        let image = self.render()?;
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let file: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_ ".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = folder.join(format!("{file}.png"));
        image
            .save(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}
