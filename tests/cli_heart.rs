//! `downshift heart analyze` from the terminal, as a script would use it: the sample recording
//! with its resonance planted at 5.5 breaths a minute (tests/fixtures/heart, made by
//! tests/common/heart.rs), bad files and bad arguments.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{PATIENCE, run};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/heart/resonance-5.5.rr"
);

/// The binary on `data`, kept away from this desktop: no display and no session bus, so even a
/// `play` without `--no-window` can reach no window and no running copy.
fn downshift(data: &Path, args: &[&str]) -> Output {
    run(
        Command::new(env!("CARGO_BIN_EXE_downshift"))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .arg("--data-dir")
            .arg(data)
            .args(args),
        PATIENCE,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_sample_recording_ranks_5_5_first_in_words_and_a_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = downshift(dir.path(), &["heart", "analyze", SAMPLE]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains("5 steps of 2 min, 651 beats kept, 7 dropped as artefacts"),
        "{printed}"
    );
    assert!(!printed.contains("The recording ends"), "{printed}");
    let rows: Vec<Vec<&str>> = printed
        .lines()
        .skip_while(|l| !l.starts_with("rate/min"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    let rates: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(rates, ["6.5", "6.0", "5.5", "5.0", "4.5"], "{printed}");
    let ranks: Vec<&str> = rows.iter().map(|r| r[8]).collect();
    assert_eq!(ranks[2], "1", "{printed}");
    let swings: Vec<f64> = rows
        .iter()
        .map(|r| r[1].parse().expect("a swing"))
        .collect();
    // Planted: 16 bpm peak-to-trough at 5.5, 11.1 at 5.0 and 6.0, 5.8 at 4.5 and 6.5.
    for (found, planted) in swings.iter().zip([5.8, 11.1, 16.0, 11.1, 5.8]) {
        assert!((found - planted).abs() < 2.0, "{swings:?}");
    }
    assert!(
        printed.contains("Best: 5.5 breaths a minute: the heart swings most there"),
        "{printed}"
    );
}

#[test]
fn the_json_has_the_same_fields_for_every_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = downshift(
        dir.path(),
        &["heart", "analyze", SAMPLE, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["best_rate"], 5.5);
    assert_eq!(json["stands_out"], true);
    assert_eq!(json["clean_beats"], 651);
    assert_eq!(json["dropped_beats"], 7);
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 5);
    let dropped: u64 = steps
        .iter()
        .map(|s| s["dropped_beats"].as_u64().expect("a count"))
        .sum();
    assert_eq!(dropped, 7);
    for (step, rate) in steps.iter().zip([6.5, 6.0, 5.5, 5.0, 4.5]) {
        assert_eq!(step["rate"], rate);
        for field in [
            "swing_bpm",
            "lf_power_bpm2",
            "lf_peak_per_minute",
            "mean_heart_rate_bpm",
            "rmssd_ms",
        ] {
            assert!(step[field].as_f64().is_some(), "{field} in {step}");
        }
        assert!(
            step["clean_beats"].as_u64().is_some_and(|n| n > 100),
            "{step}"
        );
        assert_eq!(step["too_few_clean_beats"], serde_json::Value::Null);
        let peak = step["lf_peak_per_minute"].as_f64().expect("a peak");
        assert!((peak - rate).abs() < 0.3, "{step}");
    }
    assert_eq!(steps[2]["rank"], 1);
}

#[test]
fn a_short_recording_says_so_and_its_missing_steps_are_not_ranked() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The first 4 minutes of the sample (about 262 beats) analysed as five steps.
    let sample = std::fs::read_to_string(SAMPLE).expect("read");
    let short: String = sample
        .lines()
        .filter(|l| !l.starts_with('#'))
        .take(262)
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("short.txt");
    std::fs::write(&file, short).expect("write");
    let path = file.to_str().expect("a path");
    let out = downshift(dir.path(), &["heart", "analyze", path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("The recording ends 4 min"), "{printed}");
    assert!(
        printed
            .contains("5.0 breaths a minute: too few clean beats to rank (clean beats cover 0 %"),
        "{printed}"
    );
    assert!(printed.contains("Best: 6.0 breaths a minute"), "{printed}");
}

#[test]
fn a_bad_file_exits_2_naming_the_line_and_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &str, &str); 4] = [
        (
            "letters.txt",
            "812\n790\nabc\n",
            ":3: \"abc\" is not a number of milliseconds",
        ),
        (
            "comma.txt",
            "812,5\n",
            ":1: \"812,5\": decimals are written with a point",
        ),
        ("empty.txt", "# nothing yet\n\n", ": holds no intervals"),
        (
            "seconds.txt",
            "0.81\n0.79\n0.8\n",
            ":1: the intervals look like seconds",
        ),
    ];
    for (name, content, words) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, content).expect("write");
        let out = downshift(
            dir.path(),
            &["heart", "analyze", file.to_str().expect("path")],
        );
        assert_eq!(out.status.code(), Some(2), "{name}");
        let error = text(&out.stderr);
        assert!(
            error.starts_with(&format!("downshift: {}{words}", file.display())),
            "{name}: {error}"
        );
        assert!(out.stdout.is_empty(), "{name}");
    }
    let missing = dir.path().join("missing.txt");
    let out = downshift(
        dir.path(),
        &["heart", "analyze", missing.to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be read"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_rates_and_lengths_are_bad_usage() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [vec!["heart", "--help"], vec!["heart", "analyze", "--help"]] {
        let out = downshift(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{args:?}");
    }
    let out = downshift(dir.path(), &["heart", "analyze"]);
    assert_eq!(out.status.code(), Some(2), "no file is bad usage");
    for (args, words) in [
        (
            vec!["--rates", "6,12"],
            "12 breaths a minute: choose rates from 3 to 9",
        ),
        (
            vec!["--rates", "6,fast"],
            "'fast' is not a number of breaths a minute",
        ),
        (
            vec!["--minutes-each", "0.5"],
            "0.5 minutes each: choose from 1 to 20",
        ),
        (vec!["--format", "xml"], "xml"),
    ] {
        let mut all = vec!["heart", "analyze", SAMPLE];
        all.extend(args.iter().copied());
        let out = downshift(dir.path(), &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let error = text(&out.stderr);
        assert!(error.contains(words), "{args:?}: {error}");
        assert_eq!(error.lines().count(), 1, "one line: {error}");
    }
}

#[test]
fn the_man_pages_describe_heart_analyze() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        Command::new(env!("CARGO_BIN_EXE_downshift"))
            .arg("__write-assets")
            .arg(dir.path()),
        PATIENCE,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let man = dir.path().join("man/man1");
    let page = std::fs::read_to_string(man.join("downshift-heart-analyze.1")).expect("its page");
    for words in ["minutes\\-each", "rates", "RR interval file", "70 %"] {
        assert!(page.contains(words), "{words}: {page}");
    }
    let main = std::fs::read_to_string(man.join("downshift.1")).expect("the main page");
    assert!(main.contains("heart"), "{main}");
    assert!(main.contains("downshift\\-heart\\-analyze(1)"), "{main}");
    assert!(main.contains("heart/*.rr"), "{main}");
    let bash = std::fs::read_to_string(dir.path().join("completions/bash/downshift"))
        .expect("bash completion");
    assert!(
        bash.contains("--minutes-each"),
        "the completion knows heart analyze"
    );
}

#[test]
fn play_with_a_recording_that_does_not_read_exits_2_naming_its_line_and_records_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("h10.txt");
    std::fs::write(&bad, "812\n80O\n").expect("write");
    for window in [true, false] {
        let mut args = vec![
            "play",
            "Extended exhale 4-6",
            "--mute",
            "--heart-rate-from",
            bad.to_str().expect("a path"),
        ];
        if !window {
            args.push("--no-window");
        }
        let out = downshift(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let said = text(&out.stderr);
        assert!(said.contains("h10.txt:2:"), "{said}");
        assert!(said.contains("not a number of milliseconds"), "{said}");
    }
    assert!(!dir.path().join("history.log").exists());
}
