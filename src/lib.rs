//! downshift: paced slow breathing, calm transition rituals and micro-rests, with a private
//! record of what helps.
//!
//! Layers, dependencies pointing down only: `cli` and `ui` on top, then `audio` and `store`,
//! then the pure `practice` model.

pub mod audio;
pub mod cli;
pub mod keep_awake;
pub mod notify;
pub mod practice;
pub mod session;
pub mod store;
pub mod ui;

/// The version written into every history record.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
