//! The history for other programs and for people: CSV and JSON with stable, documented columns,
//! and a plain table.

use std::io::{self, Write};

use serde::Serialize;

use super::record::{SessionEnd, SessionRecord};

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
    /// `completed`, `ended early`, or `interrupted` (by a crash, kill or power cut; recovered
    /// from the session's last checkpoint).
    pub outcome: &'static str,
    /// The step the session ended or was interrupted in, counting from 1 (empty when completed).
    pub ended_at_step: Option<u32>,
    pub tension_before: Option<u8>,
    pub tension_after: Option<u8>,
    pub note: &'a str,
    pub app_version: &'a str,
    /// The heart, for a session with a heart rate strap (empty otherwise): beats a minute on
    /// average, the mean swing per breath (beats a minute), RMSSD (ms), clean and dropped beats.
    pub mean_heart_rate: Option<f64>,
    pub mean_swing: Option<f64>,
    pub rmssd: Option<f64>,
    pub clean_beats: Option<u32>,
    pub dropped_beats: Option<u32>,
}

impl<'a> From<&'a SessionRecord> for ExportRow<'a> {
    fn from(record: &'a SessionRecord) -> Self {
        let (outcome, ended_at_step) = match record.end {
            SessionEnd::Completed => ("completed", None),
            SessionEnd::EndedEarly { step } => ("ended early", Some(step)),
            SessionEnd::Interrupted { step } => ("interrupted", Some(step)),
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
            mean_heart_rate: record.heart.map(|h| h.mean_heart_rate),
            mean_swing: record.heart.and_then(|h| h.mean_swing),
            rmssd: record.heart.and_then(|h| h.rmssd),
            clean_beats: record.heart.map(|h| h.clean_beats),
            dropped_beats: record.heart.map(|h| h.dropped_beats),
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

/// The export columns, in order (the heart's last: they came later).
pub const EXPORT_COLUMNS: [&str; 19] = [
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
    "mean_heart_rate",
    "mean_swing",
    "rmssd",
    "clean_beats",
    "dropped_beats",
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
        "{:<16}  {:<24}  {:>7}  {:>7}  {:<23}  {:>7}",
        "started", "practice", "minutes", "breaths", "outcome", "tension"
    )?;
    for record in records {
        let outcome = match record.end {
            SessionEnd::Completed => "completed".to_owned(),
            SessionEnd::EndedEarly { step } => format!("ended at step {step}"),
            SessionEnd::Interrupted { step } => format!("interrupted at step {step}"),
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
            "{:<16}  {:<24}  {:>7.1}  {:>7}  {:<23}  {:>7}",
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
mod tests {
    use super::*;
    use crate::store::record::sample_record;

    #[test]
    fn exports_have_stable_columns() {
        let mut with_heart = sample_record("Box 4-4-4-4", SessionEnd::Completed);
        with_heart.heart = Some(crate::store::record::HeartRecord {
            mean_heart_rate: 63.2,
            mean_swing: Some(9.4),
            rmssd: None,
            clean_beats: 602,
            dropped_beats: 3,
        });
        let records = vec![
            with_heart,
            sample_record("Night, late", SessionEnd::EndedEarly { step: 2 }),
            sample_record("4-7-8", SessionEnd::Interrupted { step: 3 }),
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
        assert!(text.contains(",interrupted,3,7,,"), "{text}");
        assert!(text.contains(",0.1.0,63.2,9.4,,602,3\n"), "{text}");
        assert!(text.contains(",0.1.0,,,,,\n"), "no strap, no heart: {text}");

        let mut json_out = Vec::new();
        write_json(&mut json_out, &records).expect("json");
        let parsed: serde_json::Value = serde_json::from_slice(&json_out).expect("valid json");
        assert_eq!(parsed[1]["outcome"], "ended early");
        assert_eq!(parsed[0]["ended_at_step"], serde_json::Value::Null);
        assert_eq!(parsed[2]["outcome"], "interrupted");
        assert_eq!(parsed[2]["ended_at_step"], 3);
        assert_eq!(parsed[0]["mean_swing"], 9.4);
        assert_eq!(parsed[0]["clean_beats"], 602);
        assert_eq!(parsed[1]["mean_heart_rate"], serde_json::Value::Null);
    }

    #[test]
    fn the_table_says_how_each_session_ended() {
        let records = vec![
            sample_record("Box 4-4-4-4", SessionEnd::Completed),
            sample_record("Night 3-7", SessionEnd::EndedEarly { step: 2 }),
            sample_record("4-7-8", SessionEnd::Interrupted { step: 13 }),
        ];
        let mut out = Vec::new();
        write_table(&mut out, &records).expect("table");
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].contains("  completed  "), "{text}");
        assert!(lines[2].contains("  ended at step 2  "), "{text}");
        assert!(lines[3].contains("  interrupted at step 13  "), "{text}");
        // The columns stay lined up however a session ended: every row is as wide as the header.
        let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{text}");
    }
}
