//! The sound device and the live cue stream. The stream's own sample count is the session's
//! clock while it plays; the app talks to it only through atomics.

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use rodio::{ChannelCount, SampleRate, Source};

use super::stream::{DeviceStream, StreamTiming};
use super::track::CueTrack;

const NO_SEEK: u64 = u64::MAX;
const NOT_STOPPING: u64 = u64::MAX;

/// What the app and the audio thread share about one session's cue stream.
#[derive(Debug)]
pub struct SessionControl {
    paused: AtomicBool,
    muted: AtomicBool,
    /// The session went on without this stream: it closes at once, silently.
    abandoned: AtomicBool,
    /// The timeline frame after which no cue starts (`NOT_STOPPING` while the session runs).
    stop_at: AtomicU64,
    volume_bits: AtomicU32,
    seek_to: AtomicU64,
    /// The timeline frame the stream has reached.
    position: AtomicU64,
    done: AtomicBool,
}

impl SessionControl {
    pub fn new(volume: f32, muted: bool) -> Self {
        SessionControl {
            paused: AtomicBool::new(false),
            abandoned: AtomicBool::new(false),
            muted: AtomicBool::new(muted),
            stop_at: AtomicU64::new(NOT_STOPPING),
            volume_bits: AtomicU32::new(volume.clamp(0.0, 1.0).to_bits()),
            seek_to: AtomicU64::new(NO_SEEK),
            position: AtomicU64::new(0),
            done: AtomicBool::new(false),
        }
    }

    /// A control for a stream that waits, paused and silent, until it is put in place (a seek)
    /// and let go (`set_paused(false)`).
    pub fn waiting(volume: f32, muted: bool) -> Self {
        let control = SessionControl::new(volume, muted);
        control.paused.store(true, Ordering::Release);
        control
    }

    /// The stream is not wanted any more: it ends at once, whatever it was playing.
    pub fn abandon(&self) {
        self.abandoned.store(true, Ordering::Release);
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Release);
    }

    pub fn set_muted(&self, muted: bool) {
        self.muted.store(muted, Ordering::Release);
    }

    pub fn set_volume(&self, volume: f32) {
        let volume = if volume.is_finite() {
            volume.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.volume_bits.store(volume.to_bits(), Ordering::Release);
    }

    /// Moves the stream to a timeline frame (skip step, joining a session). Its position reads
    /// as that frame at once, so the screen never follows where the stream was before.
    pub fn seek(&self, frame: u64) {
        self.seek_to.store(frame, Ordering::Release);
        self.position.store(frame, Ordering::Release);
    }

    /// A seek has been asked for and not yet carried out by the stream.
    pub fn is_seeking(&self) -> bool {
        self.seek_to.load(Ordering::Acquire) != NO_SEEK
    }

    /// Ends the session's sound at timeline frame `frame`: cues up to it still play (the
    /// closing bell of a finished practice), none after; what rings dies away, then the stream
    /// closes.
    pub fn stop_at(&self, frame: u64) {
        self.stop_at.store(frame, Ordering::Release);
        // Time must move for the stream to reach its stop.
        self.paused.store(false, Ordering::Release);
    }

    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::Acquire)
    }

    pub fn is_muted(&self) -> bool {
        self.muted.load(Ordering::Acquire)
    }

    pub fn volume(&self) -> f32 {
        f32::from_bits(self.volume_bits.load(Ordering::Acquire))
    }

    /// The timeline frame after which no cue starts, once the session has ended.
    pub fn stops_at(&self) -> Option<u64> {
        Some(self.stop_at.load(Ordering::Acquire)).filter(|&frame| frame != NOT_STOPPING)
    }

    /// The timeline frame being rendered now.
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::Acquire)
    }

    /// The stream has closed (after `stop_at`).
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

/// A lag bigger than this is not a starved stream but downshift itself stopped (Ctrl+Z, a
/// debugger, SIGSTOP): like a pause, the plan waited too, and nothing is jumped over.
const CATCH_UP_AT_MOST: i64 = 10_000_000;

/// The rodio source that plays a cue track under a session's control.
pub struct CueSource {
    track: CueTrack,
    control: Arc<SessionControl>,
    channels: ChannelCount,
    sample_rate: SampleRate,
    channel: u16,
    current: f32,
    /// Smoothed gain, so mute and volume changes glide instead of clicking.
    gain: f32,
    /// How far ahead of the listener the device's queue is; none in tests of the track alone.
    timing: Option<Arc<StreamTiming>>,
    /// How much of the stream's lag ([`StreamTiming::lag_micros`]) this track has made up.
    lag_made_up: i64,
    /// Frames still to be held back (a device slower than the clock).
    holding: u64,
}

impl CueSource {
    pub fn new(track: CueTrack, control: Arc<SessionControl>, channels: ChannelCount) -> Self {
        let rate = NonZero::new(track.sample_rate()).unwrap_or(NonZero::<u32>::MIN);
        // Start at the set volume, so the very first cue is as loud as the rest.
        let gain = if control.muted.load(Ordering::Acquire) {
            0.0
        } else {
            f32::from_bits(control.volume_bits.load(Ordering::Acquire))
        };
        CueSource {
            track,
            control,
            channels,
            sample_rate: rate,
            channel: 0,
            current: 0.0,
            gain,
            timing: None,
            lag_made_up: 0,
            holding: 0,
        }
    }

    /// Reports what the listener hears (the track's place less what is queued ahead of them)
    /// rather than what is being written.
    /// It also follows the stream's lag: whatever the stream fell behind from now on, the track
    /// makes up, so the cues stay on plan.
    pub fn reporting_heard(mut self, timing: Arc<StreamTiming>) -> Self {
        self.lag_made_up = timing.lag_micros();
        self.timing = Some(timing);
        self
    }

    /// Makes up what the stream has fallen behind (or runs ahead) since the last look, once it
    /// is worth a jump: a millisecond. While paused or waiting to join, time stands still on
    /// the plan too, so a lag then is only taken note of.
    fn follow_lag(&mut self, advancing: bool) {
        let Some(timing) = &self.timing else {
            return;
        };
        let lag = timing.lag_micros();
        let owed = lag - self.lag_made_up;
        if owed.abs() < 1_000 {
            return;
        }
        self.lag_made_up = lag;
        if !advancing || owed.abs() > CATCH_UP_AT_MOST {
            return;
        }
        let rate = self.track.sample_rate();
        let frames = super::track::micros_to_frame(owed.unsigned_abs(), rate);
        if owed > 0 {
            // Holding back and catching up cancel out.
            let jump = frames.saturating_sub(self.holding);
            self.holding = self.holding.saturating_sub(frames);
            self.track.catch_up(jump);
        } else {
            self.holding += frames;
        }
    }

    fn next_mono(&mut self) -> Option<f32> {
        let control = &self.control;
        if control.abandoned.load(Ordering::Acquire) {
            control.done.store(true, Ordering::Release);
            return None;
        }
        if self.track.position() > control.stop_at.load(Ordering::Acquire) {
            self.track.stop_cues();
            if self.track.is_done() {
                control.done.store(true, Ordering::Release);
                return None;
            }
        }
        // Paused is read before the seek is taken: a session joining stores its place, then
        // lets go, so a stream seen let go has its place too.
        let advance = !control.paused.load(Ordering::Acquire);
        let seek = control.seek_to.swap(NO_SEEK, Ordering::AcqRel);
        if seek != NO_SEEK {
            self.track.seek(seek);
        }
        self.follow_lag(advance);
        let sample = if advance && self.holding > 0 {
            self.holding -= 1;
            self.track.held_frame()
        } else {
            self.track.next_frame(advance)
        };
        // What the listener hears now: the frames still queued ahead of them are not yet heard.
        let ahead = self.timing.as_ref().map_or(0, |t| t.ahead_frames());
        self.control.position.store(
            self.track.position().saturating_sub(ahead),
            Ordering::Release,
        );
        let control = &self.control;
        let target = if control.muted.load(Ordering::Acquire) {
            0.0
        } else {
            f32::from_bits(control.volume_bits.load(Ordering::Acquire))
        };
        // About 5 ms to settle at 48 kHz.
        self.gain += (target - self.gain) * 0.004;
        Some(sample * self.gain)
    }
}

impl Iterator for CueSource {
    type Item = rodio::Sample;

    fn next(&mut self) -> Option<Self::Item> {
        if self.channel == 0 {
            self.current = self.next_mono()?;
        }
        self.channel = (self.channel + 1) % self.channels.get();
        Some(self.current)
    }
}

impl Source for CueSource {
    // None: one endless span, so rodio never rebuilds its converter on the audio thread.
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.sample_rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// Signs of trouble from the device, set on the audio thread.
#[derive(Debug, Default)]
struct DeviceHealth {
    lost: AtomicBool,
    errors: AtomicU32,
    last_kind: AtomicU32,
}

/// A number for each kind of device error, so the audio thread can hand it over in an atomic.
fn kind_code(kind: rodio::cpal::ErrorKind) -> u32 {
    use rodio::cpal::ErrorKind;
    match kind {
        ErrorKind::DeviceNotAvailable => 1,
        ErrorKind::StreamInvalidated => 2,
        ErrorKind::Xrun => 3,
        ErrorKind::BackendError => 4,
        ErrorKind::DeviceBusy => 5,
        _ => 9,
    }
}

/// Without the device taking anything for this long, while downshift itself ran, it is lost.
const STALL_MEANS_LOST: u64 = 2_000_000;
/// A watch later than this after the last one means downshift itself was not running (the
/// machine asleep, the process stopped or starved): that time does not count as a stall.
const WATCH_GAP_MAX: u64 = 1_000_000;

/// Tells starvation from loss: the device is lost only when it has taken nothing for
/// [`STALL_MEANS_LOST`] of time in which downshift was running to see it.
#[derive(Debug, Default)]
pub struct StallWatch {
    last: Option<(u64, u64)>,
    stalled: u64,
}

impl StallWatch {
    /// At `now` (monotonic microseconds) the device has taken `taken` frames in all; whether
    /// it counts as lost.
    pub fn observe(&mut self, now: u64, taken: u64) -> bool {
        if let Some((at, before)) = self.last {
            let gap = now.saturating_sub(at);
            if taken != before {
                self.stalled = 0;
            } else if gap <= WATCH_GAP_MAX {
                self.stalled += gap;
            }
        }
        self.last = Some((now, taken));
        self.stalled >= STALL_MEANS_LOST
    }
}

/// An open sound device.
pub struct AudioOutput {
    stream: DeviceStream,
    health: Arc<DeviceHealth>,
    errors_seen: u32,
    stall: StallWatch,
    /// The stream's lag as last logged.
    lag_reported: i64,
}

impl AudioOutput {
    /// Opens the default output device, or says why not.
    pub fn open() -> Result<AudioOutput, String> {
        let health = Arc::new(DeviceHealth::default());
        let on_error = {
            let health = Arc::clone(&health);
            move |error: rodio::cpal::Error| {
                // Runs on the audio thread: only atomics here.
                use rodio::cpal::ErrorKind;
                health
                    .last_kind
                    .store(kind_code(error.kind()), Ordering::Release);
                match error.kind() {
                    ErrorKind::DeviceNotAvailable | ErrorKind::StreamInvalidated => {
                        health.lost.store(true, Ordering::Release);
                    }
                    // An underrun is starvation, not loss.
                    _ => {
                        health.errors.fetch_add(1, Ordering::AcqRel);
                    }
                }
            }
        };
        if let Err(e) = super::priority::prepare() {
            log::info!("the audio thread will not ask for real time: {e}");
        }
        let stream = super::stream::open(on_error)?;
        log::info!(
            "sound through {}: {} Hz, {} channels, a buffer of {} frames",
            stream.host,
            stream.sample_rate,
            stream.channels,
            stream.buffer_frames
        );
        Ok(AudioOutput {
            stream,
            health,
            errors_seen: 0,
            stall: StallWatch::default(),
            lag_reported: 0,
        })
    }

    pub fn sample_rate(&self) -> u32 {
        self.stream.sample_rate
    }

    /// The underruns the device has reported since it was opened.
    pub fn underruns(&self) -> u64 {
        self.stream.timing.underruns()
    }

    /// A freshly opened stream (PulseAudio's especially) drops the start of what is first played
    /// while it settles its latency. Waits (at most 1.5 s) until a quarter second has been taken
    /// from it beyond its first two buffers (which it takes at once), so the first cue arrives
    /// whole and on time. Then asks for the audio thread's real-time scheduling where it could
    /// not take it itself.
    pub fn wait_until_flowing(&self, clocks: &crate::clock::Clocks) {
        let needed = u64::from(self.sample_rate()) / 4 + 2 * u64::from(self.stream.buffer_frames);
        let deadline = clocks.deadline(Duration::from_millis(1_500));
        while self.stream.timing.frames_taken() < needed && !deadline.passed() {
            std::thread::sleep(Duration::from_millis(10));
        }
        // The audio thread has run by now: what it could not get itself is asked for here.
        super::priority::ask_rtkit_for_audio_thread();
    }

    /// Starts playing a session's cues under a control made beforehand.
    pub fn play_with(&self, track: CueTrack, control: Arc<SessionControl>) {
        let source = CueSource::new(track, control, self.stream.channels)
            .reporting_heard(Arc::clone(&self.stream.timing));
        self.stream.mixer.add(source);
    }

    /// The device has gone (unplugged, the sound server stopped): its stream said so, or it has
    /// taken nothing for 2 s while downshift was running. A starved stream is not lost. Call a
    /// few times a second, with the monotonic time in microseconds.
    pub fn is_lost(&mut self, now: u64) -> bool {
        if self.health.lost.load(Ordering::Acquire) {
            log::warn!(
                "sound device lost (error kind {})",
                self.health.last_kind.load(Ordering::Acquire)
            );
            return true;
        }
        let errors = self.health.errors.load(Ordering::Acquire);
        let new_errors = errors.saturating_sub(self.errors_seen);
        self.errors_seen = errors;
        if new_errors > 0 {
            log::info!(
                "{new_errors} sound device errors, underruns most likely (last kind {})",
                self.health.last_kind.load(Ordering::Acquire)
            );
        }
        let lag = self.stream.timing.lag_micros();
        if lag.abs_diff(self.lag_reported) >= 1_000 {
            log::info!(
                "the sound fell {:.1} ms behind the plan in all ({} underruns); the cues make it up",
                lag as f64 / 1_000.0,
                self.stream.timing.underruns()
            );
            self.lag_reported = lag;
        }
        if super::priority::take_demotion() {
            log::warn!(
                "the audio thread ran {} ms without a pause: it runs at normal priority from now on",
                super::priority::RUN_WITHOUT_PAUSE_MICROS / 1_000
            );
        }
        if self.stall.observe(now, self.stream.timing.frames_taken()) {
            log::warn!("sound device lost: it has taken nothing for 2 s");
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::sounds::{SoundBank, SoundId};
    use crate::audio::track::{ScheduledCue, schedule};
    use crate::practice::{CueEvent, CueKind, CueSet, Phase};

    fn click_bank() -> SoundBank {
        SoundBank::clicks(1_000)
    }

    fn stereo() -> ChannelCount {
        NonZero::new(2).expect("two")
    }

    fn run(source: &mut CueSource, frames: usize) -> Vec<f32> {
        (0..frames * 2)
            .map_while(|_| source.next())
            .step_by(2)
            .collect()
    }

    #[test]
    fn pause_holds_time_still_and_resume_carries_on_from_there() {
        let cues = vec![
            ScheduledCue {
                frame: 10,
                sound: SoundId::Inhale,
                gain: 1.0,
            },
            ScheduledCue {
                frame: 30,
                sound: SoundId::Exhale,
                gain: 1.0,
            },
        ];
        let control = Arc::new(SessionControl::new(1.0, false));
        let mut source = CueSource::new(
            CueTrack::new(cues, &click_bank()),
            Arc::clone(&control),
            stereo(),
        );
        run(&mut source, 20);
        assert_eq!(control.position(), 20);
        control.set_paused(true);
        let paused = run(&mut source, 500);
        assert_eq!(control.position(), 20, "no time passes while paused");
        assert!(
            paused.iter().skip(5).all(|s| *s == 0.0),
            "no cue starts while paused"
        );
        control.set_paused(false);
        run(&mut source, 20);
        assert_eq!(control.position(), 40);
    }

    #[test]
    fn a_seek_lands_on_the_frame_and_plays_the_cue_there() {
        let events = [
            CueEvent {
                at: 0,
                kind: CueKind::StepStart {
                    step_index: 0,
                    phase: Phase::Prompt,
                },
            },
            CueEvent {
                at: 20_000,
                kind: CueKind::StepStart {
                    step_index: 1,
                    phase: Phase::Inhale,
                },
            },
            CueEvent {
                at: 40_000,
                kind: CueKind::End,
            },
        ];
        let control = Arc::new(SessionControl::new(1.0, false));
        let track = CueTrack::new(schedule(&events, 1_000, CueSet::Tones, 1.0), &click_bank());
        let mut source = CueSource::new(track, Arc::clone(&control), stereo());
        run(&mut source, 5);
        control.seek(20);
        let after = run(&mut source, 10);
        assert_eq!(control.position(), 30);
        assert!(after[0].abs() > 0.0, "the step's cues start at once");
    }

    #[test]
    fn a_seek_reads_as_its_frame_at_once_and_a_waiting_stream_plays_nothing_until_let_go() {
        let cues = vec![ScheduledCue {
            frame: 0,
            sound: SoundId::Inhale,
            gain: 1.0,
        }];
        let control = Arc::new(SessionControl::waiting(1.0, false));
        let mut source = CueSource::new(
            CueTrack::new(cues, &click_bank()),
            Arc::clone(&control),
            stereo(),
        );
        let waiting = run(&mut source, 50);
        assert!(waiting.iter().all(|s| *s == 0.0), "the cue at 0 waits");
        assert_eq!(control.position(), 0);
        control.seek(400);
        assert_eq!(
            control.position(),
            400,
            "the new place, before the stream moves"
        );
        assert!(control.is_seeking());
        control.set_paused(false);
        run(&mut source, 10);
        assert!(!control.is_seeking());
        assert_eq!(control.position(), 410);
    }

    #[test]
    fn the_place_reported_is_what_the_listener_hears_not_what_is_queued() {
        let timing = Arc::new(StreamTiming::default());
        let control = Arc::new(SessionControl::new(1.0, false));
        let mut source = CueSource::new(
            CueTrack::new(Vec::new(), &click_bank()),
            Arc::clone(&control),
            stereo(),
        )
        .reporting_heard(Arc::clone(&timing));
        timing.set_ahead_for_test(100);
        run(&mut source, 300);
        assert_eq!(control.position(), 200, "100 frames are still queued ahead");
    }

    /// The frames at which sound begins after silence, in a mono render.
    fn onsets(rendered: &[f32]) -> Vec<usize> {
        (0..rendered.len())
            .filter(|&i| rendered[i] != 0.0 && (i == 0 || rendered[i - 1] == 0.0))
            .collect()
    }

    fn cues_every(frames: &[u64]) -> Vec<ScheduledCue> {
        frames
            .iter()
            .map(|&frame| ScheduledCue {
                frame,
                sound: SoundId::Inhale,
                gain: 1.0,
            })
            .collect()
    }

    /// A source of clicks at 1 kHz (a frame is a millisecond) on `cues`, following a stream that
    /// had already fallen `lag_micros` behind when the source was made.
    fn following_a_stream(
        cues: &[u64],
        lag_micros: i64,
    ) -> (Arc<StreamTiming>, Arc<SessionControl>, CueSource) {
        let timing = Arc::new(StreamTiming::default());
        timing.set_lag_for_test(lag_micros);
        let control = Arc::new(SessionControl::new(1.0, false));
        let source = CueSource::new(
            CueTrack::new(cues_every(cues), &click_bank()),
            Arc::clone(&control),
            stereo(),
        )
        .reporting_heard(Arc::clone(&timing));
        (timing, control, source)
    }

    #[test]
    fn after_the_stream_falls_behind_the_next_cue_lands_where_the_plan_puts_it() {
        let (timing, control, mut source) = following_a_stream(&[100, 400, 700], 0);
        let mut heard = run(&mut source, 250);
        // The device went hungry for 12 ms: everything written from now on is heard 12 ms late.
        timing.set_lag_for_test(12_000);
        heard.extend(std::iter::repeat_n(0.0, 12));
        heard.extend(run(&mut source, 600));
        assert_eq!(onsets(&heard), [100, 400, 700], "back on plan");
        assert_eq!(
            control.position(),
            250 + 600 + 12,
            "the screen follows the same correction"
        );
        // Less than a millisecond more is not worth a jump.
        timing.set_lag_for_test(12_500);
        run(&mut source, 10);
        assert_eq!(control.position(), 872);
    }

    #[test]
    fn a_cue_due_in_the_stretch_caught_up_still_sounds_at_once() {
        let (timing, _control, mut source) = following_a_stream(&[105], 0);
        run(&mut source, 100);
        timing.set_lag_for_test(20_000);
        let after = run(&mut source, 50);
        assert_eq!(onsets(&after), [0], "the cue at 105 is not jumped over");
    }

    #[test]
    fn a_lag_while_paused_or_before_the_stream_existed_moves_nothing() {
        let (timing, control, mut source) = following_a_stream(&[100], 50_000);
        run(&mut source, 20);
        control.set_paused(true);
        timing.set_lag_for_test(80_000);
        run(&mut source, 20);
        control.set_paused(false);
        let rest = run(&mut source, 100);
        assert_eq!(control.position(), 120);
        assert_eq!(onsets(&rest), [80], "the cue at 100, not earlier");
    }

    #[test]
    fn downshift_stopped_for_minutes_carries_on_where_it_was_instead_of_jumping_ahead() {
        let (timing, control, mut source) = following_a_stream(&[100], 0);
        run(&mut source, 50);
        timing.set_lag_for_test(300_000_000);
        let rest = run(&mut source, 100);
        assert_eq!(
            onsets(&rest),
            [50],
            "the cue at 100, as planned from where it was"
        );
        assert_eq!(control.position(), 150);
        // A stall after it is made up as before.
        timing.set_lag_for_test(300_020_000);
        run(&mut source, 10);
        assert_eq!(control.position(), 180);
    }

    #[test]
    fn a_stream_ahead_of_the_plan_is_held_back_without_a_break_in_the_sound() {
        let (timing, control, mut source) = following_a_stream(&[100], 0);
        run(&mut source, 50);
        timing.set_lag_for_test(-3_000);
        let rest = run(&mut source, 100);
        assert_eq!(
            onsets(&rest),
            [53],
            "three frames later than it would have been"
        );
        assert_eq!(control.position(), 147);
    }

    #[test]
    fn starvation_is_not_loss_but_two_seconds_of_nothing_while_running_is() {
        let mut watch = StallWatch::default();
        let mut now = 0;
        let mut watch_at = |watch: &mut StallWatch, step: u64, taken: u64| {
            now += step;
            watch.observe(now, taken)
        };
        assert!(!watch_at(&mut watch, 250_000, 100));
        // Starved for 1.5 s, then taking again: not lost, and the count starts over.
        for _ in 0..6 {
            assert!(!watch_at(&mut watch, 250_000, 100));
        }
        assert!(!watch_at(&mut watch, 250_000, 5_000));
        // Downshift itself not running for 10 s (asleep, stopped) is not the device's doing.
        assert!(!watch_at(&mut watch, 10_000_000, 5_000));
        // Nothing taken for 2 s of watching: lost.
        let lost = (0..8)
            .map(|_| watch_at(&mut watch, 250_000, 5_000))
            .collect::<Vec<_>>();
        assert_eq!(lost.iter().filter(|l| **l).count(), 1, "{lost:?}");
        assert!(lost[7]);
    }

    #[test]
    fn stopping_closes_the_stream_once_the_sound_has_rung_out() {
        let cues = vec![ScheduledCue {
            frame: 0,
            sound: SoundId::Bell,
            gain: 1.0,
        }];
        let control = Arc::new(SessionControl::new(1.0, false));
        let mut source = CueSource::new(
            CueTrack::new(cues, &click_bank()),
            Arc::clone(&control),
            stereo(),
        );
        run(&mut source, 3);
        control.stop_at(2);
        let tail = run(&mut source, 10_000);
        assert!(
            tail.len() < 100,
            "closes after the click rings out ({} frames)",
            tail.len()
        );
        assert!(control.is_done());
    }
}
