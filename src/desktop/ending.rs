//! How the desktop ends downshift: SIGTERM at logout or shutdown, SIGHUP when the terminal that
//! started it closes, SIGINT (Ctrl-C). Each asks the window (or the terminal's session) to leave
//! as Ctrl+Q does: the session in flight is recorded as ended early, what is unsaved is saved,
//! then it ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// How long the window has to leave by itself after a signal before the process ends anyway
/// (a window that cannot draw any more, as a hidden one on Wayland may not); the session in
/// flight is then recorded by the runtime (`last_words`).
pub const WINDOW_GRACE: Duration = Duration::from_secs(5);

/// The terminal's session lets its last cue ring out (up to 6 s) before it records itself.
pub const TERMINAL_GRACE: Duration = Duration::from_secs(10);

/// Set when an ending signal arrived; the window reads it every frame.
#[derive(Clone, Default)]
pub struct EndRequest(Arc<AtomicBool>);

impl EndRequest {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Watches for the ending signals on a thread of its own; `wake` asks the window for a frame so
/// it notices even while hidden. Past `grace` after a signal the last words are said and the
/// process ends.
pub fn watch(grace: Duration, wake: impl Fn() + Send + 'static) -> EndRequest {
    let request = EndRequest::default();
    let mut signals = match Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        Ok(signals) => signals,
        Err(e) => {
            log::warn!("signals cannot be watched: {e}");
            return request;
        }
    };
    let flag = Arc::clone(&request.0);
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                log::info!("signal {signal}: leaving");
                flag.store(true, Ordering::Release);
                wake();
                std::thread::sleep(grace);
                log::warn!("downshift did not leave after signal {signal}; ending");
                super::last_words::say_last_words();
                std::process::exit(1);
            }
        });
    if let Err(e) = spawned {
        log::warn!("signals cannot be watched: {e}");
    }
    request
}
