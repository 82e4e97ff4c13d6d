//! Synthetic beat-to-beat series for the heart tests: a heart whose rate swings with a paced
//! breath (respiratory sinus arrhythmia), the swing largest at a planted resonance rate, plus
//! beat-to-beat noise, a slow wander, and planted artefacts (a missed beat doubles an interval,
//! an extra beat splits one).
//!
//! Its random numbers come from SplitMix64 written here rather than a crate's generator: the
//! committed fixture must come out byte for byte the same from this code whatever version of a
//! crate is built, and SplitMix64 is ten lines whose output is fixed by its definition.

use std::f64::consts::PI;

pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(f64::MIN_POSITIVE);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
    }
}

/// How the synthetic heart behaves.
#[derive(Clone, Debug)]
pub struct Heart {
    pub rates: Vec<f64>,
    pub minutes_each: f64,
    pub mean_bpm: f64,
    /// The rate (breaths a minute) at which the swing is largest; `None` plants no resonance:
    /// the same swing at every rate.
    pub resonance: Option<f64>,
    /// The heart's peak-to-trough swing per breath at resonance, beats a minute.
    pub peak_swing_bpm: f64,
    /// How far from resonance (breaths a minute) the swing falls to half.
    pub half_width: f64,
    /// Beat-to-beat noise on each interval, ms (standard deviation).
    pub noise_ms: f64,
    /// A slow wander of the rate (beats a minute, amplitude; period about 3 minutes).
    pub wander_bpm: f64,
    pub missed_beats: usize,
    pub extra_beats: usize,
    pub seed: u64,
}

impl Heart {
    /// A resonance test of 6.5 to 4.5 breaths a minute, two minutes each, resonance at 5.5.
    pub fn resonant_at_5_5(seed: u64) -> Heart {
        Heart {
            rates: vec![6.5, 6.0, 5.5, 5.0, 4.5],
            minutes_each: 2.0,
            mean_bpm: 66.0,
            resonance: Some(5.5),
            peak_swing_bpm: 16.0,
            half_width: 0.75,
            noise_ms: 12.0,
            wander_bpm: 2.0,
            missed_beats: 3,
            extra_beats: 2,
            seed,
        }
    }

    /// The planted peak-to-trough swing at `rate`.
    pub fn swing_at(&self, rate: f64) -> f64 {
        match self.resonance {
            Some(resonance) => {
                let off = (rate - resonance) / self.half_width;
                self.peak_swing_bpm / (1.0 + off * off)
            }
            None => self.peak_swing_bpm,
        }
    }

    /// The heart rate at `t` seconds from the start; the wander starts at `wander_phase`.
    fn rate_at(&self, t: f64, wander_phase: f64) -> f64 {
        let step_seconds = self.minutes_each * 60.0;
        let step = ((t / step_seconds) as usize).min(self.rates.len() - 1);
        let rate = self.rates[step];
        let into = t - step as f64 * step_seconds;
        // Heart rate rises as the breath comes in: a sine from the step's first inhale.
        let breath = (2.0 * PI * rate / 60.0 * into).sin();
        let wander = self.wander_bpm * (2.0 * PI * t / 190.0 + wander_phase).sin();
        self.mean_bpm + wander + self.swing_at(rate) / 2.0 * breath
    }
}

/// A synthetic recording and what was planted in it.
pub struct Recording {
    /// The intervals as a strap would have sent them, artefacts included (ms).
    pub rr_ms: Vec<f64>,
    /// The same heart with no artefacts (ms), for the values the analysis should find.
    pub clean_rr_ms: Vec<f64>,
    /// Where, in `rr_ms`, the doubled intervals of missed beats are.
    pub missed_at: Vec<usize>,
    /// Where, in `rr_ms`, the first halves of split intervals are.
    pub split_at: Vec<usize>,
}

impl Recording {
    /// Intervals dropped if every artefact is caught: one per missed beat, two per extra one.
    pub fn artefact_intervals(&self) -> usize {
        self.missed_at.len() + 2 * self.split_at.len()
    }
}

/// Beats from the heart's rate by integral pulse frequency modulation: a beat each time the
/// rate's integral passes a whole beat, then noise on each interval, then the artefacts.
pub fn record(heart: &Heart) -> Recording {
    let mut random = SplitMix64::new(heart.seed);
    // Where the slow wander starts differs with the seed, so that it favours no step.
    let wander_phase = 2.0 * PI * random.unit();
    let total = heart.minutes_each * 60.0 * heart.rates.len() as f64;
    let dt = 0.002;
    let (mut t, mut phase, mut last_beat) = (0.0, 0.0, 0.0);
    let mut clean_rr_ms = Vec::new();
    while t < total {
        phase += heart.rate_at(t, wander_phase) / 60.0 * dt;
        t += dt;
        if phase >= 1.0 {
            phase -= 1.0;
            let rr = (t - last_beat) * 1000.0 + heart.noise_ms * random.normal();
            last_beat = t;
            clean_rr_ms.push(rr.round());
        }
    }
    // Artefacts at distinct places at least 12 beats apart, away from the ends.
    let count = heart.missed_beats + heart.extra_beats;
    let mut places: Vec<usize> = Vec::new();
    while places.len() < count {
        let at = 20 + (random.unit() * (clean_rr_ms.len() - 40) as f64) as usize;
        if places.iter().all(|&p| p.abs_diff(at) >= 12) {
            places.push(at);
        }
    }
    let missed: Vec<usize> = places[..heart.missed_beats].to_vec();
    let mut rr_ms = Vec::with_capacity(clean_rr_ms.len() + count);
    let (mut missed_at, mut split_at) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < clean_rr_ms.len() {
        if missed.contains(&i) && i + 1 < clean_rr_ms.len() {
            missed_at.push(rr_ms.len());
            rr_ms.push(clean_rr_ms[i] + clean_rr_ms[i + 1]);
            i += 2;
            continue;
        }
        if places[heart.missed_beats..].contains(&i) {
            split_at.push(rr_ms.len());
            let first = (clean_rr_ms[i] * 0.4).round();
            rr_ms.push(first);
            rr_ms.push(clean_rr_ms[i] - first);
            i += 1;
            continue;
        }
        rr_ms.push(clean_rr_ms[i]);
        i += 1;
    }
    Recording {
        rr_ms,
        clean_rr_ms,
        missed_at,
        split_at,
    }
}

/// The text of an RR file of `recording`, with a comment saying how it was made.
pub fn rr_file_text(heart: &Heart, recording: &Recording) -> String {
    let mut text = format!(
        "# Synthetic resonance test made by tests/common/heart.rs (seed {}): {} min each at {:?} \
         breaths a minute,\n# resonance planted at {:?} (swing {} bpm), {} missed and {} extra \
         beats planted.\n",
        heart.seed,
        heart.minutes_each,
        heart.rates,
        heart.resonance,
        heart.peak_swing_bpm,
        heart.missed_beats,
        heart.extra_beats
    );
    for rr in &recording.rr_ms {
        text.push_str(&format!("{rr}\n"));
    }
    text
}

/// RMSSD (ms) of a series with nothing dropped.
pub fn rmssd_of(rr_ms: &[f64]) -> f64 {
    let squares: Vec<f64> = rr_ms.windows(2).map(|w| (w[1] - w[0]).powi(2)).collect();
    (squares.iter().sum::<f64>() / squares.len() as f64).sqrt()
}
