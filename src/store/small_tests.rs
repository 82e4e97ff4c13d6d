//! The small tests of one change ("a pillow under the knees"): `small-tests.ron`, the running one
//! last, written atomically. The schedule drawn at the start is kept as it was drawn: the
//! randomisation test is only valid for the schedule that was followed.

use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::atomic::KeptAside;
use super::ron_file::{Sanitize, read_or_default, write_pretty};
use crate::practice::pain::small_test::Schedule;

/// A change's words, at most this many characters.
pub const CHANGE_MAX: usize = 120;

/// One small test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmallTest {
    /// The change, in the person's words.
    pub change: String,
    /// The first day of the first block.
    pub start: Date,
    pub block_days: u32,
    /// Each block: with the change (true) or without it.
    pub with_change: Vec<bool>,
    /// The day it was stopped or closed. Before the schedule's end it was stopped early; on its
    /// end (the day after its last) it ran its course and was closed, and keeps its verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Date>,
}

impl SmallTest {
    pub fn new(change: String, schedule: &Schedule) -> Self {
        SmallTest {
            change,
            start: schedule.start,
            block_days: schedule.block_days,
            with_change: schedule.on.clone(),
            stopped: None,
        }
    }

    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.start,
            block_days: self.block_days,
            on: self.with_change.clone(),
        }
    }

    /// Still going on `today`: neither stopped nor past its last day.
    pub fn is_running(&self, today: Date) -> bool {
        self.stopped.is_none() && today < self.schedule().end()
    }

    /// Over by `today` and not stopped before its end: its result is a verdict.
    pub fn ran_its_course(&self, today: Date) -> bool {
        let end = self.schedule().end();
        today >= end && self.stopped.is_none_or(|stopped| stopped >= end)
    }
}

/// Every small test, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmallTests {
    pub version: u32,
    pub tests: Vec<SmallTest>,
}

impl SmallTests {
    /// Reads the file. A missing file is no tests; one that does not read is named and left as
    /// it is (kept aside before the next save).
    pub fn load(path: &Path) -> (SmallTests, Option<String>) {
        read_or_default(path, "no small tests until it is fixed")
    }

    pub fn save(&self, path: &Path) -> std::io::Result<Option<KeptAside>> {
        let mut tests = self.clone();
        tests.version = 1;
        write_pretty(path, &tests)
    }

    /// The test not yet stopped, the newest: one at a time. It may be over (past its end) and
    /// waiting for its result to be read.
    pub fn current(&self) -> Option<&SmallTest> {
        self.tests.last().filter(|t| t.stopped.is_none())
    }

    pub fn current_mut(&mut self) -> Option<&mut SmallTest> {
        self.tests.last_mut().filter(|t| t.stopped.is_none())
    }

    /// The one running on `today`, if any.
    pub fn running(&self, today: Date) -> Option<&SmallTest> {
        self.current().filter(|t| t.is_running(today))
    }
}

impl Sanitize for SmallTests {
    fn sanitize(&mut self, file: &str) -> Vec<String> {
        let mut notes = Vec::new();
        let mut index = 0;
        self.tests.retain(|test| {
            let field = format!("tests[{index}]");
            index += 1;
            let why = if test.change.trim().is_empty() || test.change.chars().count() > CHANGE_MAX {
                Some(format!("change: not 1 to {CHANGE_MAX} characters"))
            } else if !(1..=14).contains(&test.block_days) {
                Some(format!(
                    "block_days: {} is outside 1 to 14",
                    test.block_days
                ))
            } else if test.with_change.len() < 2 || test.with_change.len() > 40 {
                Some(format!(
                    "with_change: {} blocks is outside 2 to 40",
                    test.with_change.len()
                ))
            } else {
                None
            };
            if let Some(why) = &why {
                notes.push(format!("{file}: {field}: {why}, so it is left out"));
            }
            why.is_none()
        });
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_closed_on_its_end_ran_its_course_and_one_stopped_before_did_not() {
        let start = jiff::civil::date(2026, 10, 1);
        let mut test = SmallTest {
            change: "a pillow under the knees".to_owned(),
            start,
            block_days: 4,
            with_change: vec![true, false],
            stopped: None,
        };
        let end = test.schedule().end();
        assert_eq!(end, jiff::civil::date(2026, 10, 9));
        let last_day = jiff::civil::date(2026, 10, 8);
        assert!(!test.ran_its_course(last_day), "not over yet");
        assert!(test.ran_its_course(end));
        test.stopped = Some(end);
        assert!(test.ran_its_course(jiff::civil::date(2027, 1, 1)), "closed");
        test.stopped = Some(last_day);
        assert!(
            !test.ran_its_course(jiff::civil::date(2027, 1, 1)),
            "stopped early"
        );
    }
}
