//! The process's last words: what is done when downshift must end without the window's help, so
//! the session in flight is still recorded as ended early with what was breathed until then.
//!
//! - The display going away (the X server ending, a remote session cut): Xlib then calls its
//!   "fatal I/O error" handler, whose default ends the process at once, from inside whatever call
//!   noticed, so nothing of the window's own leaving runs. downshift puts its own handler in
//!   place ([`watch_x11`]), which says the last words and then ends the process as Xlib would.
//! - A signal the window did not act on within its grace (`desktop::ending`).
//!
//! On Wayland a lost connection ends eframe's loop with an error instead, and the window records
//! the session as it goes (`ui::DownshiftApp`'s `Drop`).
//!
//! Xlib's handler is one for the whole process and takes no context, so what to say is kept in
//! a process-wide slot that the runtime fills ([`set_last_words`]).

use std::sync::{Mutex, OnceLock};

type LastWords = Box<dyn Fn() + Send>;

static LAST_WORDS: Mutex<Option<LastWords>> = Mutex::new(None);

/// Sets what to do when the process must end without the window's help: replaces what was set
/// before.
pub fn set_last_words(last_words: impl Fn() + Send + 'static) {
    let mut slot = LAST_WORDS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *slot = Some(Box::new(last_words));
}

/// Runs what was set with [`set_last_words`], if anything.
pub fn say_last_words() {
    let slot = LAST_WORDS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(last_words) = slot.as_ref() {
        last_words();
    }
}

/// Puts downshift's handler in Xlib's place. Without libX11 (a Wayland-only system) there is
/// nothing to watch.
pub fn watch_x11() {
    #[cfg(target_os = "linux")]
    {
        // Kept loaded for the life of the process: the handler lives in it.
        static XLIB: OnceLock<Option<x11_dl::xlib::Xlib>> = OnceLock::new();
        let xlib = XLIB.get_or_init(|| match x11_dl::xlib::Xlib::open() {
            Ok(xlib) => Some(xlib),
            Err(e) => {
                log::debug!("no Xlib ({e}); the X server's going away is not watched");
                None
            }
        });
        if let Some(xlib) = xlib {
            // SAFETY: XSetIOErrorHandler only stores the pointer; the handler is a plain
            // function that lives as long as the process.
            unsafe { (xlib.XSetIOErrorHandler)(Some(on_x11_connection_lost)) };
        }
    }
}

#[cfg(target_os = "linux")]
unsafe extern "C" fn on_x11_connection_lost(_display: *mut x11_dl::xlib::Display) -> i32 {
    // Xlib must not be called again from here, and the handler must not return.
    eprintln!("downshift: the display went away; recording the session and leaving");
    say_last_words();
    std::process::exit(1);
}
