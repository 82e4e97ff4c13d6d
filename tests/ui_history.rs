//! The history screen with an injected data folder: empty, then with sessions.

use downshift::store::history::{RECORD_VERSION, SessionEnd, SessionRecord, StartTime};
use downshift::store::{DataDir, append_record};
use downshift::ui::DownshiftApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::app::Rig;
use common::clock::{TODAY, TestClock};
use common::painted;

/// Tall enough for the whole history screen.
const TALL: [f32; 2] = [900.0, 900.0];

/// "Now" in these tests, as the window's clock reads it.
fn now() -> jiff::Zoned {
    TestClock::new().now().wall
}

fn session(
    practice: &str,
    hours_ago: i64,
    minutes: f64,
    tension: Option<(u8, u8)>,
) -> SessionRecord {
    let when = now()
        .checked_sub(jiff::SignedDuration::from_hours(hours_ago))
        .expect("in range");
    let started = StartTime::of(&when);
    SessionRecord {
        version: RECORD_VERSION,
        id: format!("{practice}-{hours_ago}"),
        started,
        practice: practice.to_owned(),
        practised: "4-6, 5 min".to_owned(),
        planned_seconds: 300.0,
        breathed_seconds: minutes * 60.0,
        paused_seconds: 0.0,
        breaths: 30,
        end: SessionEnd::Completed,
        tension_before: tension.map(|t| t.0),
        tension_after: tension.map(|t| t.1),
        heart: None,
        note: String::new(),
        app_version: "test".to_owned(),
    }
}

#[test]
fn an_empty_history_is_a_friendly_first_run() {
    let rig = Rig::first_run();
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("No sessions yet.");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Start");
}

#[test]
fn sessions_show_newest_first_with_what_works_and_can_be_filtered_and_exported() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    for record in [
        session("Box 4-4-4-4", 50, 5.0, Some((6, 6))),
        session("Night 3-7", 26, 20.0, Some((7, 3))),
        session("Night 3-7", 0, 10.0, Some((6, 4))),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    // Saturday, Sunday and today (a Monday, so the week has only today's 10 minutes).
    harness.get_by_label("Streak: 3 days   ·   This week: 1 session, 10 minutes");
    harness.get_by_label("What helps most?");
    // Night 3-7 eased tension by 3 on average; Box did not change it.
    harness.get_by_label("-3.0");
    harness.get_by_label("+0.0");
    let rows = harness.query_all_by_label_contains("5.0 min").count()
        + harness.query_all_by_label_contains("20.0 min").count()
        + harness.query_all_by_label_contains("10.0 min").count();
    assert_eq!(rows, 3, "all three sessions are listed");
    let newest = harness.get_by_label_contains("10.0 min").rect().top();
    let oldest = harness.get_by_label_contains("5.0 min").rect().top();
    assert!(newest < oldest, "newest first");

    harness.get_by_label("Practice").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Box 4-4-4-4")
        .click();
    harness.run();
    assert_eq!(
        harness.query_all_by_label_contains("Night 3-7   ").count(),
        0
    );
    harness.get_by_label_contains("Box 4-4-4-4  ·  5.0 min");

    harness.get_by_label("Export CSV").click();
    harness.run();
    harness.get_by_label_contains("Exported to");
    let exports: Vec<_> = std::fs::read_dir(rig.path().join("exports"))
        .expect("exports folder")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(exports.len(), 1);
    let csv = std::fs::read_to_string(exports[0].path()).expect("reads");
    assert_eq!(csv.lines().count(), 4, "a header and three sessions: {csv}");
}

#[test]
fn a_session_can_be_deleted_after_saying_yes() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    append_record(&data.history_path(), &session("Box 4-4-4-4", 5, 5.0, None)).expect("appends");
    append_record(&data.history_path(), &session("Night 3-7", 1, 20.0, None)).expect("appends");
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness
        .get_by_label_contains("Box 4-4-4-4  ·  5.0 min")
        .click();
    harness.run();
    harness.get_by_label("Delete this session…").click();
    harness.run();
    harness.get_by_label("Keep").click();
    harness.run();
    assert_eq!(
        downshift::store::load_history(&data.history_path())
            .expect("reads")
            .records
            .len(),
        2
    );
    harness.get_by_label("Delete this session…").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
    harness.get_by_label("The session was deleted.");
    let left = downshift::store::load_history(&data.history_path())
        .expect("reads")
        .records;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].practice, "Night 3-7");
    assert_eq!(
        harness
            .query_all_by_label_contains("Box 4-4-4-4  ·")
            .count(),
        0
    );
}

#[test]
fn the_history_exports_as_json_from_the_window() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    for record in [
        session("Box 4-4-4-4", 50, 5.0, Some((6, 6))),
        session("Night 3-7", 1, 20.0, None),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("Export JSON").click();
    harness.run();
    let path = rig
        .path()
        .join("exports")
        .join(format!("history-{TODAY}.json"));
    harness.get_by_label(&format!("Exported to {}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("written")).expect("JSON");
    let sessions = json.as_array().expect("a list of sessions");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["practice"], "Box 4-4-4-4");
    assert_eq!(sessions[1]["practice"], "Night 3-7");
    assert_eq!(sessions[1]["breathed_seconds"], 1200.0);
}

#[test]
fn short_sessions_plurals_labels_and_dates_read_as_a_person_expects() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    for record in [
        session("Micro-rest reset", 2, 0.2, None),
        session("Night 3-7", 1, 0.8, Some((5, 3))),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    // "1 minute", not "1 minutes".
    harness.get_by_label("Streak: 1 day   ·   This week: 2 sessions, 1 minute");
    // Twelve seconds is twelve seconds, not "0" minutes.
    harness.get_by_label("12 s");
    harness.get_by_label("48 s");
    assert!(harness.query_by_label("0").is_none());

    // The label comes before its dropdown, on the same line.
    let label = harness
        .get_by_role_and_label(egui::Role::Label, "Practice")
        .rect();
    let dropdown = harness.get_by_label("Practice").rect();
    assert!(label.right() <= dropdown.left(), "{label:?} {dropdown:?}");
    assert!(
        (label.center().y - dropdown.center().y).abs() < 4.0,
        "{label:?} {dropdown:?}"
    );
    // Both exports sit on one line with Back, none wrapped onto a line of its own.
    let back = harness.get_by_label("Back").rect();
    for export in ["Export CSV", "Export JSON"] {
        let rect = harness.get_by_label(export).rect();
        assert!(
            (rect.center().y - back.center().y).abs() < 4.0,
            "{export} at {rect:?}, Back at {back:?}"
        );
    }

    // The days under "Minutes a day" are dates (today is Monday 23 November), not -30 to 0.
    let texts: Vec<String> = painted::texts(harness.output())
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    assert!(texts.iter().any(|t| t == "23 Nov"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "16 Nov"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "-7" || t == "-28"), "{texts:?}");
}

#[test]
fn picking_a_session_and_exporting_move_no_row() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    for record in [
        session("Box 4-4-4-4", 5, 5.0, None),
        session("Night 3-7", 1, 20.0, Some((6, 4))),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    let row = |harness: &Harness<'static, DownshiftApp>| {
        harness
            .get_by_label_contains("Box 4-4-4-4  ·  5.0 min")
            .rect()
    };
    let before = row(&harness);
    harness
        .get_by_label_contains("Box 4-4-4-4  ·  5.0 min")
        .click();
    harness.run();
    harness.get_by_label("Delete this session…");
    assert_eq!(row(&harness), before, "picking a session");
    harness.get_by_label("Delete this session…").click();
    harness.run();
    harness.get_by_label("Keep");
    assert_eq!(row(&harness), before, "asking to delete it");
    harness.get_by_label("Export CSV").click();
    harness.run();
    harness.get_by_label_contains("Exported to");
    assert_eq!(row(&harness), before, "exporting");
}

/// Moves the pointer along the lower part of `chart`, from its right edge leftwards, until a
/// painted text says `wanted`; whether one did.
fn hover_until(harness: &mut Harness<'static, DownshiftApp>, chart: &str, wanted: &str) -> bool {
    let rect = harness.get_by_label(chart).rect();
    for dx in (4..120).step_by(3) {
        for dy in [40.0, 60.0, 75.0] {
            let at = egui::pos2(rect.right() - dx as f32, rect.top() + dy);
            harness.hover_at(at);
            harness.run();
            if painted::painted(harness.output(), wanted) {
                return true;
            }
        }
    }
    false
}

fn three_sessions(data: &DataDir) {
    for record in [
        session("Box 4-4-4-4", 50, 5.0, Some((6, 6))),
        session("Night 3-7", 26, 20.0, Some((7, 3))),
        session("Night 3-7", 0, 10.0, Some((6, 4))),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
}

#[test]
fn with_three_sessions_the_charts_answer_the_three_questions_with_values_on_hover() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    three_sessions(&data);
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    for question in ["Am I practising?", "Does it help?", "What helps most?"] {
        let rect = harness.get_by_label(question).rect();
        assert!(rect.bottom() <= 760.0, "{question} in view");
    }
    // Does it help: the change in words, beside the chart, and marked as uncertain.
    harness.get_by_label(
        "Over 30 days, tension eased by 2.0 on average (6.3 before, 4.3 after; 3 rated \
         sessions). Too few to be sure yet.",
    );
    assert!(painted::painted(harness.output(), "before"), "a legend");
    assert!(painted::painted(harness.output(), "after"), "a legend");
    // What helps most: the practice that eased tension most comes first; too few to be sure.
    let night = harness.get_by_label("uncertain: 2 rated").rect();
    let boxed = harness.get_by_label("uncertain: 1 rated").rect();
    assert!(night.top() < boxed.top());
    // The day's values on hover.
    assert!(
        hover_until(&mut harness, "Am I practising?", "Mon 23 Nov: 10 minutes"),
        "hovering today's bar says its minutes"
    );
    assert!(
        hover_until(
            &mut harness,
            "Does it help?",
            "Mon 23 Nov: 6.0 before, 4.0 after (1 rated)"
        ),
        "hovering today's points says the day's tension"
    );
}

/// How much the last frame painted: its shapes, a line counting as its points.
fn shape_count(harness: &Harness<'static, DownshiftApp>) -> usize {
    fn count(shape: &egui::epaint::Shape) -> usize {
        match shape {
            egui::epaint::Shape::Vec(shapes) => shapes.iter().map(count).sum(),
            egui::epaint::Shape::Path(path) => path.points.len(),
            egui::epaint::Shape::LineSegment { .. } => 2,
            _ => 1,
        }
    }
    harness
        .output()
        .shapes
        .iter()
        .map(|clipped| count(&clipped.shape))
        .sum()
}

#[test]
fn a_hundred_thousand_sessions_draw_as_days_not_as_sessions() {
    let few = Rig::first_run();
    three_sessions(&few.data_dir());
    let many = Rig::first_run();
    let mut text = String::new();
    for i in 0..100_000i64 {
        // Ten years, a session every 53 minutes, rated.
        let mut record = session(
            "Night 3-7",
            i * 53 / 60,
            5.0,
            Some(((i % 9) as u8, (i % 5) as u8)),
        );
        record.id = format!("r{i}");
        text.push_str(&downshift::store::history::record_line(&record).expect("line"));
        text.push('\n');
    }
    std::fs::write(many.data_dir().history_path(), text).expect("write");
    let mut counts = Vec::new();
    for rig in [&few, &many] {
        let mut harness = rig.harness();
        harness.run();
        harness.get_by_label("History").click();
        harness.run();
        harness.get_by_label_contains("Over 30 days, tension");
        counts.push(shape_count(&harness));
    }
    harness_says_days(&many);
    assert!(
        counts[1] < counts[0] * 3,
        "100,000 sessions paint about as much as three: {counts:?}"
    );
}

/// With 100,000 sessions the words still rest on every rated session of the days shown.
fn harness_says_days(rig: &Rig) {
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    let words = harness.get_by_label_contains("Over 30 days, tension");
    let text = format!("{words:?}");
    assert!(text.contains("rated sessions)."), "{text}");
    assert!(!text.contains("Too few"), "{text}");
}

#[test]
fn does_it_help_shows_the_hearts_swing_over_the_weeks_from_the_sessions_with_a_strap() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let with_heart = |hours_ago: i64, swing: f64| SessionRecord {
        heart: Some(downshift::store::history::HeartRecord {
            mean_heart_rate: 64.0,
            mean_swing: Some(swing),
            rmssd: Some(40.0),
            clean_beats: 600,
            dropped_beats: 2,
        }),
        ..session("Resonance 5-5", hours_ago, 10.0, None)
    };
    // Two weeks ago a swing of 8; this week 12 and 11; a session without a strap between.
    for record in [
        with_heart(24 * 10, 8.0),
        session("Night 3-7", 24 * 5, 10.0, None),
        with_heart(24 * 2, 12.0),
        with_heart(1, 11.0),
    ] {
        append_record(&data.history_path(), &record).expect("appends");
    }
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("The heart's swing");
    harness.get_by_label(
        "The heart swung 10.3 a breath on average (3 sessions with a strap). The last 7 days \
         11.5, the 7 before 8.0.",
    );

    // Without a strap ever, the chart is not there at all.
    let rig = Rig::first_run();
    append_record(
        &rig.data_dir().history_path(),
        &session("Night 3-7", 1, 10.0, Some((6, 4))),
    )
    .expect("appends");
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("Does it help?");
    assert!(harness.query_by_label("The heart's swing").is_none());
}
