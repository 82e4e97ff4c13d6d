//! A stand-in Wayland compositor for one test: it listens on a socket in a temporary folder of
//! its own and offers what the test asks for (a seat, `ext-idle-notify-v1` at version 1 or 2,
//! KDE's `org_kde_kwin_idle`, `wlr-foreign-toplevel-management`, KDE's plasma window
//! management), records what clients ask of it, and sends what the test tells it to (idle and
//! resumed, windows coming, changing and going). It ends with the value, or when told to go
//! (a compositor going away).
//!
//! Built with wayland-server's own Rust implementation; the protocols' server code is generated
//! from tests/fixtures/wayland/*.xml (copies of what the client crates carry).
//!
//! Included with `#[path]` by the tests that need it, not from `common`: the generated code would
//! otherwise be built into every test binary.
#![allow(dead_code)]

use std::collections::HashMap;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use wayland_server::backend::{ClientData, ClientId, DisconnectReason};
use wayland_server::protocol::wl_seat;
use wayland_server::{
    Client, DataInit, Dispatch, Display, DisplayHandle, GlobalDispatch, ListeningSocket, New,
    Resource,
};

#[allow(
    dead_code,
    non_camel_case_types,
    unused_unsafe,
    unused_variables,
    non_upper_case_globals,
    non_snake_case,
    unused_imports,
    missing_docs,
    clippy::all
)]
pub mod protocols {
    pub mod ext_idle {
        use wayland_server;
        use wayland_server::protocol::*;
        pub mod __interfaces {
            use wayland_server::protocol::__interfaces::*;
            wayland_scanner::generate_interfaces!("tests/fixtures/wayland/ext-idle-notify-v1.xml");
        }
        use self::__interfaces::*;
        wayland_scanner::generate_server_code!("tests/fixtures/wayland/ext-idle-notify-v1.xml");
    }
    pub mod kde_idle {
        use wayland_server;
        use wayland_server::protocol::*;
        pub mod __interfaces {
            use wayland_server::protocol::__interfaces::*;
            wayland_scanner::generate_interfaces!("tests/fixtures/wayland/kde-idle.xml");
        }
        use self::__interfaces::*;
        wayland_scanner::generate_server_code!("tests/fixtures/wayland/kde-idle.xml");
    }
    pub mod wlr_toplevels {
        use wayland_server;
        use wayland_server::protocol::*;
        pub mod __interfaces {
            use wayland_server::protocol::__interfaces::*;
            wayland_scanner::generate_interfaces!(
                "tests/fixtures/wayland/wlr-foreign-toplevel-management-unstable-v1.xml"
            );
        }
        use self::__interfaces::*;
        wayland_scanner::generate_server_code!(
            "tests/fixtures/wayland/wlr-foreign-toplevel-management-unstable-v1.xml"
        );
    }
    pub mod plasma_windows {
        use wayland_server;
        use wayland_server::protocol::*;
        pub mod __interfaces {
            use wayland_server::protocol::__interfaces::*;
            wayland_scanner::generate_interfaces!(
                "tests/fixtures/wayland/plasma-window-management.xml"
            );
        }
        use self::__interfaces::*;
        wayland_scanner::generate_server_code!(
            "tests/fixtures/wayland/plasma-window-management.xml"
        );
    }
}

use protocols::ext_idle::{ext_idle_notification_v1, ext_idle_notifier_v1};
use protocols::kde_idle::{org_kde_kwin_idle, org_kde_kwin_idle_timeout};
use protocols::plasma_windows::{org_kde_plasma_window, org_kde_plasma_window_management};
use protocols::wlr_toplevels::{zwlr_foreign_toplevel_handle_v1, zwlr_foreign_toplevel_manager_v1};

/// What the stand-in offers. `Default`: nothing but the core protocol (as headless Weston).
#[derive(Clone, Copy, Debug, Default)]
pub struct Offer {
    pub seat: bool,
    /// `ext_idle_notifier_v1` at this version.
    pub ext_idle: Option<u32>,
    pub kde_idle: bool,
    /// `zwlr_foreign_toplevel_manager_v1` at this version.
    pub wlr_toplevels: Option<u32>,
    /// `org_kde_plasma_window_management` at this version.
    pub plasma_windows: Option<u32>,
}

/// An idle notification a client asked for: how, and after how many milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskedIdle {
    /// "get_input_idle_notification", "get_idle_notification" or "get_idle_timeout".
    pub request: &'static str,
    pub timeout_ms: u32,
}

/// A window as the test describes it.
#[derive(Clone, Debug, Default)]
pub struct Window {
    pub app_id: String,
    pub pid: u32,
    pub activated: bool,
    pub full_screen: bool,
}

enum Order {
    Idle,
    Resumed,
    Open(u32, Window),
    Change(u32, Window),
    /// A wlr toplevel's state array as given, however odd.
    RawState(u32, Vec<u8>),
    Close(u32),
    FinishWindowLists,
}

/// What clients asked of the stand-in, for the test to look at.
#[derive(Default)]
pub struct Asked {
    pub idle: Vec<AskedIdle>,
    pub clients: usize,
    /// Plasma windows asked for: by number (`get_window`) or by uuid.
    pub plasma_by_number: usize,
    pub plasma_by_uuid: usize,
}

/// The stand-in compositor, running on a thread of its own until dropped or told to go.
pub struct Compositor {
    pub socket: PathBuf,
    orders: Sender<Order>,
    asked: Arc<Mutex<Asked>>,
    thread: Option<JoinHandle<()>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    _folder: tempfile::TempDir,
}

impl Compositor {
    pub fn start(offer: Offer) -> Compositor {
        let folder = tempfile::tempdir().expect("a temporary folder");
        Compositor::start_at(offer, folder.path().join("wayland-test"), folder)
    }

    /// Starts one listening at `socket` (a compositor coming back where one went away).
    pub fn start_at(offer: Offer, socket: PathBuf, folder: tempfile::TempDir) -> Compositor {
        let listener = ListeningSocket::bind_absolute(socket.clone()).expect("the socket binds");
        let (orders, received) = channel();
        let asked = Arc::new(Mutex::new(Asked::default()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let asked = Arc::clone(&asked);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || serve(offer, listener, received, asked, stop))
        };
        Compositor {
            socket,
            orders,
            asked,
            thread: Some(thread),
            stop,
            _folder: folder,
        }
    }

    /// Every idle notification says "idle" (as when the time passed without input).
    pub fn idle(&self) {
        let _ = self.orders.send(Order::Idle);
    }

    /// Every idle notification says "resumed" (input came).
    pub fn resumed(&self) {
        let _ = self.orders.send(Order::Resumed);
    }

    pub fn open(&self, key: u32, window: Window) {
        let _ = self.orders.send(Order::Open(key, window));
    }

    pub fn change(&self, key: u32, window: Window) {
        let _ = self.orders.send(Order::Change(key, window));
    }

    pub fn raw_state(&self, key: u32, state: Vec<u8>) {
        let _ = self.orders.send(Order::RawState(key, state));
    }

    pub fn close(&self, key: u32) {
        let _ = self.orders.send(Order::Close(key));
    }

    /// The window lists end (wlr's `finished`).
    pub fn finish_window_lists(&self) {
        let _ = self.orders.send(Order::FinishWindowLists);
    }

    pub fn asked<T>(&self, look: impl FnOnce(&Asked) -> T) -> T {
        look(&self.asked.lock().expect("the stand-in's record"))
    }

    /// Goes away as a compositor that ends: the socket closes and every client is cut off. The
    /// folder stays, for one to come back (`start_at`).
    pub fn go_away(mut self) -> tempfile::TempDir {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the stand-in's thread does not panic");
        }
        let _ = std::fs::remove_file(&self.socket);
        let folder = tempfile::tempdir().expect("a temporary folder");
        std::mem::replace(&mut self._folder, folder)
    }
}

impl Drop for Compositor {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The compositor's side of things.
struct Server {
    offer: Offer,
    asked: Arc<Mutex<Asked>>,
    idle: bool,
    ext_notifications: Vec<ext_idle_notification_v1::ExtIdleNotificationV1>,
    kde_timeouts: Vec<org_kde_kwin_idle_timeout::OrgKdeKwinIdleTimeout>,
    windows: HashMap<u32, Window>,
    toplevel_managers: Vec<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1>,
    toplevels: Vec<(
        u32,
        zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1,
    )>,
    plasma_managers: Vec<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement>,
    plasma_windows: Vec<(u32, org_kde_plasma_window::OrgKdePlasmaWindow)>,
    handle: DisplayHandle,
}

struct ClientState;

impl ClientData for ClientState {
    fn initialized(&self, _: ClientId) {}
    fn disconnected(&self, _: ClientId, _: DisconnectReason) {}
}

fn serve(
    offer: Offer,
    listener: ListeningSocket,
    orders: Receiver<Order>,
    asked: Arc<Mutex<Asked>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut display: Display<Server> = Display::new().expect("a display");
    let handle = display.handle();
    if offer.seat {
        handle.create_global::<Server, wl_seat::WlSeat, ()>(7, ());
    }
    if let Some(version) = offer.ext_idle {
        handle.create_global::<Server, ext_idle_notifier_v1::ExtIdleNotifierV1, ()>(version, ());
    }
    if offer.kde_idle {
        handle.create_global::<Server, org_kde_kwin_idle::OrgKdeKwinIdle, ()>(1, ());
    }
    if let Some(version) = offer.wlr_toplevels {
        handle.create_global::<
            Server,
            zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1,
            (),
        >(version, ());
    }
    if let Some(version) = offer.plasma_windows {
        handle.create_global::<
            Server,
            org_kde_plasma_window_management::OrgKdePlasmaWindowManagement,
            (),
        >(version, ());
    }
    let mut server = Server {
        offer,
        asked,
        idle: false,
        ext_notifications: Vec::new(),
        kde_timeouts: Vec::new(),
        windows: HashMap::new(),
        toplevel_managers: Vec::new(),
        toplevels: Vec::new(),
        plasma_managers: Vec::new(),
        plasma_windows: Vec::new(),
        handle: handle.clone(),
    };
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        while let Ok(order) = orders.try_recv() {
            server.carry_out(order);
        }
        if let Ok(Some(stream)) = listener.accept() {
            let mut handle = display.handle();
            if handle.insert_client(stream, Arc::new(ClientState)).is_ok() {
                server.asked.lock().expect("the record").clients += 1;
            }
        }
        let _ = display.dispatch_clients(&mut server);
        let _ = display.flush_clients();
        // Wakes for a client's request, a new client, or (within 10 ms) an order.
        let mut fds = [
            libc::pollfd {
                fd: listener.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: display.backend().poll_fd().as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: two pollfds of ours, for the length of the call.
        unsafe { libc::poll(fds.as_mut_ptr(), 2, 10) };
    }
}

impl Server {
    fn carry_out(&mut self, order: Order) {
        match order {
            Order::Idle => {
                self.idle = true;
                self.ext_notifications.iter().for_each(|n| n.idled());
                self.kde_timeouts.iter().for_each(|t| t.idle());
            }
            Order::Resumed => {
                self.idle = false;
                self.ext_notifications.iter().for_each(|n| n.resumed());
                self.kde_timeouts.iter().for_each(|t| t.resumed());
            }
            Order::Open(key, window) => {
                self.windows.insert(key, window);
                for manager in self.toplevel_managers.clone() {
                    self.announce_toplevel(&manager, key);
                }
                for manager in self.plasma_managers.clone() {
                    announce_plasma_window(&manager, key);
                }
            }
            Order::Change(key, window) => {
                let state = wlr_state(&window);
                let flags = plasma_flags(&window);
                self.windows.insert(key, window);
                for (_, toplevel) in self.toplevels.iter().filter(|(k, _)| *k == key) {
                    toplevel.state(state.clone());
                    toplevel.done();
                }
                for (_, window) in self.plasma_windows.iter().filter(|(k, _)| *k == key) {
                    window.state_changed(flags);
                }
            }
            Order::RawState(key, state) => {
                for (_, toplevel) in self.toplevels.iter().filter(|(k, _)| *k == key) {
                    toplevel.state(state.clone());
                    toplevel.done();
                }
            }
            Order::Close(key) => {
                self.windows.remove(&key);
                for (_, toplevel) in self.toplevels.iter().filter(|(k, _)| *k == key) {
                    toplevel.closed();
                }
                for (_, window) in self.plasma_windows.iter().filter(|(k, _)| *k == key) {
                    window.unmapped();
                }
                self.toplevels.retain(|(k, _)| *k != key);
                self.plasma_windows.retain(|(k, _)| *k != key);
            }
            Order::FinishWindowLists => {
                for manager in self.toplevel_managers.drain(..) {
                    manager.finished();
                }
            }
        }
    }

    fn announce_toplevel(
        &mut self,
        manager: &zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1,
        key: u32,
    ) {
        let Some(window) = self.windows.get(&key).cloned() else {
            return;
        };
        let Some(client) = manager.client() else {
            return;
        };
        let Ok(toplevel) = client
            .create_resource::<zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1, (), Server>(
                &self.handle,
                manager.version(),
                (),
            )
        else {
            return;
        };
        manager.toplevel(&toplevel);
        toplevel.title(format!("window {key}"));
        toplevel.app_id(window.app_id.clone());
        toplevel.state(wlr_state(&window));
        toplevel.done();
        self.toplevels.push((key, toplevel));
    }
}

/// The wlr state array: activated (2) and fullscreen (3) as native-endian u32s.
fn wlr_state(window: &Window) -> Vec<u8> {
    let mut values = Vec::new();
    if window.activated {
        values.push(2u32);
    }
    if window.full_screen {
        values.push(3u32);
    }
    values.iter().flat_map(|v| v.to_ne_bytes()).collect()
}

/// Plasma's state flags: active 0x1, fullscreen 0x8 (and closeable 0x100, as KWin sends).
fn plasma_flags(window: &Window) -> u32 {
    0x100 | u32::from(window.activated) | if window.full_screen { 0x8 } else { 0 }
}

fn uuid(key: u32) -> String {
    format!("stand-in-window-{key}")
}

fn announce_plasma_window(
    manager: &org_kde_plasma_window_management::OrgKdePlasmaWindowManagement,
    key: u32,
) {
    if manager.version() >= 13 {
        manager.window_with_uuid(key, uuid(key));
    } else {
        manager.window(key);
    }
}

impl GlobalDispatch<wl_seat::WlSeat, ()> for Server {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<wl_seat::WlSeat>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        let seat = data_init.init(resource, ());
        seat.capabilities(wl_seat::Capability::Keyboard | wl_seat::Capability::Pointer);
    }
}

impl Dispatch<wl_seat::WlSeat, ()> for Server {
    fn request(
        _: &mut Self,
        _: &Client,
        _: &wl_seat::WlSeat,
        _: wl_seat::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
    }
}

impl GlobalDispatch<ext_idle_notifier_v1::ExtIdleNotifierV1, ()> for Server {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<ext_idle_notifier_v1::ExtIdleNotifierV1>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<ext_idle_notifier_v1::ExtIdleNotifierV1, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        _: &ext_idle_notifier_v1::ExtIdleNotifierV1,
        request: ext_idle_notifier_v1::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, Self>,
    ) {
        let (id, timeout, name) = match request {
            ext_idle_notifier_v1::Request::GetIdleNotification { id, timeout, .. } => {
                (id, timeout, "get_idle_notification")
            }
            ext_idle_notifier_v1::Request::GetInputIdleNotification { id, timeout, .. } => {
                (id, timeout, "get_input_idle_notification")
            }
            _ => return,
        };
        let notification = data_init.init(id, ());
        server
            .asked
            .lock()
            .expect("the record")
            .idle
            .push(AskedIdle {
                request: name,
                timeout_ms: timeout,
            });
        server.ext_notifications.push(notification);
    }
}

impl Dispatch<ext_idle_notification_v1::ExtIdleNotificationV1, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        notification: &ext_idle_notification_v1::ExtIdleNotificationV1,
        _: ext_idle_notification_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        // Only `destroy`.
        server
            .ext_notifications
            .retain(|n| n.id() != notification.id());
    }
}

impl GlobalDispatch<org_kde_kwin_idle::OrgKdeKwinIdle, ()> for Server {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<org_kde_kwin_idle::OrgKdeKwinIdle>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<org_kde_kwin_idle::OrgKdeKwinIdle, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        _: &org_kde_kwin_idle::OrgKdeKwinIdle,
        request: org_kde_kwin_idle::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, Self>,
    ) {
        // Its one request.
        let org_kde_kwin_idle::Request::GetIdleTimeout { id, timeout, .. } = request;
        let timeout_object = data_init.init(id, ());
        server
            .asked
            .lock()
            .expect("the record")
            .idle
            .push(AskedIdle {
                request: "get_idle_timeout",
                timeout_ms: timeout,
            });
        server.kde_timeouts.push(timeout_object);
    }
}

impl Dispatch<org_kde_kwin_idle_timeout::OrgKdeKwinIdleTimeout, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        timeout: &org_kde_kwin_idle_timeout::OrgKdeKwinIdleTimeout,
        request: org_kde_kwin_idle_timeout::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        if let org_kde_kwin_idle_timeout::Request::Release = request {
            server.kde_timeouts.retain(|t| t.id() != timeout.id());
        }
    }
}

impl GlobalDispatch<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1, ()> for Server {
    fn bind(
        server: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        let manager = data_init.init(resource, ());
        let mut keys: Vec<u32> = server.windows.keys().copied().collect();
        keys.sort();
        for key in keys {
            server.announce_toplevel(&manager, key);
        }
        server.toplevel_managers.push(manager);
    }
}

impl Dispatch<zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        manager: &zwlr_foreign_toplevel_manager_v1::ZwlrForeignToplevelManagerV1,
        request: zwlr_foreign_toplevel_manager_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        // Its one request, `stop`.
        let zwlr_foreign_toplevel_manager_v1::Request::Stop = request;
        manager.finished();
        server.toplevel_managers.retain(|m| m.id() != manager.id());
    }
}

impl Dispatch<zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        toplevel: &zwlr_foreign_toplevel_handle_v1::ZwlrForeignToplevelHandleV1,
        request: zwlr_foreign_toplevel_handle_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        if let zwlr_foreign_toplevel_handle_v1::Request::Destroy = request {
            server.toplevels.retain(|(_, t)| t.id() != toplevel.id());
        }
    }
}

impl GlobalDispatch<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement, ()> for Server {
    fn bind(
        server: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        let manager = data_init.init(resource, ());
        let mut keys: Vec<u32> = server.windows.keys().copied().collect();
        keys.sort();
        for key in keys {
            announce_plasma_window(&manager, key);
        }
        server.plasma_managers.push(manager);
    }
}

impl Dispatch<org_kde_plasma_window_management::OrgKdePlasmaWindowManagement, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        _: &org_kde_plasma_window_management::OrgKdePlasmaWindowManagement,
        request: org_kde_plasma_window_management::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, Self>,
    ) {
        use org_kde_plasma_window_management::Request;
        let (id, key) = match request {
            Request::GetWindow {
                id,
                internal_window_id,
            } => {
                server.asked.lock().expect("the record").plasma_by_number += 1;
                (id, internal_window_id)
            }
            Request::GetWindowByUuid {
                id,
                internal_window_uuid,
            } => {
                server.asked.lock().expect("the record").plasma_by_uuid += 1;
                let key = server
                    .windows
                    .keys()
                    .copied()
                    .find(|key| uuid(*key) == internal_window_uuid)
                    .unwrap_or(u32::MAX);
                (id, key)
            }
            _ => return,
        };
        let resource = data_init.init(id, ());
        if let Some(window) = server.windows.get(&key) {
            resource.app_id_changed(window.app_id.clone());
            resource.pid_changed(window.pid);
            resource.state_changed(plasma_flags(window));
            if resource.version() >= 4 {
                resource.initial_state();
            }
        } else {
            resource.unmapped();
        }
        server.plasma_windows.push((key, resource));
    }
}

impl Dispatch<org_kde_plasma_window::OrgKdePlasmaWindow, ()> for Server {
    fn request(
        server: &mut Self,
        _: &Client,
        window: &org_kde_plasma_window::OrgKdePlasmaWindow,
        request: org_kde_plasma_window::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        if let org_kde_plasma_window::Request::Destroy = request {
            server.plasma_windows.retain(|(_, w)| w.id() != window.id());
        }
    }
}
