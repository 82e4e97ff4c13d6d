//! `downshift play --no-window` leaves a history record however it is stopped: Ctrl-C (SIGINT),
//! a shutdown (SIGTERM) or the terminal closing (SIGHUP, after which the terminal is gone and
//! every write to it fails).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Lines, PATIENCE, send, wait_for_exit};
use downshift::store::{SessionEnd, load_history};

/// Inhale 4 s, exhale 6 s: the exhale line is printed 4 s into the session.
const PRACTICE: &str = "Extended exhale 4-6";

fn start_playing(data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_downshift"))
        .arg("--data-dir")
        .arg(data)
        .args(["play", PRACTICE, "--no-window", "--mute"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

fn is_phase(line: &str, label: &str) -> bool {
    line.split_once("  ")
        .is_some_and(|(_, rest)| rest.starts_with(label))
}

/// Waits until the session has breathed its first inhale (the second phase line is out).
fn wait_until_breathing(lines: &mut Lines) {
    lines.wait_for("first phase line", |l| is_phase(l, "Breathe in"), PATIENCE);
    lines.wait_for(
        "second phase line",
        |l| is_phase(l, "Breathe out"),
        PATIENCE,
    );
}

/// The history holds exactly one record: this session, ended early in its only step, with at
/// least the 4 s of breathing seen on the terminal.
fn assert_recorded_as_ended_early(data: &Path) {
    let history = load_history(&data.join("history.log")).expect("the history reads");
    assert_eq!(history.problems, Vec::<String>::new());
    assert_eq!(history.records.len(), 1, "{:?}", history.records);
    let record = &history.records[0];
    assert_eq!(record.practice, PRACTICE);
    assert_eq!(record.end, SessionEnd::EndedEarly { step: 1 });
    assert!(
        record.breathed_seconds >= 4.0 && record.breathed_seconds < record.planned_seconds,
        "breathed {} s of {} s",
        record.breathed_seconds,
        record.planned_seconds
    );
}

/// A signal with the terminal still there: the session says how it ended and exits with 0.
fn ends_early_and_is_recorded(signal: libc::c_int) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = start_playing(dir.path());
    let mut stdout = Lines::read(child.stdout.take().expect("piped"));
    let mut stderr = Lines::read(child.stderr.take().expect("piped"));
    wait_until_breathing(&mut stdout);
    send(&child, signal);
    let status = wait_for_exit(&mut child, PATIENCE);
    let rest = stdout.rest(PATIENCE);
    let errors = stderr.rest(PATIENCE);
    assert_eq!(status.code(), Some(0), "{errors:?}");
    assert!(
        rest.iter().any(|l| l.starts_with("Ended early:")),
        "{rest:?}"
    );
    assert_eq!(errors, Vec::<String>::new());
    assert_recorded_as_ended_early(dir.path());
}

#[test]
fn ctrl_c_ends_a_terminal_session_early_and_it_is_recorded() {
    ends_early_and_is_recorded(libc::SIGINT);
}

#[test]
fn a_shutdown_ends_a_terminal_session_early_and_it_is_recorded() {
    ends_early_and_is_recorded(libc::SIGTERM);
}

#[test]
fn closing_the_terminal_ends_the_session_early_and_it_is_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = start_playing(dir.path());
    // The terminal goes away: both outputs are closed before the hang-up arrives, so every
    // later write fails (EPIPE here, EIO on a real terminal).
    drop(child.stderr.take());
    let mut stdout = Lines::read_until(child.stdout.take().expect("piped"), |l| {
        is_phase(l, "Breathe out")
    });
    wait_until_breathing(&mut stdout);
    stdout.closed(PATIENCE);
    send(&child, libc::SIGHUP);
    let status = wait_for_exit(&mut child, PATIENCE);
    assert_eq!(
        status.code(),
        Some(0),
        "exits cleanly, no panic: {status:?}"
    );
    assert_recorded_as_ended_early(dir.path());
}
