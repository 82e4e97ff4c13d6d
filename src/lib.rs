//! downshift: paced slow breathing, calm transition rituals and micro-rests, with a private
//! record of what helps.
//!
//! Layers, dependencies pointing down only: `cli` and `ui` on top; `app` (state, commands,
//! effects and the runtime that carries them out); `desktop`, `session`, `audio` and `store`;
//! the pure `practice` model at the bottom. `clock` is the one module that reads the clocks.

pub mod app;
pub mod audio;
pub mod cli;
pub mod clock;
pub mod desktop;
pub mod practice;
pub mod session;
pub mod store;
pub mod ui;

/// The version written into every history record.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The app's id: the window's (so the desktop groups it with its launcher), the launcher's,
/// icon's and metainfo's file names, and the name the running copy owns on the session bus.
pub const APP_ID: &str = "io.github.downshift.Downshift";
