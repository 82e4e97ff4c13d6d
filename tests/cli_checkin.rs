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

#[test]
fn checkins_delete_takes_one_checkin_with_its_additions_and_says_so_or_why_not() {
    use downshift::store::checkins::{CheckIn, append_checkin};
    let dir = tempfile::tempdir().expect("temp dir");
    let out = downshift(dir.path(), &["checkins", "--delete", "nothing-here"]);
    assert_eq!(out.status.code(), Some(2), "no log yet");
    assert!(
        text(&out.stderr).contains("no check-in has the id nothing-here"),
        "{}",
        text(&out.stderr)
    );
    let path = dir.path().join("checkins.log");
    let written: downshift::store::history::StartTime =
        "2026-11-20T21:00:00+00:00".parse().expect("time");
    let mut kept = CheckIn::new(jiff::civil::date(2026, 11, 19), written);
    kept.pain = Some(3);
    let mut gone = CheckIn::new(jiff::civil::date(2026, 11, 20), written);
    gone.pain = Some(7);
    let mut addition = CheckIn::new(gone.date, written);
    addition.adds_to = Some(gone.id.clone());
    addition.offered = vec!["travel".to_owned()];
    for checkin in [&kept, &gone, &addition] {
        append_checkin(&path, checkin).expect("written");
    }
    let out = downshift(dir.path(), &["checkins", "--delete", &gone.id]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("Deleted the check-in {}.", gone.id)
    );
    let left = std::fs::read_to_string(&path).expect("read");
    assert_eq!(left.lines().count(), 1, "its addition went with it: {left}");
    assert_eq!(load_checkins(&path).expect("reads").entries, vec![kept]);
    let out = downshift(dir.path(), &["checkins", "--delete", &gone.id]);
    assert_eq!(out.status.code(), Some(2), "gone already");
    assert!(
        text(&out.stderr).contains(&format!(
            "no check-in has the id {} (see: downshift checkins --format csv)",
            gone.id
        )),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        left,
        "untouched"
    );
}

#[test]
fn patterns_in_json_above_the_gate_name_each_factors_effect_days_and_whether_it_stood_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The command reads the real clock: the check-ins end yesterday.
    let today = jiff::Zoned::now().date();
    std::fs::write(
        dir.path().join("checkins.log"),
        common::records::checkin_log_with_a_pattern(today, 160, 11),
    )
    .expect("check-ins");
    let out = downshift(dir.path(), &["patterns", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paired = json["paired_days"].as_u64().expect("a number");
    assert!(paired >= 84, "{json}");
    let factors = json["factors"].as_array().expect("a list");
    let factor = |key: &str| {
        factors
            .iter()
            .find(|f| f["key"] == key)
            .unwrap_or_else(|| panic!("{key} in {factors:?}"))
    };
    let sitting = factor("mark:long sitting");
    let effect = sitting["effect_points"].as_f64().expect("an effect");
    assert!(
        (1.0..=3.0).contains(&effect),
        "planted +2, measured {effect}"
    );
    assert!(sitting["days"].as_u64().expect("days") >= 84, "{sitting}");
    assert!(sitting["p"].as_f64().expect("a p") <= 0.05, "{sitting}");
    assert_eq!(sitting["stood_out"], true, "{sitting}");
    assert_eq!(sitting["checked"], true);
    // Sleep (at random here) was checked with real numbers and did not stand out; travel,
    // never marked, could not be checked and says why.
    let sleep = factor("sleep");
    assert_eq!(sleep["checked"], true, "{sleep}");
    assert!(sleep["effect_points"].is_f64(), "{sleep}");
    assert!(sleep["days"].as_u64().expect("days") >= 84, "{sleep}");
    assert_eq!(sleep["stood_out"], false, "{sleep}");
    let travel = factor("mark:travel");
    assert_eq!(travel["checked"], false, "{travel}");
    assert_eq!(travel["refused"], "did not vary: every day was on one side");
    let findings = json["findings"].as_array().expect("a list");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let sentence = findings[0].as_str().expect("words");
    assert!(
        sentence.starts_with("On days after \u{201c}long sitting\u{201d} was marked")
            && sentence.ends_with("Not proof: test it?"),
        "{sentence}"
    );
    assert_eq!(
        json["summary"]
            .as_str()
            .map(|s| s.ends_with("1 stood out.")),
        Some(true),
        "{json}"
    );
}

#[test]
fn a_mark_of_ones_own_is_taken_from_the_terminal_and_the_patterns_list_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("settings.ron"),
        "(checkin: (own_marks: [\"gardening\"]))",
    )
    .expect("settings");
    let mut args = vec!["checkin", "--date", "2026-11-20"];
    args.extend(ANSWERS);
    args.extend(["--mark", "Gardening"]);
    let out = downshift(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let read = load_checkins(&dir.path().join("checkins.log")).expect("reads");
    assert_eq!(read.entries[0].marked, ["gardening"]);
    assert!(read.entries[0].offered.contains(&"gardening".to_owned()));
    let mut args = vec!["checkin", "--date", "2026-11-21"];
    args.extend(ANSWERS);
    args.extend(["--mark", "painting the hall"]);
    let out = downshift(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("\"gardening\""),
        "the marks there are named: {}",
        text(&out.stderr)
    );
    let out = downshift(dir.path(), &["patterns", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let factors = json["factors"].as_array().expect("a list");
    assert!(
        factors.iter().any(|f| f["key"] == "mark:gardening"),
        "{factors:?}"
    );
}
