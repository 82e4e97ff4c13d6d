//! Real-time scheduling for the audio thread, where the system grants it: the thread that feeds
//! the device must not wait behind a busy machine's other work. Asked for directly
//! (SCHED_FIFO, granted to root or with an rtprio limit) and otherwise of rtkit over the system
//! D-Bus, as PulseAudio and PipeWire do, from the thread that opened the device (never the audio
//! thread, which must not wait). Whether it was granted is logged at debug level (and kept, for
//! `granted`).
//!
//! A real-time thread that never pauses would hold a processor for good, so the process runs
//! under a real-time time limit ([`prepare`]): a thread that has run 100 ms without a pause gets
//! SIGXCPU, which demotes the audio thread to normal scheduling, and the session carries on (its
//! sound, if the thread is stuck, then reads as lost). The hard limit, 200 ms (what rtkit
//! demands), is never reached by the audio thread: by then it is no longer real-time. (cpal's
//! own real-time support, the `audio_thread_priority` crate, sets the soft and hard limits
//! equal, so a spinning thread is killed with the whole process, and asks rtkit on the audio
//! thread itself; hence this module.)

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, Ordering};

/// Unasked, granted directly, granted by rtkit, refused, or refused directly with rtkit still
/// to be asked.
static OUTCOME: AtomicU8 = AtomicU8::new(0);
const GRANTED_DIRECTLY: u8 = 1;
const GRANTED_BY_RTKIT: u8 = 2;
const REFUSED: u8 = 3;
const RTKIT_TO_ASK: u8 = 4;

/// The audio thread's kernel id, while rtkit is still to be asked for it.
static TO_ASK_FOR: AtomicI32 = AtomicI32::new(0);
/// The kernel id of the thread made real-time, the one SIGXCPU demotes.
static REAL_TIME_THREAD: AtomicI32 = AtomicI32::new(0);
/// SIGXCPU demoted it; `true` until [`take_demotion`] has reported it.
static DEMOTED: AtomicBool = AtomicBool::new(false);
static DEMOTION_REPORTED: AtomicBool = AtomicBool::new(false);

/// A low real-time priority: above every normal thread, below the sound server's own.
const PRIORITY: i32 = 5;

/// A real-time thread that runs this long without a pause gets SIGXCPU and is demoted.
pub const RUN_WITHOUT_PAUSE_MICROS: u64 = 100_000;
/// The kernel's own end (SIGKILL), never reached by a demoted thread; rtkit grants real time
/// only under a hard limit of at most 200 ms.
const HARD_LIMIT_MICROS: u64 = 200_000;

/// How the audio thread is scheduled, in words (for logs and the README's figures).
pub fn granted() -> &'static str {
    if DEMOTED.load(Ordering::Acquire) {
        return "normal (demoted: it ran 100 ms without a pause)";
    }
    match OUTCOME.load(Ordering::Acquire) {
        GRANTED_DIRECTLY => "real-time (SCHED_FIFO)",
        GRANTED_BY_RTKIT => "real-time (granted by rtkit)",
        REFUSED => "normal (real-time was refused)",
        RTKIT_TO_ASK => "normal (rtkit not asked yet)",
        _ => "not started",
    }
}

/// The SIGXCPU handler is in place and the time limit set: real time may be asked for.
static PREPARED: AtomicBool = AtomicBool::new(false);

/// Before each stream opens, off the audio thread (it may allocate and take locks): the SIGXCPU
/// handler that demotes (once per process), and the real-time time limit that sends it (each
/// time: the kernel raises the soft limit by a second after each SIGXCPU). Says why not, if it
/// could not be set up; real time is then not asked for.
pub fn prepare() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        static HANDLER: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
        let handler = HANDLER.get_or_init(|| {
            // SAFETY: the action only loads and stores atomics and makes one system call
            // (sched_setscheduler), all async-signal-safe.
            unsafe { signal_hook::low_level::register(libc::SIGXCPU, demote) }
                .map(|_| ())
                .map_err(|e| format!("no SIGXCPU handler: {e}"))
        });
        let prepared = handler.clone().and_then(|()| limit_run_without_pause());
        // A new stream's thread starts undemoted, and its own demotion is reported again.
        DEMOTED.store(false, Ordering::Release);
        DEMOTION_REPORTED.store(false, Ordering::Release);
        PREPARED.store(prepared.is_ok(), Ordering::Release);
        prepared
    }
    #[cfg(not(target_os = "linux"))]
    Ok(())
}

/// Whether the audio thread was demoted since the last call (reported once).
pub fn take_demotion() -> bool {
    DEMOTED.load(Ordering::Acquire) && !DEMOTION_REPORTED.swap(true, Ordering::AcqRel)
}

/// Called once on the audio thread itself: one system call, nothing that waits, allocates or
/// logs. Where it is refused, [`ask_rtkit_for_audio_thread`] asks rtkit from another thread.
/// Nothing is asked for unless [`prepare`] succeeded.
pub fn raise_this_thread() {
    #[cfg(target_os = "linux")]
    {
        if !PREPARED.load(Ordering::Acquire) {
            OUTCOME.store(REFUSED, Ordering::Release);
            return;
        }
        // SAFETY: gettid takes nothing and cannot fail.
        let thread = unsafe { libc::gettid() };
        REAL_TIME_THREAD.store(thread, Ordering::Release);
        if set_fifo() {
            OUTCOME.store(GRANTED_DIRECTLY, Ordering::Release);
            return;
        }
        TO_ASK_FOR.store(thread, Ordering::Release);
        OUTCOME.store(RTKIT_TO_ASK, Ordering::Release);
    }
}

/// Off the audio thread, once it has run: asks rtkit for it if it could not raise itself (a
/// D-Bus call, which may wait), and logs at debug level what the audio thread got.
pub fn ask_rtkit_for_audio_thread() {
    #[cfg(target_os = "linux")]
    {
        let thread = TO_ASK_FOR.swap(0, Ordering::AcqRel);
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

/// The SIGXCPU action: the real-time thread back to normal scheduling, on whichever thread the
/// signal landed.
#[cfg(target_os = "linux")]
fn demote() {
    let thread = REAL_TIME_THREAD.load(Ordering::Acquire);
    if thread == 0 {
        return;
    }
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: plain system call; the parameter lives on the stack for its duration. The
    // reset-on-fork flag stays set (an unprivileged thread may not clear it).
    let demoted = unsafe {
        libc::sched_setscheduler(
            thread,
            libc::SCHED_OTHER | libc::SCHED_RESET_ON_FORK,
            &param,
        )
    } == 0;
    if demoted {
        DEMOTED.store(true, Ordering::Release);
    }
}

/// RLIMIT_RTTIME: SIGXCPU after [`RUN_WITHOUT_PAUSE_MICROS`] of running without a pause, the
/// kernel's SIGKILL at [`HARD_LIMIT_MICROS`] (or lower limits already set, kept).
#[cfg(target_os = "linux")]
fn limit_run_without_pause() -> Result<(), String> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct, which lives for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_RTTIME, &mut limit) } != 0 {
        return Err(format!(
            "RLIMIT_RTTIME unreadable: {}",
            std::io::Error::last_os_error()
        ));
    }
    let hard = limit.rlim_max.min(HARD_LIMIT_MICROS);
    // The soft limit must come before the hard one, or the kernel kills before it warns.
    let soft = RUN_WITHOUT_PAUSE_MICROS.min(hard / 2);
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads the struct, which lives for the call.
    if unsafe { libc::setrlimit(libc::RLIMIT_RTTIME, &limit) } != 0 {
        return Err(format!(
            "RLIMIT_RTTIME not set: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
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

/// rtkit (org.freedesktop.RealtimeKit1) grants real time to threads of a process whose hard
/// RLIMIT_RTTIME is at most 200 ms: [`prepare`] set it.
#[cfg(target_os = "linux")]
fn ask_rtkit(thread: i32) -> bool {
    let ask = async move {
        let Ok(bus) = zbus::Connection::system().await else {
            return false;
        };
        bus.call_method(
            Some("org.freedesktop.RealtimeKit1"),
            "/org/freedesktop/RealtimeKit1",
            Some("org.freedesktop.RealtimeKit1"),
            "MakeThreadRealtime",
            &(thread as u64, PRIORITY as u32),
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
