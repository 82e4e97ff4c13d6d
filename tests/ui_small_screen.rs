//! A small laptop screen: 1280 × 720 with a panel and a title bar leaves about 720 × 650 for
//! the window's inside. Each screen's one clear action is in view there, a screen longer than
//! the window shows a scroll bar that can be seen, and the check-in keeps as "offered" only the
//! marks that were on the screen.

use downshift::app::Command;
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::store::checkins::{BUILT_IN_MARKS, CheckIn, load_checkins};
use downshift::store::settings::Theme;
use downshift::ui::DownshiftApp;
use downshift::ui::theme::Palette;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::app::{Rig, SIZE};
use common::clock::{TODAY, day, today_at};
use common::painted;
use common::records::checkin_log;

/// The window's inside on 1280 × 720 with a panel and a title bar.
const SMALL: [f32; 2] = [720.0, 650.0];

/// Six marks of one's own, after the five built in: eleven in all.
const OWN_MARKS: &str = "[\"gardening\", \"a long drive\", \"carrying a child\", \
                         \"cold weather\", \"a new mattress\", \"painting the hall\"]";

/// Asserts that the button `label` is wholly inside a window of `size`.
#[track_caller]
fn button_in_view(harness: &Harness<'static, DownshiftApp>, label: &str, size: [f32; 2]) {
    let rect = harness.get_by_role_and_label(Role::Button, label).rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
    assert!(
        window.contains_rect(rect),
        "\"{label}\" at {rect:?} is not inside the {}×{} window",
        size[0],
        size[1]
    );
}

/// The scroll bars that can be seen, with the pointer away (nothing hovered).
fn scroll_bars(harness: &mut Harness<'static, DownshiftApp>) -> Vec<egui::Rect> {
    harness.remove_cursor();
    harness.run();
    painted::scroll_bars(harness.output(), Palette::of(Theme::Evening).background)
}

#[test]
fn at_720_by_650_each_screens_clear_action_is_in_view() {
    let rig = Rig::new();
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(120)).expect("check-ins");
    let mut harness = rig.window().size(SMALL).open();
    harness.run();
    // Home, with the check-in's card above the practices.
    harness.get_by_label("A ten-second check-in?");
    button_in_view(&harness, "Start", SMALL);

    // The check-in: its question, then the page after it with "What changed".
    harness
        .get_by_role_and_label(Role::Button, "Check in")
        .click();
    harness.run();
    button_in_view(&harness, "Not today", SMALL);
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
    button_in_view(&harness, "Done", SMALL);
    // Every mark and the note are above Done, on the screen: none needs a scroll to be found.
    let done = harness.get_by_role_and_label(Role::Button, "Done").rect();
    let window = egui::Rect::from_min_max(egui::Pos2::ZERO, egui::pos2(SMALL[0], done.top()));
    for mark in BUILT_IN_MARKS {
        let rect = harness.get_by_role_and_label(Role::CheckBox, mark).rect();
        assert!(
            window.contains_rect(rect),
            "{mark} at {rect:?} is below the fold"
        );
    }
    let note = harness
        .get_by_role_and_label(Role::MultilineTextInput, "A note (optional)")
        .rect();
    assert!(
        window.contains_rect(note),
        "the note at {note:?} is below the fold"
    );
    harness.get_by_role_and_label(Role::Button, "Done").click();
    harness.run();

    harness
        .get_by_role_and_label(Role::Button, "Your days")
        .click();
    harness.run();
    button_in_view(&harness, "‹ Back", SMALL);
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    button_in_view(&harness, "Back", SMALL);
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    button_in_view(&harness, "Back", SMALL);
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.state_mut().apply(Command::OpenSafety);
    harness.run();
    button_in_view(&harness, "Back", SMALL);
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.get_by_role_and_label(Role::Button, "New").click();
    harness.run_steps(3);
    button_in_view(&harness, "Save", SMALL);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);

    // A session ended early: the summary's Done.
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(20 * S);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    button_in_view(&harness, "Done", SMALL);
}

#[test]
fn a_screen_longer_than_the_window_shows_a_scroll_bar_and_one_that_fits_shows_none() {
    // At the default size the check-in's question fits: no bar.
    let rig = Rig::new();
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(120)).expect("check-ins");
    let mut harness = rig.window().open();
    harness.run();
    harness.state_mut().apply(Command::OpenCheckIn(None));
    harness.run();
    harness.get_by_label("Pain today, on average?");
    assert_eq!(scroll_bars(&mut harness), Vec::new(), "it fits at {SIZE:?}");
    drop(harness);

    let mut harness = rig.window().size(SMALL).at(today_at(21, 0)).open();
    harness.run();
    // Home at 720 × 650 with the check-in's card: the practices go below the list's foot.
    let bars = scroll_bars(&mut harness);
    assert!(!bars.is_empty(), "the practice list shows its bar");
    assert!(
        bars.iter().all(|bar| bar.right() < SMALL[0] / 2.0 + 40.0),
        "in the list's column, on the left: {bars:?}"
    );

    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    let bars = scroll_bars(&mut harness);
    assert!(
        bars.iter().any(|bar| bar.right() > SMALL[0] - 40.0),
        "Settings shows its bar at the right: {bars:?}"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness
        .get_by_role_and_label(Role::Button, "Your days")
        .click();
    harness.run();
    let bars = scroll_bars(&mut harness);
    assert!(
        bars.iter().any(|bar| bar.right() > SMALL[0] - 40.0),
        "Your days shows its bar at the right: {bars:?}"
    );
}

/// The check-ins kept in the rig's data folder.
fn kept(rig: &Rig) -> Vec<CheckIn> {
    load_checkins(&rig.data_dir().checkins_path())
        .expect("reads")
        .entries
}

/// Answers the check-in's four questions with 8, 6, 3 and 4.
fn answer(harness: &mut Harness<'static, DownshiftApp>) {
    for key in [
        egui::Key::Num8,
        egui::Key::Num6,
        egui::Key::Num3,
        egui::Key::Num4,
    ] {
        harness.key_press(key);
        harness.run();
    }
}

#[test]
fn a_mark_that_was_never_on_the_screen_is_not_kept_as_offered() {
    let rig = Rig::returning(&format!("(checkin: (own_marks: {OWN_MARKS}))"));
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(120)).expect("check-ins");
    // The smallest the window may be made: eleven marks and "What changed" do not all fit.
    let size = [720.0, 520.0];
    let mut harness = rig.window().size(size).open();
    harness.run();
    harness.state_mut().apply(Command::OpenCheckIn(None));
    harness.run();
    answer(&mut harness);
    harness.get_by_label_contains("What changed");
    let done = harness.get_by_role_and_label(Role::Button, "Done").rect();
    let in_view = egui::Rect::from_min_max(egui::Pos2::ZERO, egui::pos2(size[0], done.top()));
    let marks = rig_marks();
    let (seen, unseen): (Vec<String>, Vec<String>) = marks.iter().cloned().partition(|mark| {
        harness
            .query_by_role_and_label(Role::CheckBox, mark)
            .is_some_and(|node| in_view.contains_rect(node.rect()))
    });
    assert!(
        !unseen.is_empty(),
        "some marks are below the fold at {size:?}"
    );
    // Done without scrolling: the marks below were never asked.
    harness.key_press(egui::Key::Enter);
    harness.run();
    let today = kept(&rig)
        .into_iter()
        .find(|c| c.date == TODAY)
        .expect("kept");
    assert_eq!(
        today.offered, seen,
        "only what was on the screen was offered"
    );

    // Saturday filled in, scrolled to the foot before Done: every mark was on the screen.
    harness
        .state_mut()
        .apply(Command::OpenCheckIn(Some(day(-2))));
    harness.run();
    answer(&mut harness);
    harness.get_by_label("Thank you.");
    let middle = egui::pos2(size[0] / 2.0, done.top() / 2.0);
    for _ in 0..10 {
        harness.hover_at(middle);
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        harness.run();
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    let saturday = kept(&rig)
        .into_iter()
        .rev()
        .find(|c| c.date == day(-2))
        .expect("kept");
    assert_eq!(
        saturday.offered, marks,
        "scrolled through, every mark was offered"
    );
}

/// The built-in marks, then the six of one's own.
fn rig_marks() -> Vec<String> {
    let own: Vec<String> = OWN_MARKS
        .trim_matches(['[', ']'])
        .split(", ")
        .map(|m| m.trim_matches('"').to_owned())
        .collect();
    BUILT_IN_MARKS
        .iter()
        .map(|m| m.to_string())
        .chain(own)
        .collect()
}
