//! Pain as data in the window: the check-in from the keyboard alone, its buttons as a screen
//! reader reads them, marks of one's own, "Stop offering", the small test's day beside the
//! check-in's card, the red flag on "Your days" and the safety note, the chart at 10 and at
//! 1,000 days, and the buttons that ready a small test.

use downshift::app::Command;
use downshift::store::checkins::{BUILT_IN_MARKS, CheckIn, load_checkins};
use downshift::ui::DownshiftApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod common;
use common::app::Rig;
use common::clock::{TODAY, day, today_at};
use common::painted;
use common::records::{checkin_log, checkin_log_with_a_pattern};

/// Tall enough that "Your days" and Settings need no scrolling.
const TALL: [f32; 2] = [720.0, 2400.0];

/// The check-ins kept in the rig's data folder.
fn kept(rig: &Rig) -> Vec<CheckIn> {
    load_checkins(&rig.data_dir().checkins_path())
        .expect("reads")
        .entries
}

fn press(harness: &mut Harness<'static, DownshiftApp>, keys: &[egui::Key]) {
    for key in keys {
        harness.key_press(*key);
        harness.run();
    }
}

/// The label of the node that has the keyboard.
fn focused(harness: &Harness<'static, DownshiftApp>) -> Option<String> {
    harness
        .query_by(|node| node.is_focused())
        .and_then(|node| node.accesskit_node().label())
}

#[test]
fn c_on_home_opens_the_checkin_and_six_keys_keep_it_with_its_marks() {
    use egui::Key::{C, Enter, Num2, Num3, Num4, Num6};
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("A ten-second check-in?");
    press(&mut harness, &[C]);
    harness.get_by_label("Pain today, on average?");
    press(&mut harness, &[Num6, Num4, Num3, Num2]);
    harness.get_by_label("Thank you.");
    press(&mut harness, &[Enter]);
    let kept = kept(&rig);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (
            kept[0].pain,
            kept[0].interference,
            kept[0].sleep,
            kept[0].stress
        ),
        (Some(6), Some(4), Some(3), Some(2))
    );
    assert_eq!(
        kept[0].offered, BUILT_IN_MARKS,
        "every mark was on the screen"
    );
    assert!(kept[0].marked.is_empty());
    assert!(harness.query_by_label("A ten-second check-in?").is_none());
    drop(harness);

    // Before the offer's time too: C opens it whenever the person wants it.
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(9, 0)).open();
    harness.run();
    assert!(harness.query_by_label("A ten-second check-in?").is_none());
    press(&mut harness, &[C]);
    harness.get_by_label("Pain today, on average?");
}

#[test]
fn the_checkin_reads_each_question_with_its_scale_and_each_number_with_its_question() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::C);
    harness.run();
    let questions = [
        (
            "Pain today, on average?",
            "0 no pain, 10 as bad as you can imagine",
            10,
        ),
        (
            "How much did pain get in the way of what you did today?",
            "0 not at all, 10 completely",
            10,
        ),
        ("Sleep last night?", "0 terrible, 10 excellent", 10),
        ("Stress today?", "1 not at all, 5 very much", 5),
    ];
    for (index, (question, scale, highest)) in questions.iter().enumerate() {
        harness.get_by_label(question);
        harness.get_by_label(scale);
        let announced = harness
            .state()
            .announcement()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            announced,
            format!("{question} {scale}. Question {} of 4.", index + 1)
        );
        // A plain button read with its question: not a bare figure, not a toggle.
        let name = format!("3 of {highest}: {question}");
        let three = harness.get_by_role_and_label(Role::Button, &name);
        assert!(three.accesskit_node().toggled().is_none());
        harness.get_by_role_and_label(Role::Button, &format!("{highest} of {highest}: {question}"));
        if index < 3 {
            harness.key_press(egui::Key::Num3);
            harness.run();
        }
    }
    // Back: the answer given is read as such.
    harness.key_press(egui::Key::Backspace);
    harness.run();
    harness.get_by_role_and_label(Role::Button, "3 of 10: Sleep last night? (your answer)");
    harness.get_by_role_and_label(Role::Button, "4 of 10: Sleep last night?");
}

#[test]
fn marks_of_ones_own_typed_in_settings_are_offered_in_the_checkin_and_kept() {
    let rig = Rig::new();
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    let field = "Marks of your own (up to six, separated by commas)";
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .type_text("gardening, a long drive");
    harness.run();
    // Esc leaves the field, and again Settings (which keeps what changed).
    press(&mut harness, &[egui::Key::Escape, egui::Key::Escape]);
    let (settings, problem) = downshift::store::Settings::load(&rig.data_dir().settings_path());
    assert_eq!(problem, None);
    assert_eq!(settings.checkin.own_marks, ["gardening", "a long drive"]);

    harness.key_press(egui::Key::C);
    harness.run();
    press(
        &mut harness,
        &[
            egui::Key::Num5,
            egui::Key::Num4,
            egui::Key::Num6,
            egui::Key::Num2,
        ],
    );
    harness
        .get_by_role_and_label(Role::CheckBox, "gardening")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Done").click();
    harness.run();
    let kept = kept(&rig);
    let mut offered: Vec<String> = BUILT_IN_MARKS.iter().map(|m| m.to_string()).collect();
    offered.extend(["gardening".to_owned(), "a long drive".to_owned()]);
    assert_eq!(kept[0].offered, offered);
    assert_eq!(kept[0].marked, ["gardening"]);
}

#[test]
fn stop_offering_ends_the_card_and_it_stays_away() {
    let rig = Rig::returning("(checkin: (skipped_in_a_row: 3))");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Keep offering a daily check-in?");
    harness
        .get_by_role_and_label(Role::Button, "Stop offering")
        .click();
    harness.run();
    assert!(harness.query_by_label_contains("check-in?").is_none());
    let (settings, _) = downshift::store::Settings::load(&rig.data_dir().settings_path());
    assert!(!settings.checkin.offer, "kept: no more offers");
    drop(harness);
    for offset in 1..=2 {
        let mut harness = rig.window().at(day(offset).at(21, 0, 0, 0)).open();
        harness.run();
        assert!(
            harness.query_by_label_contains("check-in?").is_none(),
            "not on day {offset}"
        );
    }
}

#[test]
fn home_says_the_small_tests_day_beside_the_checkins_card() {
    let rig = Rig::new();
    std::fs::write(
        rig.data_dir().small_tests_path(),
        format!(
            "(version: 1, tests: [(change: \"a pillow under the knees\", start: \"{}\", \
             block_days: 4, with_change: [true, false, false, true, true, false, true, false, false, true])])",
            day(-1)
        ),
    )
    .expect("small tests");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("A ten-second check-in?");
    harness.get_by_label(
        "Small test, block 1 of 10: today with \u{201c}a pillow under the knees\u{201d}",
    );
    // And the practices still start where they did.
    harness.get_by_role_and_label(Role::Button, "Start");
}

/// Three weeks and more of check-ins, each at `pain`.
fn three_weeks_of_pain(rig: &Rig, pain: u8) {
    use downshift::store::checkins::checkin_line;
    let written = downshift::store::history::StartTime::of(&common::clock::wall(today_at(21, 0)));
    let mut log = String::new();
    for back in 1..=24 {
        let mut checkin = CheckIn::new(day(-back), written);
        checkin.pain = Some(pain);
        log.push_str(&checkin_line(&checkin).expect("line"));
        log.push('\n');
    }
    std::fs::write(rig.data_dir().checkins_path(), log).expect("check-ins");
}

#[test]
fn when_pain_has_not_eased_your_days_and_the_safety_note_say_so_and_lead_to_each_other() {
    let rig = Rig::new();
    three_weeks_of_pain(&rig, 6);
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Your days")
        .click();
    harness.run();
    harness.get_by_label("A word about seeing someone");
    let card = harness.get_by_label_contains("The reasons: ");
    let reasons = card.accesskit_node().value().unwrap_or_default();
    for reason in downshift::practice::pain::red_flags::SEE_SOMEONE {
        assert!(reasons.contains(reason), "{reason} in {reasons}");
    }
    harness.get_by_label_contains("not eased");
    harness.get_by_label("The safety note").click();
    harness.run();
    harness.get_by_label("From your check-ins");
    harness.get_by_label_contains("not eased");
    harness
        .get_by_label("Your days: how your pain has gone over the weeks")
        .click();
    harness.run();
    harness.get_by_label("A word about seeing someone");
    drop(harness);

    // Mild pain: neither says it.
    let rig = Rig::new();
    three_weeks_of_pain(&rig, 2);
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    assert!(
        harness
            .query_by_label("A word about seeing someone")
            .is_none()
    );
    harness.state_mut().apply(Command::OpenSafety);
    harness.run();
    assert!(harness.query_by_label("From your check-ins").is_none());
}

/// How a date label under the chart reads.
#[derive(Clone, Copy)]
enum Dated {
    /// "16 Nov"
    DayMonth,
    /// "Nov 2026"
    MonthYear,
}

/// The date labels painted under the chart, left to right, with where each is.
fn date_labels(harness: &Harness<'static, DownshiftApp>, dated: Dated) -> Vec<(String, f32)> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| {
        digits.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let mut labels: Vec<(String, f32)> = painted::texts(harness.output())
        .into_iter()
        .filter(|(text, _)| match (dated, text.split_once(' ')) {
            (Dated::DayMonth, Some((day, month))) => number(day, 1..=2) && MONTHS.contains(&month),
            (Dated::MonthYear, Some((month, year))) => {
                MONTHS.contains(&month) && number(year, 4..=4)
            }
            (_, None) => false,
        })
        .map(|(text, at)| (text, at.x))
        .collect();
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    labels
}

#[test]
fn the_course_of_your_days_is_readable_at_ten_and_at_a_thousand_days() {
    let rig = Rig::new();
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(10)).expect("check-ins");
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    let chart = harness.get_by_label("Pain, sleep and stress");
    assert!(chart.rect().width() > 400.0);
    // Ten days: a label a week, day and month.
    let labels = date_labels(&harness, Dated::DayMonth);
    let words: Vec<&str> = labels.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(words, ["16 Nov", "23 Nov"], "a week apart, today last");
    drop(harness);

    let rig = Rig::new();
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(1000)).expect("check-ins");
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    harness.get_by_label_contains("over 1001 days");
    harness.get_by_role_and_label(Role::Button, "All").click();
    harness.run();
    // A thousand days: month and year, never crowded.
    let labels = date_labels(&harness, Dated::MonthYear);
    assert!(labels.len() >= 4, "{labels:?}");
    assert!(labels.len() <= 12, "{labels:?}");
    for pair in labels.windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= 48.0,
            "labels too close to read: {labels:?}"
        );
    }
    assert_eq!(
        labels.last().map(|(text, _)| text.as_str()),
        Some("Nov 2026")
    );
    assert!(
        labels.iter().any(|(text, _)| text.ends_with("2024")),
        "back to 2024: {labels:?}"
    );
}

#[test]
fn test_it_readies_a_test_of_the_findings_change_and_says_so_when_a_test_runs() {
    let rig = Rig::new();
    std::fs::write(
        rig.data_dir().checkins_path(),
        checkin_log_with_a_pattern(TODAY, 160, 11),
    )
    .expect("check-ins");
    let mut harness = rig.window().size(TALL).at(today_at(10, 0)).open();
    harness.run();
    harness.state_mut().apply(Command::OpenYourDays);
    harness.run();
    harness.get_by_label_contains("On days after \u{201c}long sitting\u{201d} was marked");
    // Each finding's button is read with the change it would test.
    let test_it = harness.get_by_role_and_label(Role::Button, "Test it: less long sitting");
    test_it.click();
    harness.run();
    assert_eq!(focused(&harness).as_deref(), Some("The change"));
    let field = harness.get_by_role_and_label(Role::TextInput, "The change");
    assert_eq!(
        field.accesskit_node().value().as_deref(),
        Some("less long sitting")
    );
    harness
        .get_by_role_and_label(Role::Button, "Start the test")
        .click();
    harness.run();
    harness.get_by_label_contains("Testing: \u{201c}less long sitting\u{201d}");
    // With a test running, Test it says why nothing new can start, rather than nothing.
    harness
        .get_by_role_and_label(Role::Button, "Test it: less long sitting")
        .click();
    harness.run();
    harness.get_by_label(
        "A test of \u{201c}less long sitting\u{201d} is running: one at a time. Stop it first to \
         test another change.",
    );
}

#[test]
fn test_a_small_change_keeps_the_marks_and_readies_the_form() {
    let rig = Rig::new();
    std::fs::write(rig.data_dir().checkins_path(), checkin_log(120)).expect("check-ins");
    let mut harness = rig.window().size(TALL).open();
    harness.run();
    harness.key_press(egui::Key::C);
    harness.run();
    press(
        &mut harness,
        &[
            egui::Key::Num8,
            egui::Key::Num6,
            egui::Key::Num3,
            egui::Key::Num4,
        ],
    );
    harness.get_by_label_contains("What changed");
    harness
        .get_by_role_and_label(Role::CheckBox, "travel")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Test a small change?")
        .click();
    harness.run();
    harness.get_by_label("Your days");
    assert_eq!(focused(&harness).as_deref(), Some("The change"));
    let today = kept(&rig)
        .into_iter()
        .find(|c| c.date == TODAY)
        .expect("kept");
    assert_eq!(today.marked, ["travel"], "the marks were kept on the way");
}
