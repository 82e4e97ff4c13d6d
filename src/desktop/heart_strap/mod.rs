//! A heart rate source for a session: a Bluetooth chest strap through BlueZ (`bluez`), or a
//! recording replayed at its own pace (`practice::heart::Replay`, run on a thread of its own
//! here for the window: `paced`), behind one small interface, `HeartSource` (in
//! `practice::heart`, so that the session can take its events).
//!
//! Nothing here is made unless the person has switched the strap on: constructing a
//! `HeartStrap` or a `StrapScan` is what first talks to Bluetooth, so an app that builds neither
//! while the setting is off asks nothing of it at all.

mod bluez;
mod paced;

use std::sync::Arc;
use std::time::Duration;

pub use crate::practice::heart::{HeartEvent, HeartSource, Replay};
pub use bluez::{
    HeartStrap, NO_ADAPTER, NO_MEASUREMENT, NOT_NEARBY, NOT_RUNNING, RATE_ONLY, SWITCHED_OFF,
    ScanEvent, StrapDevice, StrapScan,
};
pub use paced::Paced;

use crate::practice::Micros;

/// The Heart Rate service (0x180D) as BlueZ names it.
pub const HEART_RATE_SERVICE: &str = "0000180d-0000-1000-8000-00805f9b34fb";
/// The Heart Rate Measurement characteristic (0x2A37).
pub const HEART_RATE_MEASUREMENT: &str = "00002a37-0000-1000-8000-00805f9b34fb";

/// Called from a source's thread when events are waiting (the app asks for a frame).
pub type Wake = Arc<dyn Fn() + Send + Sync>;
/// The caller's clock, read when a measurement comes.
pub type Stamp = Arc<dyn Fn() -> Micros + Send + Sync>;

/// How to reach Bluetooth, and how patient to be.
#[derive(Clone)]
pub struct StrapOptions {
    /// A D-Bus address for the system bus; `None` is the system bus itself (its address from
    /// `DBUS_SYSTEM_BUS_ADDRESS` when set, else /var/run/dbus/system_bus_socket).
    pub bus: Option<String>,
    /// How long to wait before trying again after a strap is lost or a problem.
    pub retry: Duration,
    /// How long a connection, and the strap's services, may take.
    pub patience: Duration,
    pub clock: Stamp,
    pub wake: Wake,
}

impl StrapOptions {
    /// The system bus, a retry every 3 s, 20 s for a connection.
    pub fn new(clock: Stamp, wake: Wake) -> Self {
        StrapOptions {
            bus: None,
            retry: Duration::from_secs(3),
            patience: Duration::from_secs(20),
            clock,
            wake,
        }
    }
}
