//! The history log under stress: writers killed mid-append, and two writers at once.
//! The writers are this test binary itself, started again with an environment variable.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use downshift::store::history::{RECORD_VERSION, SessionEnd, SessionRecord, StartTime};
use downshift::store::{append_record, load_history};

const WRITER_LOG: &str = "DOWNSHIFT_TEST_WRITER_LOG";
const WRITER_TAG: &str = "DOWNSHIFT_TEST_WRITER_TAG";
const WRITER_COUNT: &str = "DOWNSHIFT_TEST_WRITER_COUNT";

fn record(id: String) -> SessionRecord {
    SessionRecord {
        version: RECORD_VERSION,
        id,
        started: "2026-11-21T21:05:00+01:00"
            .parse::<StartTime>()
            .expect("time"),
        practice: "Night 3-7".to_owned(),
        practised: "3-7, 20 min".to_owned(),
        planned_seconds: 1200.0,
        breathed_seconds: 1200.0,
        paused_seconds: 0.0,
        breaths: 120,
        end: SessionEnd::Completed,
        tension_before: Some(6),
        tension_after: Some(3),
        note: "a note long enough to make the line a few hundred bytes, ".repeat(3),
        app_version: "test".to_owned(),
    }
}

/// Not a test on its own: the writer process the tests below start. Appends records and prints
/// each id once its append has returned.
#[test]
fn writer_process() {
    let (Ok(log), Ok(tag)) = (std::env::var(WRITER_LOG), std::env::var(WRITER_TAG)) else {
        return;
    };
    let count: usize = std::env::var(WRITER_COUNT)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(usize::MAX);
    for n in 0..count {
        let id = format!("{tag}-{n}");
        append_record(Path::new(&log), &record(id.clone())).expect("appends");
        println!("saved {id}");
    }
}

fn start_writer(log: &Path, tag: &str, count: Option<usize>) -> Child {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args([
            "--exact",
            "writer_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_LOG, log)
        .env(WRITER_TAG, tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(count) = count {
        command.env(WRITER_COUNT, count.to_string());
    }
    command.spawn().expect("writer starts")
}

#[test]
fn a_writer_killed_mid_append_loses_nothing_it_finished() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("history.log");
    let mut finished: Vec<String> = Vec::new();
    let kills = 12;
    for round in 0..kills {
        let mut writer = start_writer(&log, &format!("r{round}"), None);
        let stdout = writer.stdout.take().expect("stdout");
        // Let it save a varying number of records, then kill it without warning.
        let wanted = 5 + round * 7 % 23;
        let mut lines = BufReader::new(stdout).lines();
        let saved = lines
            .by_ref()
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("saved ").map(str::to_owned))
            .take(wanted);
        finished.extend(saved);
        writer.kill().expect("killed");
        writer.wait().expect("reaped");
        // Whatever it printed before dying was saved too.
        finished.extend(
            lines
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("saved ").map(str::to_owned)),
        );
    }
    let history = load_history(&log).expect("the log still reads");
    let kept: std::collections::HashSet<&str> =
        history.records.iter().map(|r| r.id.as_str()).collect();
    for id in &finished {
        assert!(kept.contains(id.as_str()), "{id} was saved but is gone");
    }
    assert!(
        history.problems.len() <= kills,
        "at most one cut-short line per kill: {:?}",
        history.problems
    );
    for record in &history.records {
        assert_eq!(record, &record_like(record));
    }
}

fn record_like(found: &SessionRecord) -> SessionRecord {
    record(found.id.clone())
}

#[test]
fn two_writers_at_once_never_interleave_or_lose_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("history.log");
    let per_writer = 150;
    let mut writers = [
        start_writer(&log, "a", Some(per_writer)),
        start_writer(&log, "b", Some(per_writer)),
    ];
    for writer in &mut writers {
        let status = writer.wait().expect("finishes");
        assert!(status.success());
    }
    let history = load_history(&log).expect("reads");
    assert_eq!(history.problems, Vec::<String>::new());
    assert_eq!(history.records.len(), 2 * per_writer);
    for tag in ["a", "b"] {
        let mine: Vec<usize> = history
            .records
            .iter()
            .filter_map(|r| r.id.strip_prefix(&format!("{tag}-")))
            .map(|n| n.parse().expect("a number"))
            .collect();
        assert_eq!(
            mine,
            (0..per_writer).collect::<Vec<_>>(),
            "{tag}'s records, in order"
        );
    }
}

#[test]
fn garbage_lines_are_reported_with_their_line_numbers_and_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("history.log");
    append_record(&log, &record("first".into())).expect("appends");
    let mut text = std::fs::read_to_string(&log).expect("reads");
    text.push_str("this is not a record\n\u{0}\u{1}binary junk\n");
    std::fs::write(&log, text).expect("writes");
    append_record(&log, &record("last".into())).expect("appends");
    let history = load_history(&log).expect("reads");
    let ids: Vec<&str> = history.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["first", "last"]);
    assert_eq!(history.problems.len(), 2);
    assert!(history.problems[0].contains("history.log:2: not a readable record"));
    assert!(history.problems[1].contains("history.log:3: not a readable record"));
}
