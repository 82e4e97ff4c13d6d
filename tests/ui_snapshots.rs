//! Every screen as people see it, in both themes, at the window's default size: compared with
//! the images in `tests/snapshots` (rendered with wgpu on Mesa's software Vulkan;
//! `UPDATE_SNAPSHOTS=1` redraws them after an intended change, to be looked at before they are
//! committed; `optipng -o2 -strip all tests/snapshots/*.png` then halves their size, losslessly).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use downshift::app::Command;
use downshift::clock::Clocks;
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::store::{DataDir, Library};
use downshift::ui::{AppOptions, DownshiftApp, SoundMode};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jiff::civil::DateTime;

mod common;

/// A data folder and the clocks the window runs on, both set by the test.
struct Rig {
    /// The window's size: the default, or a small laptop's.
    size: [f32; 2],
    now: Arc<AtomicU64>,
    local: Arc<Mutex<DateTime>>,
    dir: tempfile::TempDir,
}

/// Monday 23 November 2026, at this local time.
fn monday(hour: i8, minute: i8) -> DateTime {
    jiff::civil::date(2026, 11, 23).at(hour, minute, 0, 0)
}

impl Rig {
    fn new(settings: &str, at: DateTime) -> Rig {
        let rig = Rig {
            size: WINDOW.with(|w| *w.borrow()),
            now: Arc::new(AtomicU64::new(1_000 * S)),
            local: Arc::new(Mutex::new(at)),
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::write(rig.data().settings_path(), settings).expect("settings");
        rig
    }

    fn data(&self) -> DataDir {
        DataDir::new(self.dir.path())
    }

    fn advance(&self, micros: u64) {
        self.now.fetch_add(micros, Ordering::SeqCst);
    }

    fn set_local(&self, to: DateTime) {
        *self.local.lock().expect("local time") = to;
    }

    fn harness(&self) -> Harness<'static, DownshiftApp> {
        let now = Arc::clone(&self.now);
        let local = Arc::clone(&self.local);
        let clocks = Clocks::from_fns(
            move || now.load(Ordering::SeqCst),
            move || {
                let at = *local.lock().expect("local time");
                downshift::clock::fixed_wall(at)()
            },
        );
        let app = DownshiftApp::new(self.data(), AppOptions::new(clocks, SoundMode::Off));
        let mut harness = Harness::builder()
            .with_size(self.size)
            .build_eframe(move |_| app);
        harness.set_render_cursor(false);
        harness.run_steps(2);
        harness
    }
}

thread_local! {
    /// The size of the windows the next rigs open.
    static WINDOW: std::cell::RefCell<[f32; 2]> = const { std::cell::RefCell::new([720.0, 760.0]) };
}

/// The images taken, and those that did not match.
struct Album {
    /// What each image's name ends with: the theme, and "-small" at a small size.
    theme: String,
    failures: Vec<String>,
}

impl Album {
    fn take(&mut self, harness: &mut Harness<'static, DownshiftApp>, name: &str) {
        self.take_masked(harness, name, None);
    }

    /// With what differs from run to run (a temporary folder's name) painted over.
    fn take_masked(
        &mut self,
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
        if let Err(error) = harness.try_snapshot(format!("{name}-{}", self.theme)) {
            self.failures.push(error.to_string());
        }
    }

    fn check(self) {
        assert!(self.failures.is_empty(), "{}", self.failures.join("\n"));
    }
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

fn every_screen(theme: &'static str) {
    let small = WINDOW.with(|w| w.borrow()[1] < 760.0);
    let mut album = Album {
        theme: if small {
            format!("{theme}-small")
        } else {
            theme.to_owned()
        },
        failures: Vec::new(),
    };

    // The tension question, and an empty history.
    let rig = Rig::new(
        &format!("(safety_note_seen: true, theme: {theme})"),
        monday(21, 0),
    );
    let mut harness = rig.harness();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("No sessions yet.");
    album.take(&mut harness, "history-empty");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("How tense do you feel right now?");
    album.take(&mut harness, "tension");
    drop(harness);

    // Everything else, from a working day's end: a reminder due at 17:30, a preset file that
    // cannot be used, and two calm sessions of "Extended exhale 4-6" so far.
    let rig = Rig::new(
        &format!(
            "(safety_note_seen: true, ask_tension: false, theme: {theme}, \
             reminders: (transition: true, transition_at: \"17:30\"))"
        ),
        monday(17, 29),
    );
    let data = rig.data();
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
    let mut harness = rig.harness();
    harness.run();
    album.take(&mut harness, "home");
    harness
        .get_by_label("Problems: 1 preset file could not be used")
        .click();
    harness.run();
    album.take_masked(&mut harness, "problems", Some("broken.ron"));
    harness
        .get_by_label("Problems: 1 preset file could not be used")
        .click();
    harness.run();
    rig.set_local(monday(17, 30));
    harness.run();
    harness.get_by_label("Later");
    album.take(&mut harness, "reminder");
    harness.get_by_label("Later").click();
    harness.run();
    harness.key_press(egui::Key::I);
    harness.run();
    album.take(&mut harness, "about");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Safety").click();
    harness.run();
    album.take(&mut harness, "safety");
    harness.get_by_label("Back").click();
    harness.run();

    // Work to home opens with a prompt.
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(3 * S);
    harness.run();
    album.take(&mut harness, "session-prompt");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done").click();
    harness.run();

    choose(&mut harness, "Box 4-4-4-4");
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(2 * S);
    harness.run();
    album.take(&mut harness, "session-inhale");
    rig.advance(4 * S);
    harness.run();
    harness.get_by_label("Hold");
    album.take(&mut harness, "session-hold");
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Press Space to resume");
    album.take(&mut harness, "session-paused");
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
    album.take(&mut harness, "summary-offer");
    harness.get_by_label("Done").click();
    harness.run();

    harness.get_by_label("Settings").click();
    harness.run();
    album.take(&mut harness, "settings");
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.get_by_label("New").click();
    // The preview breathes: frames are stepped, not run to rest.
    harness.run_steps(3);
    album.take(&mut harness, "editor");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);

    // As a command: a click's release would land on the list below (kittest sends the press
    // and the release in one frame).
    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    album.take(&mut harness, "history-few");
    drop(harness);

    // A hundred thousand sessions.
    let rig = Rig::new(
        &format!("(safety_note_seen: true, theme: {theme})"),
        monday(21, 0),
    );
    std::fs::write(rig.data().history_path(), sessions(100_000)).expect("history");
    let mut harness = rig.harness();
    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    album.take(&mut harness, "history-many");
    drop(harness);

    // Pain as data: four months of check-ins, a small test in its third block, and a day whose
    // pain stands out.
    let rig = Rig::new(
        &format!("(safety_note_seen: true, theme: {theme})"),
        monday(21, 0),
    );
    std::fs::write(rig.data().checkins_path(), checkins(120)).expect("check-ins");
    std::fs::write(
        rig.data().small_tests_path(),
        "(version: 1, tests: [(change: \"a pillow under the knees\", start: \"2026-11-14\", \
         block_days: 4, with_change: [true, false, false, true, true, false, true, false, false, true])])",
    )
    .expect("small tests");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Check in").click();
    harness.run();
    album.take(&mut harness, "checkin-question");
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
    album.take(&mut harness, "checkin-answered");
    harness.get_by_label("Done").click();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    album.take(&mut harness, "your-days");

    album.check();
}

/// `days` days of check-ins up to yesterday, as the log keeps them: pain around 4 that drifts,
/// sleep around 7, a mark now and then; the last two days slept badly after long sitting.
fn checkins(days: i64) -> String {
    use downshift::store::checkins::{BUILT_IN_MARKS, CheckIn, checkin_line};
    let today = jiff::civil::date(2026, 11, 23);
    let written: downshift::store::history::StartTime =
        "2026-11-23T21:00:00+00:00".parse().expect("time");
    let mut text = String::new();
    for back in (1..=days).rev() {
        if back % 9 == 4 {
            continue; // a day missed now and then
        }
        let date = today
            .checked_sub(jiff::Span::new().days(back))
            .expect("date");
        let mut checkin = CheckIn::new(date, written);
        let wave = [0, 1, 1, 0, -1, -1, 0, 1, 0, -1][(back % 10) as usize];
        checkin.pain = Some((4 + wave) as u8);
        checkin.interference = Some((3 + wave) as u8);
        checkin.sleep = Some(if back <= 2 { 3 } else { (7 - wave) as u8 });
        checkin.stress = Some((2 + (back % 3)) as u8);
        checkin.offered = BUILT_IN_MARKS.iter().map(|m| m.to_string()).collect();
        if back <= 2 || back % 11 == 0 {
            checkin.marked = vec!["long sitting".to_owned()];
        }
        text.push_str(&checkin_line(&checkin).expect("line"));
        text.push('\n');
    }
    text
}

#[test]
fn every_screen_looks_as_it_should_in_the_evening_theme() {
    every_screen("Evening");
}

#[test]
fn every_screen_is_usable_on_a_small_laptop_screen() {
    // 1280 × 720 with a panel and a title bar leaves about 720 × 650 for the window's inside:
    // every screen still shows what it needs, or scrolls and says so.
    WINDOW.with(|w| *w.borrow_mut() = [720.0, 650.0]);
    every_screen("Evening");
}

#[test]
fn every_screen_looks_as_it_should_in_the_light_theme() {
    every_screen("Light");
}
