//! The daily check-in ("Pain today, on average?"), kept in `checkins.log` as the history is: one
//! versioned RON record a line, appended and flushed, a torn last line reported and skipped,
//! never rewritten but by an explicit delete (every other byte kept).
//!
//! A check-in is written the moment its last question is answered. What was different in the
//! last day or two, and a note, may follow on the next page: they are appended as an addition
//! (`adds_to` names the check-in), so nothing already written is ever changed.

use std::io;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;
use super::history_log::{append_line, line_problem, line_ranges, lock_log};
use super::record::StartTime;
use super::record_codec::ron_options;

/// The check-in format version this build writes.
pub const CHECKIN_VERSION: u32 = 1;

/// The marks every check-in offers ("Different in the last day or two?").
pub const BUILT_IN_MARKS: [&str; 5] = [
    "long sitting",
    "lifting or unusual activity",
    "travel",
    "poor night's bed",
    "more training than usual",
];

/// Marks of one's own, at most.
pub const OWN_MARKS_MAX: usize = 6;

/// A mark's name, at most this many characters.
pub const MARK_NAME_MAX: usize = 40;

/// A note, at most this many characters.
pub const NOTE_MAX: usize = 2_000;

/// The three PEG items (Krebs et al. 2009), asked once a week about the past week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peg {
    /// Pain on average in the past week, 0-10.
    pub pain: u8,
    /// How pain interfered with enjoyment of life, 0-10.
    pub enjoyment: u8,
    /// How pain interfered with general activity, 0-10.
    pub activity: u8,
}

impl Peg {
    /// The PEG score: the mean of its three items.
    pub fn score(&self) -> f64 {
        (f64::from(self.pain) + f64::from(self.enjoyment) + f64::from(self.activity)) / 3.0
    }
}

/// One check-in, or an addition to one (`adds_to`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub version: u32,
    pub id: String,
    /// The day it tells of (a missed day filled in later is earlier than `written`).
    pub date: Date,
    /// When it was written, with the UTC offset then in force.
    pub written: StartTime,
    /// "Pain today, on average?" 0 no pain - 10 as bad as you can imagine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<u8>,
    /// "How much did pain get in the way of what you did today?" 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interference: Option<u8>,
    /// "Sleep last night?" 0 terrible - 10 excellent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<u8>,
    /// "Stress today?" 1 not at all - 5 very much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stress: Option<u8>,
    /// The marks that were offered: one not here was not asked, which is not "not marked".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<String>,
    /// The marks ticked, each one of `offered`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marked: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The weekly PEG items, when they were asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peg: Option<Peg>,
    /// This line adds marks and a note to the check-in with this id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adds_to: Option<String>,
    pub app_version: String,
}

impl CheckIn {
    /// A new, empty check-in about `date`, written at `written`.
    pub fn new(date: Date, written: StartTime) -> Self {
        CheckIn {
            version: CHECKIN_VERSION,
            id: super::record::new_record_id(&written),
            date,
            written,
            pain: None,
            interference: None,
            sleep: None,
            stress: None,
            offered: Vec::new(),
            marked: Vec::new(),
            note: String::new(),
            peg: None,
            adds_to: None,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// Whether anything was answered at all.
    pub fn has_answers(&self) -> bool {
        self.pain.is_some()
            || self.interference.is_some()
            || self.sleep.is_some()
            || self.stress.is_some()
            || self.peg.is_some()
            || !self.offered.is_empty()
            || !self.note.is_empty()
    }

    /// Checks every answer against its scale; the error names the field.
    pub fn check(&self) -> Result<(), String> {
        if self.version == 0 || self.version > CHECKIN_VERSION {
            return Err(format!(
                "version: {} is not a check-in version this downshift reads (1 to {CHECKIN_VERSION})",
                self.version
            ));
        }
        for (field, value, scale) in [
            ("pain", self.pain, 0..=10),
            ("interference", self.interference, 0..=10),
            ("sleep", self.sleep, 0..=10),
            ("stress", self.stress, 1..=5),
        ] {
            if let Some(value) = value
                && !scale.contains(&value)
            {
                return Err(format!(
                    "{field}: {value} is outside {}-{}",
                    scale.start(),
                    scale.end()
                ));
            }
        }
        if let Some(peg) = self.peg {
            for (field, value) in [
                ("peg.pain", peg.pain),
                ("peg.enjoyment", peg.enjoyment),
                ("peg.activity", peg.activity),
            ] {
                if value > 10 {
                    return Err(format!("{field}: {value} is outside 0-10"));
                }
            }
        }
        if let Some(mark) = self.marked.iter().find(|m| !self.offered.contains(m)) {
            return Err(format!("marked: \"{mark}\" was marked but not offered"));
        }
        if let Some(mark) = self
            .offered
            .iter()
            .find(|m| m.trim().is_empty() || m.chars().count() > MARK_NAME_MAX)
        {
            return Err(format!(
                "offered: \"{mark}\" is not a mark's name (1 to {MARK_NAME_MAX} characters)"
            ));
        }
        if self.offered.len() > BUILT_IN_MARKS.len() + OWN_MARKS_MAX * 4 {
            return Err(format!("offered: {} marks is too many", self.offered.len()));
        }
        if self.note.chars().count() > NOTE_MAX {
            return Err(format!("note: longer than {NOTE_MAX} characters"));
        }
        Ok(())
    }
}

/// One check-in as one line of text (no newline inside; strings are escaped).
pub fn checkin_line(checkin: &CheckIn) -> Result<String, ron::Error> {
    let compact = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .compact_structs(true)
        .compact_arrays(true);
    ron_options().to_string_pretty(checkin, compact)
}

/// Reads one line of the log; the error says at which column, or which field, and why.
pub fn parse_checkin_line(line: &str) -> Result<CheckIn, String> {
    let checkin: CheckIn = ron_options()
        .from_str(line)
        .map_err(|e| format!("column {}: {}", e.span.start.col, e.code))?;
    checkin.check()?;
    Ok(checkin)
}

/// Appends one check-in (or addition) and flushes it, under the log's lock.
pub fn append_checkin(path: &Path, checkin: &CheckIn) -> io::Result<()> {
    checkin
        .check()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let line = checkin_line(checkin).map_err(io::Error::other)?;
    append_line(path, &line)
}

/// What reading the log found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckIns {
    /// Check-ins in the order written, each with its additions folded in.
    pub entries: Vec<CheckIn>,
    /// Lines that could not be read, each with its line number and reason.
    pub problems: Vec<String>,
}

/// Reads the whole log. A missing file is an empty log.
pub fn load_checkins(path: &Path) -> io::Result<CheckIns> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(CheckIns::default()),
        Err(e) => return Err(e),
    };
    let text = String::from_utf8_lossy(&bytes);
    let ends_cleanly = text.is_empty() || text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    let mut read = CheckIns::default();
    let mut additions = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let torn = index + 1 == lines.len() && !ends_cleanly;
        match parse_checkin_line(line.trim_end()) {
            Ok(checkin) if checkin.adds_to.is_some() => additions.push((index + 1, checkin)),
            Ok(checkin) => read.entries.push(checkin),
            Err(reason) => read
                .problems
                .push(line_problem(path, index + 1, torn, &reason)),
        }
    }
    for (number, addition) in additions {
        let target = addition.adds_to.as_deref().unwrap_or_default();
        match read.entries.iter_mut().find(|c| c.id == target) {
            Some(checkin) => fold_in(checkin, addition),
            None => read.problems.push(format!(
                "{}:{number}: adds to a check-in ({target}) that is not in the log, skipped",
                path.display()
            )),
        }
    }
    Ok(read)
}

/// An addition's marks and note, made part of its check-in: as the log is read, and as the app
/// keeps what it has just written, so both read the same.
pub fn fold_in(checkin: &mut CheckIn, addition: CheckIn) {
    for mark in addition.offered {
        if !checkin.offered.contains(&mark) {
            checkin.offered.push(mark);
        }
    }
    for mark in addition.marked {
        if !checkin.marked.contains(&mark) {
            checkin.marked.push(mark);
        }
    }
    if !addition.note.is_empty() {
        if !checkin.note.is_empty() {
            checkin.note.push('\n');
        }
        checkin.note.push_str(&addition.note);
    }
}

/// Removes the check-in `id` and its additions, rewriting the log atomically; says whether it
/// was there. Every other byte of the log stays as it was.
pub fn delete_checkin(path: &Path, id: &str) -> io::Result<bool> {
    let file = lock_log(path)?;
    let result = (|| {
        let bytes = std::fs::read(path)?;
        let mut kept = Vec::with_capacity(bytes.len());
        let mut removed = false;
        for range in line_ranges(&bytes) {
            let line = &bytes[range];
            let belongs = parse_checkin_line(String::from_utf8_lossy(line).trim_end())
                .is_ok_and(|c| c.id == id || c.adds_to.as_deref() == Some(id));
            if belongs {
                removed = true;
            } else {
                kept.extend_from_slice(line);
            }
        }
        if removed {
            write_atomic(path, &kept)?;
        }
        Ok(removed)
    })();
    let _ = file.unlock();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written() -> StartTime {
        "2026-11-23T21:00:00+01:00".parse().expect("time")
    }

    fn sample() -> CheckIn {
        let mut checkin = CheckIn::new(jiff::civil::date(2026, 11, 23), written());
        checkin.pain = Some(6);
        checkin.interference = Some(4);
        checkin.sleep = Some(3);
        checkin.stress = Some(4);
        checkin
    }

    #[test]
    fn a_checkin_is_one_line_and_reads_back_the_same() {
        let mut checkin = sample();
        checkin.note = "stiff \"all\" day\nbetter after a walk".to_owned();
        let line = checkin_line(&checkin).expect("line");
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(parse_checkin_line(&line), Ok(checkin));
    }

    #[test]
    fn an_answer_off_its_scale_is_named() {
        let line = checkin_line(&sample())
            .expect("line")
            .replace("stress: 4", "stress: 6");
        let error = parse_checkin_line(&line).expect_err("off the scale");
        assert_eq!(error, "stress: 6 is outside 1-5");
        let mut marked = sample();
        marked.marked = vec!["travel".to_owned()];
        assert!(marked.check().expect_err("not offered").contains("travel"));
    }

    #[test]
    fn additions_fold_into_their_checkin_and_a_torn_last_line_is_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checkins.log");
        let first = sample();
        append_checkin(&path, &first).expect("append");
        let mut addition = CheckIn::new(first.date, written());
        addition.adds_to = Some(first.id.clone());
        addition.offered = BUILT_IN_MARKS.iter().map(|m| m.to_string()).collect();
        addition.marked = vec!["long sitting".to_owned()];
        addition.note = "a long drive".to_owned();
        append_checkin(&path, &addition).expect("append");
        let torn = checkin_line(&sample()).expect("line");
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(&torn.as_bytes()[..torn.len() / 2]);
        std::fs::write(&path, bytes).expect("write");

        let read = load_checkins(&path).expect("reads");
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.entries[0].marked, vec!["long sitting".to_owned()]);
        assert_eq!(read.entries[0].offered.len(), BUILT_IN_MARKS.len());
        assert_eq!(read.entries[0].note, "a long drive");
        assert_eq!(read.problems.len(), 1);
        assert!(
            read.problems[0].contains("checkins.log:3: the last record was cut short"),
            "{:?}",
            read.problems
        );
        // The next check-in starts on a fresh line: the fragment goes.
        append_checkin(&path, &sample()).expect("append");
        let read = load_checkins(&path).expect("reads");
        assert_eq!((read.entries.len(), read.problems.len()), (2, 0));
    }

    #[test]
    fn deleting_a_checkin_takes_its_additions_and_keeps_every_other_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checkins.log");
        let kept = sample();
        let doomed = sample();
        let mut addition = CheckIn::new(doomed.date, written());
        addition.adds_to = Some(doomed.id.clone());
        addition.note = "gone with it".to_owned();
        let line = |c: &CheckIn| checkin_line(c).expect("line") + "\n";
        let foreign = "\u{feff}a remark \u{fffd} by hand\n".to_owned();
        std::fs::write(
            &path,
            [line(&kept), line(&doomed), foreign.clone(), line(&addition)].concat(),
        )
        .expect("write");
        assert!(delete_checkin(&path, &doomed.id).expect("deletes"));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            [line(&kept), foreign].concat()
        );
        assert!(!delete_checkin(&path, &doomed.id).expect("runs"));
    }

    fn any_answer(scale: std::ops::RangeInclusive<u8>) -> impl Strategy<Value = Option<u8>> {
        proptest::option::of(scale)
    }

    prop_compose! {
        fn any_checkin()(
            day in 0i32..3000,
            pain in any_answer(0..=10),
            interference in any_answer(0..=10),
            sleep in any_answer(0..=10),
            stress in any_answer(1..=5),
            offered in proptest::collection::vec("[a-z' ]{1,20}", 0..6),
            pick in proptest::collection::vec(any::<bool>(), 6),
            note in "\\PC{0,80}",
            peg in proptest::option::of((0u8..=10, 0u8..=10, 0u8..=10)),
        ) -> CheckIn {
            let date = jiff::civil::date(2020, 1, 1)
                .checked_add(jiff::Span::new().days(day))
                .expect("in range");
            let mut checkin = CheckIn::new(date, written());
            checkin.pain = pain;
            checkin.interference = interference;
            checkin.sleep = sleep;
            checkin.stress = stress;
            let offered: Vec<String> = offered.into_iter().filter(|m| !m.trim().is_empty()).collect();
            checkin.marked = offered
                .iter()
                .zip(&pick)
                .filter(|(_, ticked)| **ticked)
                .map(|(m, _)| m.clone())
                .collect();
            checkin.offered = offered;
            checkin.note = note;
            checkin.peg = peg.map(|(pain, enjoyment, activity)| Peg { pain, enjoyment, activity });
            checkin
        }
    }

    proptest! {
        #[test]
        fn every_written_checkin_reads_back_the_same(checkin in any_checkin()) {
            let line = checkin_line(&checkin).expect("line");
            prop_assert!(!line.contains('\n'));
            prop_assert_eq!(parse_checkin_line(&line), Ok(checkin));
        }

        #[test]
        fn a_changed_line_reads_as_a_valid_checkin_or_is_refused_with_a_reason(
            checkin in any_checkin(),
            at in any::<proptest::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let mut line = checkin_line(&checkin).expect("line").into_bytes();
            let at = at.index(line.len());
            line[at] = byte;
            let text = String::from_utf8_lossy(&line);
            match parse_checkin_line(&text) {
                Ok(read) => prop_assert!(read.check().is_ok()),
                Err(reason) => prop_assert!(!reason.is_empty()),
            }
        }

        #[test]
        fn any_text_is_read_or_refused_without_a_panic(text in "\\PC{0,200}") {
            let _ = parse_checkin_line(&text);
        }
    }
}
