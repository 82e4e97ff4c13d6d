//! The app without egui. Its state (what the screens show) apart from the runtime (threads,
//! channels, the device). A frame goes: the screens draw from the state and push `Command`s;
//! after the frame `update` applies each and returns `Effect`s; the `Runtime` carries those out
//! off the window's thread and sends back `Message`s, which `receive` applies. `tick` moves
//! time on (a practice ending, reminders falling due). ARCHITECTURE.md walks one command
//! through.

pub mod background;
mod command;
mod editing;
mod effect;
mod heart;
mod history_view;
mod home;
pub mod host;
pub mod kept;
mod leaving;
mod notices;
pub mod pain_days;
pub mod preset_files;
pub mod progression;
mod receive;
mod reminders;
pub mod runtime;
pub mod screen;
mod session_flow;
mod settings_form;
mod state;
pub mod suggestion;
mod update;

pub use command::Command;
pub use effect::{
    DesktopEffect, Effect, FileEffect, HeartFeed, Message, SessionId, SoundEffect, ViewportEffect,
};
pub use heart::{RESONANCE_PRACTICE, STRAP_LOST};
pub use notices::{Notice, Notices};
pub use receive::{receive, tick};
pub use reminders::next_reminder_check;
pub use runtime::{Bluetooth, Mode, Runtime};
pub use session_flow::{NO_SOUND, SOUND_STOPPED, begin_practice};
pub use state::{
    AppState, CheckInCache, Departure, DesktopStatus, HistoryCache, Loaded, Now, SoundStatus,
    StrapStatus,
};
pub use update::update;
