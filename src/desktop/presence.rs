//! What the desktop says about the person and the screen, for the reminders: how long since the
//! last key press or pointer movement, and whether a nudge must wait (do-not-disturb, a camera in
//! use, a full-screen window with the focus). Read on a thread of its own every few seconds
//! ([`Presence`]); each source can also be read alone ([`SessionBus`], [`X11Screen`],
//! [`camera_in_use`], [`read_once`]). Nothing read is stored, and nothing of it is logged above
//! debug level.
//!
//! Idle time, from the first source that answers:
//! 1. X11: the MIT-SCREEN-SAVER extension (only on an X11 session: on a Wayland one XWayland
//!    only sees the input of X11 windows and would take someone typing elsewhere for away);
//! 2. GNOME (Mutter, Wayland and X11): `org.gnome.Mutter.IdleMonitor.GetIdletime`;
//! 3. KDE Plasma on X11 and others: `org.freedesktop.ScreenSaver.GetSessionIdleTime`, read as
//!    milliseconds (KDE's); light-locker answers in seconds, which is why X11 is asked first.
//!
//! Where none answers (Plasma on Wayland, wlroots compositors, ...) idle time is `None` and
//! nobody is ever taken to be away. Wayland's ext-idle-notify-v1 would answer there, but it needs
//! a Wayland client connection of its own (the wayland-client crates): not done.
//!
//! Why a nudge must wait, in this order when several are true: do-not-disturb (the person said
//! so), then a camera in use (a call), then a full-screen window (see [`Busy`]). Screen sharing is
//! not detected: the portal and PipeWire say nothing about other programs' screen casts short of
//! a PipeWire client (a heavy crate) that watches every stream.

use std::path::PathBuf;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::Duration;

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

/// How often [`Presence::start`] reads the surroundings.
pub const EVERY: Duration = Duration::from_secs(5);

/// What one source said, and which source it was (for the debug log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Said<T> {
    pub value: T,
    pub source: &'static str,
}

/// Where to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    /// A D-Bus address; `None`: the session bus.
    pub bus: Option<String>,
    /// The X display to ask about idle time and full screen; `None`: no X11.
    pub x11_display: Option<String>,
    /// Where the processes are listed (`/proc`), to see who holds a camera open.
    pub proc_root: PathBuf,
}

impl Places {
    /// This desktop session's: its session bus, its X display (unless the session is Wayland's:
    /// see the module's notes) and `/proc`.
    pub fn of_this_session() -> Places {
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
            || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        let x11_display = std::env::var("DISPLAY")
            .ok()
            .filter(|display| !display.is_empty() && !wayland);
        Places {
            bus: None,
            x11_display,
            proc_root: PathBuf::from("/proc"),
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
    /// The sources that answered at the last reading, to log only when they change.
    answered: Option<String>,
    /// Whether the log already says that no source gives idle time.
    said_no_idle: bool,
}

impl Probes {
    pub fn open(places: Places) -> Probes {
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
        Probes {
            places,
            #[cfg(target_os = "linux")]
            bus: None,
            #[cfg(target_os = "linux")]
            x11,
            answered: None,
            said_no_idle: false,
        }
    }

    /// Reads every source once.
    #[cfg_attr(not(target_os = "linux"), allow(unused_mut))]
    pub fn read(&mut self) -> Surroundings {
        let mut answered: Vec<&'static str> = Vec::new();
        let mut idle = None;
        let mut do_not_disturb = false;
        let mut full_screen = false;

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
                answered.push("X11 screen saver extension");
                idle = Some(value);
            }
            if let Some(bus) = &self.bus {
                if idle.is_none()
                    && let Some(said) = bus.idle()
                {
                    answered.push(said.source);
                    idle = Some(said.value);
                }
                if let Some(said) = bus.do_not_disturb() {
                    answered.push(said.source);
                    do_not_disturb = said.value;
                }
            }
            if let Some(x11) = &self.x11
                && let Some(value) = x11.full_screen()
            {
                answered.push("X11 active window");
                full_screen = value;
            }
        }

        let camera = camera_in_use(&self.places.proc_root);
        self.log_sources(&answered, idle.is_some());
        Surroundings {
            idle,
            busy: busy(do_not_disturb, camera, full_screen),
        }
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
                 (no Mutter IdleMonitor, freedesktop ScreenSaver or X11 screen saver extension): \
                 time away is not noticed"
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
