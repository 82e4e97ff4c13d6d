//! The session history: an append-only log, one complete RON record per line, flushed to disk
//! when a session ends. A line cut short by a power cut is reported and skipped; every earlier
//! record survives. Two running copies take turns through a file lock.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use ron::extensions::Extensions;
use serde::{Deserialize, Serialize};

use super::atomic::open_private_append;

/// The record format version this build writes.
pub const RECORD_VERSION: u32 = 1;

/// When a session began: the local date and time then, and the UTC offset in force. Kept as
/// RFC 3339 text ("2026-11-21T21:05:00+01:00"), which reads back without a time-zone lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartTime {
    pub local: jiff::civil::DateTime,
    pub offset: jiff::tz::Offset,
}

impl StartTime {
    /// Now, to the second, in the system's time zone.
    pub fn now() -> Self {
        Self::of(&jiff::Zoned::now())
    }

    pub fn of(zoned: &jiff::Zoned) -> Self {
        let local = zoned.datetime();
        StartTime {
            local: local.with().subsec_nanosecond(0).build().unwrap_or(local),
            offset: zoned.offset(),
        }
    }

    /// The calendar day it was where the person was.
    pub fn date(&self) -> jiff::civil::Date {
        self.local.date()
    }
}

impl std::fmt::Display for StartTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset.to_timestamp(self.local) {
            Ok(instant) => write!(f, "{}", instant.display_with_offset(self.offset)),
            Err(_) => write!(f, "{}", self.local),
        }
    }
}

impl std::str::FromStr for StartTime {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let pieces = jiff::fmt::temporal::Pieces::parse(text).map_err(|e| e.to_string())?;
        let time = pieces.time().ok_or("the start time has no time of day")?;
        let offset = pieces
            .to_numeric_offset()
            .ok_or("the start time has no UTC offset")?;
        Ok(StartTime {
            local: pieces.date().to_datetime(time),
            offset,
        })
    }
}

impl Serialize for StartTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StartTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionEnd {
    Completed,
    /// Ended before the practice was over, during step `step` (1-based, as people count).
    EndedEarly {
        step: u32,
    },
}

/// One practised session, as kept in `history.log`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    pub version: u32,
    pub id: String,
    /// When the session began, with the UTC offset then in force.
    pub started: StartTime,
    pub practice: String,
    /// What was practised, in words, as it was then (editing the preset later changes nothing).
    pub practised: String,
    pub planned_seconds: f64,
    pub breathed_seconds: f64,
    pub paused_seconds: f64,
    pub breaths: u32,
    pub end: SessionEnd,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tension_before: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tension_after: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub app_version: String,
}

impl SessionRecord {
    pub fn completed(&self) -> bool {
        self.end == SessionEnd::Completed
    }
}

/// A short id, unique enough for one person's log: start time plus a little noise.
pub fn new_record_id(started: &StartTime) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let noise = nanos ^ (std::process::id() << 8);
    format!(
        "{}-{:04x}",
        started.local.strftime("%Y%m%dT%H%M%S"),
        noise & 0xffff
    )
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(8)
}

/// One record as one line of text (no newline inside; strings are escaped).
pub fn record_line(record: &SessionRecord) -> Result<String, ron::Error> {
    let compact = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .compact_structs(true)
        .compact_arrays(true);
    ron_options().to_string_pretty(record, compact)
}

pub fn parse_record_line(line: &str) -> Result<SessionRecord, String> {
    if let Some(record) = super::record_reader::read_compact(line) {
        return Ok(record);
    }
    ron_options()
        .from_str(line)
        .map_err(|e| format!("column {}: {}", e.span.start.col, e.code))
}

/// Appends one record and flushes it to disk. Holds an exclusive lock while writing, so two
/// copies of the app never interleave; repairs a torn last line first so records stay one a line.
pub fn append_record(path: &Path, record: &SessionRecord) -> io::Result<()> {
    let line = record_line(record).map_err(io::Error::other)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::paths::create_private_dir(dir)?;
    }
    let mut file = lock_log(path)?;
    let result = append_locked(&mut file, &line);
    let _ = file.unlock();
    result
}

/// Opens the log and takes its lock, making sure the file locked is still the one at `path`
/// (a deletion elsewhere may have replaced it while this copy waited).
fn lock_log(path: &Path) -> io::Result<File> {
    for _ in 0..20 {
        let file = open_private_append(path)?;
        file.lock()?;
        if is_current(path, &file) {
            return Ok(file);
        }
        let _ = file.unlock();
    }
    Err(io::Error::other(
        "the history log keeps being replaced; try again",
    ))
}

#[cfg(unix)]
fn is_current(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(on_disk), Ok(open)) => on_disk.ino() == open.ino() && on_disk.dev() == open.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_current(_path: &Path, _file: &File) -> bool {
    true
}

/// Removes the record `id`, rewriting the log atomically; says whether it was there.
pub fn delete_record(path: &Path, id: &str) -> io::Result<bool> {
    let file = lock_log(path)?;
    let result = (|| {
        let bytes = std::fs::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut kept = String::with_capacity(text.len());
        let mut found = false;
        for line in text.split_inclusive('\n') {
            let is_it = !found && parse_record_line(line.trim_end()).is_ok_and(|r| r.id == id);
            if is_it {
                found = true;
            } else {
                kept.push_str(line);
            }
        }
        if found {
            super::atomic::write_atomic(path, kept.as_bytes())?;
        }
        Ok(found)
    })();
    let _ = file.unlock();
    result
}

/// The longest tail searched for the end of the last whole record.
const TORN_TAIL_LIMIT: u64 = 64 * 1024;

fn append_locked(file: &mut File, line: &str) -> io::Result<()> {
    let length = file.seek(SeekFrom::End(0))?;
    let mut text = String::with_capacity(line.len() + 2);
    let mut last = [0u8; 1];
    if length > 0 {
        file.seek(SeekFrom::Start(length - 1))?;
        file.read_exact(&mut last)?;
    }
    if length > 0 && last[0] != b'\n' {
        let tail_start = length.saturating_sub(TORN_TAIL_LIMIT);
        let mut tail = Vec::with_capacity((length - tail_start) as usize);
        file.seek(SeekFrom::Start(tail_start))?;
        file.read_to_end(&mut tail)?;
        // A record cut short by a crash: it was the session in flight and cannot be read.
        // Drop the fragment, so it is reported only until now, and start on a fresh line.
        match tail.iter().rposition(|&b| b == b'\n') {
            Some(end) => {
                log::warn!("dropping a cut-short history record");
                file.set_len(tail_start + end as u64 + 1)?;
            }
            None if tail_start == 0 => file.set_len(0)?,
            None => text.push('\n'),
        }
    }
    text.push_str(line);
    text.push('\n');
    // One write of the whole line, in append mode.
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// What reading the log found.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Oldest first, as written.
    pub records: Vec<SessionRecord>,
    /// Lines that could not be read, each with its line number and reason.
    pub problems: Vec<String>,
}

/// Reads the whole log. A missing file is an empty history.
pub fn load_history(path: &Path) -> io::Result<History> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(History::default()),
        Err(e) => return Err(e),
    };
    let text = String::from_utf8_lossy(&bytes);
    let ends_cleanly = text.is_empty() || text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    // Two halves read side by side: a long history opens twice as fast on two cores.
    let middle = lines.len() / 2;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_lines(&lines[middle..], middle));
        let first = read_lines(&lines[..middle], 0);
        (first, second.join().unwrap_or_default())
    });
    let mut history = History::default();
    for (index, parsed) in first.into_iter().chain(second) {
        let torn = index + 1 == lines.len() && !ends_cleanly;
        match parsed {
            Ok(record) => history.records.push(record),
            Err(_) if torn => history.problems.push(format!(
                "{}:{}: the last record was cut short (the app or computer stopped while saving) and was skipped",
                path.display(),
                index + 1
            )),
            Err(reason) => history.problems.push(format!(
                "{}:{}: not a readable record, skipped ({reason})",
                path.display(),
                index + 1
            )),
        }
    }
    Ok(history)
}

/// Each non-blank line's record (or why not), with its index in the file counted from `offset`.
fn read_lines(lines: &[&str], offset: usize) -> Vec<(usize, Result<SessionRecord, String>)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (offset + i, parse_record_line(line)))
        .collect()
}

/// One record as an export row: the stable, documented columns of `downshift history`.
#[derive(Debug, Serialize)]
pub struct ExportRow<'a> {
    pub id: &'a str,
    /// RFC 3339 with the UTC offset, e.g. 2026-11-21T21:05:00+01:00.
    pub started: String,
    pub practice: &'a str,
    pub practised: &'a str,
    pub planned_seconds: f64,
    pub breathed_seconds: f64,
    pub paused_seconds: f64,
    pub breaths: u32,
    /// `completed` or `ended early`.
    pub outcome: &'static str,
    /// The step the session ended in, counting from 1 (empty when completed).
    pub ended_at_step: Option<u32>,
    pub tension_before: Option<u8>,
    pub tension_after: Option<u8>,
    pub note: &'a str,
    pub app_version: &'a str,
}

impl<'a> From<&'a SessionRecord> for ExportRow<'a> {
    fn from(record: &'a SessionRecord) -> Self {
        let (outcome, ended_at_step) = match record.end {
            SessionEnd::Completed => ("completed", None),
            SessionEnd::EndedEarly { step } => ("ended early", Some(step)),
        };
        ExportRow {
            id: &record.id,
            started: record.started.to_string(),
            practice: &record.practice,
            practised: &record.practised,
            planned_seconds: record.planned_seconds,
            breathed_seconds: record.breathed_seconds,
            paused_seconds: record.paused_seconds,
            breaths: record.breaths,
            outcome,
            ended_at_step,
            tension_before: record.tension_before,
            tension_after: record.tension_after,
            note: &record.note,
            app_version: &record.app_version,
        }
    }
}

pub fn write_csv(out: &mut impl Write, records: &[SessionRecord]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for record in records {
        writer
            .serialize(ExportRow::from(record))
            .map_err(io::Error::other)?;
    }
    if records.is_empty() {
        writer
            .write_record(EXPORT_COLUMNS)
            .map_err(io::Error::other)?;
    }
    writer.flush()
}

/// The export columns, in order.
pub const EXPORT_COLUMNS: [&str; 14] = [
    "id",
    "started",
    "practice",
    "practised",
    "planned_seconds",
    "breathed_seconds",
    "paused_seconds",
    "breaths",
    "outcome",
    "ended_at_step",
    "tension_before",
    "tension_after",
    "note",
    "app_version",
];

pub fn write_json(out: &mut impl Write, records: &[SessionRecord]) -> io::Result<()> {
    let rows: Vec<ExportRow> = records.iter().map(ExportRow::from).collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
    writeln!(out)
}

/// A table for people: newest last, like a diary.
pub fn write_table(out: &mut impl Write, records: &[SessionRecord]) -> io::Result<()> {
    if records.is_empty() {
        return writeln!(out, "No sessions yet. Your first one will appear here.");
    }
    writeln!(
        out,
        "{:<16}  {:<24}  {:>7}  {:>7}  {:<16}  {:>7}",
        "started", "practice", "minutes", "breaths", "outcome", "tension"
    )?;
    for record in records {
        let row = ExportRow::from(record);
        let outcome = match row.ended_at_step {
            Some(step) => format!("ended at step {step}"),
            None => "completed".to_owned(),
        };
        let tension = match (record.tension_before, record.tension_after) {
            (Some(before), Some(after)) => format!("{before} → {after}"),
            (Some(before), None) => format!("{before} →"),
            (None, Some(after)) => format!("→ {after}"),
            (None, None) => String::new(),
        };
        let practice: String = record.practice.chars().take(24).collect();
        writeln!(
            out,
            "{:<16}  {:<24}  {:>7.1}  {:>7}  {:<16}  {:>7}",
            record.started.local.strftime("%Y-%m-%d %H:%M"),
            practice,
            record.breathed_seconds / 60.0,
            record.breaths,
            outcome,
            tension
        )?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample_record(practice: &str, end: SessionEnd) -> SessionRecord {
        let started: StartTime = "2026-11-21T21:05:00+01:00".parse().expect("valid time");
        SessionRecord {
            version: RECORD_VERSION,
            id: new_record_id(&started),
            started,
            practice: practice.to_owned(),
            practised: "4-6 for 5 min".to_owned(),
            planned_seconds: 300.0,
            breathed_seconds: 120.5,
            paused_seconds: 3.0,
            breaths: 12,
            end,
            tension_before: Some(7),
            tension_after: None,
            note: "jaw \"tight\"\nthen less".to_owned(),
            app_version: "0.1.0".to_owned(),
        }
    }

    #[test]
    fn a_record_is_one_line_and_reads_back_the_same() {
        let record = sample_record("Evening wind-down", SessionEnd::EndedEarly { step: 2 });
        let line = record_line(&record).expect("writes");
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("tension_before: 7"), "{line}");
        assert_eq!(parse_record_line(&line), Ok(record));
    }

    #[test]
    fn appends_keep_every_record_and_a_torn_last_line_is_reported_and_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let first = sample_record("Box 4-4-4-4", SessionEnd::Completed);
        append_record(&path, &first).expect("append");
        // A power cut in the middle of the second append.
        let torn = record_line(&sample_record("Night 3-7", SessionEnd::Completed)).expect("line");
        let mut file = open_private_append(&path).expect("open");
        file.write_all(&torn.as_bytes()[..torn.len() / 2])
            .expect("write");
        drop(file);

        let history = load_history(&path).expect("reads");
        assert_eq!(history.records, vec![first.clone()]);
        assert_eq!(history.problems.len(), 1);
        assert!(history.problems[0].contains(":2: the last record was cut short"));

        // The next session's record replaces the fragment: it is reported no more.
        let third = sample_record("4-7-8", SessionEnd::EndedEarly { step: 1 });
        append_record(&path, &third).expect("append");
        let history = load_history(&path).expect("reads");
        assert_eq!(history.records, vec![first, third]);
        assert_eq!(history.problems, Vec::<String>::new());
    }

    #[test]
    fn exports_have_stable_columns() {
        let records = vec![
            sample_record("Box 4-4-4-4", SessionEnd::Completed),
            sample_record("Night, late", SessionEnd::EndedEarly { step: 2 }),
        ];
        let mut csv_out = Vec::new();
        write_csv(&mut csv_out, &records).expect("csv");
        let text = String::from_utf8(csv_out).expect("utf8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(EXPORT_COLUMNS.join(",").as_str()));
        assert!(
            text.contains("2026-11-21T21:05:00+01:00,\"Night, late\""),
            "{text}"
        );
        assert!(text.contains(",ended early,2,7,,"), "{text}");

        let mut json_out = Vec::new();
        write_json(&mut json_out, &records).expect("json");
        let parsed: serde_json::Value = serde_json::from_slice(&json_out).expect("valid json");
        assert_eq!(parsed[1]["outcome"], "ended early");
        assert_eq!(parsed[0]["ended_at_step"], serde_json::Value::Null);
    }

    #[test]
    fn deleting_a_record_keeps_every_other_line_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let mut records = Vec::new();
        for (n, practice) in ["a", "b", "c"].iter().enumerate() {
            let mut record = sample_record(practice, SessionEnd::Completed);
            record.id = format!("id-{n}");
            append_record(&path, &record).expect("append");
            records.push(record);
        }
        std::fs::write(
            &path,
            std::fs::read_to_string(&path).expect("read") + "a hand-written remark\n",
        )
        .expect("write");
        assert!(delete_record(&path, "id-1").expect("deletes"));
        assert!(!delete_record(&path, "id-1").expect("runs"), "already gone");
        let history = load_history(&path).expect("reads");
        assert_eq!(
            history.records,
            vec![records[0].clone(), records[2].clone()]
        );
        assert_eq!(
            history.problems.len(),
            1,
            "the remark is kept, and still reported"
        );
        // Appending after a rewrite goes to the new file.
        append_record(&path, &records[1]).expect("append");
        assert_eq!(load_history(&path).expect("reads").records.len(), 3);
    }

    #[test]
    fn a_missing_log_is_an_empty_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = load_history(&dir.path().join("history.log")).expect("reads");
        assert!(history.records.is_empty() && history.problems.is_empty());
    }
}
