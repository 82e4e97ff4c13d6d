//! The heart rate's low-frequency power (0.04 to 0.15 Hz, where slow breathing drives it) over
//! a whole stretch of time, and the frequency of its peak.
//!
//! The beats' heart rates are resampled evenly at 4 Hz by linear interpolation (beats come
//! about once a second and the band ends at 0.15 Hz, so a straight line between beats loses
//! under 2 % of a swing's amplitude there), the straight-line trend is taken out, a Hann window
//! applied, and one periodogram taken over the whole stretch with `rustfft`, zero-padded to 4096
//! points (0.001 Hz apart) to place the peak. One periodogram, not Welch's average of short
//! ones: two minutes give a resolution of 1/120 Hz, just what tells 5.5 breaths a minute from
//! 6.0 (0.0917 from 0.1 Hz); 30-second segments could not.

use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

use super::clean::CleanBeat;
use crate::practice::{Micros, micros_to_seconds};

pub const RESAMPLE_HZ: f64 = 4.0;
pub const LOW_FREQUENCY_BAND: (f64, f64) = (0.04, 0.15);
/// At least this many points in the transform (zero-padded).
const TRANSFORM_POINTS: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LowFrequency {
    /// The heart rate's power in the band, in (beats a minute)²: its variance there.
    pub power: f64,
    /// Where in the band the power peaks, in Hz.
    pub peak_hz: f64,
}

impl LowFrequency {
    /// The peak as breaths a minute.
    pub fn peak_per_minute(&self) -> f64 {
        self.peak_hz * 60.0
    }
}

/// The low-frequency power of the heart rate over `span`, from the clean beats in it (and the
/// nearest ones either side, to interpolate the ends). `None` with fewer than two beats or a
/// span under 25 s (less than one cycle of the band's lowest frequency).
pub fn low_frequency(beats: &[CleanBeat], span: std::ops::Range<Micros>) -> Option<LowFrequency> {
    let seconds = micros_to_seconds(span.end.saturating_sub(span.start));
    if seconds < 1.0 / LOW_FREQUENCY_BAND.0 {
        return None;
    }
    let count = (seconds * RESAMPLE_HZ).floor() as usize;
    let samples = resample(beats, span.start, count)?;
    let detrended = detrend(&samples);
    let window: Vec<f64> = (0..count)
        .map(|n| {
            let x = std::f64::consts::PI * 2.0 * n as f64 / count as f64;
            0.5 * (1.0 - x.cos())
        })
        .collect();
    let window_energy: f64 = window.iter().map(|w| w * w).sum();
    let points = count.next_power_of_two().max(TRANSFORM_POINTS);
    let mut buffer: Vec<Complex<f64>> = detrended
        .iter()
        .zip(&window)
        .map(|(x, w)| Complex::new(x * w, 0.0))
        .chain(std::iter::repeat(Complex::new(0.0, 0.0)))
        .take(points)
        .collect();
    FftPlanner::new()
        .plan_fft_forward(points)
        .process(&mut buffer);
    let spacing = RESAMPLE_HZ / points as f64;
    let (low, high) = LOW_FREQUENCY_BAND;
    let mut power = 0.0;
    let mut peak = (0.0, f64::MIN);
    for (k, value) in buffer.iter().enumerate().take(points / 2).skip(1) {
        let frequency = k as f64 * spacing;
        if frequency < low || frequency > high {
            continue;
        }
        // One-sided density: the negative frequencies' half counted here too.
        let density = 2.0 * value.norm_sqr() / (RESAMPLE_HZ * window_energy);
        power += density * spacing;
        if density > peak.1 {
            peak = (frequency, density);
        }
    }
    Some(LowFrequency {
        power,
        peak_hz: peak.0,
    })
}

/// The heart rate at `count` instants 0.25 s apart from `start`, linear between beats and held
/// level beyond the first and last.
fn resample(beats: &[CleanBeat], start: Micros, count: usize) -> Option<Vec<f64>> {
    if beats.len() < 2 {
        return None;
    }
    let times: Vec<f64> = beats.iter().map(|b| micros_to_seconds(b.at)).collect();
    let rates: Vec<f64> = beats.iter().map(CleanBeat::heart_rate).collect();
    let origin = micros_to_seconds(start);
    let mut next = 0;
    Some(
        (0..count)
            .map(|n| {
                let t = origin + n as f64 / RESAMPLE_HZ;
                while next < times.len() && times[next] <= t {
                    next += 1;
                }
                match next {
                    0 => rates[0],
                    n if n == times.len() => rates[n - 1],
                    n => {
                        let (t0, t1) = (times[n - 1], times[n]);
                        let f = (t - t0) / (t1 - t0);
                        rates[n - 1] + f * (rates[n] - rates[n - 1])
                    }
                }
            })
            .collect(),
    )
}

/// The samples less their least-squares straight line.
fn detrend(samples: &[f64]) -> Vec<f64> {
    let n = samples.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = samples.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in samples.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    samples
        .iter()
        .enumerate()
        .map(|(i, y)| y - mean_y - slope * (i as f64 - mean_x))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::clean::{clean, intervals_from};

    /// Beats of a heart whose rate is `rate(t)`, for `seconds`.
    fn beats_of(rate: impl Fn(f64) -> f64, seconds: f64) -> Vec<CleanBeat> {
        let mut rr = Vec::new();
        let mut t = 0.0;
        while t < seconds {
            let interval = 60.0 / rate(t);
            rr.push(interval * 1000.0);
            t += interval;
        }
        clean(&intervals_from(0, &rr)).beats
    }

    #[test]
    fn a_swing_at_the_breath_shows_as_its_power_at_the_breathing_rate() {
        // 5.5 breaths a minute, heart rate 70 ± 6 with a slow drift of 4 beats a minute.
        let hz = 5.5 / 60.0;
        let beats = beats_of(
            |t| 70.0 + 4.0 * t / 120.0 + 6.0 * (2.0 * std::f64::consts::PI * hz * t).sin(),
            125.0,
        );
        let lf = low_frequency(&beats, 0..120_000_000).expect("a spectrum");
        assert!((lf.peak_per_minute() - 5.5).abs() < 0.1, "peak {lf:?}");
        // A sine of amplitude 6 has variance 18; the drift is taken out.
        assert!((lf.power - 18.0).abs() < 2.0, "power {lf:?}");
    }

    #[test]
    fn a_steady_heart_has_no_low_frequency_power() {
        let beats = beats_of(|_| 64.0, 130.0);
        let lf = low_frequency(&beats, 0..120_000_000).expect("a spectrum");
        assert!(lf.power < 1e-6, "{lf:?}");
    }

    #[test]
    fn two_minutes_tell_five_and_a_half_from_six() {
        for rate in [4.5, 5.0, 5.5, 6.0, 6.5] {
            let hz = rate / 60.0;
            let beats = beats_of(
                |t| 68.0 + 5.0 * (2.0 * std::f64::consts::PI * hz * t).sin(),
                121.0,
            );
            let lf = low_frequency(&beats, 0..120_000_000).expect("a spectrum");
            assert!(
                (lf.peak_per_minute() - rate).abs() < 0.15,
                "{rate}: peak at {}",
                lf.peak_per_minute()
            );
        }
    }

    #[test]
    fn too_little_is_no_spectrum() {
        let beats = beats_of(|_| 60.0, 60.0);
        assert_eq!(low_frequency(&beats[..1], 0..60_000_000), None);
        assert_eq!(low_frequency(&beats, 0..20_000_000), None);
    }
}
