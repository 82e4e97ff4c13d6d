//! Real-time scheduling for the audio thread, where the system grants it: the thread that feeds
//! the device must not wait behind a busy machine's other work. Asked for directly
//! (SCHED_FIFO, granted to root or with an rtprio limit) and otherwise of rtkit over the system
//! D-Bus, as PulseAudio and PipeWire do. Whether it was granted is logged at debug level (and
//! kept, for `granted`).

use std::sync::atomic::{AtomicU8, Ordering};

/// Unasked, granted directly, granted by rtkit, refused.
static OUTCOME: AtomicU8 = AtomicU8::new(0);

/// A low real-time priority: above every normal thread, below the sound server's own.
const PRIORITY: i32 = 5;

/// How the audio thread is scheduled, in words (for logs and the README's figures).
pub fn granted() -> &'static str {
    match OUTCOME.load(Ordering::Acquire) {
        1 => "real-time (SCHED_FIFO)",
        2 => "real-time (granted by rtkit)",
        3 => "normal (real-time was refused)",
        _ => "not started",
    }
}

/// Called once on the audio thread itself. Never waits: rtkit is asked from a thread of its own.
pub fn raise_this_thread() {
    #[cfg(target_os = "linux")]
    {
        if set_fifo() {
            OUTCOME.store(1, Ordering::Release);
            log::debug!("the audio thread's scheduling: {}", granted());
            return;
        }
        // SAFETY: gettid takes nothing and cannot fail.
        let thread = unsafe { libc::gettid() } as u64;
        let spawned = std::thread::Builder::new()
            .name("rtkit".into())
            .spawn(move || {
                OUTCOME.store(if ask_rtkit(thread) { 2 } else { 3 }, Ordering::Release);
                log::debug!("the audio thread's scheduling: {}", granted());
            });
        if spawned.is_err() {
            OUTCOME.store(3, Ordering::Release);
        }
    }
}

#[cfg(target_os = "linux")]
fn set_fifo() -> bool {
    let param = libc::sched_param {
        sched_priority: PRIORITY,
    };
    // SAFETY: plain system call on this thread (0 = the calling thread); the parameter lives on
    // the stack for the call's duration. RESET_ON_FORK keeps children out of real time.
    unsafe {
        libc::sched_setscheduler(0, libc::SCHED_FIFO | libc::SCHED_RESET_ON_FORK, &param) == 0
    }
}

/// rtkit (org.freedesktop.RealtimeKit1) grants real time to threads that promise to use little
/// CPU: it needs RLIMIT_RTTIME set first.
#[cfg(target_os = "linux")]
fn ask_rtkit(thread: u64) -> bool {
    let limit = libc::rlimit {
        rlim_cur: 200_000,
        rlim_max: 200_000,
    };
    // SAFETY: setrlimit reads the struct, which lives for the call.
    if unsafe { libc::setrlimit(libc::RLIMIT_RTTIME, &limit) } != 0 {
        return false;
    }
    futures_lite::future::block_on(async move {
        let Ok(bus) = zbus::Connection::system().await else {
            return false;
        };
        bus.call_method(
            Some("org.freedesktop.RealtimeKit1"),
            "/org/freedesktop/RealtimeKit1",
            Some("org.freedesktop.RealtimeKit1"),
            "MakeThreadRealtime",
            &(thread, PRIORITY as u32),
        )
        .await
        .is_ok()
    })
}
