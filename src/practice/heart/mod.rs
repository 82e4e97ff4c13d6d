//! The heart during slow breathing, from a chest strap or a recording: the strap's measurement
//! format, cleaning the beats, the swing per breath, RMSSD, the low-frequency power, and the
//! resonance test's analysis. Pure: beats and breaths come in with their times; no clock, no
//! device, no file.

pub mod clean;
pub mod live;
pub mod measurement;
pub mod replay;
pub mod resonance;
pub mod source;
pub mod spectrum;
pub mod swing;

pub use clean::{CleanBeat, Cleaned, DropReason, DroppedBeat, Interval, clean, intervals_from};
pub use live::{BeatTimes, HeartNow, HeartSummary, LiveHeart};
pub use measurement::{
    Contact, Measurement, MeasurementError, encode_measurement, parse_measurement,
};
pub use replay::{Recording, Replay};
pub use resonance::{
    Resonance, StepPlan, StepResult, StepVerdict, TEST_NAME, TEST_RATES, analyse, even_breath,
    even_steps, test_practice,
};
pub use source::{HeartEvent, HeartSource};
pub use spectrum::LowFrequency;
