//! Sound: the cue files, the scheduled cue track and the output device. Cues are placed on the
//! exact sample the practice timeline names and mixed in the audio stream, never fired from the
//! screen's loop, so they keep time with the window hidden.

mod lag;
mod output;
pub mod priority;
#[cfg(unix)]
pub mod server;
mod sounds;
pub mod stream;
mod track;

pub use output::{AudioOutput, CueSource, SessionControl};
pub use sounds::{SoundBank, SoundId, decode_wav};
pub use track::{CueTrack, ScheduledCue, frame_to_micros, micros_to_frame, schedule};
