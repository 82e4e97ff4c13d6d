//! Made-up history for the tests and benchmarks that need many sessions (also included by
//! `benches/frames.rs`): completed five-minute sessions of the rituals, in turn, each rated
//! before and after; and check-ins as `checkins.log` keeps them.

// Each user of this file uses its own subset of it.
#![allow(dead_code)]

use downshift::store::history::{
    RECORD_VERSION, SessionEnd, SessionRecord, StartTime, record_line,
};

const PRACTICES: [&str; 4] = [
    "Evening wind-down",
    "Work to home",
    "Micro-rest reset",
    "Night 3-7",
];

/// The history log's text: `count` sessions, the i-th starting `every` × i after `first`,
/// rated `tension(i)` (before, after).
pub fn history_text(
    first: &jiff::Zoned,
    every: jiff::SignedDuration,
    count: usize,
    tension: impl Fn(usize) -> (u8, u8),
) -> String {
    let mut text = String::new();
    for i in 0..count {
        let when = first.checked_add(every * i as i32).expect("in range");
        let (before, after) = tension(i);
        let record = SessionRecord {
            version: RECORD_VERSION,
            id: format!("r{i}"),
            started: StartTime::of(&when),
            practice: PRACTICES[i % PRACTICES.len()].to_owned(),
            practised: "4-6, 5 min".to_owned(),
            planned_seconds: 300.0,
            breathed_seconds: 300.0,
            paused_seconds: 0.0,
            breaths: 30,
            end: SessionEnd::Completed,
            tension_before: Some(before),
            tension_after: Some(after),
            heart: None,
            note: String::new(),
            app_version: "test".to_owned(),
        };
        text.push_str(&record_line(&record).expect("line"));
        text.push('\n');
    }
    text
}

/// `days` days of check-ins up to yesterday, as `checkins.log` keeps them: pain around 4 that
/// drifts, sleep around 7, a mark now and then; the last two days slept badly after long
/// sitting, so a check-in of 8 today makes "What changed" speak.
pub fn checkin_log(days: i64) -> String {
    use super::clock::{TODAY, today_at, wall};
    use downshift::store::checkins::{BUILT_IN_MARKS, CheckIn, checkin_line};
    let written = downshift::store::history::StartTime::of(&wall(today_at(21, 0)));
    let mut text = String::new();
    for back in (1..=days).rev() {
        if back % 9 == 4 {
            continue; // a day missed now and then
        }
        let date = TODAY
            .checked_sub(jiff::Span::new().days(back))
            .expect("date");
        let mut checkin = CheckIn::new(date, written);
        let wave = [0, 1, 1, 0, -1, -1, 0, 1, 0, -1][(back % 10) as usize];
        checkin.pain = Some((4 + wave) as u8);
        checkin.interference = Some((3 + wave) as u8);
        checkin.sleep = Some(if back <= 2 { 3 } else { (7 - wave) as u8 });
        checkin.stress = Some((2 + (back % 3)) as u8);
        checkin.offered = BUILT_IN_MARKS.iter().map(|m| m.to_string()).collect();
        if back <= 2 || back % 11 == 0 {
            checkin.marked = vec!["long sitting".to_owned()];
        }
        text.push_str(&checkin_line(&checkin).expect("line"));
        text.push('\n');
    }
    text
}

/// `days` days of check-ins up to the day before `today`, every mark offered, in which "long
/// sitting" (ticked on about three days in ten, at random) raises pain by 2 points on the three
/// days after it: a pattern the scan finds. Pain is otherwise around 3, with noise; sleep and
/// stress vary at random.
pub fn checkin_log_with_a_pattern(today: jiff::civil::Date, days: i64, seed: u64) -> String {
    use downshift::store::checkins::{BUILT_IN_MARKS, CheckIn, checkin_line};
    let mut rng = fastrand::Rng::with_seed(seed);
    let written = StartTime::of(
        &today
            .at(21, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("time"),
    );
    let mut sat: Vec<bool> = Vec::new();
    let mut text = String::new();
    for back in (1..=days).rev() {
        let date = today
            .checked_sub(jiff::Span::new().days(back))
            .expect("date");
        let recently = sat.iter().rev().take(3).any(|&yes| yes);
        let today_sat = rng.f64() < 0.3;
        sat.push(today_sat);
        let pain = (3 + if recently { 2 } else { 0 } + rng.i32(-1..=1)) as u8;
        let mut checkin = CheckIn::new(date, written);
        checkin.pain = Some(pain);
        checkin.interference = Some(pain.saturating_sub(1));
        checkin.sleep = Some(rng.u8(4..=8));
        checkin.stress = Some(rng.u8(1..=5));
        checkin.offered = BUILT_IN_MARKS.iter().map(|m| m.to_string()).collect();
        if today_sat {
            checkin.marked = vec!["long sitting".to_owned()];
        }
        text.push_str(&checkin_line(&checkin).expect("line"));
        text.push('\n');
    }
    text
}
