//! The one fixed clock of the window and app tests (also included by `benches/frames.rs`): a
//! monotonic clock that moves only when a test advances it, and a local time (in UTC) that a
//! test sets. Unless a test says otherwise it is Monday 23 November 2026, 21:00.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use downshift::app::Now;
use downshift::clock::{Clocks, fixed_wall};
use downshift::practice::{MICROS_PER_SECOND, Micros};
use jiff::civil::{Date, DateTime};

/// The tests' today: a Monday.
pub const TODAY: Date = jiff::civil::date(2026, 11, 23);

/// Where the monotonic clock starts: well past zero, as a system's has been running a while.
pub const MONO_START: Micros = 1_000 * MICROS_PER_SECOND;

/// Today at this local time.
pub fn today_at(hour: i8, minute: i8) -> DateTime {
    TODAY.at(hour, minute, 0, 0)
}

/// The date `days` after today (before it when negative).
pub fn day(days: i32) -> Date {
    TODAY
        .checked_add(jiff::Span::new().days(days))
        .expect("a date in range")
}

/// The wall clock's reading at this local time (the zone is UTC).
pub fn wall(local: DateTime) -> jiff::Zoned {
    fixed_wall(local)()
}

/// A moment for the app without a window: this local time, `mono` into the monotonic clock.
pub fn now_at(local: DateTime, mono: Micros) -> Now {
    Now {
        mono,
        wall: wall(local),
    }
}

/// Both clocks, shared by every copy: what the test sets, the app reads.
#[derive(Clone)]
pub struct TestClock {
    mono: Arc<AtomicU64>,
    local: Arc<Mutex<DateTime>>,
}

impl Default for TestClock {
    fn default() -> Self {
        TestClock::at(today_at(21, 0))
    }
}

impl TestClock {
    /// Today at 21:00.
    pub fn new() -> Self {
        TestClock::default()
    }

    /// At this local time, the monotonic clock at [`MONO_START`].
    pub fn at(local: DateTime) -> Self {
        TestClock {
            mono: Arc::new(AtomicU64::new(MONO_START)),
            local: Arc::new(Mutex::new(local)),
        }
    }

    /// Moves the monotonic clock on (the local time stays where it was set).
    pub fn advance(&self, micros: Micros) {
        self.mono.fetch_add(micros, Ordering::SeqCst);
    }

    pub fn set_local(&self, to: DateTime) {
        *self.local.lock().expect("local time") = to;
    }

    pub fn local(&self) -> DateTime {
        *self.local.lock().expect("local time")
    }

    pub fn mono(&self) -> Micros {
        self.mono.load(Ordering::SeqCst)
    }

    /// The clocks to hand to the app: they read this clock as the test moves it.
    pub fn clocks(&self) -> Clocks {
        let mono = Arc::clone(&self.mono);
        let local = Arc::clone(&self.local);
        Clocks::from_fns(
            move || mono.load(Ordering::SeqCst),
            move || wall(*local.lock().expect("local time")),
        )
    }

    /// This clock's reading, as the app is handed it.
    pub fn now(&self) -> Now {
        now_at(self.local(), self.mono())
    }
}
