//! Made-up history for the tests and benchmarks that need many sessions (also included by
//! `benches/frames.rs`): completed five-minute sessions of the rituals, in turn, each rated
//! before and after.

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
