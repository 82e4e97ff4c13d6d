//! Idle time and full-screen windows from a Wayland compositor (`desktop::presence::wayland`),
//! against a stand-in compositor (tests/common/wayland.rs) that offers what each test asks for:
//! which idle protocol is chosen and how it is asked for, idle and resumed read as idle time,
//! other programs' full-screen windows (wlr and KDE), downshift's own not counted, and what
//! happens when the compositor hangs, goes away or comes back. The real compositors (sway, Weston)
//! are in scripts/e2e-sway.sh and scripts/e2e-wayland.sh.
#![cfg(target_os = "linux")]

use std::os::unix::net::UnixListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;
#[path = "common/wayland.rs"]
mod compositor;

use common::bus::Bus;
use common::{PATIENCE, eventually};
use compositor::{AskedIdle, Compositor, Offer, Window};
use downshift::clock::{Clocks, fixed_wall};
use downshift::desktop::presence::wayland::{
    self, ARMED_AT, EXT_IDLE_V1, EXT_IDLE_V2, KDE_IDLE, PLASMA_WINDOWS, WLR_TOPLEVELS,
};
use downshift::desktop::presence::{
    Busy, IdleTime, Places, Probes, Said, WaylandDesktop, wayland_socket,
};
use jiff::SignedDuration;

/// A monotonic clock the test moves by hand (microseconds).
struct Hands(Arc<AtomicU64>);

impl Hands {
    fn new() -> (Hands, Clocks) {
        let now = Arc::new(AtomicU64::new(1_000_000));
        let reading = Arc::clone(&now);
        let wall = fixed_wall(jiff::civil::date(2026, 11, 23).at(10, 0, 0, 0));
        (
            Hands(now),
            Clocks::from_fns(move || reading.load(Ordering::SeqCst), wall),
        )
    }

    fn forward(&self, seconds: u64) {
        self.0.fetch_add(seconds * 1_000_000, Ordering::SeqCst);
    }
}

fn connect(compositor: &Compositor, clocks: Clocks) -> WaylandDesktop {
    WaylandDesktop::connect(&compositor.socket, clocks).expect("connects to the stand-in")
}

/// Reads again until `wanted` holds (the stand-in carries out orders on its own thread).
fn until<T: PartialEq + std::fmt::Debug>(
    desktop: &mut WaylandDesktop,
    what: &str,
    read: impl Fn(&WaylandDesktop) -> T,
    wanted: T,
) {
    let mut last = None;
    let deadline = Instant::now() + PATIENCE;
    loop {
        desktop.refresh().expect("the stand-in answers");
        let now = read(desktop);
        if now == wanted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: still {now:?}, want {wanted:?} (before: {last:?})"
        );
        last = Some(now);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn idle_of(desktop: &WaylandDesktop) -> Option<IdleTime> {
    desktop.idle().map(|said| said.value)
}

fn full_screen_of(desktop: &WaylandDesktop) -> Option<bool> {
    desktop.full_screen().map(|said| said.value)
}

fn seconds(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

fn another_app(activated: bool, full_screen: bool) -> Window {
    Window {
        app_id: "org.gnome.Totem".into(),
        pid: 4242,
        activated,
        full_screen,
    }
}

#[test]
fn version_2_of_ext_idle_notify_is_asked_for_input_only_idleness_at_a_minute() {
    let compositor = Compositor::start(Offer {
        seat: true,
        ext_idle: Some(2),
        kde_idle: true,
        ..Offer::default()
    });
    let (_hands, clocks) = Hands::new();
    let desktop = connect(&compositor, clocks);
    assert_eq!(ARMED_AT, seconds(60));
    eventually("the idle notification to be asked for", PATIENCE, || {
        compositor.asked(|asked| (!asked.idle.is_empty()).then(|| asked.idle.clone()))
    });
    assert_eq!(
        compositor.asked(|asked| asked.idle.clone()),
        vec![AskedIdle {
            request: "get_input_idle_notification",
            timeout_ms: 60_000
        }],
        "one notification, input only, at a minute; KDE's older protocol is not asked"
    );
    assert_eq!(
        desktop.idle(),
        Some(Said {
            value: IdleTime::Under(seconds(60)),
            source: EXT_IDLE_V2
        })
    );
    assert_eq!(desktop.used(), &[("ext_idle_notifier_v1", 2)]);
    assert_eq!(
        desktop.offered(),
        vec![
            ("ext_idle_notifier_v1", 2),
            ("org_kde_kwin_idle", 1),
            ("wl_seat", 7)
        ]
    );
}

#[test]
fn version_1_of_ext_idle_notify_is_asked_where_2_is_not_offered() {
    let compositor = Compositor::start(Offer {
        seat: true,
        ext_idle: Some(1),
        ..Offer::default()
    });
    let (_hands, clocks) = Hands::new();
    let desktop = connect(&compositor, clocks);
    let asked = eventually("the idle notification", PATIENCE, || {
        compositor.asked(|asked| asked.idle.first().cloned())
    });
    assert_eq!(asked.request, "get_idle_notification");
    assert_eq!(asked.timeout_ms, 60_000);
    assert_eq!(desktop.idle().map(|said| said.source), Some(EXT_IDLE_V1));
}

#[test]
fn kdes_older_idle_protocol_is_the_fallback() {
    let compositor = Compositor::start(Offer {
        seat: true,
        kde_idle: true,
        wlr_toplevels: Some(3),
        ..Offer::default()
    });
    let (_hands, clocks) = Hands::new();
    let desktop = connect(&compositor, clocks);
    let asked = eventually("the idle timeout", PATIENCE, || {
        compositor.asked(|asked| asked.idle.first().cloned())
    });
    assert_eq!(
        asked,
        AskedIdle {
            request: "get_idle_timeout",
            timeout_ms: 60_000
        }
    );
    assert_eq!(desktop.idle().map(|said| said.source), Some(KDE_IDLE));
    assert_eq!(
        desktop.used(),
        &[
            ("org_kde_kwin_idle", 1),
            ("zwlr_foreign_toplevel_manager_v1", 3)
        ]
    );
}

#[test]
fn idle_counts_from_the_minute_the_compositor_saw_no_input_and_ends_with_input() {
    for offer in [
        Offer {
            seat: true,
            ext_idle: Some(2),
            ..Offer::default()
        },
        Offer {
            seat: true,
            kde_idle: true,
            ..Offer::default()
        },
    ] {
        let compositor = Compositor::start(offer);
        let (hands, clocks) = Hands::new();
        let mut desktop = connect(&compositor, clocks);
        assert_eq!(idle_of(&desktop), Some(IdleTime::Under(seconds(60))));

        // A minute without input: the compositor says so, and it is seen at this reading.
        compositor.idle();
        until(
            &mut desktop,
            "idle after the minute",
            idle_of,
            Some(IdleTime::Exactly(seconds(60))),
        );
        // 45 s later, with nothing more from the compositor: 1 min 45 s.
        hands.forward(45);
        desktop.refresh().expect("the stand-in answers");
        assert_eq!(idle_of(&desktop), Some(IdleTime::Exactly(seconds(105))));

        // Someone touches a key: under a minute again.
        compositor.resumed();
        until(
            &mut desktop,
            "resumed",
            idle_of,
            Some(IdleTime::Under(seconds(60))),
        );
        hands.forward(600);
        desktop.refresh().expect("the stand-in answers");
        assert_eq!(
            idle_of(&desktop),
            Some(IdleTime::Under(seconds(60))),
            "no word from the compositor is no idleness"
        );
    }
}

#[test]
fn without_a_seat_or_an_idle_protocol_wayland_says_nothing_of_idle_time() {
    // As headless Weston: no seat, no idle protocol.
    let bare = Compositor::start(Offer::default());
    let (_hands, clocks) = Hands::new();
    let desktop = connect(&bare, clocks.clone());
    assert_eq!(desktop.idle(), None);
    assert_eq!(desktop.full_screen(), None);
    assert!(desktop.offered().is_empty());

    let seatless = Compositor::start(Offer {
        ext_idle: Some(2),
        ..Offer::default()
    });
    let desktop = connect(&seatless, clocks);
    assert_eq!(desktop.idle(), None, "an idle notification needs a seat");
    assert!(seatless.asked(|asked| asked.idle.is_empty()));
}

#[test]
fn another_programs_full_screen_window_with_the_focus_is_seen_through_wlr_toplevels() {
    let compositor = Compositor::start(Offer {
        seat: true,
        wlr_toplevels: Some(3),
        ..Offer::default()
    });
    // A window open before downshift connects is listed at once.
    compositor.open(1, another_app(true, false));
    let (_hands, clocks) = Hands::new();
    let mut desktop = connect(&compositor, clocks);
    until(&mut desktop, "listed", full_screen_of, Some(false));
    assert_eq!(
        desktop.full_screen().map(|said| said.source),
        Some(WLR_TOPLEVELS)
    );

    compositor.change(1, another_app(true, true));
    until(&mut desktop, "full screen", full_screen_of, Some(true));

    // Full screen but without the focus (the person went to another window): not busy.
    compositor.change(1, another_app(false, true));
    until(&mut desktop, "not focused", full_screen_of, Some(false));

    // A second program, full screen and focused; then it closes.
    compositor.open(2, another_app(true, true));
    until(&mut desktop, "a second window", full_screen_of, Some(true));
    assert_eq!(desktop.windows_listed(), Some(2));
    compositor.close(2);
    until(&mut desktop, "closed", full_screen_of, Some(false));
    assert_eq!(desktop.windows_listed(), Some(1));
}

#[test]
fn downshifts_own_full_screen_window_does_not_count_on_wayland() {
    let compositor = Compositor::start(Offer {
        wlr_toplevels: Some(3),
        plasma_windows: None,
        ..Offer::default()
    });
    compositor.open(
        1,
        Window {
            app_id: downshift::APP_ID.into(),
            pid: 1,
            activated: true,
            full_screen: true,
        },
    );
    let (_hands, clocks) = Hands::new();
    let mut desktop = connect(&compositor, clocks);
    // Seen (listed), and not counted.
    desktop.refresh().expect("the stand-in answers");
    assert_eq!(desktop.windows_listed(), Some(1));
    assert_eq!(full_screen_of(&desktop), Some(false));

    let kde = Compositor::start(Offer {
        plasma_windows: Some(16),
        ..Offer::default()
    });
    // Known by its process, whatever its app id says.
    kde.open(
        1,
        Window {
            app_id: "downshift".into(),
            pid: std::process::id(),
            activated: true,
            full_screen: true,
        },
    );
    let (_hands, clocks) = Hands::new();
    let mut desktop = connect(&kde, clocks);
    desktop.refresh().expect("the stand-in answers");
    assert_eq!(desktop.windows_listed(), Some(1));
    assert_eq!(full_screen_of(&desktop), Some(false));
    kde.open(2, another_app(true, true));
    until(
        &mut desktop,
        "another program's window",
        full_screen_of,
        Some(true),
    );
}

#[test]
fn kdes_plasma_window_management_is_read_by_uuid_and_by_number() {
    // Version 13 and later announce windows by uuid; older ones by number.
    for (version, by_uuid) in [(16, true), (12, false)] {
        let compositor = Compositor::start(Offer {
            seat: true,
            plasma_windows: Some(version),
            ..Offer::default()
        });
        compositor.open(1, another_app(true, true));
        let (_hands, clocks) = Hands::new();
        let mut desktop = connect(&compositor, clocks);
        until(
            &mut desktop,
            "the full-screen window",
            full_screen_of,
            Some(true),
        );
        assert_eq!(
            desktop.full_screen().map(|said| said.source),
            Some(PLASMA_WINDOWS)
        );
        assert_eq!(
            compositor.asked(|asked| (asked.plasma_by_uuid, asked.plasma_by_number)),
            if by_uuid { (1, 0) } else { (0, 1) },
            "version {version}"
        );
        compositor.change(1, another_app(true, false));
        until(
            &mut desktop,
            "left full screen",
            full_screen_of,
            Some(false),
        );
        compositor.change(1, another_app(true, true));
        until(
            &mut desktop,
            "full screen again",
            full_screen_of,
            Some(true),
        );
        compositor.close(1);
        until(&mut desktop, "closed", full_screen_of, Some(false));
    }
}

#[test]
fn an_odd_state_array_or_an_ended_window_list_is_no_crash() {
    let compositor = Compositor::start(Offer {
        wlr_toplevels: Some(3),
        ..Offer::default()
    });
    compositor.open(1, another_app(true, true));
    let (_hands, clocks) = Hands::new();
    let mut desktop = connect(&compositor, clocks);
    until(&mut desktop, "full screen", full_screen_of, Some(true));
    // Five bytes: activated, then a piece of a value.
    let mut odd = 2u32.to_ne_bytes().to_vec();
    odd.push(3);
    compositor.raw_state(1, odd);
    until(
        &mut desktop,
        "the whole values read",
        full_screen_of,
        Some(false),
    );
    // The compositor stops listing windows: nothing is known any more.
    compositor.finish_window_lists();
    until(&mut desktop, "the list ended", full_screen_of, None);
    assert_eq!(desktop.windows_listed(), None);
    desktop.refresh().expect("the connection still answers");
}

#[test]
fn a_compositor_that_never_answers_holds_a_reading_up_half_a_second_at_most() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let socket = folder.path().join("wayland-hung");
    // Accepts connections and never reads a byte.
    let _listener = UnixListener::bind(&socket).expect("a socket");
    let started = Instant::now();
    let (_hands, clocks) = Hands::new();
    let connected = WaylandDesktop::connect(&socket, Clocks::system());
    let took = started.elapsed();
    assert!(connected.is_err(), "a silent compositor is not a source");
    assert!(
        took < wayland::ANSWER_WITHIN + Duration::from_millis(500),
        "took {took:?}"
    );
    // Through every source: the reading comes back, with nothing from Wayland.
    let places = Places {
        bus: None,
        x11_display: None,
        wayland_socket: Some(socket.clone()),
        proc_root: folder.path().join("no-proc"),
    };
    let started = Instant::now();
    let mut probes = Probes::open_with(places, clocks);
    let reading = probes.read_all();
    assert_eq!(reading.idle, None);
    assert_eq!(reading.full_screen, None);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn when_the_compositor_goes_away_and_comes_back_it_is_read_again() {
    let offer = Offer {
        seat: true,
        ext_idle: Some(2),
        wlr_toplevels: Some(3),
        ..Offer::default()
    };
    let compositor = Compositor::start(offer);
    compositor.open(1, another_app(true, true));
    let socket = compositor.socket.clone();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (_hands, clocks) = Hands::new();
    let mut probes = Probes::open_with(
        Places {
            bus: None,
            x11_display: None,
            wayland_socket: Some(socket.clone()),
            proc_root: folder.path().join("no-proc"),
        },
        clocks,
    );
    let reading = eventually("the full-screen window", PATIENCE, || {
        let reading = probes.read_all();
        (reading.full_screen.map(|said| said.value) == Some(true)).then_some(reading)
    });
    assert_eq!(reading.surroundings().busy, Some(Busy::FullScreen));
    assert_eq!(reading.idle.map(|said| said.source), Some(EXT_IDLE_V2));

    // Gone: nothing is said, nothing fails, nobody is busy.
    let kept = compositor.go_away();
    let reading = probes.read_all();
    assert_eq!(reading.idle, None);
    assert_eq!(reading.full_screen, None);
    assert_eq!(reading.surroundings().busy, None);
    let again = probes.read_all();
    assert_eq!(again.idle, None);

    // Back at the same socket (a compositor restarted): connected to, and asked again.
    let back = Compositor::start_at(offer, socket, kept);
    back.open(7, another_app(true, true));
    let reading = eventually("the compositor to be read again", PATIENCE, || {
        let reading = probes.read_all();
        (reading.full_screen.map(|said| said.value) == Some(true)).then_some(reading)
    });
    assert_eq!(reading.idle.map(|said| said.source), Some(EXT_IDLE_V2));
    assert_eq!(back.asked(|asked| asked.idle.len()), 1);
}

#[test]
fn wayland_is_asked_for_idle_time_before_gnomes_idle_monitor() {
    struct MutterIdleMonitor;
    #[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
    impl MutterIdleMonitor {
        fn get_idletime(&self) -> u64 {
            7_000
        }
    }
    let bus = Bus::start();
    let _mutter = async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .name("org.gnome.Mutter.IdleMonitor")?
            .serve_at("/org/gnome/Mutter/IdleMonitor/Core", MutterIdleMonitor)?
            .build()
            .await
    })
    .expect("the stand-in serves");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let places = |socket| Places {
        bus: Some(bus.address.clone()),
        x11_display: None,
        wayland_socket: Some(socket),
        proc_root: folder.path().join("no-proc"),
    };

    let with_idle = Compositor::start(Offer {
        seat: true,
        kde_idle: true,
        ..Offer::default()
    });
    let (_hands, clocks) = Hands::new();
    let reading = Probes::open_with(places(with_idle.socket.clone()), clocks.clone()).read_all();
    assert_eq!(
        reading.idle,
        Some(Said {
            value: IdleTime::Under(seconds(60)),
            source: KDE_IDLE
        })
    );
    assert_eq!(reading.surroundings().idle, Some(SignedDuration::ZERO));

    // A compositor without an idle protocol (Weston; GNOME before 48): Mutter answers.
    let without = Compositor::start(Offer {
        seat: true,
        ..Offer::default()
    });
    let reading = Probes::open_with(places(without.socket.clone()), clocks).read_all();
    assert_eq!(
        reading.idle,
        Some(Said {
            value: IdleTime::Exactly(SignedDuration::from_secs(7)),
            source: "Mutter IdleMonitor"
        })
    );
}

#[test]
fn the_wayland_socket_is_found_as_libwayland_finds_it() {
    use std::ffi::OsStr;
    use std::path::PathBuf;
    let runtime = Some(OsStr::new("/run/user/1000"));
    assert_eq!(
        wayland_socket(Some(OsStr::new("wayland-1")), runtime),
        Some(PathBuf::from("/run/user/1000/wayland-1"))
    );
    assert_eq!(
        wayland_socket(Some(OsStr::new("/tmp/w/socket")), None),
        Some(PathBuf::from("/tmp/w/socket"))
    );
    assert_eq!(
        wayland_socket(None, runtime),
        Some(PathBuf::from("/run/user/1000/wayland-0"))
    );
    assert_eq!(wayland_socket(Some(OsStr::new("wayland-1")), None), None);
    assert_eq!(
        wayland_socket(Some(OsStr::new("wayland-1")), Some(OsStr::new(""))),
        None
    );
}
