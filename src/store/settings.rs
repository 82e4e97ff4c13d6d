//! The person's settings, kept in `settings.ron` and written atomically.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ron_file::{read_or_default, write_pretty};
use crate::practice::CueSet;
use crate::practice::pacing::{TimeSlot, default_time_slots};
use crate::practice::reminders::ReminderSettings;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Dim and warm, for evenings.
    #[default]
    Evening,
    Light,
}

/// Every setting has a default, so an old or partial file still loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub theme: Theme,
    /// Sound on or off (the M key).
    pub muted: bool,
    /// 0..1 over everything.
    pub master_volume: f32,
    /// Tones or voice, unless a preset asks for one.
    pub cue_set: CueSet,
    /// 0..1 for the tones, and for the voice.
    pub tones_volume: f32,
    pub voice_volume: f32,
    /// A soft continuous tone that swells and rises with each breath.
    pub breath_tone: bool,
    pub breath_tone_volume: f32,
    /// Ask "How tense do you feel?" before and after a session.
    pub ask_tension: bool,
    /// Which practice the home screen suggests at which time of day.
    pub time_slots: Vec<TimeSlot>,
    /// No growing and shrinking: the breath shows as a slow change of brightness instead.
    pub reduced_motion: bool,
    pub show_numbers: bool,
    /// Highest repaint rate during a session.
    pub frame_rate_cap: u32,
    /// The daily transition and micro-rest nudges, all off at first.
    pub reminders: ReminderSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: 1,
            theme: Theme::Evening,
            muted: false,
            master_volume: 0.6,
            cue_set: CueSet::Tones,
            tones_volume: 0.8,
            voice_volume: 0.9,
            breath_tone: false,
            breath_tone_volume: 0.25,
            ask_tension: true,
            time_slots: default_time_slots(),
            reduced_motion: false,
            show_numbers: true,
            frame_rate_cap: 30,
            reminders: ReminderSettings::default(),
        }
    }
}

impl Settings {
    /// Reads the settings; a missing file gives the defaults, an unreadable one gives the
    /// defaults and the reason (the file is left as it is).
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        let (settings, problem) = read_or_default::<Settings>(path);
        (
            settings.sanitized(),
            problem.map(|p| format!("{p}; using the defaults until it is fixed")),
        )
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        write_pretty(path, self)
    }

    /// Brings out-of-range values back into range.
    fn sanitized(mut self) -> Self {
        let defaults = Settings::default();
        for (volume, default) in [
            (&mut self.master_volume, defaults.master_volume),
            (&mut self.tones_volume, defaults.tones_volume),
            (&mut self.voice_volume, defaults.voice_volume),
            (&mut self.breath_tone_volume, defaults.breath_tone_volume),
        ] {
            *volume = if volume.is_finite() {
                volume.clamp(0.0, 1.0)
            } else {
                default
            };
        }
        self.frame_rate_cap = self.frame_rate_cap.clamp(5, 120);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_a_broken_file_falls_back_to_defaults_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        let changed = Settings {
            theme: Theme::Light,
            muted: true,
            ..Settings::default()
        };
        changed.save(&path).expect("saves");
        assert_eq!(Settings::load(&path), (changed, None));

        std::fs::write(&path, "(theme: Purple)").expect("write");
        let (settings, problem) = Settings::load(&path);
        assert_eq!(settings, Settings::default());
        assert!(problem.expect("a reason").contains("settings.ron:1:"));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "(theme: Purple)"
        );
    }

    #[test]
    fn out_of_range_values_are_brought_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "(master_volume: 7.0, frame_rate_cap: 0)").expect("write");
        let (settings, _) = Settings::load(&path);
        assert_eq!(settings.master_volume, 1.0);
        assert_eq!(settings.frame_rate_cap, 5);
    }
}
