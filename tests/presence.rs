//! What the desktop says about the person and the screen (`desktop::presence`): idle time,
//! do-not-disturb and the camera from stand-in services on a private D-Bus and a folder laid
//! out like /proc; idle time and full screen from a private X server (Xvfb, with openbox as the
//! window manager); and the reading thread that reports them and ends when dropped.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

mod common;

use common::bus::{Bus, serve};
use common::x11::{Started, X};
use common::{PATIENCE, eventually, run};
use downshift::desktop::presence::{
    Busy, Places, Presence, SessionBus, Surroundings, X11Screen, camera_in_use, read_once,
};
use jiff::SignedDuration;
use zbus::zvariant::{OwnedValue, Value};

/// Long enough for messages and new windows on a loaded machine (a window under stress-ng took
/// over 10 s to be listed); a hang still fails the test.
const WAIT: Duration = PATIENCE;

fn places_on(bus: &Bus, proc_root: &Path) -> Places {
    Places {
        bus: Some(bus.address.clone()),
        x11_display: None,
        wayland_socket: None,
        proc_root: proc_root.to_owned(),
    }
}

struct MutterIdleMonitor {
    millis: u64,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl MutterIdleMonitor {
    fn get_idletime(&self) -> u64 {
        self.millis
    }
}

struct ScreenSaver {
    millis: u32,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    fn get_session_idle_time(&self) -> u32 {
        self.millis
    }
}

struct Notifications {
    inhibited: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[zbus(property)]
    fn inhibited(&self) -> bool {
        self.inhibited.load(Ordering::SeqCst)
    }
}

/// The desktop portal's Settings as versions 2 and later have it (ReadOne).
struct Portal {
    show_banners: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.portal.Settings")]
impl Portal {
    fn read_one(&self, namespace: String, key: String) -> zbus::fdo::Result<OwnedValue> {
        if (namespace.as_str(), key.as_str()) == ("org.gnome.desktop.notifications", "show-banners")
        {
            Ok(OwnedValue::from(self.show_banners.load(Ordering::SeqCst)))
        } else {
            Err(zbus::fdo::Error::Failed(format!("no {namespace} {key}")))
        }
    }
}

/// An older portal: only Read, which wraps the value in one more variant.
struct OldPortal {
    show_banners: bool,
}

#[zbus::interface(name = "org.freedesktop.portal.Settings")]
impl OldPortal {
    fn read(&self, namespace: String, key: String) -> zbus::fdo::Result<OwnedValue> {
        if (namespace.as_str(), key.as_str()) == ("org.gnome.desktop.notifications", "show-banners")
        {
            OwnedValue::try_from(Value::Value(Box::new(Value::Bool(self.show_banners))))
                .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))
        } else {
            Err(zbus::fdo::Error::Failed(format!("no {namespace} {key}")))
        }
    }
}

/// Xfce's settings store.
struct Xfconf {
    do_not_disturb: bool,
}

#[zbus::interface(name = "org.xfce.Xfconf")]
impl Xfconf {
    fn get_property(&self, channel: String, property: String) -> zbus::fdo::Result<OwnedValue> {
        if (channel.as_str(), property.as_str()) == ("xfce4-notifyd", "/do-not-disturb") {
            Ok(OwnedValue::from(self.do_not_disturb))
        } else {
            Err(zbus::fdo::Error::Failed(format!("no {channel} {property}")))
        }
    }
}

const PORTAL: (&str, &str) = (
    "org.freedesktop.portal.Desktop",
    "/org/freedesktop/portal/desktop",
);
const NOTIFICATIONS: (&str, &str) = (
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
);

fn empty_proc() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[test]
fn idle_time_comes_from_gnomes_idle_monitor_in_milliseconds() {
    let bus = Bus::start();
    let _mutter = serve(
        &bus,
        "org.gnome.Mutter.IdleMonitor",
        "/org/gnome/Mutter/IdleMonitor/Core",
        MutterIdleMonitor { millis: 123_456 },
    );
    // Mutter comes first even where a screen saver service answers too.
    let _screen_saver = serve(
        &bus,
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        ScreenSaver { millis: 7 },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.idle().expect("an idle time");
    assert_eq!(said.value, SignedDuration::from_millis(123_456));
    assert_eq!(said.value.as_secs_f64(), 123.456);
    assert_eq!(said.source, "Mutter IdleMonitor");

    let proc_root = empty_proc();
    let surroundings = read_once(&places_on(&bus, proc_root.path()));
    assert_eq!(
        surroundings,
        Surroundings {
            idle: Some(SignedDuration::from_millis(123_456)),
            busy: None
        }
    );
}

#[test]
fn without_mutter_idle_time_comes_from_the_freedesktop_screen_saver() {
    let bus = Bus::start();
    let _screen_saver = serve(
        &bus,
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        ScreenSaver { millis: 90_000 },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.idle().expect("an idle time");
    assert_eq!(said.value, SignedDuration::from_secs(90));
    assert_eq!(said.source, "freedesktop ScreenSaver");
}

#[test]
fn a_screen_saver_at_the_short_path_kde_also_uses_is_found() {
    let bus = Bus::start();
    let _screen_saver = serve(
        &bus,
        "org.freedesktop.ScreenSaver",
        "/ScreenSaver",
        ScreenSaver { millis: 2_500 },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.idle().expect("an idle time");
    assert_eq!(said.value, SignedDuration::from_millis(2_500));
}

#[test]
fn where_nothing_says_idle_time_or_why_to_wait_both_are_none() {
    let bus = Bus::start();
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(session.idle(), None);
    assert_eq!(session.do_not_disturb(), None);
    let proc_root = empty_proc();
    assert_eq!(
        read_once(&places_on(&bus, proc_root.path())),
        Surroundings::default()
    );
}

#[test]
fn without_a_bus_nothing_is_said_and_nothing_fails() {
    let proc_root = empty_proc();
    let places = Places {
        bus: Some(format!(
            "unix:path={}",
            proc_root.path().join("no-bus").display()
        )),
        x11_display: None,
        wayland_socket: None,
        proc_root: proc_root.path().to_owned(),
    };
    assert!(SessionBus::connect(places.bus.as_deref()).is_err());
    assert_eq!(read_once(&places), Surroundings::default());
}

#[test]
fn the_notification_servers_inhibited_means_do_not_disturb() {
    let bus = Bus::start();
    let inhibited = Arc::new(AtomicBool::new(true));
    let (name, path) = NOTIFICATIONS;
    let _server = serve(
        &bus,
        name,
        path,
        Notifications {
            inhibited: Arc::clone(&inhibited),
        },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.do_not_disturb().expect("an answer");
    assert!(said.value);
    assert_eq!(said.source, "notification server");
    let proc_root = empty_proc();
    let places = places_on(&bus, proc_root.path());
    assert_eq!(read_once(&places).busy, Some(Busy::DoNotDisturb));

    inhibited.store(false, Ordering::SeqCst);
    let said = session.do_not_disturb().expect("an answer");
    assert!(!said.value);
    assert_eq!(read_once(&places).busy, None);
}

#[test]
fn gnome_banners_off_through_the_portal_means_do_not_disturb() {
    let bus = Bus::start();
    let (name, path) = PORTAL;
    let show_banners = Arc::new(AtomicBool::new(false));
    let _portal = serve(
        &bus,
        name,
        path,
        Portal {
            show_banners: Arc::clone(&show_banners),
        },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.do_not_disturb().expect("an answer");
    assert!(said.value);
    assert_eq!(said.source, "desktop portal (GNOME)");

    // Banners on: nothing to wait for.
    show_banners.store(true, Ordering::SeqCst);
    let said = session.do_not_disturb().expect("an answer");
    assert!(!said.value);
}

#[test]
fn an_older_portal_with_only_read_is_understood() {
    let bus = Bus::start();
    let (name, path) = PORTAL;
    let _portal = serve(
        &bus,
        name,
        path,
        OldPortal {
            show_banners: false,
        },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(session.do_not_disturb().map(|said| said.value), Some(true));
}

#[test]
fn do_not_disturb_is_on_when_any_service_says_so() {
    // KDE's notification server says no, GNOME's setting says yes: on (as Stretchly reads it).
    let bus = Bus::start();
    let (name, path) = NOTIFICATIONS;
    let _server = serve(
        &bus,
        name,
        path,
        Notifications {
            inhibited: Arc::new(AtomicBool::new(false)),
        },
    );
    let (name, path) = PORTAL;
    let _portal = serve(
        &bus,
        name,
        path,
        Portal {
            show_banners: Arc::new(AtomicBool::new(false)),
        },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(session.do_not_disturb().map(|said| said.value), Some(true));
}

#[test]
fn xfces_do_not_disturb_setting_is_read() {
    let bus = Bus::start();
    let _xfconf = serve(
        &bus,
        "org.xfce.Xfconf",
        "/org/xfce/Xfconf",
        Xfconf {
            do_not_disturb: true,
        },
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.do_not_disturb().expect("an answer");
    assert!(said.value);
    assert_eq!(said.source, "xfconf (Xfce)");
}

/// Makes `proc_root/PID/fd/FD` a link to `target`, as /proc shows a process's open files.
fn holds(proc_root: &Path, pid: &str, fd: &str, target: &str) {
    let folder = proc_root.join(pid).join("fd");
    std::fs::create_dir_all(&folder).expect("a process folder");
    std::os::unix::fs::symlink(target, folder.join(fd)).expect("an open-file link");
}

#[test]
fn a_process_holding_a_video_device_means_a_camera_in_use() {
    let proc_root = empty_proc();
    let root = proc_root.path();
    holds(root, "77", "0", "/dev/null");
    holds(root, "77", "1", "socket:[4242]");
    std::fs::create_dir_all(root.join("88")).expect("a process with no fd folder to read");
    std::fs::create_dir_all(root.join("sys")).expect("not a process");
    assert!(!camera_in_use(root), "nothing holds a camera yet");

    holds(root, "1234", "5", "/dev/video0");
    assert!(camera_in_use(root));
}

#[test]
fn downshifts_own_hold_on_a_camera_does_not_count() {
    let proc_root = empty_proc();
    holds(
        proc_root.path(),
        &std::process::id().to_string(),
        "9",
        "/dev/video2",
    );
    assert!(!camera_in_use(proc_root.path()));
}

#[test]
fn a_folder_that_is_not_there_means_no_camera() {
    let proc_root = empty_proc();
    assert!(!camera_in_use(&proc_root.path().join("absent")));
}

#[test]
fn do_not_disturb_is_named_before_a_camera_in_use() {
    let bus = Bus::start();
    let (name, path) = NOTIFICATIONS;
    let _server = serve(
        &bus,
        name,
        path,
        Notifications {
            inhibited: Arc::new(AtomicBool::new(true)),
        },
    );
    let proc_root = empty_proc();
    holds(proc_root.path(), "1234", "5", "/dev/video0");
    let places = places_on(&bus, proc_root.path());
    assert_eq!(read_once(&places).busy, Some(Busy::DoNotDisturb));
    std::fs::remove_dir_all(proc_root.path().join("1234")).expect("the call ends");
    assert_eq!(read_once(&places).busy, Some(Busy::DoNotDisturb));
}

#[test]
fn a_camera_in_use_makes_a_nudge_wait() {
    let bus = Bus::start();
    let proc_root = empty_proc();
    holds(proc_root.path(), "1234", "5", "/dev/video0");
    let places = places_on(&bus, proc_root.path());
    assert_eq!(read_once(&places).busy, Some(Busy::Camera));
}

#[test]
fn the_reading_thread_reports_a_change_and_ends_when_dropped() {
    let bus = Bus::start();
    let _mutter = serve(
        &bus,
        "org.gnome.Mutter.IdleMonitor",
        "/org/gnome/Mutter/IdleMonitor/Core",
        MutterIdleMonitor { millis: 123_456 },
    );
    let inhibited = Arc::new(AtomicBool::new(false));
    let (name, path) = NOTIFICATIONS;
    let _server = serve(
        &bus,
        name,
        path,
        Notifications {
            inhibited: Arc::clone(&inhibited),
        },
    );
    let proc_root = empty_proc();
    let (report, reports) = channel();
    let presence = Presence::start_with(
        places_on(&bus, proc_root.path()),
        Duration::from_millis(50),
        move |surroundings| {
            let _ = report.send(surroundings);
        },
    );
    let first = reports.recv_timeout(WAIT).expect("a first reading at once");
    assert_eq!(
        first,
        Surroundings {
            idle: Some(SignedDuration::from_millis(123_456)),
            busy: None
        }
    );

    inhibited.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let reading = reports
            .recv_timeout(left)
            .expect("do-not-disturb reported within the time");
        if reading.busy == Some(Busy::DoNotDisturb) {
            break;
        }
    }

    // Dropped: the thread ends (and lets go of `report`) promptly.
    let dropped = Instant::now();
    drop(presence);
    loop {
        match reports.recv_timeout(Duration::from_secs(2)) {
            Ok(_) => assert!(
                dropped.elapsed() < Duration::from_secs(2),
                "still reporting {:?} after the drop",
                dropped.elapsed()
            ),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!("the thread did not end within 2 s"),
        }
    }
}

// --- X11 ------------------------------------------------------------------------------------

/// The private display's screen, as presence reads it.
fn screen(x: &X) -> X11Screen {
    X11Screen::open(Some(&x.display)).expect("the private display opens")
}

#[test]
fn x11_idle_time_grows_while_nothing_happens_and_drops_when_the_pointer_moves() {
    let x = X::start();
    let screen = screen(&x);
    let first = screen.idle().expect("Xvfb has the screen saver extension");
    let grown = eventually("idle time to grow past 1.5 s", WAIT, || {
        screen
            .idle()
            .filter(|idle| *idle > first && *idle >= SignedDuration::from_millis(1_500))
    });
    x.run("xdotool", &["mousemove", "10", "20"]);
    let after = eventually("idle time to drop after the pointer moved", WAIT, || {
        screen
            .idle()
            .filter(|idle| *idle < SignedDuration::from_secs(1))
    });
    assert!(after < grown, "{after:?} after, {grown:?} before");
    // With no window manager, nobody says which window has the focus.
    assert_eq!(screen.full_screen(), None);
}

#[test]
fn a_display_that_cannot_be_opened_is_an_error_not_a_crash() {
    let gone = tempfile::tempdir().expect("a temporary folder");
    let name = format!("{}/no-such-display:0", gone.path().display());
    assert!(X11Screen::open(Some(&name)).is_err());
}

/// The id of the window titled `title`, as wmctrl lists it (once the window manager lists
/// windows at all).
fn window_id(x: &X, title: &str) -> Option<String> {
    // Found by the X server's own list of windows, not the window manager's client list
    // (which lagged behind the window now and then on a loaded machine).
    let found = run(
        x.command("xdotool")
            .args(["search", "--name", &format!("^{title}$")]),
        PATIENCE,
    );
    let number: u64 = String::from_utf8_lossy(&found.stdout)
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    Some(format!("0x{number:x}"))
}

/// A window id as wmctrl or xprop prints it (0x00a00003, 0xa00003), as a number.
fn window_number(id: &str) -> Option<u64> {
    u64::from_str_radix(id.trim().trim_start_matches("0x"), 16).ok()
}

/// The window the window manager says has the focus.
fn active_window(x: &X) -> Option<u64> {
    let said = x.run("xprop", &["-root", "_NET_ACTIVE_WINDOW"]);
    said.rsplit(' ').next().and_then(window_number)
}

#[test]
fn a_full_screen_window_with_the_focus_makes_a_nudge_wait_unless_it_is_downshifts_own() {
    let x = X::start();
    let _window_manager = Started(
        x.command("openbox")
            .arg("--sm-disable")
            .spawn()
            .expect("openbox starts"),
    );
    eventually("openbox to manage the display", WAIT, || {
        x.run("xprop", &["-root", "_NET_SUPPORTING_WM_CHECK"])
            .contains("window id")
            .then_some(())
    });
    let screen = screen(&x);

    const TITLE: &str = "presence-test-window";
    let _window = Started(
        x.command("xmessage")
            .args(["-title", TITLE, "A window to make full screen"])
            .spawn()
            .expect("xmessage starts"),
    );
    let id = eventually("the window", WAIT, || window_id(&x, TITLE));
    // Asked again until it holds: a request that comes before the window manager is done
    // with a new window may be passed over.
    eventually("the window to have the focus", WAIT, || {
        x.run("wmctrl", &["-i", "-a", &id]);
        (active_window(&x) == window_number(&id)).then_some(())
    });
    assert_eq!(screen.full_screen(), Some(false));

    x.run("wmctrl", &["-i", "-r", &id, "-b", "add,fullscreen"]);
    eventually("full screen to be seen", WAIT, || {
        (screen.full_screen() == Some(true)).then_some(())
    });

    x.run("wmctrl", &["-i", "-r", &id, "-b", "remove,fullscreen"]);
    eventually("the end of full screen to be seen", WAIT, || {
        (screen.full_screen() == Some(false)).then_some(())
    });

    // Full screen again, but the window is downshift's own (its _NET_WM_PID is ours).
    x.run("wmctrl", &["-i", "-r", &id, "-b", "add,fullscreen"]);
    eventually("full screen to be seen again", WAIT, || {
        (screen.full_screen() == Some(true)).then_some(())
    });
    let ours = std::process::id().to_string();
    x.run(
        "xprop",
        &[
            "-id",
            &id,
            "-f",
            "_NET_WM_PID",
            "32c",
            "-set",
            "_NET_WM_PID",
            &ours,
        ],
    );
    eventually("our own full-screen window not to count", WAIT, || {
        (screen.full_screen() == Some(false)).then_some(())
    });

    // Through the reading of every source: full screen is why a nudge waits.
    x.run(
        "xprop",
        &[
            "-id",
            &id,
            "-f",
            "_NET_WM_PID",
            "32c",
            "-set",
            "_NET_WM_PID",
            "1",
        ],
    );
    let bus = Bus::start();
    let proc_root = empty_proc();
    let places = Places {
        x11_display: Some(x.display.clone()),
        ..places_on(&bus, proc_root.path())
    };
    let surroundings = read_once(&places);
    assert_eq!(surroundings.busy, Some(Busy::FullScreen));
    assert!(surroundings.idle.is_some(), "idle time from the X server");
}

/// Says, on the root window of `display`, that window `window` has the focus, as a window
/// manager would.
fn claim_active_window(display: &str, window: std::os::raw::c_ulong) {
    use x11_dl::xlib;
    let lib = xlib::Xlib::open().expect("Xlib");
    let name = std::ffi::CString::new(display).expect("a display name");
    // SAFETY: plain Xlib calls on a connection opened and closed here; the property data is one
    // C long that outlives the call.
    unsafe {
        let connection = (lib.XOpenDisplay)(name.as_ptr());
        assert!(!connection.is_null(), "the private display opens");
        let root = (lib.XDefaultRootWindow)(connection);
        let active = (lib.XInternAtom)(connection, c"_NET_ACTIVE_WINDOW".as_ptr(), xlib::False);
        (lib.XChangeProperty)(
            connection,
            root,
            active,
            xlib::XA_WINDOW,
            32,
            xlib::PropModeReplace,
            (&window as *const std::os::raw::c_ulong).cast(),
            1,
        );
        (lib.XSync)(connection, xlib::False);
        (lib.XCloseDisplay)(connection);
    }
}

#[test]
fn a_focused_window_that_has_gone_is_not_full_screen_and_not_a_crash() {
    // Xlib's own error handler would end the process on the BadWindow this asks for.
    let x = X::start();
    let screen = screen(&x);
    claim_active_window(&x.display, 0x3f_ffff);
    assert_eq!(screen.full_screen(), Some(false));
    claim_active_window(&x.display, 0);
    assert_eq!(screen.full_screen(), Some(false), "no window has the focus");
    assert!(screen.idle().is_some(), "the connection still answers");
}

// --- GNOME: a program keeping the session from going idle ---------------------------------------

/// GNOME's session manager as a film or a presentation leaves it: `InhibitedActions` and the
/// inhibitors behind it.
struct SessionManager {
    inhibited_actions: Arc<std::sync::atomic::AtomicU32>,
    inhibitors: Vec<zbus::zvariant::OwnedObjectPath>,
}

#[zbus::interface(name = "org.gnome.SessionManager")]
impl SessionManager {
    #[zbus(property)]
    fn inhibited_actions(&self) -> u32 {
        self.inhibited_actions.load(Ordering::SeqCst)
    }

    fn get_inhibitors(&self) -> Vec<zbus::zvariant::OwnedObjectPath> {
        self.inhibitors.clone()
    }
}

/// An older session manager: the property, and no list of inhibitors.
struct OldSessionManager;

#[zbus::interface(name = "org.gnome.SessionManager")]
impl OldSessionManager {
    #[zbus(property)]
    fn inhibited_actions(&self) -> u32 {
        8
    }
}

struct Inhibitor {
    app_id: &'static str,
    flags: u32,
}

#[zbus::interface(name = "org.gnome.SessionManager.Inhibitor")]
impl Inhibitor {
    fn get_app_id(&self) -> String {
        self.app_id.to_owned()
    }

    fn get_flags(&self) -> u32 {
        self.flags
    }
}

/// Serves a session manager whose inhibitors are `inhibitors` (app id, flags), with
/// `InhibitedActions` their flags together.
fn session_manager(
    bus: &Bus,
    inhibitors: &[(&'static str, u32)],
) -> (zbus::Connection, Arc<std::sync::atomic::AtomicU32>) {
    let actions = Arc::new(std::sync::atomic::AtomicU32::new(
        inhibitors.iter().fold(0, |all, (_, flags)| all | flags),
    ));
    let paths: Vec<String> = (1..=inhibitors.len())
        .map(|n| format!("/org/gnome/SessionManager/Inhibitor{n}"))
        .collect();
    let connection = async_io::block_on(async {
        let mut builder = zbus::connection::Builder::address(bus.address.as_str())?
            .name("org.gnome.SessionManager")?
            .serve_at(
                "/org/gnome/SessionManager",
                SessionManager {
                    inhibited_actions: Arc::clone(&actions),
                    inhibitors: paths
                        .iter()
                        .map(|p| zbus::zvariant::OwnedObjectPath::try_from(p.as_str()))
                        .collect::<Result<_, _>>()?,
                },
            )?;
        for (path, (app_id, flags)) in paths.iter().zip(inhibitors) {
            builder = builder.serve_at(
                path.as_str(),
                Inhibitor {
                    app_id,
                    flags: *flags,
                },
            )?;
        }
        builder.build().await
    })
    .expect("the stand-in serves");
    (connection, actions)
}

const IDLE_INHIBITED: &str = "GNOME session manager (idle inhibited)";

#[test]
fn on_gnome_a_program_keeping_the_session_from_idling_makes_a_nudge_wait() {
    let bus = Bus::start();
    // A video player holds off idle (8) and suspend (4); a music player only suspend.
    let (_manager, actions) =
        session_manager(&bus, &[("org.gnome.Totem", 12), ("org.gnome.Rhythmbox", 4)]);
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    let said = session.idle_inhibited().expect("an answer");
    assert!(said.value);
    assert_eq!(said.source, IDLE_INHIBITED);
    let proc_root = empty_proc();
    let places = places_on(&bus, proc_root.path());
    assert_eq!(read_once(&places).busy, Some(Busy::FullScreen));

    // The film ends: only suspend is held off, which says nothing of the screen.
    actions.store(4, Ordering::SeqCst);
    let said = session.idle_inhibited().expect("an answer");
    assert!(!said.value);
    assert_eq!(read_once(&places).busy, None);
}

#[test]
fn downshifts_own_keep_awake_on_gnome_does_not_count() {
    let bus = Bus::start();
    let (_manager, _) = session_manager(
        &bus,
        &[
            (downshift::desktop::APPLICATION_NAME, 8),
            ("org.gnome.Rhythmbox", 4),
        ],
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(
        session.idle_inhibited().map(|said| said.value),
        Some(false),
        "only downshift itself holds idle off"
    );
}

#[test]
fn a_session_manager_without_a_list_of_inhibitors_is_taken_at_its_word() {
    let bus = Bus::start();
    let _manager = serve(
        &bus,
        "org.gnome.SessionManager",
        "/org/gnome/SessionManager",
        OldSessionManager,
    );
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(session.idle_inhibited().map(|said| said.value), Some(true));
}

#[test]
fn without_a_gnome_session_manager_nothing_is_said_of_it() {
    let bus = Bus::start();
    let session = SessionBus::connect(Some(&bus.address)).expect("connects");
    assert_eq!(session.idle_inhibited(), None);
}
