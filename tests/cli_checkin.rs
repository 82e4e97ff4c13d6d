//! `downshift checkin`, `checkins` and `patterns` from the terminal, as a script would use them.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{PATIENCE, run};
use downshift::store::checkins::{BUILT_IN_MARKS, load_checkins};

fn downshift(data: &Path, args: &[&str]) -> Output {
    run(
        Command::new(env!("CARGO_BIN_EXE_downshift"))
            .arg("--data-dir")
            .arg(data)
            .args(args),
        PATIENCE,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ANSWERS: [&str; 8] = [
    "--pain",
    "6",
    "--interference",
    "4",
    "--sleep",
    "3",
    "--stress",
    "4",
];

#[test]
fn a_checkin_from_the_terminal_is_kept_with_its_marks_and_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = vec!["checkin", "--date", "2026-11-20"];
    args.extend(ANSWERS);
    args.extend(["--mark", "Long Sitting", "--note", "a long drive"]);
    let out = downshift(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Checked in for 2026-11-20: pain 6, interference 4"),
        "{}",
        text(&out.stdout)
    );
    let read = load_checkins(&dir.path().join("checkins.log")).expect("reads");
    assert_eq!(read.entries.len(), 1);
    let checkin = &read.entries[0];
    assert_eq!(checkin.date, jiff::civil::date(2026, 11, 20));
    assert_eq!(
        (
            checkin.pain,
            checkin.interference,
            checkin.sleep,
            checkin.stress
        ),
        (Some(6), Some(4), Some(3), Some(4))
    );
    assert_eq!(checkin.marked, vec!["long sitting".to_owned()]);
    // Every mark was there to give: the others are "not marked", not "not asked".
    assert_eq!(checkin.offered.len(), BUILT_IN_MARKS.len());
    assert_eq!(checkin.note, "a long drive");

    let out = downshift(dir.path(), &["checkins", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let csv = text(&out.stdout);
    assert!(
        csv.starts_with("id,date,pain,interference,sleep,stress"),
        "{csv}"
    );
    assert!(csv.contains(",2026-11-20,6,4,3,4,"), "{csv}");
    let out = downshift(dir.path(), &["checkins", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["pain"], 6);
    assert_eq!(json[0]["marked"][0], "long sitting");
    let out = downshift(dir.path(), &["checkins"]);
    assert!(
        text(&out.stdout).contains("2026-11-20"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_value_off_its_scale_or_an_unknown_mark_is_refused_naming_the_field_and_nothing_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (field, value, says) in [
        ("--pain", "11", "--pain: 11 is outside 0-10"),
        ("--stress", "0", "--stress: 0 is outside 1-5"),
        (
            "--sleep",
            "lots",
            "--sleep: 'lots' is not a whole number (0-10)",
        ),
    ] {
        let mut args: Vec<&str> = vec!["checkin"];
        let mut answers = ANSWERS;
        let at = answers.iter().position(|a| *a == field).expect("a field");
        answers[at + 1] = value;
        args.extend(answers);
        let out = downshift(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{field} {value}");
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
    }
    let mut args = vec!["checkin"];
    args.extend(ANSWERS);
    args.extend(["--mark", "gardening"]);
    let out = downshift(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--mark: \"gardening\" is not one of the marks"),
        "{}",
        text(&out.stderr)
    );
    let mut args = vec!["checkin", "--date", "2999-01-01"];
    args.extend(ANSWERS);
    assert_eq!(downshift(dir.path(), &args).status.code(), Some(2));
    assert!(!dir.path().join("checkins.log").exists(), "nothing written");
}

#[test]
fn patterns_say_how_far_there_is_to_go_in_words_and_in_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    for day in 1..=9 {
        let date = format!("2026-11-{day:02}");
        let mut args = vec!["checkin", "--date", &date];
        args.extend(ANSWERS);
        assert_eq!(downshift(dir.path(), &args).status.code(), Some(0));
    }
    let out = downshift(dir.path(), &["patterns"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("No pattern yet:"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("of 84 days"),
        "{}",
        text(&out.stdout)
    );
    let out = downshift(dir.path(), &["patterns", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["needed_days"], 84);
    assert!(json["findings"].as_array().expect("a list").is_empty());
    let factors = json["factors"].as_array().expect("a list");
    assert!(factors.iter().any(|f| f["key"] == "sleep"), "{factors:?}");
    assert!(factors.iter().all(|f| f["stood_out"] == false));
}

#[test]
fn a_torn_last_line_is_reported_and_every_earlier_checkin_is_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = vec!["checkin", "--date", "2026-11-20"];
    args.extend(ANSWERS);
    assert_eq!(downshift(dir.path(), &args).status.code(), Some(0));
    let path = dir.path().join("checkins.log");
    let mut bytes = std::fs::read(&path).expect("read");
    let half = bytes.len() / 2;
    let torn = bytes[..half].to_vec();
    bytes.extend_from_slice(&torn);
    std::fs::write(&path, &bytes).expect("write");
    let out = downshift(dir.path(), &["checkins", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("checkins.log:2: the last record was cut short"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "header and one check-in"
    );
}
