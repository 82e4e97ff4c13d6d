//! Every screen as people see it, in both themes, at the window's default size: compared with
//! the images in `tests/snapshots` (rendered with wgpu on Mesa's software Vulkan;
//! `UPDATE_SNAPSHOTS=1` redraws them after an intended change, to be looked at before they are
//! committed; `optipng -o2 -strip all tests/snapshots/*.png` then halves their size, losslessly).

use downshift::app::Command;
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::store::Library;
use downshift::ui::DownshiftApp;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotResults};
use jiff::civil::DateTime;

mod common;
use common::app::{Rig, SIZE};
use common::clock::{day, today_at};
use common::records::checkin_log;

/// The window on the rig's folder, opened at `at`, as the snapshots show it: no pointer drawn,
/// two frames in.
fn open(rig: &Rig, size: [f32; 2], at: DateTime) -> Harness<'static, DownshiftApp> {
    let mut harness = rig.window().size(size).at(at).render_cursor(false).open();
    harness.run_steps(2);
    harness
}

/// Takes the picture `name` (what it ends with says the theme, and "-small" at a small size),
/// with what differs from run to run (a temporary folder's name) painted over when `varying`
/// names it; one that does not match is kept in `results`, so every screen is compared.
fn take(
    results: &mut SnapshotResults,
    harness: &mut Harness<'static, DownshiftApp>,
    name: &str,
    varying: Option<&str>,
) {
    // The pointer away, so nothing shows as hovered where the last click was.
    harness.remove_cursor();
    harness.run_steps(3);
    if let Some(part) = varying {
        // To the window's edge: the text's own width varies with the name.
        let rect = harness.get_by_label_contains(part).rect();
        harness.mask(egui::Rect::from_min_max(
            rect.min,
            egui::pos2(720.0, rect.max.y),
        ));
    }
    results.add(harness.try_snapshot(name));
}

/// Clicks the practice row whose label begins with `name`, and lets the list settle.
fn choose(harness: &mut Harness<'static, DownshiftApp>, name: &str) {
    let index = Library::built_in()
        .entries
        .iter()
        .position(|e| e.practice.name == name)
        .expect("built in");
    harness.state_mut().apply(Command::Select(index));
    harness.run_steps(4);
}

fn sessions(count: usize) -> String {
    let first: jiff::Zoned = "2016-11-24T07:30:00+00:00[UTC]".parse().expect("time");
    // Spread over the ten years up to the test's "now".
    let every = jiff::SignedDuration::from_secs(10 * 365 * 24 * 3600 / count.max(1) as i64);
    common::records::history_text(&first, every, count, |i| {
        ((3 + i % 6) as u8, (1 + i % 4) as u8)
    })
}

fn every_screen(theme: &'static str, size: [f32; 2]) {
    let suffix = if size[1] < SIZE[1] {
        format!("{theme}-small")
    } else {
        theme.to_owned()
    };
    let named = |screen: &str| format!("{screen}-{suffix}");
    let mut results = SnapshotResults::new();

    // The tension question, and an empty history.
    let rig = Rig::with_settings(&format!("(safety_note_seen: true, theme: {theme})"));
    let mut harness = open(&rig, size, today_at(21, 0));
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("No sessions yet.");
    take(&mut results, &mut harness, &named("history-empty"), None);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("How tense do you feel right now?");
    take(&mut results, &mut harness, &named("tension"), None);
    drop(harness);

    // Everything else, from a working day's end: a reminder due at 17:30, a preset file that
    // cannot be used, and two calm sessions of "Extended exhale 4-6" so far.
    let rig = Rig::with_settings(&format!(
        "(safety_note_seen: true, ask_tension: false, theme: {theme}, \
             reminders: (transition: true, transition_at: \"17:30\"))"
    ));
    let data = rig.data_dir();
    std::fs::create_dir_all(data.presets_dir()).expect("presets folder");
    std::fs::write(
        data.presets_dir().join("broken.ron"),
        "(version: 1, name: \"Broken\", description: \"\",\n steps: [Breathe(pattern: (inhale: -4.0, exhale: 6.0), minutes: 1.0)])",
    )
    .expect("write");
    std::fs::write(
        data.progress_path(),
        r#"(practices: {"Extended exhale 4-6": (progress: (exhale: 6.0, calm_in_a_row: 2))})"#,
    )
    .expect("progress");
    let mut harness = open(&rig, size, today_at(17, 29));
    harness.run();
    take(&mut results, &mut harness, &named("home"), None);
    harness
        .get_by_label("Problems: 1 preset file could not be used")
        .click();
    harness.run();
    take(
        &mut results,
        &mut harness,
        &named("problems"),
        Some("broken.ron"),
    );
    harness
        .get_by_label("Problems: 1 preset file could not be used")
        .click();
    harness.run();
    rig.set_local(today_at(17, 30));
    harness.run();
    harness.get_by_label("Later");
    take(&mut results, &mut harness, &named("reminder"), None);
    harness.get_by_label("Later").click();
    harness.run();
    harness.key_press(egui::Key::I);
    harness.run();
    take(&mut results, &mut harness, &named("about"), None);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Safety").click();
    harness.run();
    take(&mut results, &mut harness, &named("safety"), None);
    harness.get_by_label("Back").click();
    harness.run();

    // Work to home opens with a prompt.
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(3 * S);
    harness.run();
    take(&mut results, &mut harness, &named("session-prompt"), None);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done").click();
    harness.run();

    choose(&mut harness, "Box 4-4-4-4");
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(2 * S);
    harness.run();
    take(&mut results, &mut harness, &named("session-inhale"), None);
    rig.advance(4 * S);
    harness.run();
    harness.get_by_label("Hold");
    take(&mut results, &mut harness, &named("session-hold"), None);
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Press Space to resume");
    take(&mut results, &mut harness, &named("session-paused"), None);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done").click();
    harness.run();

    choose(&mut harness, "Extended exhale 4-6");
    harness.get_by_label("Start").click();
    harness.run();
    rig.advance(10 * 60 * S);
    harness.run();
    harness.get_by_label("Lengthen");
    take(&mut results, &mut harness, &named("summary-offer"), None);
    harness.get_by_label("Done").click();
    harness.run();

    harness.get_by_label("Settings").click();
    harness.run();
    take(&mut results, &mut harness, &named("settings"), None);
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.get_by_label("New").click();
    // The preview breathes: frames are stepped, not run to rest.
    harness.run_steps(3);
    take(&mut results, &mut harness, &named("editor"), None);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);

    // As a command: a click's release would land on the list below (kittest sends the press
    // and the release in one frame).
    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    take(&mut results, &mut harness, &named("history-few"), None);
    drop(harness);

    // A hundred thousand sessions.
    let rig = Rig::with_settings(&format!("(safety_note_seen: true, theme: {theme})"));
    std::fs::write(rig.data_dir().history_path(), sessions(100_000)).expect("history");
    let mut harness = open(&rig, size, today_at(21, 0));
    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    take(&mut results, &mut harness, &named("history-many"), None);
    drop(harness);

    // Pain as data: four months of check-ins, a small test in its third block, and a day whose
    // pain stands out.
    let rig = Rig::with_settings(&format!("(safety_note_seen: true, theme: {theme})"));
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(120)).expect("check-ins");
    std::fs::write(
        rig.data_dir().small_tests_path(),
        format!(
            "(version: 1, tests: [(change: \"a pillow under the knees\", start: \"{}\", \
             block_days: 4, with_change: [true, false, false, true, true, false, true, false, false, true])])",
            day(-9)
        ),
    )
    .expect("small tests");
    let mut harness = open(&rig, size, today_at(21, 0));
    harness.run();
    harness.get_by_label("Check in").click();
    harness.run();
    take(&mut results, &mut harness, &named("checkin-question"), None);
    for key in [
        egui::Key::Num8,
        egui::Key::Num6,
        egui::Key::Num3,
        egui::Key::Num4,
    ] {
        harness.key_press(key);
        harness.run();
    }
    harness.get_by_label_contains("What changed");
    take(&mut results, &mut harness, &named("checkin-answered"), None);
    harness.get_by_label("Done").click();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    take(&mut results, &mut harness, &named("your-days"), None);

    results.unwrap();
}

#[test]
fn every_screen_looks_as_it_should_in_the_evening_theme() {
    every_screen("Evening", SIZE);
}

#[test]
fn every_screen_is_usable_on_a_small_laptop_screen() {
    // 1280 × 720 with a panel and a title bar leaves about 720 × 650 for the window's inside:
    // every screen still shows what it needs, or scrolls and says so.
    every_screen("Evening", [720.0, 650.0]);
}

#[test]
fn every_screen_looks_as_it_should_in_the_light_theme() {
    every_screen("Light", SIZE);
}

#[test]
fn a_wait_that_fails_leaves_a_picture_of_the_window_named_in_its_message() {
    use common::app::HarnessExt;
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.get_by_label("Start").click();
    let frames = harness.step_until("the session to start", |h| h.state().is_in_session());
    assert!(frames >= 1);

    let waited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        harness.step_until("a label that never comes", |h| {
            h.query_by_label("Never shown").is_some()
        })
    }));
    let message = match waited {
        Ok(frames) => panic!("the wait was met after {frames} frames"),
        Err(panic) => panic
            .downcast::<String>()
            .map(|text| *text)
            .unwrap_or_default(),
    };
    assert!(
        message.starts_with("a label that never comes: not within"),
        "{message}"
    );
    let path = message
        .split_once("the window as it was: ")
        .map(|(_, path)| std::path::PathBuf::from(path))
        .unwrap_or_else(|| panic!("no picture named: {message}"));
    let png = std::fs::read(&path).expect("the picture is there");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is a PNG",
        path.display()
    );
    // The header's width and height: the window's, in pixels.
    let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((size(16), size(20)), (720, 760));
    std::fs::remove_file(&path).expect("removed");
}
