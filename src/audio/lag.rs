//! How far the listener has fallen behind the plan, read from the device's appetite against the
//! monotonic clock.
//!
//! A device that is fed on time takes frames exactly as fast as time passes, and right after
//! each feed it holds a full buffer: the frames written, less the frames that time says have
//! been played, come back to the same level at every feed. When the stream starves (an
//! underrun) the device plays silence, or stops and starts again, for a while; every frame
//! written after it is heard that much later, and that level drops by as much, for good. So
//! the drop is the lag, in frames, and the cue track jumps ahead by it to be back on plan.
//!
//! Only the highest level in each window counts: a feed that comes late (the machine is busy)
//! reads low for a moment, never high, and the window's best feed is on time. A lag is believed
//! only once two windows in a row agree, so one unlucky window moves nothing.
//!
//! Written here rather than taken from a crate: it is a few lines of arithmetic on what the
//! stream already counts, and no audio crate offers it.

use std::time::Duration;

/// Each window's best feed is one reading.
const WINDOW: Duration = Duration::from_millis(250);

/// A change of lag smaller than this is not made up. A device whose clock runs a few parts per
/// million apart from the system's reads as a lag that grows by a millisecond every half minute
/// or so; the device's clock is what is heard, so that moves nothing, while a starved stream's
/// silence (tens of milliseconds and more) is made up. (A rate estimate that tells the two apart
/// over a long session is issue 26's.)
const SMALLEST_CHANGE_MICROS: i64 = 4_000;

/// Follows one stream from its first feed.
#[derive(Debug)]
pub struct LagWatch {
    sample_rate: f64,
    window_start: Duration,
    /// The highest level (frames written less frames due) seen in the current window.
    window_best: Option<f64>,
    windows_closed: u32,
    /// The level of a stream on plan, from its second window (the first holds the stream's
    /// start, when a whole buffer is written before any is played).
    reference: Option<f64>,
    /// What the last closed window read, as a lag.
    last_reading: Option<f64>,
    lag_micros: i64,
}

impl LagWatch {
    pub fn new(sample_rate: u32) -> Self {
        LagWatch {
            sample_rate: f64::from(sample_rate.max(1)),
            window_start: Duration::ZERO,
            window_best: None,
            windows_closed: 0,
            reference: None,
            last_reading: None,
            lag_micros: 0,
        }
    }

    /// After a feed at `since_first_feed` (monotonic) that brought the frames written in all to
    /// `written`: the lag behind the plan, in microseconds (positive: heard late). It changes
    /// only when a window closes.
    pub fn observe(&mut self, since_first_feed: Duration, written: u64) -> i64 {
        let due = since_first_feed.as_secs_f64() * self.sample_rate;
        let level = written as f64 - due;
        if since_first_feed.saturating_sub(self.window_start) >= WINDOW {
            self.close_window();
            self.window_start = since_first_feed;
        }
        self.window_best = Some(self.window_best.map_or(level, |best| best.max(level)));
        self.lag_micros
    }

    fn close_window(&mut self) {
        let Some(best) = self.window_best.take() else {
            return;
        };
        self.windows_closed += 1;
        match self.reference {
            None if self.windows_closed >= 2 => self.reference = Some(best),
            None => {}
            Some(reference) => {
                let reading = reference - best;
                if let Some(previous) = self.last_reading {
                    // Two windows agree on the side and at least the smaller of the two.
                    let agreed = if reading.signum() == previous.signum() {
                        reading.signum() * reading.abs().min(previous.abs())
                    } else {
                        0.0
                    };
                    let lag = (agreed * 1_000_000.0 / self.sample_rate).round() as i64;
                    if (lag - self.lag_micros).abs() >= SMALLEST_CHANGE_MICROS {
                        self.lag_micros = lag;
                    }
                }
                self.last_reading = Some(reading);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;
    const BUFFER: u64 = 4_800;
    const PERIOD: u64 = 1_200;

    /// A device fed every 25 ms (a period), each feed topping the buffer up to full. `late`
    /// says how late each feed comes after the device made room; `gaps` are (at, length) of
    /// silences the device played while starved, in frames of time.
    fn run(seconds: f64, late: impl Fn(u64) -> u64, gaps: &[(u64, u64)]) -> Vec<(u64, i64)> {
        let mut watch = LagWatch::new(RATE);
        let mut readings = Vec::new();
        let total = (seconds * f64::from(RATE)) as u64;
        // The first feed fills the buffer before anything is played.
        let mut written = BUFFER;
        watch.observe(Duration::ZERO, written);
        let mut room_at = PERIOD;
        let mut feed = 0;
        while room_at < total {
            feed += 1;
            let at = room_at + late(feed);
            let lost: u64 = gaps.iter().filter(|(g, _)| *g < at).map(|(_, l)| l).sum();
            // Played when the device last made room, less the silences; then topped up to full.
            written = (room_at - lost) + BUFFER;
            let lag = watch.observe(
                Duration::from_secs_f64(at as f64 / f64::from(RATE)),
                written,
            );
            readings.push((at, lag));
            room_at += PERIOD;
        }
        readings
    }

    fn last_lag(readings: &[(u64, i64)]) -> i64 {
        readings.last().map_or(0, |r| r.1)
    }

    #[test]
    fn a_stream_fed_on_time_is_on_plan() {
        assert!(run(10.0, |_| 0, &[]).iter().all(|(_, lag)| *lag == 0));
    }

    #[test]
    fn a_stream_fed_late_but_never_starved_stays_on_plan() {
        // Every feed but one in five comes 0.5 to 9 ms late (a busy machine).
        let readings = run(
            20.0,
            |n| if n % 5 == 0 { 0 } else { 24 + (n * 37) % 430 },
            &[],
        );
        assert!(readings.iter().all(|(_, lag)| *lag == 0), "{readings:?}");
    }

    #[test]
    fn a_starved_stream_reads_its_silence_as_lag_once_two_windows_agree() {
        // 12 ms of silence at 5 s.
        let readings = run(10.0, |_| 0, &[(240_000, 576)]);
        let at = |frame: u64| {
            readings
                .iter()
                .rfind(|(at, _)| *at <= frame)
                .map_or(0, |r| r.1)
        };
        assert_eq!(at(239_000), 0, "nothing before the gap");
        assert_eq!(last_lag(&readings), 12_000);
        // Believed within three windows of the gap.
        assert_eq!(at(240_000 + 3 * 12_000 + PERIOD), 12_000);
        // Two gaps add up.
        let readings = run(10.0, |_| 0, &[(120_000, 576), (300_000, 240)]);
        assert_eq!(last_lag(&readings), 17_000);
    }

    #[test]
    fn one_unlucky_window_moves_nothing() {
        // All the feeds of one window come 20 ms late, then the machine is quiet again.
        let window = |n: u64| (n * PERIOD) / 12_000;
        let readings = run(10.0, |n| if window(n) == 6 { 960 } else { 0 }, &[]);
        assert!(readings.iter().all(|(_, lag)| *lag == 0), "{readings:?}");
    }

    #[test]
    fn a_device_a_little_slower_than_the_clock_moves_nothing_but_a_stop_is_made_up() {
        // A device 100 ppm slow: after 30 s it has played 144 frames (3 ms) fewer than time
        // says. Its clock is what is heard: no jump.
        let mut watch = LagWatch::new(RATE);
        let mut lag = 0;
        let mut jumps = 0;
        for feed in 0..(30 * 40) {
            let seconds = f64::from(feed) / 40.0;
            let played = (seconds * f64::from(RATE) * (1.0 - 100e-6)) as u64;
            let now = watch.observe(Duration::from_secs_f64(seconds), played + BUFFER);
            jumps += usize::from(now != lag);
            lag = now;
        }
        assert_eq!((lag, jumps), (0, 0));
        // Then the device stops for 100 ms (4,800 frames): that is made up.
        for feed in (30 * 40)..(32 * 40) {
            let seconds = f64::from(feed) / 40.0;
            let played = (seconds * f64::from(RATE) * (1.0 - 100e-6)) as u64 - 4_800;
            lag = watch.observe(Duration::from_secs_f64(seconds), played + BUFFER);
        }
        assert!((100_000..=104_000).contains(&lag), "{lag}");
    }
}
