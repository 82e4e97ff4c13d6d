//! The app without egui. Its state (what the screens show) apart from the runtime (threads,
//! channels, the device). A frame goes: the screens draw from the state and push `Command`s;
//! after the frame `update` applies each and returns `Effect`s; the `Runtime` carries those out
//! off the window's thread and sends back `Message`s, which `receive` applies. `tick` moves
//! time on (a practice ending, reminders falling due).

pub mod background;
mod command;
mod effect;
mod flow;
pub mod kept;
mod notices;
pub mod ops;
pub mod pain_days;
mod receive;
pub mod runtime;
pub mod screen;
mod state;
mod update;

pub use command::Command;
pub use effect::{Effect, Message, SessionId, ViewportEffect};
pub use flow::{NO_SOUND, SOUND_STOPPED, begin_practice};
pub use notices::{Notice, Notices};
pub use receive::{next_reminder_check, receive, tick};
pub use runtime::{Mode, Runtime};
pub use state::{AppState, CheckInCache, HistoryCache, Loaded, Now, SoundStatus};
pub use update::update;
