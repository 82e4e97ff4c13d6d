//! Files: presets, the history log, settings and the data folder. Every file but the append-only
//! history is written atomically; nothing here panics on what it reads.

mod atomic;
pub mod checkins;
pub mod checkpoint;
mod export;
pub mod history;
mod history_log;
pub mod insights;
mod locate;
mod paths;
pub mod presets;
pub mod progress;
pub(crate) mod record;
mod record_codec;
pub mod reminder_days;
mod ron_file;
pub mod rr_file;
pub mod settings;
pub mod small_tests;

pub use atomic::{KeptAside, keep_aside_if_unreadable, write_atomic};
pub use checkpoint::{Checkpoint, LiveCheckpoint, Recovery, recover_interrupted};
pub use history::{History, SessionEnd, SessionRecord, append_record, load_history};
pub use locate::{TextPosition, locate};
pub use paths::{DATA_DIR_ENV, DataDir};
pub use presets::{Library, LibraryEntry, Origin, PresetError};
pub use settings::Settings;
