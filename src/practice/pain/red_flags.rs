//! When pain has not eased over weeks, or keeps rising, the app says so calmly and suggests
//! seeing someone. It is not a diagnosis and not medical advice.

use jiff::civil::Date;

use super::stats::mean;
use super::{Day, between, days_before};

/// When it may be worth seeing a doctor or physiotherapist, in calm words.
pub const SEE_SOMEONE: [&str; 4] = [
    "pain that has not improved in 2 to 4 weeks",
    "pain at night, or pain that wakes you",
    "numbness or weakness, for example in a leg",
    "changes in bowel or bladder control",
];

/// Said with the reasons above.
pub const NOT_ADVICE: &str = "It may be worth seeing a doctor or physiotherapist if you notice \
    any of these. downshift cannot tell what is causing pain; this is not medical advice.";

/// The three weeks looked at.
const WINDOW_DAYS: i64 = 21;
/// Check-in days needed in them.
const CHECK_INS_NEEDED: usize = 12;
/// Check-ins needed in each of the first and last week.
const CHECK_INS_PER_WEEK: usize = 3;
/// "Not easing" only counts from this mean pain in the last week.
const STILL_HIGH: f64 = 4.0;
/// "Rising" means the last week is at least this much above the first.
const RISE: f64 = 2.0;

/// Why the app suggests seeing someone.
#[derive(Clone, Debug, PartialEq)]
pub struct RedFlag {
    /// In plain words, with the numbers.
    pub why: String,
}

/// Checks the three weeks ending `today` (21 days, at least 12 of them with a pain answer):
/// flags pain rising (the last week's mean at least 2 points above the first week's) or not
/// easing (the last week's mean at least 4 and not lower than the first week's).
pub fn check(days: &[Day], today: Date) -> Option<RedFlag> {
    let window = between(days, days_before(today, WINDOW_DAYS - 1)?, today);
    let check_ins = window.iter().filter(|day| day.pain.is_some()).count();
    if check_ins < CHECK_INS_NEEDED {
        return None;
    }
    let week_mean = |first: Date, last: Date| {
        let pains: Vec<f64> = between(days, first, last)
            .iter()
            .filter_map(|day| day.pain)
            .collect();
        (pains.len() >= CHECK_INS_PER_WEEK)
            .then(|| mean(pains))
            .flatten()
    };
    let first_week = week_mean(
        days_before(today, WINDOW_DAYS - 1)?,
        days_before(today, WINDOW_DAYS - 7)?,
    )?;
    let last_week = week_mean(days_before(today, 6)?, today)?;
    let why = if last_week >= first_week + RISE {
        format!(
            "Pain has risen over three weeks of check-ins: about {first_week:.0} three weeks ago, \
             about {last_week:.0} this week."
        )
    } else if last_week >= STILL_HIGH && last_week >= first_week {
        format!(
            "Pain has not eased over three weeks of check-ins: about {first_week:.0} three weeks \
             ago, about {last_week:.0} this week."
        )
    } else {
        return None;
    };
    Some(RedFlag { why })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn weeks(today: Date, pain_by_day: impl Fn(i64) -> Option<f64>) -> Vec<Day> {
        (0..WINDOW_DAYS)
            .rev()
            .map(|back| {
                let mut day = Day::empty(days_before(today, back).expect("in the calendar"));
                day.pain = pain_by_day(back);
                day
            })
            .collect()
    }

    #[test]
    fn pain_that_does_not_ease_is_flagged() {
        let today = date(2025, 5, 20);
        let days = weeks(today, |back| (back % 3 != 0).then_some(5.0));
        let flag = check(&days, today).expect("5 for three weeks");
        assert_eq!(
            flag.why,
            "Pain has not eased over three weeks of check-ins: about 5 three weeks ago, about 5 \
             this week."
        );
    }

    #[test]
    fn rising_pain_is_flagged() {
        let today = date(2025, 5, 20);
        let days = weeks(today, |back| Some(if back >= 14 { 2.0 } else { 4.5 }));
        let flag = check(&days, today).expect("2.5 points higher");
        assert!(flag.why.starts_with("Pain has risen"), "{}", flag.why);
    }

    #[test]
    fn easing_or_mild_or_sparse_pain_is_not_flagged() {
        let today = date(2025, 5, 20);
        let easing = weeks(today, |back| Some(if back >= 14 { 6.0 } else { 4.0 }));
        assert_eq!(check(&easing, today), None);
        let mild = weeks(today, |_| Some(3.0));
        assert_eq!(check(&mild, today), None);
        let sparse = weeks(today, |back| (back % 2 == 0).then_some(6.0)); // 11 of 21
        assert_eq!(check(&sparse, today), None);
        assert!(
            SEE_SOMEONE
                .iter()
                .any(|reason| reason.contains("2 to 4 weeks"))
        );
    }
}
