//! What a heart rate source reports, and the small interface every source offers (a strap, a
//! recording replayed): pure data, so that a session can take the events whoever sends them.

use super::measurement::Contact;
use crate::practice::Micros;

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

    /// Done with: a strap lets go of what it asked of Bluetooth, waiting a moment for that.
    fn close(self: Box<Self>) {}
}
