//! The device stream, opened here rather than by rodio so that downshift knows how far ahead of
//! the listener each frame it writes is (cpal's playback timestamp), so the screen shows what is
//! heard rather than what waits in the buffer; how much the device has taken (a stream that
//! takes nothing for long is lost, one that is merely starved is not); and its underruns.
//!
//! The buffer is chosen for robustness, not latency ([`BUFFER_SECONDS`]): cues are known ahead
//! and the screen follows what is heard, so a long buffer costs nothing in timing, and it rides
//! out a busy machine.
//!
//! The device is reached through the sound server's own protocol where there is a PulseAudio
//! server (PipeWire's pipewire-pulse is one): cpal's PulseAudio host, which takes what the
//! server asks for when it asks. ALSA's PulseAudio plugin, the other way in, restarts a starved
//! stream only after about two seconds and on PipeWire feeds in blocks that beat against the
//! server's (README, "Performance"); it is kept for where the native way cannot connect (no
//! server, or PipeWire refusing a client without a PulseAudio cookie file), and for plain ALSA.

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, FromSample, SizedSample};
use rodio::mixer::Mixer;

/// How much sound is queued ahead of the listener: a tenth of a second, twice rodio's default.
pub const BUFFER_SECONDS: f64 = 0.1;

/// When what is being written will be heard, shared with the sources on the audio thread.
#[derive(Debug, Default)]
pub struct StreamTiming {
    /// How many frames are queued ahead of the one being heard now (the frame being written
    /// included).
    ahead_frames: AtomicU64,
    /// Frames the device has taken in all: it is alive while this grows.
    taken: AtomicU64,
    /// The audio thread asked for real-time scheduling, and whether it got it.
    priority_asked: AtomicBool,
    /// Underruns the device reported (cpal's `Xrun`; its PulseAudio host reports none).
    underruns: AtomicU64,
    /// Breaks in the device's sound the lag watch found and the cues made up.
    breaks: AtomicU64,
    /// How far behind the plan the listener is, in microseconds ([`super::lag`]): what the cue
    /// track has to catch up.
    lag_micros: AtomicI64,
}

impl StreamTiming {
    pub fn ahead_frames(&self) -> u64 {
        self.ahead_frames.load(Ordering::Acquire)
    }

    pub fn frames_taken(&self) -> u64 {
        self.taken.load(Ordering::Acquire)
    }

    /// Times the stream starved: the underruns the device reported, or where it reports none,
    /// the breaks in its sound that were made up.
    pub fn underruns(&self) -> u64 {
        self.underruns
            .load(Ordering::Acquire)
            .max(self.breaks.load(Ordering::Acquire))
    }

    /// How far behind the plan what is written now will be heard, in microseconds, from every
    /// underrun since the stream opened (negative: ahead, a device slower than the clock).
    pub fn lag_micros(&self) -> i64 {
        self.lag_micros.load(Ordering::Acquire)
    }

    /// For tests: the listener has fallen `micros` behind the plan.
    pub fn set_lag_for_test(&self, micros: i64) {
        self.lag_micros.store(micros, Ordering::Release);
    }

    /// For tests: the frame being written will be heard `ahead` frames from now.
    pub fn set_ahead_for_test(&self, ahead: u64) {
        self.ahead_frames.store(ahead, Ordering::Release);
    }
}

/// An open device stream and the mixer feeding it.
pub struct DeviceStream {
    // Kept for as long as the sound plays.
    _stream: cpal::Stream,
    pub mixer: Mixer,
    pub timing: Arc<StreamTiming>,
    pub sample_rate: u32,
    pub channels: NonZero<u16>,
    /// The buffer asked for, in frames (when the device refused it and took its own, only an
    /// estimate of what it holds).
    pub buffer_frames: u32,
    /// The way to the device, for the log: "PulseAudio" or "ALSA".
    pub host: &'static str,
}

/// The default output device as `open` would find it, for `downshift doctor`: its name and the
/// format it offers ("default (ALSA): 44100 Hz, 2 channels, f32"), or why there is none. Opens no
/// stream.
pub fn describe_default() -> Result<String, String> {
    let host = preferred_host()?;
    let device = host
        .default_output_device()
        .ok_or_else(|| format!("no output device ({})", host.id().name()))?;
    let name = device
        .description()
        .map(|description| description.name().to_owned())
        .unwrap_or_else(|e| format!("a device with no name ({e})"));
    let config = device
        .default_output_config()
        .map_err(|e| format!("{name} ({}): not usable: {e}", host.id().name()))?;
    Ok(format!(
        "{name} ({}): {} Hz, {} channels, {}",
        host.id().name(),
        config.sample_rate(),
        config.channels(),
        config.sample_format()
    ))
}

/// The host `open` tries first: the PulseAudio server's own protocol where cpal has it (its
/// default host), or ALSA when `DOWNSHIFT_SOUND_HOST=alsa`.
fn preferred_host() -> Result<cpal::Host, String> {
    if std::env::var_os("DOWNSHIFT_SOUND_HOST").is_some_and(|h| h == "alsa") {
        cpal::host_from_id(cpal::HostId::Alsa).map_err(|e| e.to_string())
    } else {
        Ok(cpal::default_host())
    }
}

/// Opens the default output device: through the PulseAudio server where one answers (cpal's
/// default host when built with its PulseAudio host), else through ALSA.
/// `DOWNSHIFT_SOUND_HOST=alsa` asks for ALSA alone (a way round a server the native protocol
/// does not suit; the sound measurements compare the two ways with it).
pub fn open(on_error: impl FnMut(cpal::Error) + Send + 'static) -> Result<DeviceStream, String> {
    // The callback's error handler, shared by every attempt below.
    let on_error = Arc::new(std::sync::Mutex::new(on_error));
    let preferred = preferred_host()?;
    let first = open_on(&preferred, &on_error);
    if first.is_ok() || preferred.id() == cpal::HostId::Alsa {
        return first;
    }
    let alsa = cpal::host_from_id(cpal::HostId::Alsa).map_err(|e| e.to_string())?;
    open_on(&alsa, &on_error).map_err(|alsa_error| {
        format!(
            "{} ({}); {alsa_error} (ALSA)",
            first.err().unwrap_or_default(),
            preferred.id().name()
        )
    })
}

type SharedErrorHandler<E> = Arc<std::sync::Mutex<E>>;

fn open_on<E: FnMut(cpal::Error) + Send + 'static>(
    host: &cpal::Host,
    on_error: &SharedErrorHandler<E>,
) -> Result<DeviceStream, String> {
    let host_name = host.id().name();
    let device = host
        .default_output_device()
        .ok_or_else(|| "no output device".to_owned())?;
    let supported = device.default_output_config().map_err(|e| e.to_string())?;
    let sample_rate = supported.sample_rate();
    let channels = NonZero::new(supported.channels()).ok_or("a device with no channels")?;
    let rate = NonZero::new(sample_rate).ok_or("a device with no sample rate")?;
    let wanted = (f64::from(sample_rate) * BUFFER_SECONDS) as u32;
    let buffer_frames = match supported.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => wanted.clamp(*min, *max),
        cpal::SupportedBufferSize::Unknown => wanted,
    };
    let timing = Arc::new(StreamTiming::default());
    let format = supported.sample_format();
    let attempt = |buffer_size: cpal::BufferSize| {
        let mut config = supported.config();
        config.buffer_size = buffer_size;
        let (mixer, source) = rodio::mixer::mixer(channels, rate);
        let feed = Feed {
            source,
            timing: Arc::clone(&timing),
            channels: usize::from(channels.get()),
            sample_rate: u64::from(sample_rate),
            first_feed: None,
            lag: super::lag::LagWatch::new(sample_rate),
        };
        let on_error = {
            let timing = Arc::clone(&timing);
            let on_error = Arc::clone(on_error);
            // Runs when the stream reports trouble, on one of cpal's threads (never inside the
            // data callback): only one attempt's stream is ever alive, so the lock is taken by
            // its threads alone.
            move |error: cpal::Error| {
                if error.kind() == cpal::ErrorKind::Xrun {
                    timing.underruns.fetch_add(1, Ordering::AcqRel);
                }
                if let Ok(mut on_error) = on_error.lock() {
                    on_error(error);
                }
            }
        };
        use cpal::SampleFormat as F;
        let stream = match format {
            F::F32 => build::<f32>(&device, config, feed, on_error),
            F::F64 => build::<f64>(&device, config, feed, on_error),
            F::I8 => build::<i8>(&device, config, feed, on_error),
            F::I16 => build::<i16>(&device, config, feed, on_error),
            F::I32 => build::<i32>(&device, config, feed, on_error),
            F::I64 => build::<i64>(&device, config, feed, on_error),
            F::U8 => build::<u8>(&device, config, feed, on_error),
            F::U16 => build::<u16>(&device, config, feed, on_error),
            F::U32 => build::<u32>(&device, config, feed, on_error),
            F::U64 => build::<u64>(&device, config, feed, on_error),
            other => {
                return Err(format!(
                    "the device's sample format {other} is not supported"
                ));
            }
        };
        stream
            .map(|stream| (stream, mixer))
            .map_err(|e| e.to_string())
    };
    // The longer buffer where the device takes it; else the device's own (as rodio opens it).
    let (stream, mixer, buffer_frames) = match attempt(cpal::BufferSize::Fixed(buffer_frames)) {
        Ok((stream, mixer)) => (stream, mixer, buffer_frames),
        Err(e) => {
            log::info!(
                "the sound device refused a {buffer_frames}-frame buffer ({e}); using its own"
            );
            let (stream, mixer) = attempt(cpal::BufferSize::Default)?;
            (stream, mixer, buffer_frames)
        }
    };
    stream.play().map_err(|e| e.to_string())?;
    Ok(DeviceStream {
        _stream: stream,
        mixer,
        timing,
        sample_rate,
        channels,
        buffer_frames,
        host: host_name,
    })
}

/// What the audio thread runs: the mixer, and the timing of each frame it writes.
struct Feed {
    source: rodio::mixer::MixerSource,
    timing: Arc<StreamTiming>,
    channels: usize,
    sample_rate: u64,
    /// When the device first asked for sound.
    first_feed: Option<Instant>,
    lag: super::lag::LagWatch,
}

impl Feed {
    fn fill<T: SizedSample + FromSample<f32>>(
        &mut self,
        data: &mut [T],
        info: &cpal::OutputCallbackInfo,
    ) {
        if !self.timing.priority_asked.swap(true, Ordering::AcqRel) {
            super::priority::raise_this_thread();
        }
        let now = Instant::now();
        let first_feed = *self.first_feed.get_or_insert(now);
        let stamp = info.timestamp();
        let latency = stamp.playback.saturating_duration_since(stamp.callback);
        let latency_frames =
            (latency.as_nanos() as u64).saturating_mul(self.sample_rate) / 1_000_000_000;
        for (index, frame) in data.chunks_mut(self.channels).enumerate() {
            let index = index as u64;
            self.timing
                .ahead_frames
                .store(latency_frames + index, Ordering::Release);
            for sample in frame {
                *sample = self
                    .source
                    .next()
                    .map_or(T::EQUILIBRIUM, <T as cpal::Sample>::from_sample);
            }
        }
        let frames = (data.len() / self.channels.max(1)) as u64;
        let taken = self.timing.taken.fetch_add(frames, Ordering::AcqRel) + frames;
        let lag = self
            .lag
            .observe(now.saturating_duration_since(first_feed), taken);
        if lag != self.timing.lag_micros() {
            self.timing.lag_micros.store(lag, Ordering::Release);
            self.timing
                .breaks
                .store(self.lag.breaks(), Ordering::Release);
        }
    }
}

fn build<T: SizedSample + FromSample<f32>>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    mut feed: Feed,
    on_error: impl FnMut(cpal::Error) + Send + 'static,
) -> Result<cpal::Stream, cpal::Error> {
    device.build_output_stream::<T, _, _>(
        config,
        move |data: &mut [T], info: &cpal::OutputCallbackInfo| feed.fill(data, info),
        on_error,
        None,
    )
}
