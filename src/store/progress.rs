//! The person's level in each progressive practice, and how it got there: `progress.ron`, written
//! atomically.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::atomic::KeptAside;
use super::ron_file::{Sanitize, count_in_range, in_range, read_or_default, write_pretty};
use crate::practice::pacing::Progress;

/// The exhale lengths a level may have: those `practice::validate` allows for any phase.
const EXHALE_SECONDS: (f64, f64) = (0.5, 60.0);
/// Far more calm sessions in a row than pacing ever counts to before offering a change; a
/// larger number in the file is brought down to this, so counting on never overflows.
pub const MAX_CALM_IN_A_ROW: u32 = 10_000;

/// One accepted change of level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelChange {
    /// The local date, "YYYY-MM-DD".
    pub date: String,
    pub from: f64,
    pub to: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeProgress {
    pub progress: Progress,
    #[serde(default)]
    pub changes: Vec<LevelChange>,
}

/// Every progressive practice's standing, by practice name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressBook {
    pub version: u32,
    pub practices: BTreeMap<String, PracticeProgress>,
}

impl ProgressBook {
    /// Reads the book. A missing file is an empty book. A file that does not parse is an empty
    /// book; levels out of range are brought in, and one that is not a number goes back to the
    /// last accepted level (or the preset's own); either way the notice names progress.ron, the
    /// practice and the field, and the file is left as it is (kept aside before the next save
    /// writes over it, see `ron_file`).
    pub fn load(path: &Path) -> (ProgressBook, Option<String>) {
        read_or_default(
            path,
            "no progress for now (every practice starts from its preset) until it is fixed",
        )
    }

    /// Saves the book atomically. `Some` when the file there could not be read as it was and was
    /// kept aside first: tell the person where.
    pub fn save(&self, path: &Path) -> std::io::Result<Option<KeptAside>> {
        let mut book = self.clone();
        book.version = 1;
        write_pretty(path, &book)
    }

    /// The standing in `practice`, starting at `base_exhale` the first time.
    pub fn standing(&self, practice: &str, base_exhale: f64) -> Progress {
        self.practices
            .get(practice)
            .map(|p| p.progress.clone())
            .unwrap_or(Progress {
                exhale: base_exhale,
                calm_in_a_row: 0,
            })
    }

    pub fn set(&mut self, practice: &str, progress: Progress, change: Option<LevelChange>) {
        let entry = self
            .practices
            .entry(practice.to_owned())
            .or_insert_with(|| PracticeProgress {
                progress: progress.clone(),
                changes: Vec::new(),
            });
        entry.progress = progress;
        entry.changes.extend(change);
    }
}

impl Sanitize for ProgressBook {
    fn sanitize(&mut self, file: &str) -> Vec<String> {
        let mut notes = Vec::new();
        self.practices.retain(|name, entry| {
            let field = |part: &str| format!("practices[{name:?}].{part}");
            let before = entry.changes.len();
            entry
                .changes
                .retain(|c| c.from.is_finite() && c.to.is_finite());
            if entry.changes.len() < before {
                notes.push(format!(
                    "{file}: {}: {} level changes with a level that is not a number are left out",
                    field("changes"),
                    before - entry.changes.len()
                ));
            }
            let exhale = &mut entry.progress.exhale;
            if !exhale.is_finite() {
                let last_accepted = entry.changes.iter().rev().map(|c| c.to).find(|to| {
                    (EXHALE_SECONDS.0..=EXHALE_SECONDS.1).contains(to)
                });
                let Some(level) = last_accepted else {
                    notes.push(format!(
                        "{file}: {}: {exhale} is not a usable number, so the practice starts again from its preset's exhale",
                        field("progress.exhale")
                    ));
                    return false;
                };
                notes.push(format!(
                    "{file}: {}: {exhale} is not a usable number, so the last accepted level, {level}, is used",
                    field("progress.exhale")
                ));
                *exhale = level;
            }
            notes.extend(in_range(
                file,
                &field("progress.exhale"),
                exhale,
                EXHALE_SECONDS,
                EXHALE_SECONDS.0,
            ));
            notes.extend(count_in_range(
                file,
                &field("progress.calm_in_a_row"),
                &mut entry.progress.calm_in_a_row,
                (0, MAX_CALM_IN_A_ROW),
            ));
            true
        });
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_round_trips_and_keeps_the_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.ron");
        let mut book = ProgressBook::default();
        assert_eq!(book.standing("Extended exhale 4-6", 6.0).exhale, 6.0);
        book.set(
            "Extended exhale 4-6",
            Progress {
                exhale: 6.6,
                calm_in_a_row: 0,
            },
            Some(LevelChange {
                date: "2026-11-21".into(),
                from: 6.0,
                to: 6.6,
            }),
        );
        book.save(&path).expect("saves");
        let (read, problem) = ProgressBook::load(&path);
        assert_eq!(problem, None);
        assert_eq!(read.standing("Extended exhale 4-6", 6.0).exhale, 6.6);
        assert_eq!(read.practices["Extended exhale 4-6"].changes.len(), 1);
    }

    #[test]
    fn an_unreadable_progress_file_survives_a_save_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.ron");
        let original = "(practices: {\"Extended exhale 4-6\": (progress: (exhale: \"long\"))})";
        std::fs::write(&path, original).expect("write");
        let (book, notice) = ProgressBook::load(&path);
        assert_eq!(book, ProgressBook::default());
        let notice = notice.expect("a notice");
        assert!(notice.contains("progress.ron:1:"), "{notice}");
        assert!(notice.contains("practices.progress.exhale: "), "{notice}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), original);

        let kept = book.save(&path).expect("saves").expect("kept aside first");
        assert_eq!(std::fs::read_to_string(&kept.kept).expect("read"), original);
        let (saved, notice) = ProgressBook::load(&path);
        assert_eq!((saved.practices, notice), (book.practices, None));
    }

    #[test]
    fn a_level_that_is_not_a_number_is_refused_naming_progress_ron_and_the_field() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.ron");
        let original = r#"(practices: {
            "Extended exhale 4-6": (progress: (exhale: NaN, calm_in_a_row: 2), changes: [
                (date: "2026-11-01", from: 6.0, to: 6.6),
                (date: "2026-11-08", from: 6.6, to: inf),
            ]),
            "Extended exhale 4-8": (progress: (exhale: inf)),
            "Resonance 5-5": (progress: (exhale: 900.0)),
        })"#;
        std::fs::write(&path, original).expect("write");
        let (book, notice) = ProgressBook::load(&path);
        let notice = notice.expect("a notice");
        let file = path.display().to_string();
        let named = |field: &str| notice.contains(&format!("{file}: practices[{field}"));
        assert!(
            named(r#""Extended exhale 4-6"].progress.exhale: NaN"#),
            "{notice}"
        );
        assert!(
            named(r#""Extended exhale 4-6"].changes: 1 level change"#),
            "{notice}"
        );
        assert!(
            named(r#""Extended exhale 4-8"].progress.exhale: inf"#),
            "{notice}"
        );
        assert!(
            named(r#""Resonance 5-5"].progress.exhale: 900 is outside 0.5 to 60"#),
            "{notice}"
        );

        // The last accepted level; the preset's own exhale; the longest a phase may be.
        assert_eq!(book.standing("Extended exhale 4-6", 6.0).exhale, 6.6);
        assert_eq!(book.standing("Extended exhale 4-6", 6.0).calm_in_a_row, 2);
        assert_eq!(book.standing("Extended exhale 4-8", 6.0).exhale, 6.0);
        assert_eq!(book.standing("Resonance 5-5", 5.0).exhale, 60.0);

        let kept = book.save(&path).expect("saves").expect("kept aside first");
        assert_eq!(std::fs::read_to_string(&kept.kept).expect("read"), original);
        let (saved, notice) = ProgressBook::load(&path);
        assert_eq!((saved.practices, notice), (book.practices, None));
    }

    #[test]
    fn a_huge_calm_count_is_brought_down_so_counting_on_cannot_overflow() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.ron");
        std::fs::write(
            &path,
            "(practices: {\"Night 3-7\": (progress: (exhale: 7.0, calm_in_a_row: 4294967295))})",
        )
        .expect("write");
        let (book, notice) = ProgressBook::load(&path);
        let notice = notice.expect("a notice");
        assert!(
            notice.contains("practices[\"Night 3-7\"].progress.calm_in_a_row: 4294967295"),
            "{notice}"
        );
        let standing = book.standing("Night 3-7", 7.0);
        assert_eq!(standing.calm_in_a_row, MAX_CALM_IN_A_ROW);
        let calm = crate::practice::pacing::ProgressionFacts {
            completed: true,
            tension_before: Some(5),
            tension_after: Some(3),
        };
        let (after, _) = crate::practice::pacing::after_session(&standing, calm, 7.0, 6.0);
        assert_eq!(after.calm_in_a_row, MAX_CALM_IN_A_ROW + 1);
    }
}
