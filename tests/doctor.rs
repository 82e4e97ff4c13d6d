//! `downshift doctor`, the real binary, on desktops put together for each test: an X11 session
//! (Xvfb) with stand-in tray watcher, notification server, screen saver and running copy on a
//! private bus; a Wayland session (the stand-in compositor of tests/common/wayland.rs) with a
//! full-screen window; nothing at all. Each line is asserted as a person pasting it into a bug
//! report would read it; `--watch` shows idle time as the compositor reports it, and Ctrl-C ends
//! it with 0.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod common;
#[path = "common/wayland.rs"]
mod compositor;

use common::bus::{Bus, serve};
use common::x11::X;
use common::{Lines, PATIENCE, eventually, run, send, wait_for_exit};
use compositor::{Compositor, Offer, Window};

const BIN: &str = env!("CARGO_BIN_EXE_downshift");

/// `downshift doctor` with exactly `vars` of the environment the tests care about (the rest of
/// a desktop's variables removed), its runtime folder in `home`.
fn doctor(home: &Path, vars: &[(&str, String)]) -> Command {
    let mut command = Command::new(BIN);
    for name in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XDG_SESSION_TYPE",
        "XDG_CURRENT_DESKTOP",
        "PIPEWIRE_REMOTE",
    ] {
        command.env_remove(name);
    }
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).expect("a runtime folder");
    std::fs::write(home.join("pulse-client.conf"), "autospawn = no\n").expect("a sound setting");
    command
        .arg("doctor")
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("PULSE_CLIENTCONFIG", home.join("pulse-client.conf"))
        .env(
            "PULSE_SERVER",
            format!("unix:{}", runtime.join("no-sound-server").display()),
        )
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.join("no-bus").display()),
        );
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

/// What doctor printed, by key: the text after "key: ".
struct Report {
    lines: Vec<String>,
}

impl Report {
    fn of(command: &mut Command) -> Report {
        let output = run(command, PATIENCE);
        assert!(
            output.status.success(),
            "doctor ended with {:?}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        Report { lines }
    }

    fn get(&self, key: &str) -> &str {
        let prefix = format!("{key}: ");
        let found: Vec<&String> = self
            .lines
            .iter()
            .filter(|line| line.starts_with(&prefix))
            .collect();
        assert_eq!(found.len(), 1, "one {key} line in {:#?}", self.lines);
        &found[0][prefix.len()..]
    }
}

struct Notifications;

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "stand-in".into(),
            "downshift tests".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[zbus(property)]
    fn inhibited(&self) -> bool {
        false
    }
}

struct Watcher {
    host: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        self.host.load(Ordering::SeqCst)
    }

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        vec![":1.9/StatusNotifierItem".into()]
    }
}

struct ScreenSaver;

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    fn inhibit(&self, _application: String, _reason: String) -> u32 {
        1
    }
}

struct Application;

#[zbus::interface(name = "org.freedesktop.Application")]
impl Application {
    fn activate(
        &self,
        _platform_data: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    ) {
    }
}

/// A bus name as the bus hands them out (":1.23").
fn unique_name(text: &str) -> bool {
    text.strip_prefix(":1.")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn on_an_x11_desktop_each_service_is_named_with_what_it_says() {
    let x = X::start();
    let bus = Bus::start();
    let host = Arc::new(AtomicBool::new(true));
    let _watcher = serve(
        &bus,
        "org.kde.StatusNotifierWatcher",
        "/StatusNotifierWatcher",
        Watcher {
            host: Arc::clone(&host),
        },
    );
    let _notifications = serve(
        &bus,
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        Notifications,
    );
    let screen_saver = serve(
        &bus,
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        ScreenSaver,
    );
    let home = tempfile::tempdir().expect("a temporary folder");
    let vars = [
        ("DISPLAY", x.display.clone()),
        ("XDG_SESSION_TYPE", "x11".to_owned()),
        ("XDG_CURRENT_DESKTOP", "XFCE".to_owned()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone()),
    ];
    let report = Report::of(&mut doctor(home.path(), &vars));

    assert_eq!(
        report.get("session"),
        format!("x11 (DISPLAY={}, XDG_CURRENT_DESKTOP=XFCE)", x.display)
    );
    assert_eq!(report.get("wayland"), "none (not a Wayland session)");
    let tray = report.get("tray");
    let (owner, said) = tray
        .strip_prefix("org.kde.StatusNotifierWatcher (")
        .and_then(|rest| rest.split_once(") — "))
        .unwrap_or_else(|| panic!("tray: {tray}"));
    assert!(unique_name(owner), "tray: {tray}");
    assert_eq!(said, "a host registered, 1 item");
    assert_eq!(
        report.get("notifications"),
        "stand-in 1.0 (downshift tests; specification 1.2) — actions, body"
    );
    let keep_awake = report.get("keep-awake");
    let owner = keep_awake
        .strip_prefix("org.freedesktop.ScreenSaver (")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("keep-awake: {keep_awake}"));
    assert!(unique_name(owner), "keep-awake: {keep_awake}");
    assert_eq!(
        report.get("single copy"),
        "io.github.downshift.Downshift — free"
    );
    let idle = report.get("idle");
    let seconds = idle
        .strip_prefix("X11 screen saver extension — ")
        .and_then(|rest| rest.strip_suffix(" s"))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("idle: {idle}"));
    assert!(seconds < 600, "idle: {idle}");
    // No window manager: nobody says which window has the focus.
    assert!(
        report.get("full screen").starts_with("none ("),
        "{}",
        report.get("full screen")
    );
    assert_eq!(report.get("do-not-disturb"), "notification server — off");
    assert_eq!(report.get("camera"), "/proc — not in use");
    assert_eq!(report.get("busy"), "no");
    let runtime = home.path().join("runtime");
    assert_eq!(
        report.get("sound server"),
        format!(
            "none (nothing answers: PulseAudio at {}, PipeWire at {})",
            runtime.join("no-sound-server").display(),
            runtime.join("pipewire-0").display()
        )
    );
    assert!(
        report.get("sound device").starts_with("none ("),
        "{}",
        report.get("sound device")
    );

    // A tray with no host, no screen saver, and a downshift running (owning its name).
    host.store(false, Ordering::SeqCst);
    drop(screen_saver);
    let _running = serve(
        &bus,
        downshift::APP_ID,
        "/io/github/downshift/Downshift",
        Application,
    );
    let report = Report::of(&mut doctor(home.path(), &vars));
    assert!(
        report
            .get("tray")
            .ends_with("— no host registered (nothing shows the items), 1 item"),
        "{}",
        report.get("tray")
    );
    assert!(
        report.get("keep-awake").starts_with("none ("),
        "{}",
        report.get("keep-awake")
    );
    let single = report.get("single copy");
    let owned = single
        .strip_prefix("io.github.downshift.Downshift — owned by ")
        .unwrap_or_else(|| panic!("single copy: {single}"));
    assert!(
        owned.ends_with(&format!("(process {})", std::process::id())),
        "single copy: {single}"
    );
}

#[test]
fn on_a_wayland_desktop_the_compositors_protocols_idle_and_full_screen_are_named() {
    let compositor = Compositor::start(Offer {
        seat: true,
        ext_idle: Some(2),
        wlr_toplevels: Some(3),
        ..Offer::default()
    });
    compositor.open(
        1,
        Window {
            app_id: "mpv".into(),
            pid: 4242,
            activated: true,
            full_screen: true,
        },
    );
    compositor.open(
        2,
        Window {
            app_id: "foot".into(),
            pid: 4243,
            ..Window::default()
        },
    );
    let bus = Bus::start();
    let home = tempfile::tempdir().expect("a temporary folder");
    let vars = [
        ("WAYLAND_DISPLAY", compositor.socket.display().to_string()),
        ("XDG_SESSION_TYPE", "wayland".to_owned()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone()),
    ];
    let report = Report::of(&mut doctor(home.path(), &vars));
    assert_eq!(
        report.get("session"),
        format!("wayland (WAYLAND_DISPLAY={})", compositor.socket.display())
    );
    assert_eq!(
        report.get("wayland"),
        "offers ext_idle_notifier_v1 2, zwlr_foreign_toplevel_manager_v1 3, wl_seat 7; \
         not org_kde_kwin_idle, org_kde_plasma_window_management"
    );
    assert_eq!(
        report.get("idle"),
        "ext-idle-notify-v1 (version 2, input only) — under 60 s"
    );
    assert_eq!(
        report.get("full screen"),
        "wlr-foreign-toplevel-management (version 3) — yes (2 windows listed)"
    );
    assert_eq!(
        report.get("busy"),
        "full screen (wlr-foreign-toplevel-management)"
    );
    assert_eq!(
        report.get("tray"),
        "none (no StatusNotifierWatcher on the session bus: closing the window quits)"
    );
    assert!(
        report
            .get("notifications")
            .ends_with("; reminders come up in the window"),
        "{}",
        report.get("notifications")
    );
    assert_eq!(report.get("do-not-disturb").split(' ').next(), Some("none"));
    assert_eq!(
        compositor.asked(|asked| asked.idle.len()),
        1,
        "doctor asked for one idle notification"
    );
}

#[test]
fn with_nothing_at_all_every_line_says_none_and_doctor_ends_with_0() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let report = Report::of(&mut doctor(home.path(), &[]));
    assert_eq!(
        report.get("session"),
        "none (no WAYLAND_DISPLAY or DISPLAY)"
    );
    for key in [
        "wayland",
        "tray",
        "notifications",
        "keep-awake",
        "single copy",
        "idle",
        "full screen",
        "do-not-disturb",
        "sound server",
        "sound device",
    ] {
        assert!(
            report.get(key).starts_with("none ("),
            "{key}: {}",
            report.get(key)
        );
    }
    assert_eq!(report.get("busy"), "no");
    assert_eq!(report.lines.len(), 13, "{:#?}", report.lines);
}

#[test]
fn watch_follows_the_compositors_idle_time_until_ctrl_c() {
    let compositor = Compositor::start(Offer {
        seat: true,
        kde_idle: true,
        ..Offer::default()
    });
    let home = tempfile::tempdir().expect("a temporary folder");
    let vars = [("WAYLAND_DISPLAY", compositor.socket.display().to_string())];
    let mut child = doctor(home.path(), &vars)
        .arg("--watch")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("doctor starts");
    let mut lines = Lines::read(child.stdout.take().expect("piped"));
    lines.wait_for(
        "the idle line",
        |line| line == "idle: org_kde_kwin_idle (KDE) — under 60 s",
        PATIENCE,
    );
    let first = lines.wait_for(
        "a first live reading",
        |line| line.starts_with("watch: "),
        PATIENCE,
    );
    assert!(
        first.ends_with(": idle under 60 s (org_kde_kwin_idle (KDE)); busy: no"),
        "{first}"
    );
    // A minute passes without input, as far as the compositor says.
    eventually("the idle notification", PATIENCE, || {
        compositor.asked(|asked| (!asked.idle.is_empty()).then_some(()))
    });
    compositor.idle();
    let idle = lines.wait_for(
        "a reading of a minute's idleness",
        |line| line.starts_with("watch: ") && !line.contains("under 60 s"),
        PATIENCE,
    );
    let seconds: u64 = idle
        .split("idle ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{idle}"));
    assert!((60..70).contains(&seconds), "{idle}");
    assert!(
        idle.ends_with(" s (org_kde_kwin_idle (KDE)); busy: no"),
        "{idle}"
    );
    compositor.resumed();
    lines.wait_for(
        "input seen again",
        |line| line.starts_with("watch: ") && line.contains("idle under 60 s"),
        PATIENCE,
    );

    send(&child, libc::SIGINT);
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "Ctrl-C ends the watch with 0");
}
