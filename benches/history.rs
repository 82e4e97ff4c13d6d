//! The history at 100,000 sessions: reading and summarising it, and appending one more.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use downshift::store::history::{
    RECORD_VERSION, SessionEnd, SessionRecord, StartTime, append_record, load_history,
    new_record_id, record_line,
};
use downshift::store::insights::Insights;

/// Ten years of several sessions a day, in a mix of practices, zones and outcomes.
pub fn many_records(count: usize) -> Vec<SessionRecord> {
    let names = [
        "Evening wind-down",
        "Work to home",
        "Micro-rest reset",
        "Night 3-7",
        "Box 4-4-4-4",
    ];
    let first: jiff::Zoned = "2016-01-01T07:30:00+01:00[Europe/Berlin]"
        .parse()
        .expect("time");
    (0..count)
        .map(|i| {
            let started = first
                .checked_add(jiff::SignedDuration::from_secs(i as i64 * 3_151))
                .expect("in range");
            let started = StartTime::of(&started);
            SessionRecord {
                version: RECORD_VERSION,
                id: new_record_id(&started),
                started,
                practice: names[i % names.len()].to_owned(),
                practised: "Prompt 30 s; 4-6 easing to 4-8, 9 min; Prompt 30 s".to_owned(),
                planned_seconds: 599.0,
                breathed_seconds: 300.0 + (i % 300) as f64,
                paused_seconds: (i % 7) as f64,
                breaths: 30 + (i % 30) as u32,
                end: if i % 5 == 0 {
                    SessionEnd::EndedEarly { step: 2 }
                } else {
                    SessionEnd::Completed
                },
                tension_before: (i % 3 != 0).then_some((i % 11) as u8),
                tension_after: (i % 3 != 0).then_some((i % 7) as u8),
                heart: None,
                note: String::new(),
                app_version: "0.1.0".to_owned(),
            }
        })
        .collect()
}

fn history_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.log");
    let records = many_records(100_000);
    let mut text = String::new();
    for record in &records {
        text.push_str(&record_line(record).expect("line"));
        text.push('\n');
    }
    std::fs::write(&path, text).expect("write");
    let today = records.last().expect("some").started.date();

    let mut group = c.benchmark_group("history (100,000 records)");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| black_box(load_history(&path).expect("reads")))
    });
    let loaded = load_history(&path).expect("reads");
    assert_eq!(loaded.records.len(), 100_000);
    group.bench_function("aggregate", |b| {
        b.iter(|| black_box(Insights::of(&loaded.records, today)))
    });
    group.bench_function("load and aggregate", |b| {
        b.iter(|| {
            let history = load_history(&path).expect("reads");
            black_box(Insights::of(&history.records, today))
        })
    });
    // Appending is one write and one flush to disk, however long the log: O(1).
    let one = &records[0];
    group.bench_function("append one record (with fsync)", |b| {
        b.iter(|| append_record(&path, one).expect("appends"))
    });
    group.finish();
}

criterion_group!(benches, history_benches);
criterion_main!(benches);
