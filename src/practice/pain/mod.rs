//! What a person's own check-ins can honestly say about their back pain.
//!
//! One person's days are not independent: today's pain resembles yesterday's. So everything here
//! follows a few rules (see `patterns`): shuffles in blocks of two weeks, one lag declared in
//! advance, weekday-adjusted pain, Benjamini-Hochberg over every factor checked, gates on the
//! number of days and on the size of the effect, and a guard against reading the arrow backwards.
//! The strongest evidence is a randomised small test (`small_test`). Pure: time and today's date
//! are passed in; nothing here reads files or clocks.

pub mod patterns;
pub mod red_flags;
pub mod small_test;
mod stats;
pub mod what_changed;

use std::collections::BTreeMap;

use jiff::civil::Date;

/// One calendar day as the statistics see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    pub date: Date,
    /// Pain today, 0-10: the mean of that day's check-ins (several a day allowed); None: no
    /// answer that day (never read as zero).
    pub pain: Option<f64>,
    /// How much pain got in the way today, 0-10 (mean of the day's check-ins).
    pub interference: Option<f64>,
    /// Sleep last night, 0 terrible - 10 excellent: the answer recorded on this day is about the
    /// night before it.
    pub sleep: Option<f64>,
    /// Stress today, 1-5.
    pub stress: Option<f64>,
    /// Each mark offered that day (by name) and whether it was marked; absent: not asked.
    pub marks: BTreeMap<String, bool>,
    /// Micro-rests done that day, from the session history (known on every day of the series).
    pub micro_rests: u32,
    /// Minutes of paced breathing that day, from the session history.
    pub minutes_breathed: f64,
    /// Whether an evening wind-down was done that day, from the session history.
    pub wind_down: bool,
    /// How the reminders went that day, where downshift kept it (`None`: not known, for days
    /// before it kept them, or while it did not run).
    pub nudges: Option<Nudges>,
}

/// One day's reminders: micro-rest nudges shown and started, and reminders put off ("Later").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nudges {
    pub shown: u32,
    pub started: u32,
    pub later: u32,
}

impl Nudges {
    /// Nudges shown and not started: micro-rests skipped.
    pub fn skipped(&self) -> u32 {
        self.shown.saturating_sub(self.started)
    }
}

impl Day {
    /// A day with no check-in and no sessions.
    pub fn empty(date: Date) -> Day {
        Day {
            date,
            pain: None,
            interference: None,
            sleep: None,
            stress: None,
            marks: BTreeMap::new(),
            micro_rests: 0,
            minutes_breathed: 0.0,
            wind_down: false,
            nudges: None,
        }
    }

    /// Whether the person checked in at all that day (any answer or any mark offered).
    pub fn checked_in(&self) -> bool {
        self.pain.is_some()
            || self.interference.is_some()
            || self.sleep.is_some()
            || self.stress.is_some()
            || !self.marks.is_empty()
    }
}

/// Days ascending, one per calendar day with no gaps: sorts, inserts `Day::empty` for every
/// missing date in between, and merges nothing (callers pass one `Day` per date, its fields
/// already the means of that day's check-ins; of two `Day`s with the same date the first is
/// kept, since averaging them here would hide a caller's mistake behind plausible numbers).
pub fn fill_gaps(mut days: Vec<Day>) -> Vec<Day> {
    days.sort_by_key(|day| day.date);
    let mut filled: Vec<Day> = Vec::with_capacity(days.len());
    for day in days {
        if let Some(last) = filled.last() {
            if day.date == last.date {
                continue;
            }
            let mut next = last.date.tomorrow().ok();
            while let Some(date) = next.filter(|&date| date < day.date) {
                filled.push(Day::empty(date));
                next = date.tomorrow().ok();
            }
        }
        filled.push(day);
    }
    filled
}

/// The date `n` days before `date`, if the calendar has it.
fn days_before(date: Date, n: i64) -> Option<Date> {
    date.checked_sub(jiff::Span::new().days(n)).ok()
}

/// The days of `days` from `first` to `last` inclusive, by date (any order and gaps allowed).
fn between(days: &[Day], first: Date, last: Date) -> Vec<&Day> {
    let mut found: Vec<&Day> = days
        .iter()
        .filter(|day| day.date >= first && day.date <= last)
        .collect();
    found.sort_by_key(|day| day.date);
    found.dedup_by_key(|day| day.date);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn fill_gaps_sorts_and_inserts_empty_days() {
        let mut late = Day::empty(date(2025, 3, 5));
        late.pain = Some(4.0);
        let mut early = Day::empty(date(2025, 3, 2));
        early.pain = Some(6.0);
        let filled = fill_gaps(vec![late.clone(), early.clone()]);
        let dates: Vec<Date> = filled.iter().map(|day| day.date).collect();
        assert_eq!(
            dates,
            vec![
                date(2025, 3, 2),
                date(2025, 3, 3),
                date(2025, 3, 4),
                date(2025, 3, 5)
            ]
        );
        assert_eq!(filled[0], early);
        assert_eq!(filled[3], late);
        assert_eq!(filled[1].pain, None);
    }

    #[test]
    fn fill_gaps_keeps_the_first_of_two_days_with_one_date() {
        let mut first = Day::empty(date(2025, 3, 2));
        first.pain = Some(6.0);
        let mut second = first.clone();
        second.pain = Some(2.0);
        let filled = fill_gaps(vec![first.clone(), second]);
        assert_eq!(filled, vec![first]);
        assert!(fill_gaps(Vec::new()).is_empty());
    }
}
