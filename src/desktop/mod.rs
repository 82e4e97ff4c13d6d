//! What the desktop offers, each part optional: downshift works where the desktop offers none of
//! it. Every call here runs on a thread of its own, never on the window's (the single-copy claim
//! is made before the window opens).

pub mod autostart;
pub mod ending;
pub mod keep_awake;
pub mod last_words;
pub mod notify;
pub mod presence;
pub mod single_copy;
pub mod tray;
