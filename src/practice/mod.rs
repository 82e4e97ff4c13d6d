//! The pure model of a practice: what happens when. No UI, audio, files or clocks live here;
//! time is always passed in, so the screen, the sound and the record all agree.

mod clock;
pub mod heart;
mod model;
pub mod paced_sitting;
pub mod pacing;
pub mod pain;
pub mod reminders;
mod timeline;
mod validate;

pub use clock::{Outcome, SessionClock};
pub use model::{
    BreatheBlock, CueSet, FORMAT_VERSION, Pattern, Practice, Progression, PromptStep, Step,
    same_name,
};
pub use timeline::{
    CueEvent, CueKind, LevelSpan, MICROS_PER_SECOND, Micros, Moment, Phase, StepKind, StepSpan,
    Timeline, Upcoming, ease, micros_to_seconds, seconds_to_micros,
};
pub use validate::{
    GENTLE_MIN_CYCLE_SECONDS, Problem, Profile, duplicate_names, estimated_seconds,
    fits_gentle_mode, gentle_problems, validate,
};
