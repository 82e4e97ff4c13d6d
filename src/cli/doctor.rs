//! `downshift doctor`: what this desktop offers and what downshift uses of it, one line each, in
//! a form that stays put (a key, a colon, the source, " — ", what it says), for bug reports and
//! the tests. With `--watch`, the live readings every few seconds until Ctrl-C. It only reads:
//! nothing is stored, no service is started (every call carries D-Bus's NO_AUTO_START), and it
//! ends with 0 whatever is missing (it says "none", and why).
//!
//! Every line comes from the probes the app itself uses (`desktop::presence`, `tray`, `notify`,
//! `keep_awake`, `single_copy`, `audio`), so what it prints is what the app would find.

use std::io::Write;
use std::sync::mpsc::{RecvTimeoutError, channel};

use crate::clock::Clocks;
use crate::desktop::presence::{self, IdleTime, Places, Probes, Reading, Said};

use super::CommandResult;

#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    /// After the report, print the live readings (idle time, busy and why) every 5 seconds,
    /// until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
}

/// What one line says: the key, then what answers and what it says, or "none" and why.
fn line(key: &str, text: impl std::fmt::Display) -> String {
    format!("{key}: {text}")
}

pub fn doctor(args: DoctorArgs) -> CommandResult {
    let clocks = Clocks::system();
    let places = Places::of_this_session();
    // Opened first: a Wayland idle notification counts from when it is asked for.
    let mut probes = Probes::open_with(places.clone(), clocks.clone());
    let mut out = std::io::stdout();
    let mut say = |text: String| {
        // A closed pipe (`| head`) ends the report quietly.
        writeln!(out, "{text}").is_ok()
    };

    if !say(line("session", session())) {
        return Ok(());
    }
    let reading = probes.read_all();
    let mut lines = vec![line("wayland", wayland(&probes))];
    lines.extend(bus_lines());
    lines.push(line("idle", idle(&reading)));
    lines.push(line("full screen", full_screen(&reading, &probes)));
    lines.push(line(
        "do-not-disturb",
        said_or_none(
            reading.do_not_disturb,
            on_off,
            "no notification server, GNOME portal or Xfce setting says",
        ),
    ));
    lines.push(line(
        "camera",
        format!(
            "{} — {}",
            places.proc_root.display(),
            if reading.camera {
                "in use"
            } else {
                "not in use"
            }
        ),
    ));
    lines.push(line("busy", busy(&reading)));
    lines.extend(sound_lines());
    for text in lines {
        if !say(text) {
            return Ok(());
        }
    }
    if args.watch {
        watch(&mut probes, &clocks);
    }
    Ok(())
}

/// The session's kind and where its displays are.
fn session() -> String {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let wayland = var("WAYLAND_DISPLAY");
    let x11 = var("DISPLAY");
    let kind = var("XDG_SESSION_TYPE").unwrap_or_else(|| {
        match (&wayland, &x11) {
            (Some(_), _) => "wayland",
            (None, Some(_)) => "x11",
            (None, None) => "none (no WAYLAND_DISPLAY or DISPLAY)",
        }
        .to_owned()
    });
    let mut parts = Vec::new();
    if let Some(display) = wayland {
        parts.push(format!("WAYLAND_DISPLAY={display}"));
    }
    if let Some(display) = x11 {
        parts.push(format!("DISPLAY={display}"));
    }
    if let Some(desktop) = var("XDG_CURRENT_DESKTOP") {
        parts.push(format!("XDG_CURRENT_DESKTOP={desktop}"));
    }
    if parts.is_empty() {
        kind
    } else {
        format!("{kind} ({})", parts.join(", "))
    }
}

/// The Wayland compositor: which of the protocols that matter it offers.
#[cfg(target_os = "linux")]
fn wayland(probes: &Probes) -> String {
    match probes.wayland() {
        None => "none (not a Wayland session)".to_owned(),
        Some(Err(why)) => format!("none ({why})"),
        Some(Ok(desktop)) => {
            let offered = desktop.offered();
            let listed: Vec<String> = offered
                .iter()
                .map(|(interface, version)| format!("{interface} {version}"))
                .collect();
            let missing: Vec<&str> = presence::wayland::PROTOCOLS
                .iter()
                .copied()
                .filter(|interface| offered.iter().all(|(offered, _)| offered != interface))
                .collect();
            let mut text = format!(
                "offers {}",
                if listed.is_empty() {
                    "none of them".to_owned()
                } else {
                    listed.join(", ")
                }
            );
            if !missing.is_empty() {
                text.push_str(&format!("; not {}", missing.join(", ")));
            }
            text
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn wayland(_: &Probes) -> String {
    "none (only on Linux)".to_owned()
}

/// The session bus's lines: tray, notifications, keep-awake, single copy.
#[cfg(target_os = "linux")]
fn bus_lines() -> Vec<String> {
    use crate::desktop::{keep_awake, notify, single_copy, tray};
    let bus = match presence::SessionBus::connect(None) {
        Ok(bus) => bus,
        Err(e) => {
            return vec![
                line("tray", format!("none (no session bus: {e})")),
                line("notifications", "none (no session bus)"),
                line("keep-awake", "none (no session bus)"),
                line(
                    "single copy",
                    "none (no session bus: every start opens its own window)",
                ),
            ];
        }
    };
    let tray = match tray::watcher(&bus) {
        Some(watcher) => format!(
            "org.kde.StatusNotifierWatcher ({}) — {}{}",
            watcher.owner,
            match watcher.host_registered {
                Some(true) => "a host registered",
                Some(false) => "no host registered (nothing shows the items)",
                None => "whether a host is registered is not said",
            },
            match watcher.items {
                Some(1) => ", 1 item".to_owned(),
                Some(n) => format!(", {n} items"),
                None => String::new(),
            }
        ),
        None => "none (no StatusNotifierWatcher on the session bus: closing the window quits)"
            .to_owned(),
    };
    let notifications = match notify::server(&bus) {
        Ok(server) => format!(
            "{} {} ({}; specification {}) — {}",
            server.name,
            server.version,
            server.vendor,
            server.spec_version,
            if server.capabilities.is_empty() {
                "no capabilities said".to_owned()
            } else {
                server.capabilities.join(", ")
            }
        ),
        Err(why) => format!("{why}; reminders come up in the window"),
    };
    let keep_awake = match keep_awake::provider(&bus) {
        Some(owner) => format!("org.freedesktop.ScreenSaver ({owner})"),
        None => "none (nobody owns org.freedesktop.ScreenSaver: the screen may blank in a session)"
            .to_owned(),
    };
    let single_copy = match single_copy::owner(&bus, crate::APP_ID) {
        None => format!("{} — free", crate::APP_ID),
        Some((owner, Some(process))) => {
            format!("{} — owned by {owner} (process {process})", crate::APP_ID)
        }
        Some((owner, None)) => format!("{} — owned by {owner}", crate::APP_ID),
    };
    vec![
        line("tray", tray),
        line("notifications", notifications),
        line("keep-awake", keep_awake),
        line("single copy", single_copy),
    ]
}

#[cfg(not(target_os = "linux"))]
fn bus_lines() -> Vec<String> {
    ["tray", "notifications", "keep-awake", "single copy"]
        .into_iter()
        .map(|key| line(key, "none (only on Linux)"))
        .collect()
}

fn idle_time(idle: IdleTime) -> String {
    match idle {
        IdleTime::Exactly(idle) => format!("{} s", idle.as_secs()),
        IdleTime::Under(under) => format!("under {} s", under.as_secs()),
    }
}

fn idle(reading: &Reading) -> String {
    match reading.idle {
        Some(said) => format!("{} — {}", said.source, idle_time(said.value)),
        None => {
            "none (no X11 screen saver extension, Wayland idle protocol, Mutter IdleMonitor or \
                 freedesktop ScreenSaver answers: time away is not noticed)"
                .to_owned()
        }
    }
}

#[cfg(target_os = "linux")]
fn full_screen(reading: &Reading, probes: &Probes) -> String {
    let Some(said) = reading.full_screen else {
        return "none (no X11 window manager, Wayland window list or GNOME session manager \
                answers: full screen is not noticed)"
            .to_owned();
    };
    let wayland = probes.wayland().and_then(Result::ok);
    let version = wayland.and_then(|desktop| {
        let protocol = match said.source {
            presence::wayland::WLR_TOPLEVELS => "zwlr_foreign_toplevel_manager_v1",
            presence::wayland::PLASMA_WINDOWS => "org_kde_plasma_window_management",
            _ => return None,
        };
        desktop
            .used()
            .iter()
            .find(|(used, _)| *used == protocol)
            .map(|(_, version)| format!(" (version {version})"))
    });
    let listed = wayland
        .filter(|_| version.is_some())
        .and_then(|desktop| desktop.windows_listed())
        .map(|n| match n {
            1 => " (1 window listed)".to_owned(),
            n => format!(" ({n} windows listed)"),
        });
    format!(
        "{}{} — {}{}",
        said.source,
        version.unwrap_or_default(),
        yes_no(said.value),
        listed.unwrap_or_default()
    )
}

#[cfg(not(target_os = "linux"))]
fn full_screen(reading: &Reading, _: &Probes) -> String {
    said_or_none(reading.full_screen, yes_no, "only on Linux")
}

fn said_or_none<T: Copy>(said: Option<Said<T>>, say: fn(T) -> &'static str, why: &str) -> String {
    match said {
        Some(said) => format!("{} — {}", said.source, say(said.value)),
        None => format!("none ({why})"),
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// Why a reminder would wait now, as the reminders see it.
fn busy(reading: &Reading) -> String {
    use crate::practice::reminders::Busy;
    let source = |said: Option<Said<bool>>| said.map(|said| said.source).unwrap_or("?");
    match reading.surroundings().busy {
        None => "no".to_owned(),
        Some(Busy::DoNotDisturb) => format!("do-not-disturb ({})", source(reading.do_not_disturb)),
        Some(Busy::Camera) => "a camera in use".to_owned(),
        Some(Busy::FullScreen) => format!("full screen ({})", source(reading.full_screen)),
        Some(Busy::ScreenSharing) => "screen sharing".to_owned(),
    }
}

#[cfg(unix)]
fn sound_lines() -> Vec<String> {
    let sockets = crate::audio::server::sockets();
    let answering: Vec<String> = sockets
        .iter()
        .filter(|socket| socket.answers)
        .map(|socket| format!("{} at {} — answers", socket.kind, socket.path.display()))
        .collect();
    let server = if answering.is_empty() {
        let tried: Vec<String> = sockets
            .iter()
            .map(|socket| format!("{} at {}", socket.kind, socket.path.display()))
            .collect();
        if tried.is_empty() {
            "none (no XDG_RUNTIME_DIR or PULSE_SERVER to look in)".to_owned()
        } else {
            format!("none (nothing answers: {})", tried.join(", "))
        }
    } else {
        answering.join("; ")
    };
    let device = match crate::audio::stream::describe_default() {
        Ok(device) => device,
        Err(why) => format!("none ({why}: sessions run silent, with a notice)"),
    };
    vec![line("sound server", server), line("sound device", device)]
}

#[cfg(not(unix))]
fn sound_lines() -> Vec<String> {
    vec![line("sound server", "none (only on Linux)")]
}

/// The live readings every [`presence::EVERY`], until Ctrl-C (or SIGTERM, SIGHUP).
fn watch(probes: &mut Probes, clocks: &Clocks) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (stop, stopped) = channel::<()>();
    // Kept here too: where signals cannot be watched, the readings go on until the process is
    // ended.
    let _kept = stop.clone();
    match signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        Ok(mut signals) => {
            let spawned = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if signals.forever().next().is_some() {
                        let _ = stop.send(());
                    }
                });
            if let Err(e) = spawned {
                log::warn!("Ctrl-C cannot be watched: {e}");
            }
        }
        Err(e) => log::warn!("Ctrl-C cannot be watched: {e}"),
    }
    let started = clocks.now();
    let mut out = std::io::stdout();
    // Until a signal comes.
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(presence::EVERY) {
        let reading = probes.read_all();
        let since = clocks.now().saturating_sub(started) / 1_000_000;
        let idle = match reading.idle {
            Some(said) => format!("{} ({})", idle_time(said.value), said.source),
            None => "none".to_owned(),
        };
        let text = format!("watch: +{since} s: idle {idle}; busy: {}", busy(&reading));
        if writeln!(out, "{text}").is_err() {
            break;
        }
    }
}
