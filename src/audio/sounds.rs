//! The cue sounds: built-in WAV files embedded in the binary, each replaceable by a file of the
//! same name in the data folder's `sounds/`. Decoded and resampled once, before any session.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// Every sound a cue can play, by the file name it is kept under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SoundId {
    Inhale,
    TopUp,
    Hold,
    Exhale,
    Chime,
    Bell,
    VoiceInhale,
    VoiceTopUp,
    VoiceHold,
    VoiceExhale,
    VoiceNext,
    VoiceEnd,
}

impl SoundId {
    pub const ALL: [SoundId; 12] = [
        SoundId::Inhale,
        SoundId::TopUp,
        SoundId::Hold,
        SoundId::Exhale,
        SoundId::Chime,
        SoundId::Bell,
        SoundId::VoiceInhale,
        SoundId::VoiceTopUp,
        SoundId::VoiceHold,
        SoundId::VoiceExhale,
        SoundId::VoiceNext,
        SoundId::VoiceEnd,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            SoundId::Inhale => "inhale.wav",
            SoundId::TopUp => "top_up.wav",
            SoundId::Hold => "hold.wav",
            SoundId::Exhale => "exhale.wav",
            SoundId::Chime => "chime.wav",
            SoundId::Bell => "bell.wav",
            SoundId::VoiceInhale => "voice_inhale.wav",
            SoundId::VoiceTopUp => "voice_top_up.wav",
            SoundId::VoiceHold => "voice_hold.wav",
            SoundId::VoiceExhale => "voice_exhale.wav",
            SoundId::VoiceNext => "voice_next.wav",
            SoundId::VoiceEnd => "voice_end.wav",
        }
    }

    fn built_in(self) -> &'static [u8] {
        match self {
            SoundId::Inhale => include_bytes!("../../sounds/inhale.wav"),
            SoundId::TopUp => include_bytes!("../../sounds/top_up.wav"),
            SoundId::Hold => include_bytes!("../../sounds/hold.wav"),
            SoundId::Exhale => include_bytes!("../../sounds/exhale.wav"),
            SoundId::Chime => include_bytes!("../../sounds/chime.wav"),
            SoundId::Bell => include_bytes!("../../sounds/bell.wav"),
            SoundId::VoiceInhale => include_bytes!("../../sounds/voice_inhale.wav"),
            SoundId::VoiceTopUp => include_bytes!("../../sounds/voice_top_up.wav"),
            SoundId::VoiceHold => include_bytes!("../../sounds/voice_hold.wav"),
            SoundId::VoiceExhale => include_bytes!("../../sounds/voice_exhale.wav"),
            SoundId::VoiceNext => include_bytes!("../../sounds/voice_next.wav"),
            SoundId::VoiceEnd => include_bytes!("../../sounds/voice_end.wav"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A user sound file larger than this is refused (a cue is a few seconds).
const MAX_SOUND_BYTES: u64 = 16 * 1024 * 1024;
/// Longest cue kept, so a long file cannot hog memory or drown the next cue.
const MAX_SOUND_SECONDS: usize = 20;

/// All cue sounds as mono samples at one sample rate, ready for the audio thread.
#[derive(Clone, Debug)]
pub struct SoundBank {
    sample_rate: u32,
    sounds: Vec<Arc<[f32]>>,
}

impl SoundBank {
    /// The built-in sounds, with any override from `user_dir`. Each override that cannot be used
    /// is named in the returned notices, and the built-in sound plays instead.
    pub fn load(sample_rate: u32, user_dir: Option<&Path>) -> (SoundBank, Vec<String>) {
        let mut notices = Vec::new();
        let sounds = SoundId::ALL
            .iter()
            .map(|&id| {
                if let Some(path) = user_dir
                    .map(|dir| dir.join(id.file_name()))
                    .filter(|p| p.is_file())
                {
                    match read_user_sound(&path, sample_rate) {
                        Ok(samples) => return samples,
                        Err(reason) => notices.push(format!(
                            "{} could not be used ({reason}); the built-in sound plays instead",
                            path.display()
                        )),
                    }
                }
                // The built-in files are made by scripts/make-sounds.py and checked by a test.
                decode_wav(id.built_in(), sample_rate).unwrap_or_else(|_| Arc::from(Vec::new()))
            })
            .collect();
        (
            SoundBank {
                sample_rate,
                sounds,
            },
            notices,
        )
    }

    /// Every sound an 8-sample click: for measuring timing, where only the onset matters.
    pub fn clicks(sample_rate: u32) -> SoundBank {
        let click: Arc<[f32]> = Arc::from(vec![0.5f32; 8]);
        SoundBank {
            sample_rate,
            sounds: SoundId::ALL.iter().map(|_| Arc::clone(&click)).collect(),
        }
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn samples(&self, id: SoundId) -> &Arc<[f32]> {
        &self.sounds[id.index()]
    }
}

fn read_user_sound(path: &Path, sample_rate: u32) -> Result<Arc<[f32]>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_SOUND_BYTES {
        return Err(format!(
            "it is {} MiB; a cue sound may be at most 16 MiB",
            size >> 20
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    decode_wav(&bytes, sample_rate)
}

/// Decodes a WAV file to mono f32 at `sample_rate`.
pub fn decode_wav(bytes: &[u8], sample_rate: u32) -> Result<Arc<[f32]>, String> {
    let reader =
        hound::WavReader::new(Cursor::new(bytes)).map_err(|e| format!("not a WAV file: {e}"))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err("the file says it has no channels or no sample rate".to_owned());
    }
    let channels = spec.channels as usize;
    let limit = MAX_SOUND_SECONDS * spec.sample_rate as usize * channels;
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .take(limit)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .into_samples::<i32>()
                .take(limit)
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?
        }
    };
    let mono: Vec<f32> = interleaved
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok(resample(&mono, spec.sample_rate, sample_rate).into())
}

/// Linear-interpolation resampling: plenty for soft cue sounds, and done once at load.
fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || input.is_empty() {
        return input.to_vec();
    }
    let length = (input.len() as u64 * to as u64 / from as u64) as usize;
    let step = from as f64 / to as f64;
    (0..length)
        .map(|i| {
            let x = i as f64 * step;
            let left = x.floor() as usize;
            let frac = (x - left as f64) as f32;
            let a = input[left.min(input.len() - 1)];
            let b = input[(left + 1).min(input.len() - 1)];
            a + (b - a) * frac
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_sound_decodes_and_starts_promptly() {
        let (bank, notices) = SoundBank::load(48_000, None);
        assert!(notices.is_empty());
        for id in SoundId::ALL {
            let samples = bank.samples(id);
            assert!(samples.len() > 4_800, "{id:?} lasts at least 0.1 s");
            let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!(peak > 0.1 && peak <= 0.6, "{id:?} peaks at {peak}");
            // A cue is heard when it is due: sound within the first 30 ms.
            let onset = samples.iter().position(|s| s.abs() > 0.02);
            assert!(
                onset.is_some_and(|i| i < 1_440),
                "{id:?} starts at {onset:?}"
            );
        }
    }

    #[test]
    fn a_bad_override_is_named_and_the_built_in_plays() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("chime.wav"), b"not really a wav").expect("write");
        let (bank, notices) = SoundBank::load(44_100, Some(dir.path()));
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("chime.wav could not be used"));
        let (built_in, _) = SoundBank::load(44_100, None);
        assert_eq!(
            bank.samples(SoundId::Chime),
            built_in.samples(SoundId::Chime)
        );
    }

    #[test]
    fn a_good_override_replaces_the_sound_at_the_device_rate() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 24_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer =
            hound::WavWriter::create(dir.path().join("bell.wav"), spec).expect("create");
        for _ in 0..2_400 {
            writer.write_sample(8_000i16).expect("sample");
            writer.write_sample(8_000i16).expect("sample");
        }
        writer.finalize().expect("finalize");
        let (bank, notices) = SoundBank::load(48_000, Some(dir.path()));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(bank.samples(SoundId::Bell).len(), 4_800);
    }
}
