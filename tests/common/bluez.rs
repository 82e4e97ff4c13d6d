//! A stand-in BlueZ (`org.bluez`) on a private bus, for the heart rate strap's tests: an
//! adapter, a strap with its Heart Rate service and measurement characteristic, notifications,
//! the strap vanishing and coming back, StartNotify refused; and what it was asked.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use downshift::desktop::heart_strap::{HEART_RATE_MEASUREMENT, HEART_RATE_SERVICE};
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, OwnedValue};

use super::bus::Bus;

pub const ADAPTER: &str = "/org/bluez/hci0";
pub const STRAP: &str = "A0:9E:1A:12:34:56";
pub const STRAP_PATH: &str = "/org/bluez/hci0/dev_A0_9E_1A_12_34_56";
pub const SERVICE_PATH: &str = "/org/bluez/hci0/dev_A0_9E_1A_12_34_56/service000c";
pub const MEASUREMENT_PATH: &str = "/org/bluez/hci0/dev_A0_9E_1A_12_34_56/service000c/char000d";

#[derive(zbus::DBusError, Debug)]
#[zbus(prefix = "org.bluez.Error")]
enum BluezError {
    #[zbus(error)]
    ZBus(zbus::Error),
    Failed(String),
    NotReady(String),
    NotPermitted(String),
}

/// What the stand-in was asked, and how it behaves.
#[derive(Default)]
pub struct World {
    pub calls: Mutex<Vec<String>>,
    pub filter: Mutex<Option<HashMap<String, OwnedValue>>>,
    /// The strap is out of range: connecting fails.
    pub away: AtomicBool,
    pub refuse_notify: AtomicBool,
    connects: Mutex<Option<Sender<()>>>,
}

impl World {
    fn called(&self, what: &str) {
        self.calls.lock().expect("calls").push(what.to_owned());
    }

    pub fn count(&self, what: &str) -> usize {
        self.calls
            .lock()
            .expect("calls")
            .iter()
            .filter(|c| *c == what)
            .count()
    }
}

struct Adapter {
    powered: bool,
    world: Arc<World>,
}

#[zbus::interface(name = "org.bluez.Adapter1")]
impl Adapter {
    fn set_discovery_filter(
        &mut self,
        filter: HashMap<String, OwnedValue>,
    ) -> Result<(), BluezError> {
        self.world.called("SetDiscoveryFilter");
        *self.world.filter.lock().expect("filter") = Some(filter);
        Ok(())
    }

    fn start_discovery(&mut self) -> Result<(), BluezError> {
        self.world.called("StartDiscovery");
        if self.powered {
            Ok(())
        } else {
            Err(BluezError::NotReady("Resource Not Ready".into()))
        }
    }

    fn stop_discovery(&mut self) -> Result<(), BluezError> {
        self.world.called("StopDiscovery");
        Ok(())
    }

    #[zbus(property)]
    fn powered(&self) -> bool {
        self.powered
    }

    #[zbus(property)]
    fn address(&self) -> String {
        "00:1A:7D:DA:71:13".into()
    }
}

struct Device {
    address: String,
    name: String,
    uuids: Vec<String>,
    rssi: i16,
    connected: bool,
    services_resolved: bool,
    world: Arc<World>,
}

#[zbus::interface(name = "org.bluez.Device1")]
impl Device {
    async fn connect(
        &mut self,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> Result<(), BluezError> {
        self.world.called("Connect");
        if self.world.away.load(Ordering::SeqCst) {
            return Err(BluezError::Failed("le-connection-abort-by-local".into()));
        }
        self.connected = true;
        self.connected_changed(&emitter).await?;
        // The services are resolved a moment later, as BlueZ does after connecting.
        if let Some(connects) = &*self.world.connects.lock().expect("connects") {
            let _ = connects.send(());
        }
        Ok(())
    }

    async fn disconnect(
        &mut self,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> Result<(), BluezError> {
        self.world.called("Disconnect");
        self.connected = false;
        self.services_resolved = false;
        self.connected_changed(&emitter).await?;
        Ok(())
    }

    #[zbus(property)]
    fn address(&self) -> String {
        self.address.clone()
    }

    #[zbus(property)]
    fn name(&self) -> String {
        self.name.clone()
    }

    #[zbus(property)]
    fn alias(&self) -> String {
        self.name.clone()
    }

    #[zbus(property, name = "UUIDs")]
    fn uuids(&self) -> Vec<String> {
        self.uuids.clone()
    }

    #[zbus(property, name = "RSSI")]
    fn rssi(&self) -> i16 {
        self.rssi
    }

    #[zbus(property)]
    fn connected(&self) -> bool {
        self.connected
    }

    #[zbus(property)]
    fn services_resolved(&self) -> bool {
        self.services_resolved
    }
}

struct Service;

#[zbus::interface(name = "org.bluez.GattService1")]
impl Service {
    #[zbus(property, name = "UUID")]
    fn uuid(&self) -> String {
        HEART_RATE_SERVICE.into()
    }

    #[zbus(property)]
    fn device(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(STRAP_PATH).expect("path")
    }
}

struct Characteristic {
    value: Vec<u8>,
    notifying: bool,
    world: Arc<World>,
}

#[zbus::interface(name = "org.bluez.GattCharacteristic1")]
impl Characteristic {
    fn start_notify(&mut self) -> Result<(), BluezError> {
        self.world.called("StartNotify");
        if self.world.refuse_notify.load(Ordering::SeqCst) {
            return Err(BluezError::NotPermitted("Notify not permitted".into()));
        }
        self.notifying = true;
        Ok(())
    }

    fn stop_notify(&mut self) -> Result<(), BluezError> {
        self.world.called("StopNotify");
        self.notifying = false;
        Ok(())
    }

    #[zbus(property, name = "UUID")]
    fn uuid(&self) -> String {
        HEART_RATE_MEASUREMENT.into()
    }

    #[zbus(property)]
    fn service(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(SERVICE_PATH).expect("path")
    }

    #[zbus(property)]
    fn value(&self) -> Vec<u8> {
        self.value.clone()
    }

    #[zbus(property)]
    fn notifying(&self) -> bool {
        self.notifying
    }

    #[zbus(property)]
    fn flags(&self) -> Vec<String> {
        vec!["notify".into()]
    }
}

/// The stand-in BlueZ, on the private bus, and its world.
pub struct StandIn {
    server: zbus::Connection,
    pub world: Arc<World>,
}

impl StandIn {
    /// BlueZ with an adapter (powered or not) and nothing else yet.
    pub fn start(bus: &Bus, adapter: Option<bool>) -> StandIn {
        let world = Arc::new(World::default());
        let server = async_io::block_on(async {
            let mut builder = zbus::connection::Builder::address(bus.address.as_str())?
                .name("org.bluez")?
                .serve_at("/", zbus::fdo::ObjectManager)?;
            if let Some(powered) = adapter {
                builder = builder.serve_at(
                    ADAPTER,
                    Adapter {
                        powered,
                        world: Arc::clone(&world),
                    },
                )?;
            }
            builder.build().await
        })
        .expect("the stand-in serves");
        // BlueZ resolves a strap's services once it is connected.
        let (connects, connected) = channel::<()>();
        *world.connects.lock().expect("connects") = Some(connects);
        let resolver = server.clone();
        std::thread::spawn(move || {
            while connected.recv().is_ok() {
                let _ = async_io::block_on(async {
                    let device = resolver
                        .object_server()
                        .interface::<_, Device>(STRAP_PATH)
                        .await?;
                    let mut d = device.get_mut().await;
                    d.services_resolved = true;
                    d.services_resolved_changed(device.signal_emitter()).await
                });
            }
        });
        StandIn { server, world }
    }

    /// A device appears (as discovery or a reconnection shows it), with its GATT objects when
    /// it is a strap.
    pub fn add_device(&self, address: &str, name: &str, uuids: &[&str], rssi: i16) {
        let path = format!("/org/bluez/hci0/dev_{}", address.replace(':', "_"));
        let strap = uuids.contains(&HEART_RATE_SERVICE);
        async_io::block_on(async {
            let server = self.server.object_server();
            if strap && path == STRAP_PATH {
                server.at(SERVICE_PATH, Service).await?;
                server
                    .at(
                        MEASUREMENT_PATH,
                        Characteristic {
                            value: Vec::new(),
                            notifying: false,
                            world: Arc::clone(&self.world),
                        },
                    )
                    .await?;
            }
            server
                .at(
                    path.as_str(),
                    Device {
                        address: address.into(),
                        name: name.into(),
                        uuids: uuids.iter().map(|u| u.to_string()).collect(),
                        rssi,
                        connected: false,
                        services_resolved: false,
                        world: Arc::clone(&self.world),
                    },
                )
                .await?;
            zbus::Result::Ok(())
        })
        .expect("added");
    }

    pub fn add_strap(&self) {
        self.add_device(STRAP, "Polar H10 1234ABCD", &[HEART_RATE_SERVICE], -60);
    }

    /// The strap goes out of range: disconnected, then its objects removed.
    pub fn strap_vanishes(&self) {
        self.world.away.store(true, Ordering::SeqCst);
        async_io::block_on(async {
            let server = self.server.object_server();
            let device = server.interface::<_, Device>(STRAP_PATH).await?;
            {
                let mut d = device.get_mut().await;
                d.connected = false;
                d.services_resolved = false;
                d.connected_changed(device.signal_emitter()).await?;
            }
            server.remove::<Characteristic, _>(MEASUREMENT_PATH).await?;
            server.remove::<Service, _>(SERVICE_PATH).await?;
            server.remove::<Device, _>(STRAP_PATH).await?;
            zbus::Result::Ok(())
        })
        .expect("gone");
    }

    pub fn strap_returns(&self) {
        self.world.away.store(false, Ordering::SeqCst);
        self.add_strap();
    }

    /// The strap sends one measurement.
    pub fn notify(&self, payload: Vec<u8>) {
        async_io::block_on(async {
            let characteristic = self
                .server
                .object_server()
                .interface::<_, Characteristic>(MEASUREMENT_PATH)
                .await?;
            let mut c = characteristic.get_mut().await;
            c.value = payload;
            c.value_changed(characteristic.signal_emitter()).await
        })
        .expect("notified");
    }
}
