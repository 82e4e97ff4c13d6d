//! On a day with much more pain than usual: what was different in the last few days. Said as
//! differences only, never as causes.

use jiff::civil::Date;

use super::stats::{mean, median};
use super::{Day, between, days_before};

/// Said under every list of changes.
pub const CAVEAT: &str = "These were different; they may or may not be related.";

/// Today's pain must be at least this many points above the usual (the median of the 14 days
/// before today) for the comparison to be offered.
const PAIN_ABOVE_USUAL: f64 = 2.0;
/// Days before today that set the usual pain.
const USUAL_PAIN_DAYS: i64 = 14;
/// Check-ins needed among them: a median of three answers is not "usual".
const USUAL_PAIN_CHECK_INS: usize = 7;
/// The recent days compared: today and the two before.
const RECENT_DAYS: i64 = 3;
/// The days before them that set what is usual.
const BEFORE_DAYS: i64 = 28;
/// Answers needed in the 28 days for a usual value.
const BEFORE_ANSWERS: usize = 7;
/// A mark is "new" when it was marked on at most this share of the days it was offered
/// before (or never offered).
const MARK_USUALLY_AT_MOST: f64 = 0.15;

/// What was different in the last three days.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    /// Today's pain.
    pub pain: f64,
    /// The median pain of the 14 days before today.
    pub usual_pain: f64,
    /// One line per real difference, e.g. "Micro-rests: 2, usually 6."; may be empty.
    pub lines: Vec<String>,
}

/// When today's pain is at least 2 points above the median of the 14 days before (with at
/// least 7 check-ins among them), compares today and the two days before with the 28 days
/// before those. None otherwise. `days` may be in any order, with gaps.
pub fn compare(days: &[Day], today: Date) -> Option<Changes> {
    let pain = between(days, today, today).first()?.pain?;
    let usual_pains: Vec<f64> = between(
        days,
        days_before(today, USUAL_PAIN_DAYS)?,
        days_before(today, 1)?,
    )
    .iter()
    .filter_map(|day| day.pain)
    .collect();
    if usual_pains.len() < USUAL_PAIN_CHECK_INS {
        return None;
    }
    let usual_pain = median(usual_pains)?;
    if pain < usual_pain + PAIN_ABOVE_USUAL {
        return None;
    }

    let recent = between(days, days_before(today, RECENT_DAYS - 1)?, today);
    let before = between(
        days,
        days_before(today, RECENT_DAYS + BEFORE_DAYS - 1)?,
        days_before(today, RECENT_DAYS)?,
    );
    // Session counts are known on every day of the record: days missing from `days` (before
    // the record began) are not counted as zero.
    let per_day = |selected: &[&Day], value: &dyn Fn(&Day) -> f64| {
        mean(selected.iter().map(|day| value(day)))
    };
    let answered = |selected: &[&Day], value: &dyn Fn(&Day) -> Option<f64>, needed: usize| {
        let answers: Vec<f64> = selected.iter().filter_map(|day| value(day)).collect();
        (answers.len() >= needed).then(|| mean(answers)).flatten()
    };

    let mut lines = Vec::new();
    if let (Some(now), Some(usual)) = (
        answered(&recent, &|day| day.sleep, 1),
        answered(&before, &|day| day.sleep, BEFORE_ANSWERS),
    ) && (now - usual).abs() >= 2.0
    {
        lines.push(format!("Sleep {}, usually {}.", whole(now), whole(usual)));
    }
    if let (Some(now), Some(usual)) = (
        answered(&recent, &|day| day.stress, 1),
        answered(&before, &|day| day.stress, BEFORE_ANSWERS),
    ) && (now - usual).abs() >= 1.0
    {
        lines.push(format!("Stress {}, usually {}.", whole(now), whole(usual)));
    }
    let enough_before = before.len() >= BEFORE_ANSWERS;
    if let (Some(now), Some(usual)) = (
        per_day(&recent, &|day| f64::from(day.micro_rests)),
        per_day(&before, &|day| f64::from(day.micro_rests)),
    ) && enough_before
        && clearly_different(now, usual, 2.0)
    {
        lines.push(format!(
            "Micro-rests: {}, usually {}.",
            whole(now),
            whole(usual)
        ));
    }
    if let (Some(now), Some(usual)) = (
        per_day(&recent, &|day| day.minutes_breathed),
        per_day(&before, &|day| day.minutes_breathed),
    ) && enough_before
        && clearly_different(now, usual, 5.0)
    {
        lines.push(format!(
            "Breathing: {} minutes a day, usually {}.",
            whole(now),
            whole(usual)
        ));
    }
    let wind_downs = |selected: &[&Day]| selected.iter().filter(|day| day.wind_down).count();
    if enough_before && !recent.is_empty() {
        let now = wind_downs(&recent);
        let usual = wind_downs(&before) as f64 / before.len() as f64 * recent.len() as f64;
        if (now as f64 - usual).abs() >= 2.0 {
            lines.push(format!(
                "Evening wind-downs: {now} of the last {}, usually {}.",
                recent.len(),
                whole(usual)
            ));
        }
    }
    // Reminders are known only for the days downshift kept them: compared where both sides
    // have enough known days.
    let nudges = |selected: &[&Day], value: fn(&super::Nudges) -> u32| {
        let known: Vec<f64> = selected
            .iter()
            .filter_map(|day| day.nudges.as_ref().map(|n| f64::from(value(n))))
            .collect();
        (known.len() * 2 >= selected.len().max(1))
            .then(|| mean(known))
            .flatten()
    };
    for (what, value) in [
        (
            "Micro-rest nudges skipped",
            super::Nudges::skipped as fn(&super::Nudges) -> u32,
        ),
        ("Reminders put off with Later", |n: &super::Nudges| n.later),
    ] {
        if let (Some(now), Some(usual)) = (nudges(&recent, value), nudges(&before, value))
            && enough_before
            && clearly_different(now, usual, 2.0)
        {
            lines.push(format!("{what}: {}, usually {}.", whole(now), whole(usual)));
        }
    }
    let new_marks: Vec<&String> = {
        let mut names: Vec<&String> = recent
            .iter()
            .flat_map(|day| day.marks.iter())
            .filter(|&(_, &marked)| marked)
            .map(|(name, _)| name)
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter(|name| {
                let offered: Vec<bool> = before
                    .iter()
                    .filter_map(|day| day.marks.get(*name).copied())
                    .collect();
                let marked = offered.iter().filter(|&&marked| marked).count();
                offered.is_empty() || marked as f64 <= MARK_USUALLY_AT_MOST * offered.len() as f64
            })
            .collect()
    };
    if !new_marks.is_empty() {
        let names: Vec<&str> = new_marks.iter().map(|name| name.as_str()).collect();
        lines.push(format!("Marked: {}.", names.join(", ")));
    }
    Some(Changes {
        pain,
        usual_pain,
        lines,
    })
}

/// Different enough to mention: by at least `at_least` and by at least a third of the usual.
fn clearly_different(now: f64, usual: f64, at_least: f64) -> bool {
    let gap = (now - usual).abs();
    gap >= at_least && gap >= usual.abs() / 3.0 && whole(now) != whole(usual)
}

/// A value rounded to a whole number for a line (a day's answers are whole numbers).
fn whole(value: f64) -> String {
    format!("{:.0}", value.round())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// 40 calm days ending on `today`: pain 3, sleep 7, stress 2, six micro-rests, 12 minutes,
    /// a wind-down every evening, "travel" offered and never marked.
    fn calm(today: Date) -> Vec<Day> {
        (0..40)
            .rev()
            .map(|back| {
                let mut day = Day::empty(days_before(today, back).expect("in the calendar"));
                day.pain = Some(3.0);
                day.sleep = Some(7.0);
                day.stress = Some(2.0);
                day.micro_rests = 6;
                day.minutes_breathed = 12.0;
                day.wind_down = true;
                day.marks.insert("travel".to_string(), false);
                day
            })
            .collect()
    }

    #[test]
    fn skipped_nudges_and_laters_are_said_only_where_they_were_kept() {
        let today = date(2025, 5, 20);
        let mut days = calm(today);
        days.last_mut().expect("today").pain = Some(7.0);
        let changes = compare(&days, today).expect("pain stands out");
        assert!(
            changes.lines.iter().all(|l| !l.contains("nudges")),
            "not kept: not said"
        );
        for (back, day) in days.iter_mut().rev().enumerate() {
            day.nudges = Some(crate::practice::pain::Nudges {
                shown: 6,
                started: if back < 3 { 1 } else { 5 },
                later: if back < 3 { 4 } else { 0 },
            });
        }
        let changes = compare(&days, today).expect("pain stands out");
        assert!(
            changes
                .lines
                .contains(&"Micro-rest nudges skipped: 5, usually 1.".to_owned()),
            "{:?}",
            changes.lines
        );
        assert!(
            changes
                .lines
                .contains(&"Reminders put off with Later: 4, usually 0.".to_owned()),
            "{:?}",
            changes.lines
        );
    }

    #[test]
    fn an_ordinary_day_compares_nothing() {
        let today = date(2025, 5, 20);
        assert_eq!(compare(&calm(today), today), None);
        let mut days = calm(today);
        days.last_mut().expect("days").pain = Some(4.5); // 1.5 above usual: not enough
        assert_eq!(compare(&days, today), None);
        days.last_mut().expect("days").pain = None;
        assert_eq!(compare(&days, today), None);
    }

    #[test]
    fn a_bad_day_lists_what_really_differed() {
        let today = date(2025, 5, 20);
        let mut days = calm(today);
        let count = days.len();
        for day in &mut days[count - 3..] {
            day.sleep = Some(4.0);
            day.micro_rests = 2;
            day.wind_down = false;
            day.minutes_breathed = 11.0; // a minute less: not a real difference
        }
        days[count - 2].marks.insert("travel".to_string(), true);
        days[count - 1].pain = Some(6.0);
        let changes = compare(&days, today).expect("3 points above usual");
        assert_eq!(changes.pain, 6.0);
        assert_eq!(changes.usual_pain, 3.0);
        assert_eq!(
            changes.lines,
            vec![
                "Sleep 4, usually 7.",
                "Micro-rests: 2, usually 6.",
                "Evening wind-downs: 0 of the last 3, usually 3.",
                "Marked: travel.",
            ]
        );
    }

    #[test]
    fn usual_pain_needs_seven_check_ins() {
        let today = date(2025, 5, 20);
        let mut days = calm(today);
        let count = days.len();
        // The 14 days before today are days[count - 15..count - 1]: seven answered remain.
        for day in &mut days[count - 15..count - 8] {
            day.pain = None;
        }
        days[count - 1].pain = Some(8.0);
        assert!(compare(&days, today).is_some());
        days[count - 8].pain = None;
        assert_eq!(compare(&days, today), None, "six check-ins are not enough");
    }
}
