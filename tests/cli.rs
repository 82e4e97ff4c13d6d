//! The command line as a script or a person uses it: the real binary, a fresh data folder.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Lines, PATIENCE, run, wait_for_exit};
use downshift::practice::{MICROS_PER_SECOND, Step, Timeline};
use downshift::store::{SessionEnd, load_history};

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

const QUICK: &str = r#"(
    version: 1,
    name: "Quick check",
    description: "Two fast breaths, for tests.",
    steps: [Breathe(pattern: (inhale: 0.5, exhale: 0.5), breaths: 2)],
)
"#;

#[test]
fn every_command_has_help_and_bad_usage_is_one_line_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        vec!["--help"],
        vec!["play", "--help"],
        vec!["presets", "--help"],
        vec!["presets", "list", "--help"],
        vec!["presets", "show", "--help"],
        vec!["presets", "validate", "--help"],
        vec!["presets", "import", "--help"],
        vec!["presets", "export", "--help"],
        vec!["history", "--help"],
    ] {
        let out = downshift(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{args:?}");
    }
    for args in [
        vec!["breathe"],
        vec!["play", "--minutes"],
        vec!["play", "Box 4-4-4-4", "--minutes", "-1"],
        vec!["history", "--format", "xml"],
        vec!["presets", "list", "--colour"],
    ] {
        let out = downshift(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("downshift: "), "{stderr}");
    }
    let out = downshift(dir.path(), &["play", "No such practice", "--no-window"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no practice is called \"No such practice\""));
}

#[test]
fn presets_list_is_a_name_a_tab_and_a_description_per_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = downshift(dir.path(), &["presets", "list"]);
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    let names: Vec<&str> = listing
        .lines()
        .map(|line| line.split_once('\t').expect("a tab").0)
        .collect();
    for expected in [
        "Evening wind-down",
        "Work to home",
        "Micro-rest reset",
        "Cyclic sighing",
        "Resonance 5-5",
        "Extended exhale 4-6",
        "Extended exhale 4-8",
        "Night 3-7",
        "Box 4-4-4-4",
        "4-7-8",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let shown = downshift(dir.path(), &["presets", "show", "NIGHT 3-7"]);
    assert_eq!(shown.status.code(), Some(0));
    let preset = downshift::store::presets::parse_preset("shown", &text(&shown.stdout))
        .expect("show prints a valid preset");
    assert_eq!(preset.name, "Night 3-7");
}

#[test]
fn validate_names_file_line_column_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.ron");
    std::fs::write(&good, QUICK).expect("write");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, QUICK.replace("exhale: 0.5", "exhale: 90.0")).expect("write");
    let out = downshift(
        dir.path(),
        &["presets", "validate", good.to_str().expect("utf8")],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("good.ron: ok (Quick check)"));

    let out = downshift(
        dir.path(),
        &[
            "presets",
            "validate",
            good.to_str().expect("utf8"),
            bad.to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.ron:5:44: step 1 pattern.exhale: is 90 s; a phase lasts at most 60 s"),
        "{stderr}"
    );
}

#[test]
fn validate_says_a_huge_number_in_a_few_characters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let huge = dir.path().join("huge.ron");
    let preset = QUICK.replace("breaths: 2", "minutes: 1e308");
    std::fs::write(&huge, preset.replace("inhale: 0.5", "inhale: 1e300")).expect("write");
    let out = downshift(
        dir.path(),
        &["presets", "validate", huge.to_str().expect("utf8")],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("minutes: is 1e308 minutes; a practice may last at most 180 minutes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pattern.inhale: is 1e300 s; a phase lasts at most 60 s"),
        "{stderr}"
    );
    let longest_number = stderr
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest_number < 10,
        "no number hundreds of digits long: {stderr}"
    );
}

#[test]
fn import_never_replaces_without_force_and_export_writes_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let file = dir.path().join("quick.ron");
    std::fs::write(&file, QUICK).expect("write");
    let path = file.to_str().expect("utf8");
    let out = downshift(&data, &["presets", "import", path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(data.join("presets/quick-check.ron").is_file());

    std::fs::write(&file, QUICK.replace("Two fast breaths", "Changed")).expect("write");
    let out = downshift(&data, &["presets", "import", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("add --force"));
    let kept = std::fs::read_to_string(data.join("presets/quick-check.ron")).expect("read");
    assert!(kept.contains("Two fast breaths"), "nothing was overwritten");
    let out = downshift(&data, &["presets", "import", path, "--force"]);
    assert_eq!(out.status.code(), Some(0));
    let replaced = std::fs::read_to_string(data.join("presets/quick-check.ron")).expect("read");
    assert!(replaced.contains("Changed"));

    let exported = dir.path().join("box.ron");
    let target = exported.to_str().expect("utf8");
    let out = downshift(&data, &["presets", "export", "box 4-4-4-4", target]);
    assert_eq!(out.status.code(), Some(0));
    let out = downshift(&data, &["presets", "export", "box 4-4-4-4", target]);
    assert_eq!(out.status.code(), Some(2), "refuses to replace a file");
    let out = downshift(&data, &["presets", "validate", target]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn play_in_the_terminal_prints_each_phase_and_records_the_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("presets")).expect("mkdir");
    std::fs::write(dir.path().join("presets/quick.ron"), QUICK).expect("write");
    let out = downshift(
        dir.path(),
        &["play", "quick check", "--no-window", "--mute"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let phases: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .filter(|word| *word == "Breathe")
        .collect();
    assert_eq!(phases.len(), 4, "{stdout}");
    assert!(stdout.contains("Completed:"), "{stdout}");

    let history = load_history(&dir.path().join("history.log")).expect("reads");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].end, SessionEnd::Completed);
    assert_eq!(history.records[0].breaths, 2);

    let table = downshift(dir.path(), &["history"]);
    assert!(text(&table.stdout).contains("Quick check"));
    let csv = downshift(dir.path(), &["history", "--format", "csv"]);
    assert_eq!(text(&csv.stdout).lines().count(), 2);
}

/// `--minutes 0.5` on "Work to home": prompts of 30, 20 and 45 s keep their length; its
/// breathing (3 minutes of 4-6, then 5 breaths of 3+1-8: 240 s) shrinks by 30/240 to whole
/// breaths, each block to the whole number of its breaths nearest its share.
fn expected_work_to_home_in_half_a_minute() -> (f64, f64) {
    let library = downshift::store::Library::built_in();
    let preset = &library.find("Work to home").expect("built in").practice;
    let breath = |p: &downshift::practice::Pattern| {
        p.inhale + p.top_up + p.hold_after_inhale + p.exhale + p.hold_after_exhale
    };
    let planned: Vec<(f64, f64)> = preset
        .breathe_blocks()
        .map(|block| {
            assert_eq!(block.ramp_to, None, "every breath of a block is alike");
            let length = breath(&block.pattern);
            let seconds = match (block.minutes, block.breaths) {
                (Some(minutes), _) => minutes * 60.0,
                (None, Some(breaths)) => breaths as f64 * length,
                (None, None) => panic!("a block has a length"),
            };
            (seconds, length)
        })
        .collect();
    let factor = 30.0 / planned.iter().map(|(seconds, _)| seconds).sum::<f64>();
    let breathing: f64 = planned
        .iter()
        .map(|(seconds, length)| (seconds * factor / length).round().max(1.0) * length)
        .sum();
    let prompts: f64 = preset
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::Prompt(prompt) => Some(prompt.seconds),
            Step::Breathe(_) => None,
        })
        .sum();
    // Two breaths of 4-6 and one of 3+1-8.
    assert_eq!(breathing, 2.0 * 10.0 + 12.0);
    (breathing, prompts + breathing)
}

#[test]
fn minutes_set_the_length_of_the_breathing() {
    let (breathing, total) = expected_work_to_home_in_half_a_minute();
    let library = downshift::store::Library::built_in();
    let practice =
        downshift::cli::practice_to_play(&library, "work to home", Some(0.5)).expect("scales");
    let timeline = Timeline::new(&practice).expect("valid");
    assert_eq!(
        timeline.breathing_total(),
        (breathing * MICROS_PER_SECOND as f64) as u64
    );
    assert_eq!(timeline.total(), (total * MICROS_PER_SECOND as f64) as u64);
    assert_eq!(
        practice.steps.len(),
        library
            .find("Work to home")
            .expect("built in")
            .practice
            .steps
            .len()
    );
}

/// The command line plays (and records) the practice at the length asked for.
#[cfg(unix)]
#[test]
fn play_minutes_plays_and_records_the_scaled_practice() {
    let (_, total) = expected_work_to_home_in_half_a_minute();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_downshift"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "play",
            "work to home",
            "--minutes",
            "0.5",
            "--no-window",
            "--mute",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut lines = Lines::read(child.stdout.take().expect("piped"));
    let header = lines.wait_for("the header", |l| l.contains(". Ctrl-C ends it."), PATIENCE);
    let length = format!("{:02}:{:02}", total as u64 / 60, total as u64 % 60);
    assert!(
        header.starts_with(&format!("Work to home: {length} (")),
        "{header}"
    );
    common::send(&child, libc::SIGINT);
    assert_eq!(wait_for_exit(&mut child, PATIENCE).code(), Some(0));
    let history = load_history(&dir.path().join("history.log")).expect("reads");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].planned_seconds, total);
}

#[test]
fn the_readme_preset_example_is_valid() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```ron\n// Comments are allowed.")
        .expect("the README has the example");
    let body = &readme[start + "```ron\n".len()..];
    let example = &body[..body.find("```").expect("closed")];
    let practice = downshift::store::presets::parse_preset("README.md", example)
        .expect("the example is valid");
    assert_eq!(practice.steps.len(), 6);
}

#[test]
fn play_with_no_preset_plays_the_practice_suggested_for_the_time_of_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("presets")).expect("mkdir");
    std::fs::write(dir.path().join("presets/quick.ron"), QUICK).expect("write");
    // One slot from midnight: whatever the hour, it is the quick check.
    std::fs::write(
        dir.path().join("settings.ron"),
        r#"(time_slots: [(from: "00:00", practice: "Quick check", reason: "the test")])"#,
    )
    .expect("settings");
    let out = downshift(dir.path(), &["play", "--no-window", "--mute"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let history = load_history(&dir.path().join("history.log")).expect("reads");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].practice, "Quick check");
}

#[test]
fn play_in_gentle_mode_refuses_a_practice_with_holds_unless_started_anyway() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = downshift(
        dir.path(),
        &["play", "4-7-8", "--gentle", "--no-window", "--mute"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("\"4-7-8\" is outside gentle mode"), "{said}");
    assert!(said.contains("gentle mode avoids breath holds"), "{said}");
    assert!(said.contains("--start-anyway"), "{said}");
    assert!(
        !dir.path().join("history.log").exists(),
        "nothing was played"
    );
    // Gentle mode set in Settings counts the same.
    std::fs::write(dir.path().join("settings.ron"), "(gentle_mode: true)").expect("settings");
    let out = downshift(
        dir.path(),
        &["play", "Box 4-4-4-4", "--no-window", "--mute"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // A practice within it plays; one outside it plays when asked to.
    let args = ["--no-window", "--mute", "--minutes", "0.05"];
    let out = downshift(
        dir.path(),
        &[&["play", "Extended exhale 4-6"], &args[..]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = downshift(
        dir.path(),
        &[&["play", "4-7-8", "--start-anyway"], &args[..]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let history = load_history(&dir.path().join("history.log")).expect("reads");
    assert_eq!(history.records.len(), 2);
}

#[test]
fn the_first_terminal_session_prints_the_safety_note_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = [
        "play",
        "Extended exhale 4-6",
        "--no-window",
        "--mute",
        "--minutes",
        "0.05",
    ];
    let first = downshift(dir.path(), &args);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let said = text(&first.stdout);
    for paragraph in downshift::app::screen::SAFETY_NOTE {
        assert!(said.contains(paragraph), "{said}");
    }
    let second = downshift(dir.path(), &args);
    assert!(!text(&second.stdout).contains(downshift::app::screen::SAFETY_TITLE));
    // And the second session did run: both are in the history.
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    let history = load_history(&dir.path().join("history.log")).expect("reads");
    assert_eq!(history.records.len(), 2);
}

#[test]
fn presets_show_says_whether_each_built_in_fits_gentle_mode_and_names_its_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in downshift::store::Library::built_in().entries {
        let practice = entry.practice;
        let out = downshift(dir.path(), &["presets", "show", &practice.name]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        let line = if downshift::practice::fits_gentle_mode(&practice) {
            "// Fine in gentle mode"
        } else {
            "// Not for gentle mode: it has breath holds"
        };
        assert!(shown.starts_with(line), "{shown}");
        assert!(!practice.sources.is_empty(), "{}", practice.name);
        for source in &practice.sources {
            assert!(
                shown.contains(source.as_str()),
                "{}: {source}",
                practice.name
            );
        }
    }
}
