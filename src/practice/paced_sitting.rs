//! Paced sitting: the micro-rest interval set from how long the person can usually sit before
//! their back starts to complain, and built up (or stepped back) a little at a time, as the
//! physiotherapy sources teach pacing: start below the baseline, build up by small steps, step
//! back after a flare. Pure rules: the dates and ratings are passed in; nothing changes without
//! a yes.
//!
//! - The interval starts at 80 % of the baseline (within the 5 to 240 minutes nudges allow).
//! - A calm week (at least 3 micro-rests rated before in the last 7 days, and no rise) at least
//!   7 days after the last change brings an offer to lengthen it by 10 % (at least 1 minute, at
//!   most 10), never past the baseline: the sources build toward tolerance, not beyond it.
//! - A rise (the mean tension before micro-rests over the last 7 days at least 1 point above
//!   the 7 days before, with at least 3 ratings in each) brings an offer to step back 15 %.
//! - After an answer, yes or no, nothing more is offered for 7 days.

use jiff::civil::Date;

use super::reminders::{IntervalChange, ReminderSettings};

/// The interval is kept within what nudges allow.
pub const SHORTEST: u32 = 5;
pub const LONGEST: u32 = 240;
/// The longest sitting baseline one can set, in minutes (eight hours).
pub const LONGEST_SIT: u32 = 480;
/// Days in a week of ratings, and between offers.
pub const WEEK_DAYS: i32 = 7;
/// Ratings needed in a week before anything is said about it.
pub const ENOUGH_RATINGS: usize = 3;
/// How much higher the week's mean tension must be than the week before to count as a rise.
pub const RISE: f64 = 1.0;

/// A suggested new interval and why; nothing changes until the person says yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SittingOffer {
    pub from: u32,
    pub to: u32,
    pub reason: String,
}

impl SittingOffer {
    pub fn lengthens(&self) -> bool {
        self.to > self.from
    }
}

/// The interval for a sitting baseline: 80 %, to the nearest minute.
pub fn interval_for(sit_minutes: u32) -> u32 {
    ((f64::from(sit_minutes) * 0.8).round() as u32).clamp(SHORTEST, LONGEST)
}

/// Sets (or clears) the sitting baseline on `today`; a baseline sets the interval, and the
/// change is kept with its date (changes on the same day are one change).
pub fn set_baseline(settings: &mut ReminderSettings, sit_minutes: Option<u32>, today: Date) {
    settings.sit_minutes = sit_minutes.map(|m| m.clamp(1, LONGEST_SIT));
    let Some(sit) = settings.sit_minutes else {
        return;
    };
    let to = interval_for(sit);
    let from = settings.micro_rest_minutes;
    let date = today.to_string();
    match settings.pacing_changes.last_mut() {
        Some(last) if last.date == date => last.to = to,
        _ if from != to => settings
            .pacing_changes
            .push(IntervalChange { date, from, to }),
        _ => {}
    }
    settings.micro_rest_minutes = to;
}

/// Days from `earlier` to `later`.
fn days_between(earlier: Date, later: Date) -> i32 {
    later.since(earlier).map_or(0, |span| span.get_days())
}

/// How many ratings, and their mean, from `first_day_back` to `first_day_back + 6` days
/// before `today` (today is 0 days back).
fn week(ratings: &[(Date, u8)], today: Date, first_day_back: i32) -> (usize, f64) {
    let within = ratings.iter().filter(|(date, _)| {
        let back = days_between(*date, today);
        *date <= today && (first_day_back..first_day_back + WEEK_DAYS).contains(&back)
    });
    let (count, sum) = within.fold((0, 0.0), |(n, sum), (_, tension)| {
        (n + 1, sum + f64::from(*tension))
    });
    (count, if count == 0 { 0.0 } else { sum / count as f64 })
}

/// The offer due `today`, if any, from the micro-rest practice's ratings of tension before
/// (each with the date of its session).
pub fn offer(
    settings: &ReminderSettings,
    ratings: &[(Date, u8)],
    today: Date,
) -> Option<SittingOffer> {
    let sit = settings.sit_minutes?;
    if !settings.micro_rests {
        return None;
    }
    // A date after today (a clock set back, a hand-edited file) is not "this week": it would
    // otherwise hold every offer back until that day comes.
    let within_week =
        |date: Option<Date>| date.is_some_and(|d| (0..WEEK_DAYS).contains(&days_between(d, today)));
    let asked = settings
        .pacing_asked
        .as_deref()
        .and_then(|d| d.parse().ok());
    if within_week(asked) {
        return None;
    }
    let interval = settings.micro_rest_minutes.clamp(SHORTEST, LONGEST);
    let (recent, recent_mean) = week(ratings, today, 0);
    let (before, before_mean) = week(ratings, today, WEEK_DAYS);
    if recent < ENOUGH_RATINGS {
        return None;
    }
    let rose = before >= ENOUGH_RATINGS && recent_mean - before_mean >= RISE;
    if rose {
        let to = ((f64::from(interval) * 0.85).round() as u32).max(SHORTEST);
        return (to < interval).then(|| SittingOffer {
            from: interval,
            to,
            reason: format!(
                "Your tension before micro-rests rose this week: {recent_mean:.1} on average, \
                 up from {before_mean:.1} the week before. Stepping back after a flare is part \
                 of pacing, not a failure."
            ),
        });
    }
    // Lengthening only after a week with no rise at all: a smaller rise than a flare is no
    // time to build up (nor, yet, to step back).
    let calm = before < ENOUGH_RATINGS || recent_mean <= before_mean;
    let last_change = settings.pacing_changes.last().and_then(IntervalChange::day);
    if !calm || within_week(last_change) {
        return None;
    }
    let cap = sit.min(LONGEST);
    let step = (f64::from(interval) * 0.10).round().clamp(1.0, 10.0) as u32;
    let to = (interval + step).min(cap);
    (to > interval).then(|| SittingOffer {
        from: interval,
        to,
        reason: format!(
            "A calm week: your tension before micro-rests did not rise over the last 7 days \
             ({recent} rated, {recent_mean:.1} on average). Pacing builds up a little at a time, \
             never past the {sit} minutes you can usually sit."
        ),
    })
}

/// The answer to an offer on `today`: yes sets the interval and keeps the change with its
/// date; either way nothing more is offered for a week.
pub fn answer(settings: &mut ReminderSettings, offer: &SittingOffer, accepted: bool, today: Date) {
    if accepted {
        settings.micro_rest_minutes = offer.to;
        settings.pacing_changes.push(IntervalChange {
            date: today.to_string(),
            from: offer.from,
            to: offer.to,
        });
    }
    settings.pacing_asked = Some(today.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Monday 23 November 2026, and `n` days before it.
    fn today() -> Date {
        date(2026, 11, 23)
    }

    fn days_ago(n: i32) -> Date {
        today()
            .checked_sub(jiff::Span::new().days(n))
            .expect("a date")
    }

    /// Paced sitting with a 60-minute baseline, set `set_days_ago`; the interval is 48 minutes.
    fn pacing(set_days_ago: i32) -> ReminderSettings {
        let mut settings = ReminderSettings {
            micro_rests: true,
            ..ReminderSettings::default()
        };
        set_baseline(&mut settings, Some(60), days_ago(set_days_ago));
        settings
    }

    /// `tension` rated on each of `days` (days ago).
    fn rated(days: &[i32], tension: u8) -> Vec<(Date, u8)> {
        days.iter().map(|d| (days_ago(*d), tension)).collect()
    }

    #[test]
    fn the_interval_is_80_percent_of_the_sitting_baseline_within_the_nudge_limits() {
        for (sit, interval) in [(60, 48), (45, 36), (50, 40), (3, 5), (400, 240), (33, 26)] {
            assert_eq!(interval_for(sit), interval, "{sit} minutes");
        }
        let mut settings = ReminderSettings::default();
        set_baseline(&mut settings, Some(6), today());
        set_baseline(&mut settings, Some(60), today());
        assert_eq!(settings.micro_rest_minutes, 48);
        assert_eq!(
            settings.pacing_changes,
            [IntervalChange {
                date: "2026-11-23".into(),
                from: 60,
                to: 48
            }],
            "typing the number is one change that day"
        );
        set_baseline(&mut settings, None, today());
        assert_eq!(settings.sit_minutes, None);
        assert_eq!(settings.micro_rest_minutes, 48, "the interval stays");
    }

    #[test]
    fn a_date_after_today_in_the_file_does_not_hold_offers_back() {
        let calm_week = [rated(&[1, 3, 5], 3), rated(&[8, 10, 12], 3)].concat();
        let mut settings = pacing(9);
        settings.pacing_asked = Some("2031-01-01".into());
        assert!(offer(&settings, &calm_week, today()).is_some());
    }

    #[test]
    fn offers_follow_the_rules_and_say_why() {
        let calm_week = [rated(&[1, 3, 5], 3), rated(&[8, 10, 12], 3)].concat();
        let flare = [rated(&[1, 3, 5], 6), rated(&[8, 10, 12], 4)].concat();
        let almost = [rated(&[1, 3], 4), rated(&[5, 8, 10, 12], 3)].concat();
        let few = rated(&[1, 3], 2);
        // (baseline set days ago, ratings, expected (from, to))
        type Case = (i32, Vec<(Date, u8)>, Option<(u32, u32)>);
        let cases: Vec<Case> = vec![
            (7, calm_week.clone(), Some((48, 53))),
            (6, calm_week.clone(), None),
            (20, flare.clone(), Some((48, 41))),
            (2, flare.clone(), Some((48, 41))),
            // A rise under one point is not a flare, nor a calm week: no offer either way.
            (9, almost, None),
            // Lower or the same as the week before: calm.
            (
                9,
                [rated(&[1, 3, 5], 3), rated(&[8, 10, 12], 4)].concat(),
                Some((48, 53)),
            ),
            // A calm week needs three ratings; a flare needs three in each week.
            (9, few, None),
            (
                9,
                [rated(&[1, 3, 5], 6), rated(&[8, 10], 2)].concat(),
                Some((48, 53)),
            ),
            // Ratings from the future or over two weeks old say nothing.
            (9, rated(&[-1, -2, -3, 14, 15], 2), None),
        ];
        for (set, ratings, expected) in cases {
            let found = offer(&pacing(set), &ratings, today());
            assert_eq!(
                found.as_ref().map(|o| (o.from, o.to)),
                expected,
                "set {set} days ago, {ratings:?}"
            );
            if let Some(found) = found {
                let why = if found.lengthens() {
                    "A calm week: your tension before micro-rests did not rise over the last 7 days ("
                } else {
                    "Your tension before micro-rests rose this week: 6.0 on average, up from 4.0 the week before."
                };
                assert!(found.reason.starts_with(why), "{}", found.reason);
            }
        }
        let calm = offer(&pacing(7), &calm_week, today()).expect("an offer");
        assert_eq!(
            calm.reason,
            "A calm week: your tension before micro-rests did not rise over the last 7 days \
             (3 rated, 3.0 on average). Pacing builds up a little at a time, never past the 60 \
             minutes you can usually sit."
        );
        // Without a baseline, or with nudges off, nothing is offered.
        let mut off = pacing(9);
        off.micro_rests = false;
        assert_eq!(offer(&off, &calm_week, today()), None);
        let none = ReminderSettings {
            micro_rests: true,
            ..ReminderSettings::default()
        };
        assert_eq!(offer(&none, &calm_week, today()), None);
    }

    #[test]
    fn lengthening_is_ten_percent_at_most_ten_minutes_and_never_past_the_baseline() {
        let calm = rated(&[0, 1, 2], 2);
        // (baseline, interval, expected to)
        for (sit, interval, to) in [
            (60, 48, Some(53)),
            (60, 58, Some(60)),
            (60, 60, None),
            (240, 150, Some(160)),
            (20, 6, Some(7)),
        ] {
            let mut settings = pacing(30);
            settings.sit_minutes = Some(sit);
            settings.micro_rest_minutes = interval;
            let found = offer(&settings, &calm, today()).map(|o| o.to);
            assert_eq!(found, to, "{sit} baseline, {interval} interval");
        }
    }

    #[test]
    fn yes_sets_the_interval_and_keeps_the_change_and_no_waits_a_week() {
        let calm = rated(&[0, 1, 2], 2);
        let mut settings = pacing(10);
        let found = offer(&settings, &calm, today()).expect("an offer");
        answer(&mut settings, &found, false, today());
        assert_eq!(settings.micro_rest_minutes, 48, "no keeps everything");
        for day in 1..WEEK_DAYS {
            let later = today()
                .checked_add(jiff::Span::new().days(day))
                .expect("a date");
            assert_eq!(offer(&settings, &calm, later), None, "not again that week");
        }
        answer(&mut settings, &found, true, today());
        assert_eq!(settings.micro_rest_minutes, 53);
        assert_eq!(
            settings.pacing_changes.last(),
            Some(&IntervalChange {
                date: "2026-11-23".into(),
                from: 48,
                to: 53
            })
        );
    }

    proptest! {
        /// Day by day over eight weeks, with ratings and answers at random: every offer keeps
        /// within 5 minutes and the baseline, lengthens only after a week without a change,
        /// and comes at most once a week.
        #[test]
        fn offers_stay_within_bounds_and_come_at_most_once_a_week(
            sit in 1u32..500,
            ratings in proptest::collection::vec((0i32..56, 0u8..=10), 0..80),
            answers in proptest::collection::vec(any::<bool>(), 56),
        ) {
            let start = date(2026, 10, 1);
            let day = |n: i32| start.checked_add(jiff::Span::new().days(n)).expect("a date");
            let mut settings = ReminderSettings { micro_rests: true, ..ReminderSettings::default() };
            set_baseline(&mut settings, Some(sit), start);
            let dated: Vec<(Date, u8)> = ratings.iter().map(|(d, t)| (day(*d), *t)).collect();
            let mut last_offer: Option<i32> = None;
            for (n, yes) in answers.iter().enumerate() {
                let n = n as i32;
                let today = day(n);
                let known: Vec<_> = dated.iter().copied().filter(|(d, _)| *d <= today).collect();
                let Some(found) = offer(&settings, &known, today) else { continue };
                prop_assert!(found.to >= SHORTEST && found.to <= LONGEST);
                prop_assert!(found.to <= sit.max(found.from), "{found:?} past {sit}");
                prop_assert_ne!(found.to, found.from);
                prop_assert_eq!(found.from, settings.micro_rest_minutes);
                if found.lengthens() {
                    prop_assert!(found.to - found.from <= 10);
                    let changed = settings.pacing_changes.last().and_then(IntervalChange::day);
                    prop_assert!(changed.is_none_or(|c| days_between(c, today) >= WEEK_DAYS));
                } else {
                    let (recent, recent_mean) = week(&known, today, 0);
                    let (before, before_mean) = week(&known, today, WEEK_DAYS);
                    prop_assert!(recent >= ENOUGH_RATINGS && before >= ENOUGH_RATINGS);
                    prop_assert!(recent_mean - before_mean >= RISE);
                }
                if let Some(last) = last_offer {
                    prop_assert!(n - last >= WEEK_DAYS, "offers on day {last} and {n}");
                }
                last_offer = Some(n);
                answer(&mut settings, &found, *yes, today);
            }
        }
    }
}
