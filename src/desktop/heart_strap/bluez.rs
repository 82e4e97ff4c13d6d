//! The strap through BlueZ on the system D-Bus (with `zbus`, as the rest of the app talks to
//! the desktop): find the adapters (org.bluez.Adapter1) and whether they are powered, look for
//! straps advertising the Heart Rate service (SetDiscoveryFilter, StartDiscovery), connect to
//! the chosen one (org.bluez.Device1.Connect), wait for its services, find its Heart Rate
//! Measurement characteristic (org.bluez.GattCharacteristic1), StartNotify, and read each
//! `Value` from PropertiesChanged. A strap lost (Connected false, or its object removed) is
//! said once and looked for again (discovery runs while it is away) until it is back.
//!
//! Everything runs on a thread of its own; events come back through a channel, with a wake so
//! the window draws them. Stopping (or dropping) ends the thread after StopNotify, Disconnect
//! (only of a connection this made) and StopDiscovery.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{HeartEvent, HeartSource, StrapOptions, Wake};
use crate::practice::Micros;

/// A strap found nearby (while scanning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrapDevice {
    pub address: String,
    /// Its name, else its alias (BlueZ makes one from the address).
    pub name: Option<String>,
    /// Signal strength in dBm, when it was heard recently.
    pub rssi: Option<i16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanEvent {
    /// The straps found so far, strongest signal first (sent again whenever it changes).
    Devices(Vec<StrapDevice>),
    /// Something stands in the way, in plain words.
    Problem(String),
}

pub const NOT_RUNNING: &str =
    "Bluetooth is not available: the Bluetooth service (BlueZ) is not running on this computer.";
pub const NO_ADAPTER: &str = "No Bluetooth adapter was found on this computer.";
pub const SWITCHED_OFF: &str =
    "Bluetooth is switched off. Switch it on in your desktop's Bluetooth settings.";
pub const NOT_NEARBY: &str =
    "The strap is not found nearby. Is it worn, with its contacts moistened? Still looking.";
pub const NO_MEASUREMENT: &str =
    "This device does not send a heart rate (it has no Heart Rate Measurement).";
pub const RATE_ONLY: &str = "This strap sends the heart rate only, not the time between beats, \
                             so the swing with each breath cannot be shown.";
/// So many measurements in a row without a beat-to-beat interval mean a strap that sends none
/// (a second can pass without a beat, so one or two prove nothing).
const RATE_ONLY_AFTER: usize = 5;

/// A connection to one strap, kept up until stopped.
pub struct HeartStrap {
    events: Receiver<HeartEvent>,
    stop: async_channel::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl HeartStrap {
    /// Starts connecting to the strap with this Bluetooth address, and keeps it connected.
    pub fn connect(address: &str, options: StrapOptions) -> HeartStrap {
        let (send, events) = channel();
        let (stop, stopped) = async_channel::bounded(1);
        let address = address.to_owned();
        let thread = std::thread::Builder::new()
            .name("heart-strap".into())
            .spawn(move || {
                let out = Out::new(send, options.wake.clone());
                run_connection(address, options, out, stopped);
            })
            .map_err(|e| log::warn!("no heart rate strap: {e}"))
            .ok();
        HeartStrap {
            events,
            stop,
            thread,
        }
    }

    /// The next event, if one is waiting.
    pub fn try_event(&self) -> Option<HeartEvent> {
        self.events.try_recv().ok()
    }

    /// Stops: notifications off, the connection this made closed, then the thread ends. Waits
    /// for that at most `limit`.
    pub fn stop(mut self, limit: Duration) {
        let _ = self.stop.try_send(());
        if let Some(thread) = self.thread.take() {
            join_within(thread, limit);
        }
    }
}

/// How long closing waits for notifications off and the connection closed.
const CLOSING: Duration = Duration::from_secs(3);

impl HeartSource for HeartStrap {
    fn poll(&mut self, _now: Micros) -> Vec<HeartEvent> {
        self.events.try_iter().collect()
    }

    fn close(self: Box<Self>) {
        (*self).stop(CLOSING);
    }
}

impl Drop for HeartStrap {
    fn drop(&mut self) {
        // The thread tidies up and ends on its own; the window does not wait for it.
        let _ = self.stop.try_send(());
    }
}

/// Looking for straps nearby, until stopped.
pub struct StrapScan {
    events: Receiver<ScanEvent>,
    stop: async_channel::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl StrapScan {
    pub fn start(options: StrapOptions) -> StrapScan {
        let (send, events) = channel();
        let (stop, stopped) = async_channel::bounded(1);
        let thread = std::thread::Builder::new()
            .name("heart-strap-scan".into())
            .spawn(move || run_scan(options, send, stopped))
            .map_err(|e| log::warn!("no scan for straps: {e}"))
            .ok();
        StrapScan {
            events,
            stop,
            thread,
        }
    }

    pub fn try_event(&self) -> Option<ScanEvent> {
        self.events.try_recv().ok()
    }

    /// Stops looking (StopDiscovery), waiting at most `limit` for it.
    pub fn stop(mut self, limit: Duration) {
        let _ = self.stop.try_send(());
        if let Some(thread) = self.thread.take() {
            join_within(thread, limit);
        }
    }
}

impl Drop for StrapScan {
    fn drop(&mut self) {
        let _ = self.stop.try_send(());
    }
}

fn join_within(thread: JoinHandle<()>, limit: Duration) {
    let deadline = crate::clock::Clocks::system().deadline(limit);
    while !thread.is_finished() && !deadline.passed() {
        std::thread::sleep(Duration::from_millis(10));
    }
    if thread.is_finished() {
        let _ = thread.join();
    }
}

/// Sends events, each problem once until something else happens.
struct Out {
    events: Sender<HeartEvent>,
    wake: Wake,
    last_problem: Option<String>,
}

impl Out {
    fn new(events: Sender<HeartEvent>, wake: Wake) -> Self {
        Out {
            events,
            wake,
            last_problem: None,
        }
    }

    fn send(&mut self, event: HeartEvent) {
        if !matches!(event, HeartEvent::Problem(_)) {
            self.last_problem = None;
        }
        let _ = self.events.send(event);
        (self.wake)();
    }

    fn problem(&mut self, words: String) {
        if self.last_problem.as_deref() != Some(words.as_str()) {
            log::info!("heart rate strap: {words}");
            self.last_problem = Some(words.clone());
            let _ = self.events.send(HeartEvent::Problem(words));
            (self.wake)();
        }
    }
}

#[cfg(target_os = "linux")]
fn run_connection(
    address: String,
    options: StrapOptions,
    out: Out,
    stopped: async_channel::Receiver<()>,
) {
    async_io::block_on(linux::connection(address, options, out, stopped));
}

#[cfg(target_os = "linux")]
fn run_scan(options: StrapOptions, send: Sender<ScanEvent>, stopped: async_channel::Receiver<()>) {
    async_io::block_on(linux::scan(options, send, stopped));
}

#[cfg(not(target_os = "linux"))]
const ONLY_ON_LINUX: &str = "Heart rate straps are only supported on Linux so far.";

#[cfg(not(target_os = "linux"))]
fn run_connection(
    _address: String,
    _options: StrapOptions,
    mut out: Out,
    _stopped: async_channel::Receiver<()>,
) {
    out.problem(ONLY_ON_LINUX.to_owned());
}

#[cfg(not(target_os = "linux"))]
fn run_scan(options: StrapOptions, send: Sender<ScanEvent>, _stopped: async_channel::Receiver<()>) {
    let _ = send.send(ScanEvent::Problem(ONLY_ON_LINUX.to_owned()));
    (options.wake)();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::collections::HashMap;
    use std::future::Future;
    use std::sync::mpsc::Sender;
    use std::time::Duration;

    use futures_lite::{StreamExt, future};
    use zbus::fdo::{ManagedObjects, ObjectManagerProxy, PropertiesProxy};
    use zbus::names::InterfaceName;
    use zbus::zvariant::{OwnedObjectPath, Value};

    use super::super::{HEART_RATE_MEASUREMENT, HEART_RATE_SERVICE, HeartEvent, StrapOptions};
    use super::{
        NO_ADAPTER, NO_MEASUREMENT, NOT_NEARBY, NOT_RUNNING, Out, RATE_ONLY, RATE_ONLY_AFTER,
        SWITCHED_OFF, ScanEvent, StrapDevice,
    };
    use crate::practice::heart::parse_measurement;

    const BLUEZ: &str = "org.bluez";
    const ADAPTER: &str = "org.bluez.Adapter1";
    const DEVICE: &str = "org.bluez.Device1";
    const CHARACTERISTIC: &str = "org.bluez.GattCharacteristic1";
    /// How long tidying up at the end may take, each call.
    const TIDYING: Duration = Duration::from_secs(2);

    async fn open_bus(bus: Option<&str>) -> zbus::Result<zbus::Connection> {
        match bus {
            Some(address) => zbus::connection::Builder::address(address)?.build().await,
            None => zbus::Connection::system().await,
        }
    }

    fn no_bus_words(e: &zbus::Error) -> String {
        format!("Bluetooth cannot be reached: there is no system bus to ask it through ({e}).")
    }

    /// The D-Bus error's name, if it is one.
    fn error_name(e: &zbus::Error) -> Option<String> {
        match e {
            zbus::Error::MethodError(name, _, _) => Some(name.to_string()),
            zbus::Error::FDO(fdo) => Some(zbus::DBusError::name(fdo.as_ref()).to_string()),
            _ => None,
        }
    }

    /// BlueZ's answer, as short as it can be said.
    fn said(e: &zbus::Error) -> String {
        match e {
            zbus::Error::MethodError(name, Some(text), _) => format!("{name}: {text}"),
            zbus::Error::MethodError(name, None, _) => name.to_string(),
            other => other.to_string(),
        }
    }

    fn is_absent(e: &zbus::Error) -> bool {
        error_name(e).is_some_and(|name| {
            name == "org.freedesktop.DBus.Error.ServiceUnknown"
                || name == "org.freedesktop.DBus.Error.NameHasNoOwner"
        })
    }

    /// Runs `work` for at most `limit`.
    async fn within<T>(limit: Duration, work: impl Future<Output = T>) -> Option<T> {
        future::or(async { Some(work.await) }, async {
            async_io::Timer::after(limit).await;
            None
        })
        .await
    }

    async fn call(
        bus: &zbus::Connection,
        path: &OwnedObjectPath,
        interface: &str,
        method: &str,
    ) -> zbus::Result<()> {
        bus.call_method(Some(BLUEZ), path.as_str(), Some(interface), method, &())
            .await
            .map(|_| ())
    }

    /// What BlueZ holds, as far as straps go.
    #[derive(Default)]
    struct Known {
        /// (path, powered)
        adapters: Vec<(OwnedObjectPath, bool)>,
        devices: Vec<Device>,
        /// (path, UUID)
        characteristics: Vec<(OwnedObjectPath, String)>,
    }

    #[derive(Clone)]
    struct Device {
        path: OwnedObjectPath,
        address: String,
        name: Option<String>,
        rssi: Option<i16>,
        uuids: Vec<String>,
        connected: bool,
    }

    impl Device {
        fn is_strap(&self) -> bool {
            self.uuids
                .iter()
                .any(|u| u.eq_ignore_ascii_case(HEART_RATE_SERVICE))
        }

        fn shown_name(&self) -> String {
            self.name.clone().unwrap_or_else(|| self.address.clone())
        }
    }

    fn text(value: Option<&Value<'_>>) -> Option<String> {
        match value {
            Some(Value::Str(s)) => Some(s.as_str().to_owned()),
            _ => None,
        }
    }

    fn flag(value: Option<&Value<'_>>) -> bool {
        matches!(value, Some(Value::Bool(true)))
    }

    fn texts(value: Option<&Value<'_>>) -> Vec<String> {
        match value {
            Some(Value::Array(items)) => {
                items.inner().iter().filter_map(|v| text(Some(v))).collect()
            }
            _ => Vec::new(),
        }
    }

    fn bytes(value: &Value<'_>) -> Option<Vec<u8>> {
        match value {
            Value::Array(items) => items
                .inner()
                .iter()
                .map(|v| match v {
                    Value::U8(b) => Some(*b),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn read_objects(objects: &ManagedObjects) -> Known {
        let mut known = Known::default();
        for (path, interfaces) in objects {
            for (interface, properties) in interfaces {
                let get = |name: &str| properties.get(name).map(|v| &**v);
                match interface.as_str() {
                    ADAPTER => known.adapters.push((path.clone(), flag(get("Powered")))),
                    DEVICE => {
                        let Some(address) = text(get("Address")) else {
                            continue;
                        };
                        known.devices.push(Device {
                            path: path.clone(),
                            address,
                            name: text(get("Name")).or_else(|| text(get("Alias"))),
                            rssi: match get("RSSI") {
                                Some(Value::I16(rssi)) => Some(*rssi),
                                _ => None,
                            },
                            uuids: texts(get("UUIDs")),
                            connected: flag(get("Connected")),
                        })
                    }
                    CHARACTERISTIC => {
                        if let Some(uuid) = text(get("UUID")) {
                            known.characteristics.push((path.clone(), uuid));
                        }
                    }
                    _ => {}
                }
            }
        }
        known
            .adapters
            .sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        known
    }

    fn under(path: &OwnedObjectPath, parent: &OwnedObjectPath) -> bool {
        path.as_str()
            .strip_prefix(parent.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }

    async fn object_manager(bus: &zbus::Connection) -> zbus::Result<ObjectManagerProxy<'static>> {
        ObjectManagerProxy::builder(bus)
            .destination(BLUEZ)?
            .path("/")?
            .build()
            .await
    }

    async fn properties(
        bus: &zbus::Connection,
        path: &OwnedObjectPath,
    ) -> zbus::Result<PropertiesProxy<'static>> {
        PropertiesProxy::builder(bus)
            .destination(BLUEZ)?
            .path(path.clone())?
            .build()
            .await
    }

    /// What BlueZ holds now; an error in plain words.
    async fn look(manager: &ObjectManagerProxy<'_>) -> Result<Known, String> {
        match manager.get_managed_objects().await {
            Ok(objects) => Ok(read_objects(&objects)),
            Err(e) => {
                let e = zbus::Error::from(e);
                Err(if is_absent(&e) {
                    NOT_RUNNING.to_owned()
                } else {
                    format!("Bluetooth could not be asked what it has ({}).", said(&e))
                })
            }
        }
    }

    /// The powered adapters, or why there are none.
    fn powered(known: &Known) -> Result<Vec<OwnedObjectPath>, String> {
        if known.adapters.is_empty() {
            return Err(NO_ADAPTER.to_owned());
        }
        let on: Vec<OwnedObjectPath> = known
            .adapters
            .iter()
            .filter(|(_, powered)| *powered)
            .map(|(path, _)| path.clone())
            .collect();
        if on.is_empty() {
            Err(SWITCHED_OFF.to_owned())
        } else {
            Ok(on)
        }
    }

    /// Asks `adapter` to look for heart rate straps (over Bluetooth LE only).
    async fn start_discovery(
        bus: &zbus::Connection,
        adapter: &OwnedObjectPath,
    ) -> zbus::Result<()> {
        let filter: HashMap<&str, Value<'_>> = HashMap::from([
            ("UUIDs", Value::from(vec![HEART_RATE_SERVICE])),
            ("Transport", Value::from("le")),
        ]);
        bus.call_method(
            Some(BLUEZ),
            adapter.as_str(),
            Some(ADAPTER),
            "SetDiscoveryFilter",
            &(filter,),
        )
        .await?;
        call(bus, adapter, ADAPTER, "StartDiscovery").await
    }

    fn discovery_words(e: &zbus::Error) -> String {
        match error_name(e).as_deref() {
            Some("org.bluez.Error.NotReady") => SWITCHED_OFF.to_owned(),
            _ => format!("Bluetooth would not look for straps ({}).", said(e)),
        }
    }

    /// The straps among the devices of the powered adapters, strongest signal first.
    fn straps(known: &Known, adapters: &[OwnedObjectPath]) -> Vec<StrapDevice> {
        let mut found: Vec<StrapDevice> = known
            .devices
            .iter()
            .filter(|d| d.is_strap() && adapters.iter().any(|a| under(&d.path, a)))
            .map(|d| StrapDevice {
                address: d.address.clone(),
                name: d.name.clone(),
                rssi: d.rssi,
            })
            .collect();
        found.sort_by(|a, b| {
            b.rssi
                .unwrap_or(i16::MIN)
                .cmp(&a.rssi.unwrap_or(i16::MIN))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.address.cmp(&b.address))
        });
        found
    }

    pub(super) async fn scan(
        options: StrapOptions,
        send: Sender<ScanEvent>,
        stopped: async_channel::Receiver<()>,
    ) {
        let wake = options.wake.clone();
        let mut last: Option<ScanEvent> = None;
        let mut say = |event: ScanEvent| {
            if last.as_ref() != Some(&event) {
                if let ScanEvent::Problem(words) = &event {
                    log::info!("looking for straps: {words}");
                }
                last = Some(event.clone());
                let _ = send.send(event);
                wake();
            }
        };
        let stop = async {
            let _ = stopped.recv().await;
        };
        let mut stop = std::pin::pin!(stop);
        let mut discovering: Vec<OwnedObjectPath> = Vec::new();
        let mut bus: Option<zbus::Connection> = None;
        let mut changes: Option<zbus::MessageStream> = None;
        loop {
            if bus.is_none() {
                match open_bus(options.bus.as_deref()).await {
                    Ok(opened) => bus = Some(opened),
                    Err(e) => say(ScanEvent::Problem(no_bus_words(&e))),
                }
            }
            if let Some(bus) = &bus {
                // Listening first, so that nothing that happens while looking is missed.
                if changes.is_none() {
                    changes = watch(bus).await.ok();
                }
                match look_and_scan(bus, &mut discovering).await {
                    Ok(event) => say(event),
                    Err(e) => say(ScanEvent::Problem(if is_absent(&e) {
                        NOT_RUNNING.to_owned()
                    } else {
                        format!("Bluetooth could not be asked what it has ({}).", said(&e))
                    })),
                }
            }
            // Until something changes under org.bluez (or a while passes), or the scan stops.
            let stopped_now = future::or(
                async {
                    match changes.as_mut() {
                        Some(changes) => {
                            let _ = within(options.retry, changes.next()).await;
                            // One look answers everything said meanwhile (signal strengths
                            // come often while discovering).
                            while let Some(Some(_)) = future::poll_once(changes.next()).await {}
                        }
                        None => {
                            async_io::Timer::after(options.retry).await;
                        }
                    }
                    false
                },
                async {
                    (&mut stop).await;
                    true
                },
            )
            .await;
            if stopped_now {
                break;
            }
        }
        if let Some(bus) = &bus {
            for adapter in &discovering {
                if let Some(Err(e)) =
                    within(TIDYING, call(bus, adapter, ADAPTER, "StopDiscovery")).await
                {
                    log::info!("looking for straps: StopDiscovery: {}", said(&e));
                }
            }
        }
    }

    /// BlueZ's signals, any of which may change the list: objects added or removed, properties
    /// (a name, a signal strength) changed.
    async fn watch(bus: &zbus::Connection) -> zbus::Result<zbus::MessageStream> {
        let rule = zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(BLUEZ)?
            .build();
        // Room for a crowded room's worth of signals while a look is under way: a full queue
        // would hold up the look's own reply.
        let stream = zbus::MessageStream::for_match_rule(rule, bus, Some(1024)).await?;
        Ok(stream)
    }

    /// Looks at what BlueZ holds, starts discovery on powered adapters not yet looking, and
    /// says what is found (or why nothing can be).
    async fn look_and_scan(
        bus: &zbus::Connection,
        discovering: &mut Vec<OwnedObjectPath>,
    ) -> zbus::Result<ScanEvent> {
        let manager = object_manager(bus).await?;
        let known = match look(&manager).await {
            Ok(known) => known,
            Err(words) => return Ok(ScanEvent::Problem(words)),
        };
        let adapters = match powered(&known) {
            Ok(adapters) => adapters,
            Err(words) => {
                discovering.clear();
                return Ok(ScanEvent::Problem(words));
            }
        };
        discovering.retain(|a| adapters.contains(a));
        for adapter in &adapters {
            if !discovering.contains(adapter) {
                match start_discovery(bus, adapter).await {
                    Ok(()) => discovering.push(adapter.clone()),
                    Err(e) => return Ok(ScanEvent::Problem(discovery_words(&e))),
                }
            }
        }
        Ok(ScanEvent::Devices(straps(&known, &adapters)))
    }

    /// What this connection has asked of BlueZ, to undo at the end.
    #[derive(Default)]
    struct Link {
        ever_connected: bool,
        /// The strap's object, once found.
        strap: Option<OwnedObjectPath>,
        /// BlueZ's news, listened to between streams only (see `listen_for_news`).
        news: Option<News>,
        /// The device this connected (not one that was connected already).
        connected_by_us: Option<OwnedObjectPath>,
        notifying: Option<OwnedObjectPath>,
        discovering: Option<OwnedObjectPath>,
    }

    enum Attempt {
        /// The strap was streaming and is lost: said once, then looked for.
        Lost(String),
        /// The strap could not be reached; the words to say if it never was.
        Away(Option<String>),
        Problem(String),
    }

    pub(super) async fn connection(
        address: String,
        options: StrapOptions,
        mut out: Out,
        stopped: async_channel::Receiver<()>,
    ) {
        let stop = async {
            let _ = stopped.recv().await;
        };
        let mut stop = std::pin::pin!(stop);
        let bus = loop {
            match open_bus(options.bus.as_deref()).await {
                Ok(bus) => break bus,
                Err(e) => out.problem(no_bus_words(&e)),
            }
            let waited = future::or(
                async {
                    async_io::Timer::after(options.retry).await;
                    false
                },
                async {
                    (&mut stop).await;
                    true
                },
            );
            if waited.await {
                return;
            }
        };
        let mut link = Link::default();
        loop {
            link.news = listen_for_news(&bus, link.strap.as_ref()).await.ok();
            let attempt = future::or(
                async { Some(attempt(&bus, &address, &options, &mut out, &mut link).await) },
                async {
                    (&mut stop).await;
                    None
                },
            )
            .await;
            match attempt {
                None => break,
                Some(Attempt::Problem(words)) => out.problem(words),
                Some(Attempt::Lost(why)) => {
                    out.send(HeartEvent::Lost { why });
                    // Looked for at once: discovery starts now, not a retry later.
                    continue;
                }
                Some(Attempt::Away(words)) => {
                    if let Some(words) = words {
                        out.problem(words);
                    }
                }
            }
            let stopped_now = future::or(
                async {
                    news_or_timeout(link.news.as_mut(), options.retry).await;
                    false
                },
                async {
                    (&mut stop).await;
                    true
                },
            )
            .await;
            if stopped_now {
                break;
            }
        }
        tidy_up(&bus, &link).await;
    }

    type News =
        std::pin::Pin<Box<dyn futures_lite::Stream<Item = zbus::Result<zbus::Message>> + Send>>;

    /// BlueZ's news that may bring the strap back: an object added (the strap seen again, or an
    /// adapter plugged in), an adapter's properties changed (powered on), or the strap's own
    /// properties changed (heard advertising again, or connected by another program).
    /// Listened to from before each attempt, so that nothing said during it is missed; all are
    /// rare enough that the queue cannot fill while the attempt runs.
    async fn listen_for_news(
        bus: &zbus::Connection,
        strap: Option<&OwnedObjectPath>,
    ) -> zbus::Result<News> {
        let signal = || {
            zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .sender(BLUEZ)
        };
        let added = signal()?
            .interface("org.freedesktop.DBus.ObjectManager")?
            .member("InterfacesAdded")?
            .build();
        let adapter_changed = signal()?
            .interface("org.freedesktop.DBus.Properties")?
            .member("PropertiesChanged")?
            .arg(0, ADAPTER)?
            .build();
        let mut news: News = Box::pin(futures_lite::stream::or(
            zbus::MessageStream::for_match_rule(added, bus, Some(1024)).await?,
            zbus::MessageStream::for_match_rule(adapter_changed, bus, Some(1024)).await?,
        ));
        if let Some(strap) = strap {
            let strap_changed = signal()?
                .interface("org.freedesktop.DBus.Properties")?
                .member("PropertiesChanged")?
                .path(strap.clone())?
                .build();
            let changes =
                zbus::MessageStream::for_match_rule(strap_changed, bus, Some(1024)).await?;
            news = Box::pin(futures_lite::stream::or(news, changes));
        }
        Ok(news)
    }

    /// Waits for news, or until `limit` has passed.
    async fn news_or_timeout(news: Option<&mut News>, limit: Duration) {
        match news {
            Some(news) => {
                let _ = within(limit, news.next()).await;
            }
            None => {
                async_io::Timer::after(limit).await;
            }
        }
    }

    /// Undoes what this connection asked for: notifications, its own connection, discovery.
    async fn tidy_up(bus: &zbus::Connection, link: &Link) {
        let steps = [
            (&link.notifying, CHARACTERISTIC, "StopNotify"),
            (&link.connected_by_us, DEVICE, "Disconnect"),
            (&link.discovering, ADAPTER, "StopDiscovery"),
        ];
        for (path, interface, method) in steps {
            if let Some(path) = path {
                match within(TIDYING, call(bus, path, interface, method)).await {
                    Some(Ok(())) => {}
                    Some(Err(e)) => log::info!("heart rate strap: {method}: {}", said(&e)),
                    None => log::info!("heart rate strap: {method} did not answer"),
                }
            }
        }
    }

    async fn stop_discovery(bus: &zbus::Connection, link: &mut Link) {
        if let Some(adapter) = link.discovering.take()
            && let Err(e) = call(bus, &adapter, ADAPTER, "StopDiscovery").await
        {
            log::info!("heart rate strap: StopDiscovery: {}", said(&e));
        }
    }

    /// One go at finding, connecting and listening to the strap, until it is lost.
    async fn attempt(
        bus: &zbus::Connection,
        address: &str,
        options: &StrapOptions,
        out: &mut Out,
        link: &mut Link,
    ) -> Attempt {
        match listen(bus, address, options, out, link).await {
            Ok(attempt) => attempt,
            Err(e) if is_absent(&e) => Attempt::Problem(NOT_RUNNING.to_owned()),
            Err(e) => Attempt::Away((!link.ever_connected).then(|| {
                format!(
                    "The strap could not be reached ({}); still trying.",
                    said(&e)
                )
            })),
        }
    }

    /// A strap reached and connected: its device, its properties, and the streams of its
    /// changes and of objects removed, subscribed before connecting so nothing it says is missed.
    struct Reached {
        device: Device,
        properties: PropertiesProxy<'static>,
        changes: zbus::fdo::PropertiesChangedStream,
        removals: zbus::fdo::InterfacesRemovedStream,
    }

    /// How far one part of an attempt got: on to the next part, or the attempt over.
    enum Part<T> {
        On(T),
        Over(Attempt),
    }

    /// One attempt to hear the strap: reach and connect it, wait for its services, ask it for
    /// notifications, then pass its measurements on until it is lost.
    async fn listen(
        bus: &zbus::Connection,
        address: &str,
        options: &StrapOptions,
        out: &mut Out,
        link: &mut Link,
    ) -> zbus::Result<Attempt> {
        let manager = object_manager(bus).await?;
        let mut reached = match reach(bus, &manager, address, options, link).await? {
            Part::On(reached) => reached,
            Part::Over(attempt) => return Ok(attempt),
        };
        stop_discovery(bus, link).await;
        if let Part::Over(attempt) = services_resolved(&mut reached, options, link).await {
            return Ok(attempt);
        }
        let (measurement, mut values) = match start_notify(bus, &manager, &reached.device).await? {
            Part::On(notifying) => notifying,
            Part::Over(attempt) => return Ok(attempt),
        };
        link.notifying = Some(measurement.clone());
        // While it streams, no news is needed: the queue is let go, so that an hour of other
        // programs' discoveries cannot fill it and hold up the measurements.
        link.news = None;
        out.send(if link.ever_connected {
            HeartEvent::Back
        } else {
            HeartEvent::Connected {
                name: reached.device.shown_name(),
            }
        });
        link.ever_connected = true;
        let why = pass_on(&mut reached, &measurement, &mut values, options, out).await;
        link.notifying = None;
        Ok(Attempt::Lost(why.to_owned()))
    }

    /// The strap found among BlueZ's devices on a powered adapter and connected (looking for it
    /// when it is not there, so that it is heard when it is back).
    async fn reach(
        bus: &zbus::Connection,
        manager: &ObjectManagerProxy<'static>,
        address: &str,
        options: &StrapOptions,
        link: &mut Link,
    ) -> zbus::Result<Part<Reached>> {
        let known = match look(manager).await {
            Ok(known) => known,
            Err(words) => return Ok(Part::Over(Attempt::Problem(words))),
        };
        let adapters = match powered(&known) {
            Ok(adapters) => adapters,
            Err(words) => return Ok(Part::Over(Attempt::Problem(words))),
        };
        let device = known.devices.iter().find(|d| {
            d.address.eq_ignore_ascii_case(address) && adapters.iter().any(|a| under(&d.path, a))
        });
        let Some(device) = device.cloned() else {
            // Not known (or gone): look for it, and check again at the next retry.
            if link.discovering.is_none() {
                match start_discovery(bus, &adapters[0]).await {
                    Ok(()) => link.discovering = Some(adapters[0].clone()),
                    Err(e) => return Ok(Part::Over(Attempt::Problem(discovery_words(&e)))),
                }
            }
            return Ok(Part::Over(Attempt::Away(
                (!link.ever_connected).then(|| NOT_NEARBY.to_owned()),
            )));
        };
        link.strap = Some(device.path.clone());
        let properties = properties(bus, &device.path).await?;
        let changes = properties.receive_properties_changed().await?;
        let removals = manager.receive_interfaces_removed().await?;
        if !device.connected {
            let connected =
                within(options.patience, call(bus, &device.path, DEVICE, "Connect")).await;
            if !matches!(connected, Some(Ok(()))) && link.discovering.is_none() {
                // Out of range, most likely: look for it, so it is heard when it is back.
                match start_discovery(bus, &adapters[0]).await {
                    Ok(()) => link.discovering = Some(adapters[0].clone()),
                    Err(e) => log::info!("heart rate strap: {}", discovery_words(&e)),
                }
            }
            let first_time = !link.ever_connected;
            let away = |words: String| Ok(Part::Over(Attempt::Away(first_time.then_some(words))));
            match connected {
                Some(Ok(())) => link.connected_by_us = Some(device.path.clone()),
                Some(Err(e)) => {
                    return away(format!(
                        "{} could not be connected ({}); still trying.",
                        device.shown_name(),
                        said(&e)
                    ));
                }
                None => {
                    return away(format!(
                        "{} did not answer within {} s; still trying.",
                        device.shown_name(),
                        options.patience.as_secs()
                    ));
                }
            }
        }
        Ok(Part::On(Reached {
            device,
            properties,
            changes,
            removals,
        }))
    }

    /// Waits (at most the patience) until BlueZ has read the connected strap's services.
    async fn services_resolved(
        reached: &mut Reached,
        options: &StrapOptions,
        link: &Link,
    ) -> Part<()> {
        let device_interface = InterfaceName::from_static_str_unchecked(DEVICE);
        let resolved = reached
            .properties
            .get(device_interface, "ServicesResolved")
            .await
            .ok()
            .is_some_and(|v| matches!(&*v, Value::Bool(true)));
        if resolved {
            return Part::On(());
        }
        let changes = &mut reached.changes;
        let waited = within(options.patience, async {
            while let Some(signal) = changes.next().await {
                let Ok(args) = signal.args() else { continue };
                if args.interface_name().as_str() != DEVICE {
                    continue;
                }
                let changed = args.changed_properties();
                if matches!(changed.get("Connected"), Some(Value::Bool(false))) {
                    return false;
                }
                if matches!(changed.get("ServicesResolved"), Some(Value::Bool(true))) {
                    return true;
                }
            }
            false
        })
        .await;
        if waited == Some(true) {
            return Part::On(());
        }
        Part::Over(Attempt::Away((!link.ever_connected).then(|| {
            format!(
                "{} connected but did not show its services; still trying.",
                reached.device.shown_name()
            )
        })))
    }

    /// The strap's Heart Rate Measurement characteristic, its changes subscribed to and then
    /// asked to notify.
    async fn start_notify(
        bus: &zbus::Connection,
        manager: &ObjectManagerProxy<'static>,
        device: &Device,
    ) -> zbus::Result<Part<(OwnedObjectPath, zbus::fdo::PropertiesChangedStream)>> {
        let known = match look(manager).await {
            Ok(known) => known,
            Err(words) => return Ok(Part::Over(Attempt::Problem(words))),
        };
        let Some(measurement) = known
            .characteristics
            .iter()
            .find(|(path, uuid)| {
                under(path, &device.path) && uuid.eq_ignore_ascii_case(HEART_RATE_MEASUREMENT)
            })
            .map(|(path, _)| path.clone())
        else {
            return Ok(Part::Over(Attempt::Problem(NO_MEASUREMENT.to_owned())));
        };
        let measurement_properties = properties(bus, &measurement).await?;
        let values = measurement_properties.receive_properties_changed().await?;
        if let Err(e) = call(bus, &measurement, CHARACTERISTIC, "StartNotify").await {
            return Ok(Part::Over(Attempt::Problem(format!(
                "{} did not agree to send its heart rate ({}).",
                device.shown_name(),
                said(&e)
            ))));
        }
        Ok(Part::On((measurement, values)))
    }

    /// Passes each measurement on as it comes, until the strap is lost; returns why.
    async fn pass_on(
        reached: &mut Reached,
        measurement: &OwnedObjectPath,
        values: &mut zbus::fdo::PropertiesChangedStream,
        options: &StrapOptions,
        out: &mut Out,
    ) -> &'static str {
        let Reached {
            device,
            changes,
            removals,
            ..
        } = reached;
        let mut without_intervals = 0;
        let mut said_rate_only = false;
        let mut said_unreadable = false;
        enum Input {
            Value(zbus::fdo::PropertiesChanged),
            Device(zbus::fdo::PropertiesChanged),
            Removed(zbus::fdo::InterfacesRemoved),
        }
        loop {
            let next = future::or(
                future::or(async { values.next().await.map(Input::Value) }, async {
                    changes.next().await.map(Input::Device)
                }),
                async { removals.next().await.map(Input::Removed) },
            )
            .await;
            match next {
                None => return "the connection to Bluetooth ended",
                Some(Input::Value(signal)) => {
                    let Ok(args) = signal.args() else { continue };
                    if args.interface_name().as_str() != CHARACTERISTIC {
                        continue;
                    }
                    let Some(payload) = args.changed_properties().get("Value").and_then(bytes)
                    else {
                        continue;
                    };
                    match parse_measurement(&payload) {
                        Ok(measurement) => {
                            if measurement.rr_1024.is_empty() {
                                without_intervals += 1;
                            } else {
                                without_intervals = 0;
                            }
                            out.send(HeartEvent::Beats {
                                at: (options.clock)(),
                                heart_rate: measurement.heart_rate,
                                contact: measurement.contact,
                                rr_ms: measurement.rr_millis().collect(),
                            });
                            if without_intervals >= RATE_ONLY_AFTER && !said_rate_only {
                                said_rate_only = true;
                                log::info!("heart rate strap: {RATE_ONLY}");
                                out.send(HeartEvent::HeartRateOnly);
                            }
                        }
                        Err(reason) => {
                            log::info!("heart rate strap: a measurement not read: {reason}");
                            if !said_unreadable {
                                said_unreadable = true;
                                out.problem(format!(
                                    "{} sends measurements downshift cannot read ({reason}); \
                                     they are left out.",
                                    device.shown_name()
                                ));
                            }
                        }
                    }
                }
                Some(Input::Device(signal)) => {
                    let Ok(args) = signal.args() else { continue };
                    if args.interface_name().as_str() == DEVICE
                        && matches!(
                            args.changed_properties().get("Connected"),
                            Some(Value::Bool(false))
                        )
                    {
                        return "the strap's connection was lost";
                    }
                }
                Some(Input::Removed(signal)) => {
                    let Ok(args) = signal.args() else { continue };
                    let path = args.object_path().as_str();
                    if path == device.path.as_str() || path == measurement.as_str() {
                        return "the strap went away";
                    }
                }
            }
        }
    }
}
