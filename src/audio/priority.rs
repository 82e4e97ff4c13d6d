//! Real-time scheduling for the audio thread, where the system grants it: the thread that feeds
//! the device must not wait behind a busy machine's other work. Asked for directly
//! (SCHED_FIFO, granted to root or with an rtprio limit) and otherwise of rtkit over the system
//! D-Bus, as PulseAudio and PipeWire do, from the thread that opened the device (never the audio
//! thread, which must not wait). Whether it was granted is logged at debug level (and kept, for
//! `granted`).

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// Unasked, granted directly, granted by rtkit, refused, or refused directly with rtkit still
/// to be asked.
static OUTCOME: AtomicU8 = AtomicU8::new(0);
const GRANTED_DIRECTLY: u8 = 1;
const GRANTED_BY_RTKIT: u8 = 2;
const REFUSED: u8 = 3;
const RTKIT_TO_ASK: u8 = 4;

/// The audio thread's kernel id, while rtkit is still to be asked for it.
static AUDIO_THREAD: AtomicU64 = AtomicU64::new(0);

/// A low real-time priority: above every normal thread, below the sound server's own.
const PRIORITY: i32 = 5;

/// How the audio thread is scheduled, in words (for logs and the README's figures).
pub fn granted() -> &'static str {
    match OUTCOME.load(Ordering::Acquire) {
        GRANTED_DIRECTLY => "real-time (SCHED_FIFO)",
        GRANTED_BY_RTKIT => "real-time (granted by rtkit)",
        REFUSED => "normal (real-time was refused)",
        RTKIT_TO_ASK => "normal (rtkit not asked yet)",
        _ => "not started",
    }
}

/// Called once on the audio thread itself: one system call, nothing that waits, allocates or
/// logs. Where it is refused, [`ask_rtkit_for_audio_thread`] asks rtkit from another thread.
pub fn raise_this_thread() {
    #[cfg(target_os = "linux")]
    {
        if set_fifo() {
            OUTCOME.store(GRANTED_DIRECTLY, Ordering::Release);
            return;
        }
        // SAFETY: gettid takes nothing and cannot fail.
        let thread = unsafe { libc::gettid() } as u64;
        AUDIO_THREAD.store(thread, Ordering::Release);
        OUTCOME.store(RTKIT_TO_ASK, Ordering::Release);
    }
}

/// Off the audio thread, once it has run: asks rtkit for it if it could not raise itself (a
/// D-Bus call, which may wait), and logs at debug level what the audio thread got.
pub fn ask_rtkit_for_audio_thread() {
    #[cfg(target_os = "linux")]
    {
        let thread = AUDIO_THREAD.swap(0, Ordering::AcqRel);
        if thread != 0 && OUTCOME.load(Ordering::Acquire) == RTKIT_TO_ASK {
            let outcome = if ask_rtkit(thread) {
                GRANTED_BY_RTKIT
            } else {
                REFUSED
            };
            OUTCOME.store(outcome, Ordering::Release);
        }
    }
    log::debug!("the audio thread's scheduling: {}", granted());
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
    let ask = async move {
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
    };
    // A bus that does not answer must not hold the session's sound back.
    let give_up = async {
        async_io::Timer::after(RTKIT_PATIENCE).await;
        false
    };
    futures_lite::future::block_on(futures_lite::future::or(ask, give_up))
}

/// How long rtkit may take to answer.
#[cfg(target_os = "linux")]
const RTKIT_PATIENCE: std::time::Duration = std::time::Duration::from_millis(500);
