//! How the reminders went each day (micro-rest nudges shown and started, reminders put off with
//! "Later"), for "What changed?": `reminder-days.ron`, the last 60 days, written atomically.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::atomic::KeptAside;
use super::ron_file::{Sanitize, read_or_default, write_pretty};
use crate::practice::pain::Nudges;

/// Days kept: "What changed?" looks at the last 31.
pub const KEPT_DAYS: i64 = 60;

/// One day's reminders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderDay {
    /// Micro-rest nudges shown.
    pub shown: u32,
    /// Micro-rests started from a nudge.
    pub started: u32,
    /// Reminders (nudges or transitions) answered "Later".
    pub later: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderDays {
    pub version: u32,
    pub days: BTreeMap<Date, ReminderDay>,
}

/// What happened to a reminder, to be counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderAnswer {
    NudgeShown,
    NudgeStarted,
    Later,
}

impl ReminderDays {
    pub fn load(path: &Path) -> (ReminderDays, Option<String>) {
        read_or_default(path, "no reminder counts until it is fixed")
    }

    pub fn save(&self, path: &Path) -> std::io::Result<Option<KeptAside>> {
        let mut days = self.clone();
        days.version = 1;
        write_pretty(path, &days)
    }

    /// Counts `answer` on `today`, and lets days older than `KEPT_DAYS` go.
    pub fn count(&mut self, answer: ReminderAnswer, today: Date) {
        let day = self.days.entry(today).or_default();
        let slot = match answer {
            ReminderAnswer::NudgeShown => &mut day.shown,
            ReminderAnswer::NudgeStarted => &mut day.started,
            ReminderAnswer::Later => &mut day.later,
        };
        *slot = slot.saturating_add(1);
        if let Ok(oldest) = today.checked_sub(jiff::Span::new().days(KEPT_DAYS)) {
            self.days.retain(|date, _| *date >= oldest);
        }
    }

    /// The day's counts as the statistics see them, where kept.
    pub fn nudges(&self, date: Date) -> Option<Nudges> {
        self.days.get(&date).map(|day| Nudges {
            shown: day.shown,
            started: day.started,
            later: day.later,
        })
    }

    /// The first day kept: from it on, a day without counts had none.
    pub fn first(&self) -> Option<Date> {
        self.days.keys().next().copied()
    }
}

impl Sanitize for ReminderDays {
    fn sanitize(&mut self, _file: &str) -> Vec<String> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_kept_by_day_and_old_days_go() {
        let mut days = ReminderDays::default();
        let first = jiff::civil::date(2026, 9, 1);
        days.count(ReminderAnswer::NudgeShown, first);
        days.count(ReminderAnswer::NudgeShown, first);
        days.count(ReminderAnswer::NudgeStarted, first);
        days.count(ReminderAnswer::Later, first);
        let nudges = days.nudges(first).expect("kept");
        assert_eq!((nudges.shown, nudges.skipped(), nudges.later), (2, 1, 1));
        let later = jiff::civil::date(2026, 11, 23);
        days.count(ReminderAnswer::Later, later);
        assert_eq!(days.nudges(first), None, "more than 60 days back");
        assert_eq!(days.first(), Some(later));

        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reminder-days.ron");
        days.save(&path).expect("saves");
        let (read, problem) = ReminderDays::load(&path);
        assert_eq!(problem, None);
        assert_eq!(read.days, days.days);
    }
}
