//! Idle time and other programs' full-screen windows from a Wayland compositor, on a connection
//! of downshift's own (the window's is winit's, and in the background there may be none).
//!
//! Idle time, from the first protocol the compositor offers:
//! 1. `ext-idle-notify-v1`: version 2's `get_input_idle_notification` (input only: a video
//!    player holding the screen on does not hide that nobody touched the keyboard), else
//!    version 1's `get_idle_notification` (GNOME 48+, KDE Plasma 6, sway 1.8+, Hyprland, niri,
//!    labwc, COSMIC);
//! 2. KDE's older `org_kde_kwin_idle` (KDE Plasma 5, sway 1.7 and other wlroots compositors of
//!    that age).
//!
//! Both say only "idle" once a set time passes without input, and "resumed" at the next input.
//! The time is set at [`ARMED_AT`], the shortest idle time that counts as being away (however
//! short the micro-rest): from then on the idle time is known (the armed time plus the time since
//! "idle" came), so whether someone is away is answered exactly for every away threshold, and a
//! change of the micro-rest practice needs no new notification. Below it the reading is "under
//! a minute" ([`IdleTime::Under`]). Events are read at each reading (every 5 s), so "idle" is
//! seen up to one reading late: away is noticed up to 5 s later, never sooner.
//!
//! Full screen: a window that has the focus and is full screen, and is not downshift's own, from
//! `wlr-foreign-toplevel-management` (sway, Hyprland, niri, labwc, Wayfire: a toplevel's state
//! has `activated` and `fullscreen`; downshift's own window is known by its app id) or KDE's
//! `org_kde_plasma_window_management` (KWin offers it only to programs whose launcher declares it
//! in `X-KDE-Wayland-Interfaces`, as downshift's does; downshift's own window is known by its
//! process id or app id). GNOME offers neither: see `bus.rs` for what is read there.
//!
//! Every wait on the compositor is bounded ([`ANSWER_WITHIN`]): a compositor that hangs makes a
//! reading say nothing, and one that goes away is connected to afresh at a later reading.

use std::collections::HashMap;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use jiff::SignedDuration;
use wayland_client::backend::{ObjectId, WaylandError};
use wayland_client::protocol::{wl_callback, wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, EventQueue, Proxy, QueueHandle, event_created_child};
use wayland_protocols::ext::idle_notify::v1::client::{
    ext_idle_notification_v1, ext_idle_notifier_v1,
};
use wayland_protocols_plasma::idle::client::{org_kde_kwin_idle, org_kde_kwin_idle_timeout};
use wayland_protocols_plasma::plasma_window_management::client::{
    org_kde_plasma_window, org_kde_plasma_window_management,
};
use wayland_protocols_wlr::foreign_toplevel::v1::client::{
    zwlr_foreign_toplevel_handle_v1, zwlr_foreign_toplevel_manager_v1,
};

use super::{IdleTime, Said};
use crate::clock::Clocks;
use crate::practice::Micros;

/// Idle notifications are asked for at this idle time: the shortest that counts as away.
pub const ARMED_AT: SignedDuration = crate::practice::reminders::AWAY_AT_LEAST;

/// How long the compositor has to answer (a round trip) before a reading goes without it.
pub const ANSWER_WITHIN: Duration = Duration::from_millis(500);

/// The names the sources go by (in the debug log and `downshift doctor`).
pub const EXT_IDLE_V2: &str = "ext-idle-notify-v1 (version 2, input only)";
pub const EXT_IDLE_V1: &str = "ext-idle-notify-v1 (version 1)";
pub const KDE_IDLE: &str = "org_kde_kwin_idle (KDE)";
pub const WLR_TOPLEVELS: &str = "wlr-foreign-toplevel-management";
pub const PLASMA_WINDOWS: &str = "org_kde_plasma_window_management (KDE)";

/// The globals that matter here, as `downshift doctor` names them.
pub const PROTOCOLS: [&str; 5] = [
    "ext_idle_notifier_v1",
    "org_kde_kwin_idle",
    "zwlr_foreign_toplevel_manager_v1",
    "org_kde_plasma_window_management",
    "wl_seat",
];

/// Why the compositor said nothing this time.
#[derive(Debug)]
pub enum Silent {
    /// It did not answer within [`ANSWER_WITHIN`]; the connection is kept.
    NoAnswer,
    /// The connection is broken (the compositor went away, or a protocol error).
    Gone(String),
}

/// A connection to a Wayland compositor, with the idle notification and window lists it offers.
pub struct WaylandDesktop {
    connection: Connection,
    queue: EventQueue<Heard>,
    heard: Heard,
    clocks: Clocks,
    /// The globals offered, by interface: (name, version).
    offered: HashMap<String, (u32, u32)>,
    idle_source: Option<&'static str>,
    windows_source: Option<&'static str>,
    /// The bound version of each protocol used, for `downshift doctor`.
    bound: Vec<(&'static str, u32)>,
    round_trips: u64,
}

/// What the compositor said, kept between readings.
#[derive(Default)]
struct Heard {
    /// The monotonic time of the events being handled (set before each dispatch).
    now: Micros,
    globals: Vec<(u32, String, u32)>,
    /// The last round trip answered.
    synced: u64,
    /// When "idle" came, if no input came after it.
    idle_since: Option<Micros>,
    /// Whether the window list is still sent (the manager was not finished).
    windows_listed: bool,
    toplevels: HashMap<ObjectId, Toplevel>,
    plasma_windows: HashMap<ObjectId, PlasmaWindow>,
    /// Plasma windows asked for during the last dispatch (their state comes after).
    asked_for_windows: bool,
    /// The bound plasma window management version (which "window" event it sends).
    plasma_version: u32,
}

/// A wlr toplevel: what its last `done` said, and what is coming.
#[derive(Default)]
struct Toplevel {
    app_id: String,
    activated: bool,
    full_screen: bool,
    pending_app_id: Option<String>,
    pending_state: Option<(bool, bool)>,
}

#[derive(Default)]
struct PlasmaWindow {
    app_id: String,
    pid: Option<u32>,
    flags: u32,
}

/// Plasma's state flags (org_kde_plasma_window_management.state).
const PLASMA_ACTIVE: u32 = 0x1;
const PLASMA_FULL_SCREEN: u32 = 0x8;

impl WaylandDesktop {
    /// Connects to the compositor listening at `socket`, lists what it offers and asks for what
    /// is used here. Fails when the socket does not answer or offers none of it.
    pub fn connect(socket: &Path, clocks: Clocks) -> Result<WaylandDesktop, String> {
        let stream = UnixStream::connect(socket)
            .map_err(|e| format!("cannot connect to {}: {e}", socket.display()))?;
        let connection = Connection::from_socket(stream).map_err(|e| e.to_string())?;
        let queue = connection.new_event_queue::<Heard>();
        let handle = queue.handle();
        let registry = connection.display().get_registry(&handle, ());
        let mut desktop = WaylandDesktop {
            connection,
            queue,
            heard: Heard::default(),
            clocks,
            offered: HashMap::new(),
            idle_source: None,
            windows_source: None,
            bound: Vec::new(),
            round_trips: 0,
        };
        desktop
            .round_trip()
            .map_err(|e| format!("the compositor did not list its globals: {e:?}"))?;
        for (name, interface, version) in &desktop.heard.globals {
            desktop
                .offered
                .entry(interface.clone())
                .or_insert((*name, *version));
        }
        desktop.ask(&registry, &handle);
        // The window lists' first contents, and the windows' states asked for on the way.
        desktop
            .round_trip()
            .map_err(|e| format!("the compositor did not answer: {e:?}"))?;
        if std::mem::take(&mut desktop.heard.asked_for_windows) {
            desktop
                .round_trip()
                .map_err(|e| format!("the compositor did not answer: {e:?}"))?;
        }
        Ok(desktop)
    }

    /// Binds what is offered: a seat and an idle notification on it, and a window list.
    fn ask(&mut self, registry: &wl_registry::WlRegistry, handle: &QueueHandle<Heard>) {
        let offered = |interface: &str| self.offered.get(interface).copied();
        let seat = offered("wl_seat")
            .map(|(name, _)| registry.bind::<wl_seat::WlSeat, _, _>(name, 1, handle, ()));
        let arm_ms = u32::try_from(ARMED_AT.as_millis()).unwrap_or(u32::MAX);
        let mut bound = Vec::new();
        let mut idle_source = None;
        if let Some(seat) = &seat {
            if let Some((name, version)) = offered("ext_idle_notifier_v1") {
                let version = version.min(2);
                let notifier = registry.bind::<ext_idle_notifier_v1::ExtIdleNotifierV1, _, _>(
                    name,
                    version,
                    handle,
                    (),
                );
                if version >= 2 {
                    notifier.get_input_idle_notification(arm_ms, seat, handle, ());
                    idle_source = Some(EXT_IDLE_V2);
                } else {
                    notifier.get_idle_notification(arm_ms, seat, handle, ());
                    idle_source = Some(EXT_IDLE_V1);
                }
                bound.push(("ext_idle_notifier_v1", version));
            } else if let Some((name, _)) = offered("org_kde_kwin_idle") {
                let idle =
                    registry.bind::<org_kde_kwin_idle::OrgKdeKwinIdle, _, _>(name, 1, handle, ());
                idle.get_idle_timeout(seat, arm_ms, handle, ());
                idle_source = Some(KDE_IDLE);
                bound.push(("org_kde_kwin_idle", 1));
            }
        }
        let mut windows_source = None;
        if let Some((name, version)) = offered("zwlr_foreign_toplevel_manager_v1") {
            let version = version.min(3);
            registry.bind::<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1, _, _>(
                name,
                version,
                handle,
                (),
            );
            windows_source = Some(WLR_TOPLEVELS);
            bound.push(("zwlr_foreign_toplevel_manager_v1", version));
        } else if let Some((name, version)) = offered("org_kde_plasma_window_management") {
            let version = version.min(
                org_kde_plasma_window_management::OrgKdePlasmaWindowManagement::interface().version,
            );
            registry.bind::<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement, _, _>(
                name,
                version,
                handle,
                (),
            );
            self.heard.plasma_version = version;
            windows_source = Some(PLASMA_WINDOWS);
            bound.push(("org_kde_plasma_window_management", version));
        }
        self.heard.windows_listed = windows_source.is_some();
        self.idle_source = idle_source;
        self.windows_source = windows_source;
        self.bound = bound;
    }

    /// Reads what the compositor has said since the last reading (a bounded round trip).
    pub fn refresh(&mut self) -> Result<(), Silent> {
        self.round_trip()?;
        if std::mem::take(&mut self.heard.asked_for_windows) {
            self.round_trip()?;
        }
        Ok(())
    }

    /// How long since the last input, as far as the compositor says; `None` where it offers no
    /// idle protocol (or no seat).
    pub fn idle(&self) -> Option<Said<IdleTime>> {
        let source = self.idle_source?;
        let value = match self.heard.idle_since {
            Some(since) => {
                let waited = self.clocks.now().saturating_sub(since);
                let waited = SignedDuration::from_micros(i64::try_from(waited).unwrap_or(i64::MAX));
                IdleTime::Exactly(ARMED_AT.saturating_add(waited))
            }
            None => IdleTime::Under(ARMED_AT),
        };
        Some(Said { value, source })
    }

    /// Whether a window of another program has the focus and is full screen; `None` where the
    /// compositor lists no windows (or stopped listing them).
    pub fn full_screen(&self) -> Option<Said<bool>> {
        let source = self.windows_source?;
        if !self.heard.windows_listed {
            return None;
        }
        let ours = std::process::id();
        let toplevels = self.heard.toplevels.values().any(|toplevel| {
            toplevel.activated && toplevel.full_screen && toplevel.app_id != crate::APP_ID
        });
        let plasma = self.heard.plasma_windows.values().any(|window| {
            window.flags & PLASMA_ACTIVE != 0
                && window.flags & PLASMA_FULL_SCREEN != 0
                && window.pid != Some(ours)
                && window.app_id != crate::APP_ID
        });
        Some(Said {
            value: toplevels || plasma,
            source,
        })
    }

    /// How many windows the compositor lists (downshift's own among them); `None` where it
    /// lists none.
    pub fn windows_listed(&self) -> Option<usize> {
        self.windows_source?;
        self.heard
            .windows_listed
            .then(|| self.heard.toplevels.len() + self.heard.plasma_windows.len())
    }

    /// The globals of [`PROTOCOLS`] the compositor offers, with their versions.
    pub fn offered(&self) -> Vec<(&'static str, u32)> {
        PROTOCOLS
            .iter()
            .filter_map(|interface| {
                self.offered
                    .get(*interface)
                    .map(|(_, version)| (*interface, *version))
            })
            .collect()
    }

    /// The protocols used, and the version each was bound at.
    pub fn used(&self) -> &[(&'static str, u32)] {
        &self.bound
    }

    /// Sends a sync and handles every event until its answer, for at most [`ANSWER_WITHIN`].
    fn round_trip(&mut self) -> Result<(), Silent> {
        self.round_trips += 1;
        let token = self.round_trips;
        let handle = self.queue.handle();
        self.connection.display().sync(&handle, token);
        let deadline = self.clocks.deadline(ANSWER_WITHIN);
        loop {
            self.heard.now = self.clocks.now();
            self.queue
                .dispatch_pending(&mut self.heard)
                .map_err(|e| Silent::Gone(e.to_string()))?;
            if self.heard.synced >= token {
                return Ok(());
            }
            match self.queue.flush() {
                Ok(()) => {}
                Err(WaylandError::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(Silent::Gone(e.to_string())),
            }
            let Some(guard) = self.queue.prepare_read() else {
                // Events are waiting already: dispatch them.
                continue;
            };
            let left = deadline.left();
            if left.is_zero() {
                return Err(Silent::NoAnswer);
            }
            if !readable(guard.connection_fd().as_raw_fd(), left) {
                // Waited the whole time left.
                return Err(Silent::NoAnswer);
            }
            match guard.read() {
                Ok(_) => {}
                Err(WaylandError::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(Silent::Gone(e.to_string())),
            }
        }
    }
}

/// Waits up to `within` for `fd` to have something to read (or to be closed).
fn readable(fd: std::os::raw::c_int, within: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = libc::c_int::try_from(within.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
    // SAFETY: one pollfd of ours, for the length of the call.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) };
    ready > 0
}

impl Dispatch<wl_registry::WlRegistry, ()> for Heard {
    fn event(
        heard: &mut Self,
        _: &wl_registry::WlRegistry,
        event: wl_registry::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        if let wl_registry::Event::Global {
            name,
            interface,
            version,
        } = event
        {
            heard.globals.push((name, interface, version));
        }
    }
}

impl Dispatch<wl_callback::WlCallback, u64> for Heard {
    fn event(
        heard: &mut Self,
        _: &wl_callback::WlCallback,
        event: wl_callback::Event,
        token: &u64,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        if let wl_callback::Event::Done { .. } = event {
            heard.synced = heard.synced.max(*token);
        }
    }
}

wayland_client::delegate_noop!(Heard: ignore wl_seat::WlSeat);
wayland_client::delegate_noop!(Heard: ext_idle_notifier_v1::ExtIdleNotifierV1);
wayland_client::delegate_noop!(Heard: org_kde_kwin_idle::OrgKdeKwinIdle);

impl Dispatch<ext_idle_notification_v1::ExtIdleNotificationV1, ()> for Heard {
    fn event(
        heard: &mut Self,
        _: &ext_idle_notification_v1::ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            ext_idle_notification_v1::Event::Idled => heard.idled(),
            ext_idle_notification_v1::Event::Resumed => heard.idle_since = None,
            _ => {}
        }
    }
}

impl Dispatch<org_kde_kwin_idle_timeout::OrgKdeKwinIdleTimeout, ()> for Heard {
    fn event(
        heard: &mut Self,
        _: &org_kde_kwin_idle_timeout::OrgKdeKwinIdleTimeout,
        event: org_kde_kwin_idle_timeout::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            org_kde_kwin_idle_timeout::Event::Idle => heard.idled(),
            org_kde_kwin_idle_timeout::Event::Resumed => heard.idle_since = None,
            _ => {}
        }
    }
}

impl Heard {
    fn idled(&mut self) {
        // A second "idle" without a "resumed" between (not expected) keeps the first.
        self.idle_since.get_or_insert(self.now);
    }
}

impl Dispatch<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1, ()> for Heard {
    fn event(
        heard: &mut Self,
        _: &zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1,
        event: zwlr_foreign_toplevel_manager_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            zwlr_foreign_toplevel_manager_v1::Event::Toplevel { toplevel } => {
                heard.toplevels.insert(toplevel.id(), Toplevel::default());
            }
            zwlr_foreign_toplevel_manager_v1::Event::Finished => {
                heard.windows_listed = false;
                heard.toplevels.clear();
            }
            _ => {}
        }
    }

    event_created_child!(Heard, zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1, [
        zwlr_foreign_toplevel_manager_v1::EVT_TOPLEVEL_OPCODE =>
            (zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1, ()),
    ]);
}

impl Dispatch<zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1, ()> for Heard {
    fn event(
        heard: &mut Self,
        handle: &zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1,
        event: zwlr_foreign_toplevel_handle_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        use zwlr_foreign_toplevel_handle_v1::Event;
        if let Event::Closed = event {
            heard.toplevels.remove(&handle.id());
            handle.destroy();
            return;
        }
        let Some(toplevel) = heard.toplevels.get_mut(&handle.id()) else {
            return;
        };
        match event {
            Event::AppId { app_id } => toplevel.pending_app_id = Some(app_id),
            Event::State { state } => toplevel.pending_state = Some(wlr_state(&state)),
            Event::Done => {
                if let Some(app_id) = toplevel.pending_app_id.take() {
                    toplevel.app_id = app_id;
                }
                if let Some((activated, full_screen)) = toplevel.pending_state.take() {
                    toplevel.activated = activated;
                    toplevel.full_screen = full_screen;
                }
            }
            _ => {}
        }
    }
}

/// Whether a wlr toplevel's state array (native-endian u32s) has `activated` and `fullscreen`.
/// A trailing piece shorter than a value is passed over.
fn wlr_state(state: &[u8]) -> (bool, bool) {
    let values: Vec<u32> = state
        .chunks_exact(4)
        .map(|bytes| u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        .collect();
    let has = |value: zwlr_foreign_toplevel_handle_v1::State| values.contains(&(value as u32));
    (
        has(zwlr_foreign_toplevel_handle_v1::State::Activated),
        has(zwlr_foreign_toplevel_handle_v1::State::Fullscreen),
    )
}

impl Dispatch<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement, ()> for Heard {
    fn event(
        heard: &mut Self,
        manager: &org_kde_plasma_window_management::OrgKdePlasmaWindowManagement,
        event: org_kde_plasma_window_management::Event,
        _: &(),
        _: &Connection,
        handle: &QueueHandle<Self>,
    ) {
        use org_kde_plasma_window_management::Event;
        // From version 13 on each window is announced with its uuid; before, by a number.
        let with_uuid = heard.plasma_version >= 13;
        let window = match event {
            Event::Window { id } if !with_uuid => manager.get_window(id, handle, ()),
            Event::WindowWithUuid { uuid, .. } if with_uuid => {
                manager.get_window_by_uuid(uuid, handle, ())
            }
            _ => return,
        };
        heard
            .plasma_windows
            .insert(window.id(), PlasmaWindow::default());
        heard.asked_for_windows = true;
    }
}

impl Dispatch<org_kde_plasma_window::OrgKdePlasmaWindow, ()> for Heard {
    fn event(
        heard: &mut Self,
        window: &org_kde_plasma_window::OrgKdePlasmaWindow,
        event: org_kde_plasma_window::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        use org_kde_plasma_window::Event;
        if let Event::Unmapped = event {
            heard.plasma_windows.remove(&window.id());
            if window.version() >= 4 {
                window.destroy();
            }
            return;
        }
        let Some(known) = heard.plasma_windows.get_mut(&window.id()) else {
            return;
        };
        match event {
            Event::StateChanged { flags } => known.flags = flags,
            Event::PidChanged { pid } => known.pid = Some(pid),
            Event::AppIdChanged { app_id } => known.app_id = app_id,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(values: &[u32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_ne_bytes()).collect()
    }

    #[test]
    fn a_toplevels_state_array_says_activated_and_full_screen() {
        assert_eq!(wlr_state(&state(&[])), (false, false));
        assert_eq!(wlr_state(&state(&[2])), (true, false));
        assert_eq!(wlr_state(&state(&[3])), (false, true));
        assert_eq!(wlr_state(&state(&[0, 3, 2])), (true, true));
        assert_eq!(wlr_state(&state(&[0, 1])), (false, false));
    }

    #[test]
    fn a_state_array_cut_short_reads_the_whole_values_only() {
        let mut cut = state(&[2]);
        cut.extend([3, 0]);
        assert_eq!(wlr_state(&cut), (true, false));
    }
}
