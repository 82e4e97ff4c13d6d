//! What the history says: streaks, this week, what works, and the course of minutes and tension.
//! Pure: computed from records and a given "today", so it can be tested and timed.

use std::collections::HashMap;

use jiff::civil::Date;

use super::record::SessionRecord;

/// What insights need of a session: a full record, or the app's compact copy of one.
pub trait InsightFacts {
    fn practice(&self) -> &str;
    fn breathed_seconds(&self) -> f64;
    /// How tense before and after, where rated.
    fn tension(&self) -> (Option<u8>, Option<u8>);
    /// The day it began, where the person was.
    fn date(&self) -> Date;
    /// The heart's mean swing per breath (beats a minute), for a session with a strap.
    fn heart_swing(&self) -> Option<f64> {
        None
    }
}

impl InsightFacts for SessionRecord {
    fn practice(&self) -> &str {
        &self.practice
    }

    fn breathed_seconds(&self) -> f64 {
        self.breathed_seconds
    }

    fn tension(&self) -> (Option<u8>, Option<u8>) {
        (self.tension_before, self.tension_after)
    }

    fn date(&self) -> Date {
        self.started.date()
    }

    fn heart_swing(&self) -> Option<f64> {
        self.heart.and_then(|heart| heart.mean_swing)
    }
}

/// Days shown in the charts at most.
pub const CHART_DAYS: usize = 90;

/// One practice's record.
#[derive(Clone, Debug, PartialEq)]
pub struct PracticeStats {
    pub practice: String,
    pub sessions: u32,
    pub minutes: f64,
    /// Sessions rated both before and after.
    pub rated: u32,
    /// Mean of (after − before) over rated sessions: negative means tension eased.
    pub average_change: Option<f64>,
}

/// Sessions of this many rated ones or more say something about a practice; fewer are
/// marked as uncertain.
pub const ENOUGH_RATED: u32 = 5;

/// The rated sessions of one day, summed: the tension chart shows their means, so 100,000
/// sessions draw as few points as ten.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct DayTension {
    /// Sessions rated both before and after.
    pub rated: u32,
    pub before_sum: f64,
    pub after_sum: f64,
}

impl DayTension {
    /// Mean tension before and after, if any session that day was rated.
    pub fn means(&self) -> Option<(f64, f64)> {
        (self.rated > 0).then(|| {
            let n = self.rated as f64;
            (self.before_sum / n, self.after_sum / n)
        })
    }
}

/// The heart's swing over one day's sessions with a strap, summed.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct DaySwing {
    pub sessions: u32,
    pub swing_sum: f64,
}

impl DaySwing {
    pub fn mean(&self) -> Option<f64> {
        (self.sessions > 0).then(|| self.swing_sum / self.sessions as f64)
    }
}

/// The mean swing over `days` (those with any), and the sessions it rests on.
pub fn swing_over(days: &[DaySwing]) -> Option<(f64, u32)> {
    let sessions: u32 = days.iter().map(|d| d.sessions).sum();
    (sessions > 0).then(|| {
        let sum: f64 = days.iter().map(|d| d.swing_sum).sum();
        (sum / sessions as f64, sessions)
    })
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Insights {
    pub sessions: usize,
    /// Days in a row with at least one session, up to today (or yesterday, if none yet today).
    pub streak_days: u32,
    /// Since Monday.
    pub week_sessions: u32,
    pub week_minutes: f64,
    /// Most sessions first.
    pub per_practice: Vec<PracticeStats>,
    /// Minutes practised each day, `CHART_DAYS` long, today last.
    pub minutes_by_day: Vec<f64>,
    /// Tension before and after, day by day, `CHART_DAYS` long, today last.
    pub tension_by_day: Vec<DayTension>,
    /// The heart's swing, day by day, `CHART_DAYS` long, today last (empty days where no
    /// session had a strap).
    pub swing_by_day: Vec<DaySwing>,
}

/// Days from `date` to `today` (0 for today; `None` for a date after today).
fn days_before(today: Date, date: Date) -> Option<u32> {
    if date > today {
        return None;
    }
    // Day numbers on the proleptic Gregorian calendar, without going through spans.
    let number = |d: Date| -> i64 {
        let (y, m, day) = (d.year() as i64, d.month() as i64, d.day() as i64);
        let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + day
    };
    u32::try_from(number(today) - number(date)).ok()
}

#[derive(Default)]
struct Tally {
    sessions: u32,
    minutes: f64,
    rated: u32,
    change_sum: f64,
}

impl Insights {
    pub fn of<'a, S: InsightFacts + 'a>(
        records: impl IntoIterator<Item = &'a S>,
        today: Date,
    ) -> Insights {
        let mut insights = Insights {
            minutes_by_day: vec![0.0; CHART_DAYS],
            tension_by_day: vec![DayTension::default(); CHART_DAYS],
            swing_by_day: vec![DaySwing::default(); CHART_DAYS],
            ..Insights::default()
        };
        let week_days = today.weekday().to_monday_zero_offset() as u32;
        let mut tallies: HashMap<&str, Tally> = HashMap::new();
        let mut practised_days: Vec<u32> = Vec::new();
        for record in records {
            insights.sessions += 1;
            let minutes = record.breathed_seconds() / 60.0;
            let tension = record.tension();
            let tally = tallies.entry(record.practice()).or_default();
            tally.sessions += 1;
            tally.minutes += minutes;
            if let (Some(before), Some(after)) = tension {
                tally.rated += 1;
                tally.change_sum += after as f64 - before as f64;
            }
            let Some(days_ago) = days_before(today, record.date()) else {
                continue;
            };
            practised_days.push(days_ago);
            if days_ago <= week_days {
                insights.week_sessions += 1;
                insights.week_minutes += minutes;
            }
            if (days_ago as usize) < CHART_DAYS {
                let day = CHART_DAYS - 1 - days_ago as usize;
                insights.minutes_by_day[day] += minutes;
                if let (Some(before), Some(after)) = tension {
                    let tension = &mut insights.tension_by_day[day];
                    tension.rated += 1;
                    tension.before_sum += before as f64;
                    tension.after_sum += after as f64;
                }
                if let Some(swing) = record.heart_swing().filter(|s| s.is_finite()) {
                    let day = &mut insights.swing_by_day[day];
                    day.sessions += 1;
                    day.swing_sum += swing;
                }
            }
        }
        practised_days.sort_unstable();
        practised_days.dedup();
        insights.streak_days = streak(&practised_days);
        let mut per_practice: Vec<PracticeStats> = tallies
            .into_iter()
            .map(|(practice, t)| PracticeStats {
                practice: practice.to_owned(),
                sessions: t.sessions,
                minutes: t.minutes,
                rated: t.rated,
                average_change: (t.rated > 0).then(|| t.change_sum / t.rated as f64),
            })
            .collect();
        per_practice.sort_by(|a, b| {
            b.sessions
                .cmp(&a.sessions)
                .then_with(|| a.practice.cmp(&b.practice))
        });
        insights.per_practice = per_practice;
        insights
    }
}

/// Consecutive days back from today, or from yesterday when today has no session yet.
fn streak(sorted_days_ago: &[u32]) -> u32 {
    let mut expected = match sorted_days_ago.first() {
        Some(0) => 0,
        Some(1) => 1,
        _ => return 0,
    };
    let mut count = 0;
    for &day in sorted_days_ago {
        if day == expected {
            count += 1;
            expected += 1;
        } else if day > expected {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::SessionEnd;
    use crate::store::record::sample_record;

    fn on(day: &str, practice: &str, minutes: f64, tension: Option<(u8, u8)>) -> SessionRecord {
        let mut record = sample_record(practice, SessionEnd::Completed);
        record.started = format!("{day}T21:00:00+01:00").parse().expect("time");
        record.breathed_seconds = minutes * 60.0;
        record.tension_before = tension.map(|t| t.0);
        record.tension_after = tension.map(|t| t.1);
        record
    }

    #[test]
    fn streak_week_and_what_works() {
        // Thursday 2026-11-19 is "today".
        let today: Date = "2026-11-19".parse().expect("date");
        let records = vec![
            on("2026-11-10", "Box 4-4-4-4", 5.0, Some((6, 6))),
            on("2026-11-16", "Night 3-7", 20.0, Some((7, 3))), // Monday
            on("2026-11-17", "Night 3-7", 10.0, Some((6, 4))),
            on("2026-11-17", "Box 4-4-4-4", 5.0, None),
            on("2026-11-18", "Night 3-7", 20.0, None),
        ];
        let insights = Insights::of(&records, today);
        // Nothing yet today: the streak runs back from yesterday.
        assert_eq!(insights.streak_days, 3);
        assert_eq!(insights.week_sessions, 4);
        assert_eq!(insights.week_minutes, 55.0);
        assert_eq!(insights.per_practice[0].practice, "Night 3-7");
        assert_eq!(insights.per_practice[0].sessions, 3);
        assert_eq!(insights.per_practice[0].average_change, Some(-3.0));
        assert_eq!(insights.per_practice[1].average_change, Some(0.0));
        assert_eq!(insights.minutes_by_day[CHART_DAYS - 2], 20.0);
        assert_eq!(insights.minutes_by_day[CHART_DAYS - 3], 15.0);
        let rated_days: Vec<(usize, Option<(f64, f64)>)> = insights
            .tension_by_day
            .iter()
            .enumerate()
            .filter(|(_, day)| day.rated > 0)
            .map(|(i, day)| (CHART_DAYS - 1 - i, day.means()))
            .collect();
        assert_eq!(
            rated_days,
            vec![
                (9, Some((6.0, 6.0))),
                (3, Some((7.0, 3.0))),
                (2, Some((6.0, 4.0)))
            ]
        );
    }

    #[test]
    fn a_days_tension_is_the_mean_of_its_rated_sessions() {
        let today: Date = "2026-11-19".parse().expect("date");
        let records = vec![
            on("2026-11-19", "Night 3-7", 5.0, Some((8, 4))),
            on("2026-11-19", "Night 3-7", 5.0, Some((6, 3))),
            on("2026-11-19", "Night 3-7", 5.0, None),
        ];
        let insights = Insights::of(&records, today);
        let day = insights.tension_by_day[CHART_DAYS - 1];
        assert_eq!(day.rated, 2);
        assert_eq!(day.means(), Some((7.0, 3.5)));
        assert_eq!(insights.tension_by_day[CHART_DAYS - 2].means(), None);
    }

    #[test]
    fn the_swing_is_kept_day_by_day_from_the_sessions_with_a_strap() {
        let today: Date = "2026-11-19".parse().expect("date");
        let with_swing = |day: &str, swing: Option<f64>| {
            let mut record = on(day, "Resonance 5-5", 10.0, None);
            record.heart = Some(crate::store::history::HeartRecord {
                mean_heart_rate: 64.0,
                mean_swing: swing,
                rmssd: None,
                clean_beats: 600,
                dropped_beats: 0,
            });
            record
        };
        let records = vec![
            with_swing("2026-11-18", Some(8.0)),
            with_swing("2026-11-18", Some(10.0)),
            with_swing("2026-11-19", None),
            on("2026-11-19", "Night 3-7", 5.0, None),
            with_swing("2026-11-19", Some(12.5)),
        ];
        let insights = Insights::of(&records, today);
        assert_eq!(insights.swing_by_day[CHART_DAYS - 2].mean(), Some(9.0));
        assert_eq!(insights.swing_by_day[CHART_DAYS - 1].mean(), Some(12.5));
        assert_eq!(insights.swing_by_day[CHART_DAYS - 3].mean(), None);
        let (mean, sessions) = swing_over(&insights.swing_by_day).expect("three sessions");
        assert_eq!(
            sessions, 3,
            "a session whose strap sent no intervals has no swing"
        );
        assert!((mean - 30.5 / 3.0).abs() < 1e-9, "{mean}");
        assert_eq!(swing_over(&insights.swing_by_day[..CHART_DAYS - 2]), None);
    }

    #[test]
    fn a_gap_breaks_the_streak_and_today_counts() {
        let today: Date = "2026-11-19".parse().expect("date");
        let records = vec![
            on("2026-11-15", "Box 4-4-4-4", 5.0, None),
            on("2026-11-18", "Box 4-4-4-4", 5.0, None),
            on("2026-11-19", "Box 4-4-4-4", 5.0, None),
        ];
        assert_eq!(Insights::of(&records, today).streak_days, 2);
        let stale = vec![on("2026-11-12", "Box 4-4-4-4", 5.0, None)];
        assert_eq!(Insights::of(&stale, today).streak_days, 0);
        assert_eq!(
            Insights::of(&[] as &[SessionRecord], today),
            Insights {
                minutes_by_day: vec![0.0; CHART_DAYS],
                tension_by_day: vec![DayTension::default(); CHART_DAYS],
                swing_by_day: vec![DaySwing::default(); CHART_DAYS],
                ..Insights::default()
            }
        );
    }

    #[test]
    fn day_numbers_agree_with_the_calendar() {
        let today: Date = "2026-03-01".parse().expect("date");
        assert_eq!(
            days_before(today, "2026-02-28".parse().expect("date")),
            Some(1)
        );
        assert_eq!(
            days_before(today, "2024-03-01".parse().expect("date")),
            Some(730)
        );
        assert_eq!(
            days_before(today, "2026-03-02".parse().expect("date")),
            None
        );
    }
}
