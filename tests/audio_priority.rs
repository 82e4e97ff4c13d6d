//! The audio thread's real time, with the real kernel: a real-time thread that pauses between
//! bursts of work keeps it, and one that spins without a pause is demoted to normal scheduling
//! by its SIGXCPU (RLIMIT_RTTIME's soft limit) while the process lives on, never killed at the
//! hard limit. A test binary of its own: the time limit is the whole process's.
//!
//! Real time must be granted to this process (root, CAP_SYS_NICE or an rtprio limit). Where it
//! is not, the test says so and fails under CI=true; elsewhere it says so and passes.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use downshift::audio::priority;

fn is_real_time() -> bool {
    // SAFETY: plain system call about the calling thread.
    let policy = unsafe { libc::sched_getscheduler(0) } & !libc::SCHED_RESET_ON_FORK;
    policy == libc::SCHED_FIFO
}

/// Runs `work` on a new thread made real-time the way the audio thread is; returns whether it
/// was granted and what `work` returned.
fn on_a_real_time_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (granted_tx, granted_rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        priority::raise_this_thread();
        let granted = is_real_time();
        let _ = granted_tx.send(granted);
        granted.then(work)
    });
    let granted = granted_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the thread started");
    let result = thread.join().expect("the thread ended without a panic");
    assert_eq!(granted, result.is_some());
    result
}

#[test]
fn a_spinning_audio_thread_is_demoted_and_the_process_lives_on() {
    priority::prepare().expect("the SIGXCPU handler and the time limit are set up");
    // A thread that works 30 ms at a time and then waits a little, for a second and a half:
    // well past the limit in all, but never 100 ms without a pause. It stays real-time.
    let Some(kept) = on_a_real_time_thread(|| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(1_500) {
            let burst = Instant::now();
            while burst.elapsed() < Duration::from_millis(30) {
                std::hint::spin_loop();
            }
            thread::sleep(Duration::from_millis(2));
        }
        is_real_time()
    }) else {
        let why = "real time was not granted to this process (run as root, or give it an \
                   rtprio limit)";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{why}: the audio thread's demotion cannot be shown");
        }
        eprintln!("SKIPPED: {why}");
        return;
    };
    assert!(kept, "a thread that pauses between bursts keeps real time");
    assert!(!priority::take_demotion(), "nothing was demoted");

    // A thread that never pauses: demoted within about the limit, and this process, which the
    // kernel would otherwise end at the hard limit, carries on.
    let demoted_after = on_a_real_time_thread(|| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if !is_real_time() {
                return Some(start.elapsed());
            }
            std::hint::spin_loop();
        }
        None
    })
    .expect("granted as before");
    let demoted_after = demoted_after.expect("demoted within 5 s of spinning");
    assert!(
        demoted_after >= Duration::from_millis(priority::RUN_WITHOUT_PAUSE_MICROS / 1_000 - 10),
        "not before the limit: {demoted_after:?}"
    );
    assert!(
        demoted_after < Duration::from_millis(400),
        "soon after the limit: {demoted_after:?}"
    );
    assert!(priority::take_demotion(), "the demotion is reported");
    assert!(!priority::take_demotion(), "once");
    assert!(
        priority::granted().contains("demoted"),
        "{}",
        priority::granted()
    );

    // The next stream's thread is promoted under the limit again (the kernel raised the soft
    // limit by a second after its SIGXCPU): it, too, is demoted, not killed.
    priority::prepare().expect("set up again");
    let again = on_a_real_time_thread(|| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if !is_real_time() {
                return Some(start.elapsed());
            }
            std::hint::spin_loop();
        }
        None
    })
    .expect("granted again");
    assert!(
        again.is_some_and(|after| after < Duration::from_millis(400)),
        "{again:?}"
    );
    assert!(
        priority::take_demotion(),
        "the second stream's demotion is reported too"
    );
}
