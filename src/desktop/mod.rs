//! What the desktop offers, each part optional: downshift works where the desktop offers none of
//! it. Every call here runs on a thread of its own, never on the window's (the single-copy claim
//! is made before the window opens).

pub mod autostart;
pub mod ending;
pub mod heart_strap;
pub mod keep_awake;
pub mod last_words;
pub mod notify;
pub mod presence;
pub mod single_copy;
pub mod tray;

use std::sync::{Arc, OnceLock};

/// The application name downshift asks the desktop under (the keep-awake hold: GNOME's session
/// manager lists it as the hold's app id, and `presence` passes over downshift's own).
pub const APPLICATION_NAME: &str = "downshift";

/// The part of the screen a window may take (the screen less the panels), in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkArea {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// The work area of an X11 desktop (EWMH `_NET_WORKAREA`), asked once before the window opens.
/// `None` on Wayland (a compositor places windows itself) or without a window manager.
///
/// The connection it asked on comes back too: keep it until the window's own connection is
/// open. An X server with no client left resets (Xvfb does, with nothing else on it), and a
/// window opened during the reset is refused ("Failed to open connection to X server").
pub fn work_area() -> (Option<WorkArea>, Option<presence::X11Screen>) {
    if std::env::var_os("WAYLAND_DISPLAY").is_some() || std::env::var_os("DISPLAY").is_none() {
        return (None, None);
    }
    match presence::X11Screen::open(None) {
        Ok(screen) => (screen.work_area(), Some(screen)),
        Err(e) => {
            log::debug!("no work area: {e}");
            (None, None)
        }
    }
}

/// The app's icon as RGBA pixels, row by row.
#[derive(Debug)]
pub struct AppIcon {
    pub rgba: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The app's icon (rendered from data/icons/io.github.downshift.Downshift.svg by
/// scripts/make-icons.sh, as the launcher's is), decoded once for the window and the tray.
pub fn app_icon() -> Option<Arc<AppIcon>> {
    static ICON: OnceLock<Option<Arc<AppIcon>>> = OnceLock::new();
    ICON.get_or_init(|| {
        image::load_from_memory_with_format(
            include_bytes!("../../data/icons/window-128.png"),
            image::ImageFormat::Png,
        )
        .map(|decoded| {
            let rgba = decoded.into_rgba8();
            Arc::new(AppIcon {
                width: rgba.width(),
                height: rgba.height(),
                rgba: rgba.into_raw(),
            })
        })
        .map_err(|e| log::warn!("the app's icon could not be read: {e}"))
        .ok()
    })
    .clone()
}
