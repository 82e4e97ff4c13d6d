//! The person's settings, kept in `settings.ron` and written atomically.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::atomic::KeptAside;
use super::ron_file::{Sanitize, count_in_range, in_range, read_or_default, write_pretty};
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
    /// Gentle mode: practices with breath holds or breaths under 8 s are marked and start only
    /// after "Start anyway"; the editor names them as problems; progression stays within it.
    pub gentle_mode: bool,
    /// The safety note has been read (it is shown before the first session).
    pub safety_note_seen: bool,
    /// Closing the window while reminders are on keeps downshift in the tray.
    pub keep_in_tray: bool,
    /// The one-line notice of where the window went has been shown.
    pub tray_notice_shown: bool,
    /// The daily check-in: when it is offered, how, and one's own marks.
    pub checkin: CheckInSettings,
    /// A Bluetooth heart rate strap: off unless the person switches it on.
    pub heart_strap: HeartStrapSettings,
}

/// The heart rate strap. While `on` is false nothing at all is asked of Bluetooth.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeartStrapSettings {
    pub on: bool,
    /// The chosen strap's Bluetooth address ("A0:9E:1A:12:34:56"); none until one is picked.
    pub address: Option<String>,
    /// Its name as it gave it ("Polar H10 12345678"), to show.
    pub name: Option<String>,
    /// Keep each session's raw beat-to-beat intervals in a file of their own (`heart/`).
    pub keep_raw_intervals: bool,
    /// Under the orb, a soft trace of the heart rate against the breath (off: the numbers only).
    pub show_trace: bool,
}

/// The longest name a Bluetooth device can give (the Core spec's 248 bytes).
pub const STRAP_NAME_MAX_BYTES: usize = 248;

/// Whether `address` is a Bluetooth device address: six two-digit hex numbers joined by colons.
pub fn is_bluetooth_address(address: &str) -> bool {
    let parts: Vec<&str> = address.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// When the daily check-in is offered ("Pain today, on average?"), and the marks of one's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckInSettings {
    /// Offer it once a day, as a card on home.
    pub offer: bool,
    /// Offered from this local time ("HH:MM"), or on the evening wind-down's summary if earlier.
    pub from: String,
    /// Also as a desktop notification, once, at that time (while downshift runs).
    pub notify: bool,
    /// The day of the week (1 Monday - 7 Sunday) the three PEG items about the past week come.
    pub weekly_day: u8,
    /// Up to six marks of one's own, after the built-in ones.
    pub own_marks: Vec<String>,
    /// "Not today" answers in a row; after three, it asks once whether to keep offering.
    pub skipped_in_a_row: u32,
    /// That question has been asked.
    pub asked_to_keep_offering: bool,
    /// The day "Not today" was last answered (nothing is offered again that day).
    pub declined_on: Option<jiff::civil::Date>,
    /// The day the notification last came.
    pub notified_on: Option<jiff::civil::Date>,
}

impl Default for CheckInSettings {
    fn default() -> Self {
        CheckInSettings {
            offer: true,
            from: "17:00".to_owned(),
            notify: false,
            weekly_day: 7,
            own_marks: Vec::new(),
            skipped_in_a_row: 0,
            asked_to_keep_offering: false,
            declined_on: None,
            notified_on: None,
        }
    }
}

impl CheckInSettings {
    /// The time of day it is offered from (17:00 when the setting does not read).
    pub fn from_time(&self) -> jiff::civil::Time {
        self.from
            .parse()
            .unwrap_or_else(|_| jiff::civil::time(17, 0, 0, 0))
    }

    /// The built-in marks, then one's own.
    pub fn marks(&self) -> Vec<String> {
        let mut marks: Vec<String> = super::checkins::BUILT_IN_MARKS
            .iter()
            .map(|m| m.to_string())
            .collect();
        for own in &self.own_marks {
            if !marks.iter().any(|m| m.eq_ignore_ascii_case(own)) {
                marks.push(own.clone());
            }
        }
        marks
    }

    /// Whether the weekly PEG items come on `date`.
    pub fn is_weekly_day(&self, date: jiff::civil::Date) -> bool {
        i8::try_from(self.weekly_day).is_ok_and(|day| date.weekday().to_monday_one_offset() == day)
    }
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
            gentle_mode: false,
            safety_note_seen: false,
            keep_in_tray: true,
            tray_notice_shown: false,
            checkin: CheckInSettings::default(),
            heart_strap: HeartStrapSettings::default(),
        }
    }
}

impl Settings {
    /// Reads the settings. A missing file gives the defaults. A file that does not parse gives
    /// the defaults; values out of range are brought in; either way the notice names the file,
    /// line, column and field, and the file is left as it is (see `ron_file`: it is kept aside
    /// before the next save writes over it).
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        read_or_default(path, "the default settings until it is fixed")
    }

    /// Saves the settings atomically. `Some` when the file there could not be read as it was
    /// and was kept aside first: tell the person where.
    pub fn save(&self, path: &Path) -> std::io::Result<Option<KeptAside>> {
        write_pretty(path, self)
    }
}

impl Sanitize for Settings {
    fn sanitize(&mut self, file: &str) -> Vec<String> {
        let defaults = Settings::default();
        let mut notes = Vec::new();
        for (field, volume, default) in [
            (
                "master_volume",
                &mut self.master_volume,
                defaults.master_volume,
            ),
            (
                "tones_volume",
                &mut self.tones_volume,
                defaults.tones_volume,
            ),
            (
                "voice_volume",
                &mut self.voice_volume,
                defaults.voice_volume,
            ),
            (
                "breath_tone_volume",
                &mut self.breath_tone_volume,
                defaults.breath_tone_volume,
            ),
        ] {
            let mut wide = f64::from(*volume);
            notes.extend(in_range(
                file,
                field,
                &mut wide,
                (0.0, 1.0),
                f64::from(default),
            ));
            *volume = wide as f32;
        }
        let reminders = &mut self.reminders;
        notes.extend(
            [
                ("frame_rate_cap", &mut self.frame_rate_cap, (5, 120)),
                (
                    "reminders.micro_rest_minutes",
                    &mut reminders.micro_rest_minutes,
                    (5, 240),
                ),
                (
                    "reminders.later_minutes",
                    &mut reminders.later_minutes,
                    (1, 120),
                ),
            ]
            .into_iter()
            .filter_map(|(field, count, range)| count_in_range(file, field, count, range)),
        );
        notes.extend(sanitize_pacing(reminders, file));
        notes.extend(sanitize_checkin(&mut self.checkin, file));
        notes.extend(sanitize_heart_strap(&mut self.heart_strap, file));
        notes
    }
}

/// The check-in's values: a time that does not read, a weekday off the week, too many or
/// unusable marks of one's own are named and brought back.
fn sanitize_checkin(checkin: &mut CheckInSettings, file: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if checkin.from.parse::<jiff::civil::Time>().is_err() {
        notes.push(format!(
            "{file}: checkin.from: {:?} is not a time (HH:MM), so 17:00 is used",
            checkin.from
        ));
        checkin.from = "17:00".to_owned();
    }
    if !(1..=7).contains(&checkin.weekly_day) {
        notes.push(format!(
            "{file}: checkin.weekly_day: {} is not a day of the week (1 Monday to 7 Sunday), so 7 is used",
            checkin.weekly_day
        ));
        checkin.weekly_day = 7;
    }
    checkin.own_marks.retain(|mark| {
        let usable = !mark.trim().is_empty() && mark.chars().count() <= super::checkins::MARK_NAME_MAX;
        if !usable {
            notes.push(format!(
                "{file}: checkin.own_marks: {mark:?} is not a mark's name (1 to {} characters), so it is left out",
                super::checkins::MARK_NAME_MAX
            ));
        }
        usable
    });
    if checkin.own_marks.len() > super::checkins::OWN_MARKS_MAX {
        notes.push(format!(
            "{file}: checkin.own_marks: {} marks, at most {} are kept",
            checkin.own_marks.len(),
            super::checkins::OWN_MARKS_MAX
        ));
        checkin.own_marks.truncate(super::checkins::OWN_MARKS_MAX);
    }
    notes
}

/// The strap's values: an address that is not a Bluetooth address is forgotten with its name
/// (the strap is picked again); a name too long or with control characters is left out.
fn sanitize_heart_strap(strap: &mut HeartStrapSettings, file: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(address) = &strap.address
        && !is_bluetooth_address(address)
    {
        notes.push(format!(
            "{file}: heart_strap.address: {address:?} is not a Bluetooth address \
             (like A0:9E:1A:12:34:56), so no strap is chosen"
        ));
        strap.address = None;
        strap.name = None;
    }
    if let Some(name) = &strap.name
        && (name.len() > STRAP_NAME_MAX_BYTES || name.chars().any(char::is_control))
    {
        notes.push(format!(
            "{file}: heart_strap.name: not a device's name (at most {STRAP_NAME_MAX_BYTES} bytes, \
             no control characters), so it is left out"
        ));
        strap.name = None;
    }
    notes
}

/// Paced sitting's values: a baseline out of range is brought in; a change or an answer whose
/// date does not read, or whose interval nudges do not allow, is left out.
fn sanitize_pacing(reminders: &mut ReminderSettings, file: &str) -> Vec<String> {
    use crate::practice::paced_sitting::{LONGEST, LONGEST_SIT, SHORTEST};
    let mut notes = Vec::new();
    if let Some(sit) = &mut reminders.sit_minutes {
        notes.extend(count_in_range(
            file,
            "reminders.sit_minutes",
            sit,
            (1, LONGEST_SIT),
        ));
    }
    let mut index = 0;
    reminders.pacing_changes.retain(|change| {
        let field = format!("reminders.pacing_changes[{index}]");
        index += 1;
        let allowed = SHORTEST..=LONGEST;
        let why = if change.day().is_none() {
            format!("date {:?} is not a date (YYYY-MM-DD)", change.date)
        } else if !allowed.contains(&change.from) || !allowed.contains(&change.to) {
            format!(
                "{} to {} minutes is outside {SHORTEST} to {LONGEST}",
                change.from, change.to
            )
        } else {
            return true;
        };
        notes.push(format!(
            "{file}: {field}: {why}, so that change is left out"
        ));
        false
    });
    if let Some(asked) = &reminders.pacing_asked
        && asked.parse::<jiff::civil::Date>().is_err()
    {
        notes.push(format!(
            "{file}: reminders.pacing_asked: {asked:?} is not a date (YYYY-MM-DD), so it is left out"
        ));
        reminders.pacing_asked = None;
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in `dir`, by name, with its bytes.
    fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| {
                let bytes = std::fs::read(e.path()).expect("read");
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect()
    }

    #[test]
    fn at_most_six_marks_of_ones_own_are_kept_and_the_rest_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(
            &path,
            "(checkin: (own_marks: [\"gardening\", \"\", \"a long drive\", \"cold\", \"damp\", \
             \"a new mattress\", \"carrying a child\", \"painting the hall\"]))",
        )
        .expect("write");
        let (settings, notice) = Settings::load(&path);
        assert_eq!(
            settings.checkin.own_marks,
            [
                "gardening",
                "a long drive",
                "cold",
                "damp",
                "a new mattress",
                "carrying a child"
            ]
        );
        let notice = notice.expect("said");
        assert!(
            notice.contains("checkin.own_marks: \"\" is not a mark's name"),
            "{notice}"
        );
        assert!(
            notice.contains("checkin.own_marks: 7 marks, at most 6 are kept"),
            "{notice}"
        );
        // Offered after the built-in five, each once.
        assert_eq!(settings.checkin.marks().len(), 11);
    }

    #[test]
    fn settings_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        let changed = Settings {
            theme: Theme::Light,
            muted: true,
            ..Settings::default()
        };
        assert_eq!(changed.save(&path).expect("saves"), None);
        assert_eq!(Settings::load(&path), (changed.clone(), None));
        assert_eq!(changed.save(&path).expect("saves"), None, "nothing to keep");
        assert_eq!(files(dir.path()).len(), 1);
    }

    #[test]
    fn an_unreadable_settings_file_survives_a_save_byte_for_byte() {
        for original in [
            &b"(\n    muted: true,\n    master_volume: \"loud\",\n)\n"[..],
            b"(theme: Purple)",
            b"(muted: tr\xffue)",
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("settings.ron");
            std::fs::write(&path, original).expect("write");

            let (settings, notice) = Settings::load(&path);
            assert_eq!(settings, Settings::default());
            let notice = notice.expect("a notice");
            assert!(notice.contains("settings.ron"), "{notice}");
            assert!(notice.contains("kept unchanged beside it"), "{notice}");
            assert_eq!(
                std::fs::read(&path).expect("read"),
                original,
                "loading changes nothing"
            );

            let kept = settings
                .save(&path)
                .expect("saves")
                .expect("kept aside first");
            assert_eq!(kept.file, path);
            let on_disk = files(dir.path());
            let kept_name = kept.kept.file_name().expect("name").to_string_lossy();
            assert!(
                kept_name.starts_with("settings.ron.unreadable-"),
                "{kept_name}"
            );
            assert_eq!(
                on_disk[&*kept_name], original,
                "the copy is the file as it was"
            );
            assert_eq!(Settings::load(&path), (Settings::default(), None), "saved");
            assert_eq!(on_disk.len(), 2, "{:?}", on_disk.keys());

            // Later saves have nothing to keep; the copy stays as it is.
            assert_eq!(settings.save(&path).expect("saves"), None);
            assert_eq!(std::fs::read(&kept.kept).expect("read"), original);
        }
    }

    #[test]
    fn a_parse_error_names_the_file_line_column_and_field() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(
            &path,
            "(\n    muted: true,\n    master_volume: \"loud\",\n)\n",
        )
        .expect("write");
        let notice = Settings::load(&path).1.expect("a notice");
        let at = format!("{}:3:19: master_volume: ", path.display());
        assert!(notice.starts_with(&at), "{notice}");
        assert!(notice.contains("the default settings"), "{notice}");

        std::fs::write(&path, "(reminders: (later_minutes: -4))").expect("write");
        let notice = Settings::load(&path).1.expect("a notice");
        assert!(
            notice.contains(":1:30: reminders.later_minutes: "),
            "{notice}"
        );
    }

    #[test]
    fn when_no_copy_can_be_kept_the_file_is_not_written_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        let original = b"(theme: Purple)";
        std::fs::write(&path, original).expect("write");
        // Every name a copy could take is taken already.
        let first = super::super::keep_aside_if_unreadable(&path, |_| false)
            .expect("keeps")
            .expect("a copy");
        for n in 2..=1000 {
            std::fs::write(format!("{}-{n}", first.kept.display()), b"older").expect("write");
        }
        let error = Settings::default().save(&path).expect_err("refused");
        assert!(error.to_string().contains("not written over"), "{error}");
        assert_eq!(std::fs::read(&path).expect("read"), original);
    }

    #[test]
    fn out_of_range_values_are_brought_back_and_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        let original = "(master_volume: 7.0, voice_volume: NaN, frame_rate_cap: 0, \
                        reminders: (later_minutes: 4000000000))";
        std::fs::write(&path, original).expect("write");
        let (settings, notice) = Settings::load(&path);
        assert_eq!(settings.master_volume, 1.0);
        assert_eq!(settings.voice_volume, Settings::default().voice_volume);
        assert_eq!(settings.frame_rate_cap, 5);
        assert_eq!(settings.reminders.later_minutes, 120);
        let notice = notice.expect("a notice");
        let file = path.display().to_string();
        for field in [
            "master_volume: 7 is outside 0 to 1, so 1 is used",
            "voice_volume: NaN is not a usable number",
            "frame_rate_cap: 0 is outside 5 to 120, so 5 is used",
            "reminders.later_minutes: 4000000000 is outside 1 to 120",
        ] {
            assert!(
                notice.contains(&format!("{file}: {field}")),
                "{field}: {notice}"
            );
        }
        // What the person wrote is kept before the values in range are saved over it.
        let kept = settings.save(&path).expect("saves").expect("kept aside");
        assert_eq!(std::fs::read_to_string(&kept.kept).expect("read"), original);
        assert_eq!(Settings::load(&path), (settings, None));
    }

    #[test]
    fn the_strap_is_off_by_default_and_a_bad_address_is_forgotten_with_its_name() {
        let defaults = Settings::default().heart_strap;
        assert!(!defaults.on && !defaults.keep_raw_intervals && !defaults.show_trace);
        assert_eq!((defaults.address, defaults.name), (None, None));

        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        let good = "(heart_strap: (on: true, address: Some(\"a0:9e:1A:12:34:56\"), \
                    name: Some(\"Polar H10 1234\"), keep_raw_intervals: true))";
        std::fs::write(&path, good).expect("write");
        let (settings, notice) = Settings::load(&path);
        assert_eq!(notice, None);
        assert!(settings.heart_strap.on && settings.heart_strap.keep_raw_intervals);
        assert_eq!(settings.heart_strap.name.as_deref(), Some("Polar H10 1234"));

        for (address, name, field) in [
            (
                "A0:9E:1A:12:34",
                "H10",
                "heart_strap.address: \"A0:9E:1A:12:34\" is not a Bluetooth address",
            ),
            ("A0:9E:1A:12:34:5G", "H10", "heart_strap.address"),
            (
                "A0:9E:1A:12:34:56",
                "H10\\u{7}",
                "heart_strap.name: not a device's name",
            ),
        ] {
            let text = format!(
                "(heart_strap: (on: true, address: Some({address:?}), name: Some(\"{name}\")))"
            );
            std::fs::write(&path, &text).expect("write");
            let (settings, notice) = Settings::load(&path);
            let notice = notice.expect("a notice");
            assert!(
                notice.contains(&format!("{}: {field}", path.display())),
                "{text}: {notice}"
            );
            assert!(settings.heart_strap.on, "the switch stays as it was");
            assert_eq!(settings.heart_strap.name, None, "{text}");
        }
        let long = "x".repeat(STRAP_NAME_MAX_BYTES + 1);
        std::fs::write(&path, format!("(heart_strap: (name: Some({long:?})))")).expect("write");
        assert!(
            Settings::load(&path)
                .1
                .expect("a notice")
                .contains("heart_strap.name")
        );
    }

    #[test]
    fn paced_sitting_values_that_do_not_fit_are_named_and_an_old_file_still_loads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(
            &path,
            "(reminders: (micro_rests: true, micro_rest_minutes: 45))",
        )
        .expect("write");
        let (old, notice) = Settings::load(&path);
        assert_eq!(notice, None);
        assert_eq!(old.reminders.sit_minutes, None);
        assert!(old.reminders.pacing_changes.is_empty());

        let original = r#"(reminders: (sit_minutes: Some(9000), pacing_asked: Some("soon"),
            pacing_changes: [
                (date: "2026-11-01", from: 60, to: 48),
                (date: "1st of May", from: 48, to: 53),
                (date: "2026-11-20", from: 48, to: 999),
            ]))"#;
        std::fs::write(&path, original).expect("write");
        let (settings, notice) = Settings::load(&path);
        let notice = notice.expect("a notice");
        let file = path.display().to_string();
        for field in [
            "reminders.sit_minutes: 9000 is outside 1 to 480, so 480 is used",
            "reminders.pacing_changes[1]: date \"1st of May\" is not a date",
            "reminders.pacing_changes[2]: 48 to 999 minutes is outside 5 to 240",
            "reminders.pacing_asked: \"soon\" is not a date",
        ] {
            assert!(
                notice.contains(&format!("{file}: {field}")),
                "{field}: {notice}"
            );
        }
        assert_eq!(settings.reminders.sit_minutes, Some(480));
        assert_eq!(settings.reminders.pacing_changes.len(), 1);
        assert_eq!(settings.reminders.pacing_asked, None);
        // What the person wrote is kept aside before the next save.
        let kept = settings.save(&path).expect("saves").expect("kept aside");
        assert_eq!(std::fs::read_to_string(&kept.kept).expect("read"), original);

        std::fs::write(&path, "(reminders: (sit_minutes: Some(-5)))").expect("write");
        let notice = Settings::load(&path).1.expect("a notice");
        assert!(notice.contains(":1:"), "{notice}");
        assert!(notice.contains("reminders.sit_minutes"), "{notice}");
    }
}
