//! The one module that reads the clocks for the app. Everything else is handed time as a value,
//! so tests drive it and nothing depends on the real date or hour. The one exception is the
//! audio thread, which stamps its own feeds (`audio::stream`): it runs on the device's schedule
//! and must not wait on anything shared, and nothing it stamps reaches a screen or a file.
//!
//! Two clocks: a monotonic one (microseconds from a fixed start, never going back: what sessions,
//! cues and timeouts run on) and the wall clock in the local zone (dates, the time of day for
//! suggestions and reminders, when a session began).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::practice::Micros;

type Monotonic = Arc<dyn Fn() -> Micros + Send + Sync>;
type Wall = Arc<dyn Fn() -> jiff::Zoned + Send + Sync>;

/// Both clocks, cheap to clone and share between threads.
#[derive(Clone)]
pub struct Clocks {
    monotonic: Monotonic,
    wall: Wall,
}

impl Clocks {
    /// The system's clocks.
    pub fn system() -> Self {
        let epoch = Instant::now();
        Clocks {
            monotonic: Arc::new(move || epoch.elapsed().as_micros() as Micros),
            wall: Arc::new(jiff::Zoned::now),
        }
    }

    /// Clocks read from the functions given (tests).
    pub fn from_fns(
        monotonic: impl Fn() -> Micros + Send + Sync + 'static,
        wall: impl Fn() -> jiff::Zoned + Send + Sync + 'static,
    ) -> Self {
        Clocks {
            monotonic: Arc::new(monotonic),
            wall: Arc::new(wall),
        }
    }

    /// Monotonic time now, in microseconds from a fixed start.
    pub fn now(&self) -> Micros {
        (self.monotonic)()
    }

    /// The wall clock now, in the local time zone.
    pub fn wall(&self) -> jiff::Zoned {
        (self.wall)()
    }

    /// The local date and time now.
    pub fn local(&self) -> jiff::civil::DateTime {
        self.wall().datetime()
    }

    /// A deadline `after` from now on the monotonic clock.
    pub fn deadline(&self, after: Duration) -> Deadline {
        Deadline {
            clocks: self.clone(),
            at: self.now().saturating_add(after.as_micros() as Micros),
        }
    }
}

impl std::fmt::Debug for Clocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clocks").finish_non_exhaustive()
    }
}

/// A moment on the monotonic clock to wait until, at most.
pub struct Deadline {
    clocks: Clocks,
    at: Micros,
}

impl Deadline {
    pub fn passed(&self) -> bool {
        self.clocks.now() >= self.at
    }

    /// How long until the deadline (zero once it has passed).
    pub fn left(&self) -> Duration {
        Duration::from_micros(self.at.saturating_sub(self.clocks.now()))
    }
}

/// A wall clock fixed at one local time in UTC (tests and benchmarks).
pub fn fixed_wall(at: jiff::civil::DateTime) -> impl Fn() -> jiff::Zoned + Send + Sync + 'static {
    move || {
        at.to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap_or_else(|_| jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn a_deadline_passes_when_the_monotonic_clock_reaches_it() {
        let now = Arc::new(AtomicU64::new(5_000_000));
        let reading = Arc::clone(&now);
        let at = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
        let clocks = Clocks::from_fns(move || reading.load(Ordering::SeqCst), fixed_wall(at));
        let deadline = clocks.deadline(Duration::from_secs(2));
        assert!(!deadline.passed());
        assert_eq!(deadline.left(), Duration::from_secs(2));
        now.store(6_999_999, Ordering::SeqCst);
        assert!(!deadline.passed());
        assert_eq!(deadline.left(), Duration::from_micros(1));
        now.store(7_000_000, Ordering::SeqCst);
        assert!(deadline.passed());
        assert_eq!(deadline.left(), Duration::ZERO);
        now.store(9_000_000, Ordering::SeqCst);
        assert_eq!(deadline.left(), Duration::ZERO);
        assert_eq!(clocks.local(), at);
    }
}
