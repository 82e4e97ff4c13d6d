//! A heart rate source for a session: a Bluetooth chest strap through BlueZ (`bluez`), or a
//! recording replayed at its own pace (`replay`), behind one small interface, `HeartSource`.
//!
//! Nothing here is made unless the person has switched the strap on: constructing a
//! `HeartStrap` or a `StrapScan` is what first talks to Bluetooth, so an app that builds neither
//! while the setting is off asks nothing of it at all.

mod bluez;
mod replay;

use std::sync::Arc;
use std::time::Duration;

pub use bluez::{
    HeartStrap, NO_ADAPTER, NO_MEASUREMENT, NOT_NEARBY, NOT_RUNNING, RATE_ONLY, SWITCHED_OFF,
    ScanEvent, StrapDevice, StrapScan,
};
pub use replay::Replay;

use crate::practice::Micros;
use crate::practice::heart::Contact;

/// The Heart Rate service (0x180D) as BlueZ names it.
pub const HEART_RATE_SERVICE: &str = "0000180d-0000-1000-8000-00805f9b34fb";
/// The Heart Rate Measurement characteristic (0x2A37).
pub const HEART_RATE_MEASUREMENT: &str = "00002a37-0000-1000-8000-00805f9b34fb";

/// What a heart rate source reports.
#[derive(Clone, Debug, PartialEq)]
pub enum HeartEvent {
    /// The strap is connected and sending (the first time).
    Connected {
        name: String,
    },
    /// A measurement: the heart rate the strap counts, whether it feels the skin, and the
    /// beat-to-beat intervals since the last one (ms, oldest first; none from a strap that
    /// sends the rate only). `at` is when it came, on the caller's clock: the last interval's
    /// beat.
    Beats {
        at: Micros,
        heart_rate: u16,
        contact: Contact,
        rr_ms: Vec<f64>,
    },
    /// The strap sends its heart rate but no beat-to-beat intervals: the heart rate can be
    /// shown, the swing cannot.
    HeartRateOnly,
    /// The strap was lost (out of range, switched off, its battery flat); downshift keeps
    /// looking for it and says `Back` when it is.
    Lost {
        why: String,
    },
    Back,
    /// Something stands in the way, in plain words (no adapter, Bluetooth off, BlueZ absent,
    /// the strap refusing to send). Each is said once until something changes.
    Problem(String),
    /// A replayed recording has come to its end.
    Ended,
}

/// A source of heart events: the strap, or a replayed recording.
pub trait HeartSource: Send {
    /// Everything that has happened by `now` (the caller's clock, as `Beats::at` is).
    fn poll(&mut self, now: Micros) -> Vec<HeartEvent>;
}

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
