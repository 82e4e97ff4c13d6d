//! What the desktop says about the person and the screen, for the reminders: how long since the
//! last key press or pointer movement, and whether a nudge must wait (do-not-disturb, a camera in
//! use, a full-screen window with the focus). Read on a thread of its own every few seconds
//! ([`Presence`]); each source can also be read alone ([`SessionBus`], [`X11Screen`],
//! [`WaylandDesktop`], [`camera_in_use`], [`read_once`]). Nothing read is stored, and nothing of
//! it is logged above debug level (and there only which sources answered, never what they said).
//!
//! Idle time, from the first source that answers:
//! 1. X11: the MIT-SCREEN-SAVER extension (only on an X11 session: on a Wayland one XWayland
//!    only sees the input of X11 windows and would take someone typing elsewhere for away);
//! 2. Wayland: `ext-idle-notify-v1`, else KDE's `org_kde_kwin_idle`, on a connection of
//!    downshift's own (see `wayland.rs`: they say only when a minute passes without input);
//! 3. GNOME (Mutter, Wayland and X11): `org.gnome.Mutter.IdleMonitor.GetIdletime`;
//! 4. KDE Plasma on X11 and others: `org.freedesktop.ScreenSaver.GetSessionIdleTime`, read as
//!    milliseconds (KDE's); light-locker answers in seconds, which is why X11 is asked first.
//!
//! Where none answers (Weston, a Wayland compositor without either protocol) idle time is `None`
//! and nobody is ever taken to be away.
//!
//! Full screen, from the first source that answers: the X11 window manager's active window (X11
//! sessions); Wayland's `wlr-foreign-toplevel-management` or KDE's plasma window management; on
//! GNOME, which shows no program the others' windows, the session manager's inhibited idle that
//! video players and presentations set while they play (`bus.rs`).
//!
//! Why a nudge must wait, in this order when several are true: do-not-disturb (the person said
//! so), then a camera in use (a call), then a full-screen window (see [`Busy`]). Screen sharing is
//! not detected: the portal and PipeWire say nothing about other programs' screen casts short of
//! a PipeWire client (a heavy crate) that watches every stream.

use std::path::PathBuf;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::Duration;

use jiff::SignedDuration;

use crate::clock::Clocks;
pub use crate::practice::reminders::{Busy, Surroundings};

mod camera;
pub use camera::camera_in_use;

#[cfg(target_os = "linux")]
mod bus;
#[cfg(target_os = "linux")]
pub use bus::SessionBus;

#[cfg(target_os = "linux")]
mod x11;
#[cfg(target_os = "linux")]
pub use x11::X11Screen;

#[cfg(target_os = "linux")]
pub mod wayland;
#[cfg(target_os = "linux")]
pub use wayland::WaylandDesktop;

/// How often [`Presence::start`] reads the surroundings.
pub const EVERY: Duration = Duration::from_secs(5);

/// What one source said, and which source it was (for the debug log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Said<T> {
    pub value: T,
    pub source: &'static str,
}

/// How long since the last input, as a source can tell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleTime {
    /// This long (X11, Mutter, ScreenSaver; Wayland once its minute has passed).
    Exactly(SignedDuration),
    /// Less than this: a Wayland compositor says only when a set time passes without input.
    Under(SignedDuration),
}

impl IdleTime {
    /// As the reminders read it: a time under the threshold Wayland was asked about is read as
    /// none at all (every away threshold is at least that long, so nobody is taken for away).
    pub fn at_least(self) -> SignedDuration {
        match self {
            IdleTime::Exactly(idle) => idle,
            IdleTime::Under(_) => SignedDuration::ZERO,
        }
    }
}

/// Where to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    /// A D-Bus address; `None`: the session bus.
    pub bus: Option<String>,
    /// The X display to ask about idle time and full screen; `None`: no X11.
    pub x11_display: Option<String>,
    /// The Wayland compositor's socket to ask about idle time and full screen; `None`: no
    /// Wayland.
    pub wayland_socket: Option<PathBuf>,
    /// Where the processes are listed (`/proc`), to see who holds a camera open.
    pub proc_root: PathBuf,
}

impl Places {
    /// This desktop session's: its session bus, its Wayland compositor, its X display (unless
    /// the session is Wayland's: see the module's notes) and `/proc`.
    pub fn of_this_session() -> Places {
        let wayland_display = std::env::var_os("WAYLAND_DISPLAY").filter(|d| !d.is_empty());
        let wayland_session = std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        let wayland = wayland_display.is_some() || wayland_session;
        let x11_display = std::env::var("DISPLAY")
            .ok()
            .filter(|display| !display.is_empty() && !wayland);
        let wayland_socket = wayland
            .then(|| {
                wayland_socket(
                    wayland_display.as_deref(),
                    std::env::var_os("XDG_RUNTIME_DIR").as_deref(),
                )
            })
            .flatten();
        Places {
            bus: None,
            x11_display,
            wayland_socket,
            proc_root: PathBuf::from("/proc"),
        }
    }
}

/// Where a Wayland display's socket is, as libwayland finds it: `WAYLAND_DISPLAY` as a path if
/// absolute, else in `XDG_RUNTIME_DIR` (`wayland-0` when the session is Wayland's but
/// `WAYLAND_DISPLAY` is not set).
pub fn wayland_socket(
    display: Option<&std::ffi::OsStr>,
    runtime_dir: Option<&std::ffi::OsStr>,
) -> Option<PathBuf> {
    let display = PathBuf::from(display.unwrap_or(std::ffi::OsStr::new("wayland-0")));
    if display.is_absolute() {
        return Some(display);
    }
    let runtime_dir = runtime_dir.filter(|dir| !dir.is_empty())?;
    Some(PathBuf::from(runtime_dir).join(display))
}

/// One reading of every source: what each question's first answering source said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub idle: Option<Said<IdleTime>>,
    pub full_screen: Option<Said<bool>>,
    pub do_not_disturb: Option<Said<bool>>,
    pub camera: bool,
}

impl Reading {
    /// What the reminders see of it.
    pub fn surroundings(&self) -> Surroundings {
        Surroundings {
            idle: self.idle.map(|said| said.value.at_least()),
            busy: busy(
                self.do_not_disturb.is_some_and(|said| said.value),
                self.camera,
                self.full_screen.is_some_and(|said| said.value),
            ),
        }
    }
}

/// The sources, opened once and read again and again (an X display stays open; a bus that was
/// not there is looked for again at each reading).
pub struct Probes {
    places: Places,
    #[cfg(target_os = "linux")]
    bus: Option<SessionBus>,
    #[cfg(target_os = "linux")]
    x11: Option<X11Screen>,
    /// The compositor, connected to again at a later reading when it was not there or went.
    #[cfg(target_os = "linux")]
    wayland: Option<WaylandDesktop>,
    /// Why there is no Wayland connection, for the log (once) and `downshift doctor`.
    #[cfg(target_os = "linux")]
    wayland_missing: Option<String>,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    clocks: Clocks,
    /// The sources that answered at the last reading, to log only when they change.
    answered: Option<String>,
    /// Whether the log already says that no source gives idle time.
    said_no_idle: bool,
}

impl Probes {
    pub fn open(places: Places) -> Probes {
        Probes::open_with(places, Clocks::system())
    }

    /// As [`Probes::open`], with the clock that times Wayland's idle notifications.
    pub fn open_with(places: Places, clocks: Clocks) -> Probes {
        #[cfg(target_os = "linux")]
        let x11 = places.x11_display.as_deref().and_then(|display| {
            match X11Screen::open(Some(display)) {
                Ok(screen) => Some(screen),
                Err(e) => {
                    log::debug!("presence: no X11 ({e})");
                    None
                }
            }
        });
        let mut probes = Probes {
            places,
            #[cfg(target_os = "linux")]
            bus: None,
            #[cfg(target_os = "linux")]
            x11,
            #[cfg(target_os = "linux")]
            wayland: None,
            #[cfg(target_os = "linux")]
            wayland_missing: None,
            clocks,
            answered: None,
            said_no_idle: false,
        };
        // Asked at once: a Wayland idle notification counts from when it is asked for.
        #[cfg(target_os = "linux")]
        probes.follow_wayland();
        probes
    }

    /// Reads every source once: what the reminders see.
    pub fn read(&mut self) -> Surroundings {
        self.read_all().surroundings()
    }

    /// The compositor's connection: made when there is none, read again when there is. A
    /// compositor that went away is connected to afresh at the next reading.
    #[cfg(target_os = "linux")]
    fn follow_wayland(&mut self) {
        let Some(socket) = &self.places.wayland_socket else {
            return;
        };
        if let Some(wayland) = &mut self.wayland {
            match wayland.refresh() {
                Ok(()) => return,
                Err(wayland::Silent::NoAnswer) => {
                    log::debug!("presence: the Wayland compositor did not answer in time");
                    return;
                }
                Err(wayland::Silent::Gone(e)) => {
                    log::debug!("presence: the Wayland connection broke ({e})");
                    self.wayland = None;
                }
            }
        }
        match WaylandDesktop::connect(socket, self.clocks.clone()) {
            Ok(wayland) => {
                self.wayland = Some(wayland);
                self.wayland_missing = None;
            }
            Err(e) => {
                if self.wayland_missing.as_ref() != Some(&e) {
                    log::debug!("presence: no Wayland ({e})");
                }
                self.wayland_missing = Some(e);
            }
        }
    }

    /// The compositor's connection, if there is one (`downshift doctor` lists what it offers),
    /// or why there is none; `None` outside a Wayland session.
    #[cfg(target_os = "linux")]
    pub fn wayland(&self) -> Option<Result<&WaylandDesktop, &str>> {
        self.places.wayland_socket.as_ref()?;
        Some(match &self.wayland {
            Some(wayland) => Ok(wayland),
            None => Err(self
                .wayland_missing
                .as_deref()
                .unwrap_or("not connected yet")),
        })
    }

    /// Reads every source once, and says which answered each question.
    #[cfg_attr(not(target_os = "linux"), allow(unused_mut))]
    pub fn read_all(&mut self) -> Reading {
        let mut answered: Vec<&'static str> = Vec::new();
        let mut reading = Reading::default();

        #[cfg(target_os = "linux")]
        {
            if self.bus.is_none() {
                self.bus = match SessionBus::connect(self.places.bus.as_deref()) {
                    Ok(bus) => Some(bus),
                    Err(e) => {
                        if self.answered.is_none() {
                            log::debug!("presence: no session bus ({e})");
                        }
                        None
                    }
                };
            }
            // On an X11 session the X server itself is asked first: it sees every key and
            // pointer movement, while a ScreenSaver service may answer in seconds where the
            // specification-less interface is read as milliseconds (light-locker on Xfce).
            if let Some(x11) = &self.x11
                && let Some(value) = x11.idle()
            {
                reading.idle = Some(Said {
                    value: IdleTime::Exactly(value),
                    source: "X11 screen saver extension",
                });
            }
            self.follow_wayland();
            let wayland = self.wayland.as_ref();
            if reading.idle.is_none() {
                reading.idle = wayland.and_then(WaylandDesktop::idle);
            }
            if let Some(bus) = &self.bus {
                if reading.idle.is_none()
                    && let Some(said) = bus.idle()
                {
                    reading.idle = Some(Said {
                        value: IdleTime::Exactly(said.value),
                        source: said.source,
                    });
                }
                reading.do_not_disturb = bus.do_not_disturb();
            }
            if let Some(x11) = &self.x11
                && let Some(value) = x11.full_screen()
            {
                reading.full_screen = Some(Said {
                    value,
                    source: "X11 active window",
                });
            }
            if reading.full_screen.is_none() {
                reading.full_screen = wayland.and_then(WaylandDesktop::full_screen);
            }
            if reading.full_screen.is_none()
                && let Some(bus) = &self.bus
            {
                reading.full_screen = bus.idle_inhibited();
            }
            answered.extend(reading.idle.map(|said| said.source));
            answered.extend(reading.do_not_disturb.map(|said| said.source));
            answered.extend(reading.full_screen.map(|said| said.source));
        }

        reading.camera = camera_in_use(&self.places.proc_root);
        self.log_sources(&answered, reading.idle.is_some());
        reading
    }

    fn log_sources(&mut self, answered: &[&'static str], has_idle: bool) {
        let answered = answered.join(", ");
        if self.answered.as_ref() != Some(&answered) {
            log::debug!(
                "presence: answering: {}; camera use from {}",
                if answered.is_empty() {
                    "none"
                } else {
                    &answered
                },
                self.places.proc_root.display()
            );
            self.answered = Some(answered);
        }
        if has_idle {
            self.said_no_idle = false;
        } else if !self.said_no_idle {
            log::info!(
                "the desktop does not say how long the keyboard and mouse have been left alone \
                 (no X11 screen saver extension, Wayland ext-idle-notify-v1 or org_kde_kwin_idle, \
                 Mutter IdleMonitor or freedesktop ScreenSaver): time away is not noticed"
            );
            self.said_no_idle = true;
        }
    }
}

/// Why a nudge must wait, when several reasons hold at once: the person's own do-not-disturb
/// first, then a call (the camera), then a full-screen window.
pub fn busy(do_not_disturb: bool, camera: bool, full_screen: bool) -> Option<Busy> {
    if do_not_disturb {
        Some(Busy::DoNotDisturb)
    } else if camera {
        Some(Busy::Camera)
    } else if full_screen {
        Some(Busy::FullScreen)
    } else {
        None
    }
}

/// Reads the surroundings once, from `places`.
pub fn read_once(places: &Places) -> Surroundings {
    Probes::open(places.clone()).read()
}

/// Reads the surroundings on a thread of its own and reports every reading (every
/// [`EVERY`]: idle time changes at every reading anyway, so there is nothing to leave out). Ends
/// when dropped: the thread stops at its next wait, or after the reading under way (each D-Bus
/// call is limited to half a second); dropping does not wait for it.
pub struct Presence {
    _stop: Sender<()>,
}

impl Presence {
    /// Reads this session's surroundings ([`Places::of_this_session`]) every five seconds, the
    /// first reading at once, and hands each to `report` (on the reading thread).
    pub fn start(report: impl Fn(Surroundings) + Send + 'static) -> Presence {
        Presence::start_with(Places::of_this_session(), EVERY, report)
    }

    /// Like [`Presence::start`], from `places`, every `every`.
    pub fn start_with(
        places: Places,
        every: Duration,
        report: impl Fn(Surroundings) + Send + 'static,
    ) -> Presence {
        let (stop, stopped) = channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("presence".into())
            .spawn(move || {
                let mut probes = Probes::open(places);
                loop {
                    report(probes.read());
                    match stopped.recv_timeout(every) {
                        Err(RecvTimeoutError::Timeout) => continue,
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            });
        if let Err(e) = spawned {
            log::info!("time away and do-not-disturb are not watched: {e}");
        }
        Presence { _stop: stop }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn do_not_disturb_comes_before_a_call_and_a_call_before_full_screen() {
        assert_eq!(busy(false, false, false), None);
        assert_eq!(busy(false, false, true), Some(Busy::FullScreen));
        assert_eq!(busy(false, true, true), Some(Busy::Camera));
        assert_eq!(busy(true, true, true), Some(Busy::DoNotDisturb));
        assert_eq!(busy(true, false, false), Some(Busy::DoNotDisturb));
    }
}
