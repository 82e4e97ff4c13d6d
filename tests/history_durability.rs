//! The history log under stress: writers killed mid-append, and two writers at once.
//! The writers are this test binary itself, running its ignored `writer_process` helper.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Lines, PATIENCE, wait_for_exit};
use downshift::store::history::{
    RECORD_VERSION, SessionEnd, SessionRecord, StartTime, record_line,
};
use downshift::store::{append_record, load_history};

const WRITER_LOG: &str = "DOWNSHIFT_TEST_WRITER_LOG";
const WRITER_TAG: &str = "DOWNSHIFT_TEST_WRITER_TAG";
const WRITER_COUNT: &str = "DOWNSHIFT_TEST_WRITER_COUNT";
const WRITER_TEARS: &str = "DOWNSHIFT_TEST_WRITER_TEARS";

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
        heart: None,
        note: "a note long enough to make the line a few hundred bytes, ".repeat(3),
        app_version: "test".to_owned(),
    }
}

/// Not a test: the writer process the tests below start (`--ignored --exact writer_process`).
/// Appends records and prints each id once its append has returned. With WRITER_TEARS, it
/// then starts one more record the way an append cut short by a kill or a power cut leaves it
/// (part of the line, on disk, no newline), says "torn", and waits to be killed.
#[test]
#[ignore = "a helper process for the tests in this file, not a test"]
fn writer_process() {
    let (Ok(log), Ok(tag)) = (std::env::var(WRITER_LOG), std::env::var(WRITER_TAG)) else {
        panic!("started by the tests in this file, with {WRITER_LOG} and {WRITER_TAG} set");
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
    if std::env::var_os(WRITER_TEARS).is_some() {
        let line = record_line(&record(format!("{tag}-torn"))).expect("a line");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&log)
            .expect("opens the log");
        // Under the log's lock, as a real append: killing the writer releases it.
        file.lock().expect("locks the log");
        for part in line.as_bytes()[..line.len() / 2].chunks(64) {
            file.write_all(part).expect("writes");
        }
        file.sync_data().expect("on disk");
        println!("torn");
        loop {
            std::thread::park();
        }
    }
}

fn start_writer(log: &Path, tag: &str, count: Option<usize>, tear: bool) -> Child {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args([
            "--ignored",
            "--exact",
            "writer_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_LOG, log)
        .env(WRITER_TAG, tag)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(count) = count {
        command.env(WRITER_COUNT, count.to_string());
    }
    if tear {
        command.env(WRITER_TEARS, "1");
    }
    command.spawn().expect("writer starts")
}

/// The id in a "saved ID" line (the test harness may have started the line with its own words).
fn saved_id(line: &str) -> Option<String> {
    line.split_once("saved ").map(|(_, id)| id.to_owned())
}

#[test]
fn a_writer_killed_mid_append_loses_nothing_it_finished() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("history.log");
    let mut finished: Vec<String> = Vec::new();
    let rounds = 12;
    let mut tears = 0;
    for round in 0..rounds {
        // Even rounds: killed at whatever point of its appends it has reached. Odd rounds
        // (the last among them): killed with a record half written, seen in the file.
        let tear = round % 2 == 1;
        let wanted = 5 + round * 7 % 23;
        let mut writer = start_writer(&log, &format!("r{round}"), tear.then_some(wanted), tear);
        let mut lines = Lines::read(writer.stdout.take().expect("stdout"));
        for _ in 0..wanted {
            let line = lines.wait_for("saved record", |l| saved_id(l).is_some(), PATIENCE);
            finished.extend(saved_id(&line));
        }
        if tear {
            lines.wait_for("torn record", |l| l == "torn", PATIENCE);
            let bytes = std::fs::read(&log).expect("the log reads");
            assert_ne!(bytes.last(), Some(&b'\n'), "the log ends inside a record");
            tears += 1;
        }
        writer.kill().expect("killed");
        wait_for_exit(&mut writer, PATIENCE);
        // Whatever it printed before dying was saved too.
        finished.extend(lines.rest(PATIENCE).iter().filter_map(|l| saved_id(l)));
    }
    assert_eq!(tears, rounds / 2);
    let history = load_history(&log).expect("the log still reads");
    let kept: Vec<&str> = history.records.iter().map(|r| r.id.as_str()).collect();
    for id in &finished {
        assert!(kept.contains(&id.as_str()), "{id} was saved but is gone");
    }
    let unique: std::collections::HashSet<&str> = kept.iter().copied().collect();
    assert_eq!(unique.len(), kept.len(), "no record is there twice");
    assert!(kept.iter().all(|id| !id.ends_with("-torn")));
    for record in &history.records {
        assert_eq!(record, &record_like(record));
    }
    // Each torn record was cut off by the next append, which began on a line of its own: only
    // the last one, which no append followed, is still there, reported as cut short.
    assert_eq!(history.problems.len(), 1, "{:?}", history.problems);
    assert!(
        history.problems[0].contains(&format!(
            ":{}: the last record was cut short",
            kept.len() + 1
        )),
        "{:?}",
        history.problems
    );
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
        start_writer(&log, "a", Some(per_writer), false),
        start_writer(&log, "b", Some(per_writer), false),
    ];
    // Read as they go (a full pipe would stall a writer), and wait for each, within bounds.
    let mut outputs: Vec<Lines> = writers
        .iter_mut()
        .map(|w| Lines::read(w.stdout.take().expect("stdout")))
        .collect();
    for writer in &mut writers {
        let status = wait_for_exit(writer, PATIENCE);
        assert!(status.success());
    }
    for output in &mut outputs {
        let saved = output.rest(PATIENCE);
        assert_eq!(saved.iter().filter_map(|l| saved_id(l)).count(), per_writer);
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
