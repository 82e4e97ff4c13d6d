//! The history as the app keeps it in memory: for each session only what the screens show
//! (when, which practice, how long, how it ended, how tense), the practice names shared. A
//! hundred thousand sessions take about 12 MB instead of the 30 MB full records would, and the
//! log is read a line at a time, so reading it never holds the whole file either. Exports read
//! the full records from the log again.

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::store::history::{StartTime, read_history_with};
use crate::store::insights::InsightFacts;
use crate::store::{SessionEnd, SessionRecord};

/// One session, as the app keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptSession {
    pub id: Box<str>,
    pub started: StartTime,
    pub practice: Arc<str>,
    pub breathed_seconds: f32,
    pub end: SessionEnd,
    pub tension_before: Option<u8>,
    pub tension_after: Option<u8>,
    /// The heart's mean swing per breath, for a session with a strap.
    pub heart_swing: Option<f32>,
}

/// Practice names, each kept once.
#[derive(Clone, Debug, Default)]
pub struct Names(HashSet<Arc<str>>);

impl Names {
    fn get(&mut self, name: &str) -> Arc<str> {
        if let Some(kept) = self.0.get(name) {
            return Arc::clone(kept);
        }
        let kept: Arc<str> = Arc::from(name);
        self.0.insert(Arc::clone(&kept));
        kept
    }
}

impl KeptSession {
    pub fn of(record: &SessionRecord, names: &mut Names) -> Self {
        KeptSession {
            id: record.id.as_str().into(),
            started: record.started,
            practice: names.get(&record.practice),
            breathed_seconds: record.breathed_seconds as f32,
            end: record.end,
            tension_before: record.tension_before,
            tension_after: record.tension_after,
            heart_swing: record
                .heart
                .and_then(|heart| heart.mean_swing)
                .map(|swing| swing as f32),
        }
    }
}

impl InsightFacts for KeptSession {
    fn practice(&self) -> &str {
        &self.practice
    }

    fn breathed_seconds(&self) -> f64 {
        self.breathed_seconds as f64
    }

    fn tension(&self) -> (Option<u8>, Option<u8>) {
        (self.tension_before, self.tension_after)
    }

    fn date(&self) -> jiff::civil::Date {
        self.started.date()
    }

    fn heart_swing(&self) -> Option<f64> {
        self.heart_swing.map(f64::from)
    }
}

/// The kept history: sessions oldest first, the lines that could not be read, and the names.
#[derive(Clone, Debug, Default)]
pub struct KeptHistory {
    pub sessions: Vec<KeptSession>,
    pub problems: Vec<String>,
    pub names: Names,
}

/// About how many bytes a record's line takes, to size the list once.
const TYPICAL_LINE: u64 = 240;

/// Reads the log a line at a time (`store::history::read_history_with`), keeping the compact
/// form of each record. A missing file is an empty history; lines that do not read are named in
/// `problems` as the full reader names them.
pub fn read_kept(path: &Path) -> io::Result<KeptHistory> {
    let expected = std::fs::metadata(path).map_or(0, |m| m.len() / TYPICAL_LINE) as usize;
    let mut sessions = Vec::with_capacity(expected);
    let mut names = Names::default();
    let problems = read_history_with(path, |record| {
        sessions.push(KeptSession::of(&record, &mut names));
    })?;
    sessions.shrink_to_fit();
    Ok(KeptHistory {
        sessions,
        problems,
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::append_record;

    fn record(practice: &str, id: &str) -> SessionRecord {
        SessionRecord {
            version: 1,
            id: id.to_owned(),
            started: "2026-11-23T21:00:00+01:00".parse().expect("a time"),
            practice: practice.to_owned(),
            practised: "4-6, 5 min".to_owned(),
            planned_seconds: 300.0,
            breathed_seconds: 150.5,
            paused_seconds: 0.0,
            breaths: 15,
            end: SessionEnd::EndedEarly { step: 1 },
            tension_before: Some(6),
            tension_after: Some(3),
            heart: None,
            note: String::new(),
            app_version: "test".to_owned(),
        }
    }

    #[test]
    fn the_kept_history_agrees_with_the_log_and_shares_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        for (practice, id) in [("Box", "a"), ("Night", "b"), ("Box", "c")] {
            append_record(&path, &record(practice, id)).expect("appended");
        }
        // A line that is not a record, and a last one cut short.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(b"not a record\n(version:1,id:\"d\",sta");
        std::fs::write(&path, bytes).expect("write");
        let kept = read_kept(&path).expect("reads");
        let full = crate::store::load_history(&path).expect("reads");
        assert_eq!(kept.sessions.len(), 3);
        for (kept, full) in kept.sessions.iter().zip(&full.records) {
            assert_eq!(*kept.id, full.id);
            assert_eq!(&*kept.practice, full.practice);
            assert_eq!(kept.started, full.started);
            assert_eq!(kept.end, full.end);
            assert_eq!(kept.breathed_seconds(), 150.5);
            assert_eq!(kept.tension(), (Some(6), Some(3)));
        }
        assert!(Arc::ptr_eq(
            &kept.sessions[0].practice,
            &kept.sessions[2].practice
        ));
        assert_eq!(kept.problems.len(), 2, "{:?}", kept.problems);
        assert_eq!(
            kept.problems, full.problems,
            "named as the full reader names them"
        );
        assert!(kept.problems[0].contains(":4: not a readable record"));
        assert!(kept.problems[1].contains(":5: the last record was cut short"));
        assert!(
            read_kept(&dir.path().join("none.log"))
                .expect("missing is empty")
                .sessions
                .is_empty()
        );
    }
}
