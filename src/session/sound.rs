//! A session's sound device, whoever drives the session: opened with its cues decoded, watched
//! for going away, looked for again every few seconds once it has gone, and given each session's
//! cue track. The window keeps one on its sound worker; the terminal on its one thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::CuePlan;
use crate::audio::{AudioOutput, SessionControl, SoundBank};
use crate::clock::Clocks;
use crate::practice::Micros;

/// After a device was lost, how often to look for one (it may come back, or another become the
/// default).
pub const REOPEN_EVERY: Micros = 2_000_000;

/// What happened to the device since it was last watched.
#[derive(Debug, PartialEq)]
pub enum SoundChange {
    /// It went away (unplugged, the sound server stopped): sessions go on silently.
    Lost,
    /// A device is there again, at this rate; cue files of one's own that could not be used.
    Back {
        sample_rate: u32,
        problems: Vec<String>,
    },
}

/// The sound device as a session needs it.
pub struct SoundKeeper {
    clocks: Clocks,
    sounds_dir: PathBuf,
    device: Option<AudioOutput>,
    /// The cues, decoded at the rate of the device they were last opened for: kept when it is
    /// lost, and used again if the next device has the same rate.
    bank: Option<SoundBank>,
    /// After the device was lost: when to look for one again.
    reopen_at: Option<Micros>,
}

impl SoundKeeper {
    /// No device yet: `open` asks for one.
    pub fn new(clocks: Clocks, sounds_dir: &Path) -> Self {
        SoundKeeper {
            clocks,
            sounds_dir: sounds_dir.to_path_buf(),
            device: None,
            bank: None,
            reopen_at: None,
        }
    }

    /// Opens the default device (unless one is open) and decodes the cues at its rate, once the
    /// device is taking sound. Returns its rate and the cue files of one's own that could not
    /// be used, or why there is no device.
    pub fn open(&mut self) -> Result<(u32, Vec<String>), String> {
        if let Some(device) = &self.device {
            return Ok((device.sample_rate(), Vec::new()));
        }
        let output = AudioOutput::open()?;
        output.wait_until_flowing(&self.clocks);
        let sample_rate = output.sample_rate();
        let mut problems = Vec::new();
        if self
            .bank
            .as_ref()
            .is_none_or(|b| b.sample_rate() != sample_rate)
        {
            let (bank, unusable) = SoundBank::load(sample_rate, Some(&self.sounds_dir));
            self.bank = Some(bank);
            problems = unusable;
        }
        self.device = Some(output);
        self.reopen_at = None;
        Ok((sample_rate, problems))
    }

    /// The open device's sample rate.
    pub fn sample_rate(&self) -> Option<u32> {
        self.device.as_ref().map(AudioOutput::sample_rate)
    }

    /// Watches the device: call a few times a second. Says when it went away, and when one is
    /// there again (looked for every `REOPEN_EVERY` after a loss).
    pub fn watch(&mut self) -> Option<SoundChange> {
        let now = self.clocks.now();
        if let Some(device) = &mut self.device {
            if device.is_lost(now) {
                self.device = None;
                self.reopen_at = Some(now + REOPEN_EVERY);
                return Some(SoundChange::Lost);
            }
            return None;
        }
        let due = self.reopen_at.is_some_and(|at| now >= at);
        if !due {
            return None;
        }
        match self.open() {
            Ok((sample_rate, problems)) => {
                log::info!("a sound device is back");
                Some(SoundChange::Back {
                    sample_rate,
                    problems,
                })
            }
            Err(_) => {
                self.reopen_at = Some(now + REOPEN_EVERY);
                None
            }
        }
    }

    /// Starts a session's cues on the device, steered by `control`; false when there is no
    /// device.
    pub fn play(&self, plan: &CuePlan, control: Arc<SessionControl>) -> bool {
        match (&self.device, &self.bank) {
            (Some(device), Some(bank)) => {
                device.play_with(plan.track(bank), control);
                true
            }
            _ => false,
        }
    }

    /// A word for the log on how the device went.
    pub fn log_health(&self) {
        if let Some(device) = &self.device {
            log::info!(
                "sound: {} underruns; the audio thread ran {}",
                device.underruns(),
                crate::audio::priority::granted()
            );
        }
    }
}
