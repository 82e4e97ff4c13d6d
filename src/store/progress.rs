//! The person's level in each progressive practice, and how it got there: `progress.ron`, written
//! atomically.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ron_file::{read_or_default, write_pretty};
use crate::practice::pacing::Progress;

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
    /// Reads the book; a missing file is an empty book, an unreadable one an empty book and the
    /// reason (the file is left alone).
    pub fn load(path: &Path) -> (ProgressBook, Option<String>) {
        read_or_default(path)
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
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
}
