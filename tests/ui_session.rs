//! The window, driven as a person would: keys and clicks, with an injected clock.

use downshift::practice::MICROS_PER_SECOND as S;
use downshift::store::{DataDir, SessionEnd, load_history};
use downshift::ui::DownshiftApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::app::{HarnessExt, Rig};
use common::clock::{TODAY, day, today_at};
use common::painted;

#[test]
fn home_lists_the_practices_and_describes_the_chosen_one() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_role_and_label(
        egui::Role::ListBoxOption,
        "Evening wind-down · suggested now",
    );
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4");
    harness.get_by_label_contains("A quiet ten minutes before bed");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.get_by_label_contains("Close the day, drop the shoulders");
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Extended exhale 4-6")
        .click();
    harness.run();
    harness.get_by_label_contains("In for 4, out for 6");
    harness.get_by_label("Start");
}

#[test]
fn a_session_runs_pauses_resumes_and_ends_into_the_history() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(harness.state().is_in_session());
    harness.get_by_label_contains("Dim the lights");
    harness.get_by_label("0:30");

    // Into the breathing: 30 s of prompt, then 2 s into the first inhale.
    rig.advance(32 * S);
    harness.run();
    harness.get_by_label("Breathe in");
    harness.get_by_label("Breathing guide: Breathe in");
    rig.advance(3 * S);
    harness.run();
    harness.get_by_label("Breathe out");

    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Paused");
    harness.get_by_label("Resume");
    rig.advance(600 * S);
    harness.run();
    harness.get_by_label("Paused");

    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Breathe out");

    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Session ended.");
    harness.get_by_label_contains("Ended early, at step 2 of 3");
    harness.get_by_label("Saved to your history.");

    let history = load_history(&rig.data_dir().history_path()).expect("history reads");
    assert_eq!(history.records.len(), 1);
    let record = &history.records[0];
    assert_eq!(record.practice, "Evening wind-down");
    assert_eq!(record.end, SessionEnd::EndedEarly { step: 2 });
    assert_eq!(record.breathed_seconds, 35.0);
    assert_eq!(record.paused_seconds, 600.0);

    // The summary stays until dismissed, however long it waits.
    rig.advance(3_600 * S);
    harness.run();
    harness.get_by_label("Session ended.");
    harness.get_by_label("Done").click();
    harness.run();
    harness.get_by_label("Start");
}

#[test]
fn skip_and_the_buttons_do_what_the_keys_do() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    harness.get_by_label_contains("Dim the lights");
    harness.get_by_label("Skip step").click();
    harness.run();
    harness.get_by_label("Breathe in");
    harness.key_press(egui::Key::S);
    harness.run();
    harness.get_by_label_contains("go to sleep");
    harness.get_by_label("Pause").click();
    harness.run();
    harness.get_by_label("Paused");
    harness.get_by_label("End").click();
    harness.run();
    harness.get_by_label_contains("Ended early, at step 3 of 3");
}

#[test]
fn up_and_down_in_a_session_make_the_cues_louder_or_softer_a_tenth_at_a_time_and_it_is_kept() {
    let rig = Rig::returning("(ask_tension: false, master_volume: 0.35)");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    let press = |harness: &mut Harness<'static, DownshiftApp>, key: egui::Key, times: usize| {
        for _ in 0..times {
            harness.key_press(key);
            harness.run();
        }
        harness.state().settings().master_volume
    };
    assert_eq!(
        press(&mut harness, egui::Key::ArrowDown, 1),
        0.3,
        "onto the tenths"
    );
    assert_eq!(
        press(&mut harness, egui::Key::ArrowDown, 5),
        0.0,
        "no lower than silent"
    );
    assert_eq!(press(&mut harness, egui::Key::ArrowUp, 4), 0.4);
    assert_eq!(
        press(&mut harness, egui::Key::ArrowUp, 9),
        1.0,
        "no louder than full"
    );
    harness.get_by_label_contains("Dim the lights");
    harness.key_press(egui::Key::Escape);
    harness.run();
    let saved = std::fs::read_to_string(rig.data_dir().settings_path()).expect("saved");
    assert!(saved.contains("master_volume: 1.0"), "{saved}");
}

#[test]
fn a_finished_practice_shows_its_summary_and_is_recorded_as_completed() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    for _ in 0..9 {
        harness.key_press(egui::Key::ArrowDown);
    }
    harness.run();
    harness.get_by_label_contains("In 4, hold 7, out 8");
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("Breathe in");
    rig.advance(4 * S + 1);
    harness.run();
    harness.get_by_label("Hold");
    rig.advance(80 * S);
    harness.run();
    harness.get_by_label("Well done.");
    harness.get_by_label_contains("Completed");
    harness.get_by_label_contains("4 breaths");
    let history = load_history(&rig.data_dir().history_path()).expect("history reads");
    assert_eq!(history.records.len(), 1);
    assert!(history.records[0].completed());
}

#[test]
fn without_a_writable_data_folder_the_session_still_runs_and_says_it_was_not_saved() {
    let rig = Rig::new();
    // A file where the data folder should be: nothing can be written inside it.
    let blocked = rig.path().join("not-a-folder");
    std::fs::write(&blocked, "x").expect("write");
    let mut harness = rig.window().data_dir(DataDir::new(&blocked)).open();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    // Its settings cannot be read either, so the safety note comes first (Enter), then the
    // tension question: skip that.
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.key_press(egui::Key::S);
    harness.run();
    rig.advance(40 * S);
    harness.run();
    harness.get_by_label("Breathe in");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::S);
    harness.run();
    harness.get_by_label_contains("This session could not be saved");
    assert_eq!(std::fs::read_to_string(&blocked).expect("untouched"), "x");
}

#[test]
fn tension_is_asked_before_and_after_with_one_key_and_kept_in_the_record() {
    let rig = Rig::returning("()");
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("How tense do you feel right now?");
    // 1 then 0 is ten.
    harness.key_press(egui::Key::Num1);
    harness.run();
    harness.get_by_label("1 — press 0 for 10, or Enter for 1");
    harness.key_press(egui::Key::Num0);
    harness.run();
    harness.get_by_label_contains("Dim the lights");
    rig.advance(40 * S);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("And how tense do you feel now?");
    harness
        .get_by_label("6 of 10: And how tense do you feel now?")
        .click();
    harness.run();
    harness.get_by_label("Tension: 10 before, 6 after");
    let history = load_history(&rig.data_dir().history_path()).expect("reads");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].tension_before, Some(10));
    assert_eq!(history.records[0].tension_after, Some(6));
}

#[test]
fn the_rating_can_be_skipped_and_turned_off() {
    let rig = Rig::returning("()");
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Skip").click();
    harness.run();
    harness.get_by_label_contains("Dim the lights");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::S);
    harness.run();
    harness.get_by_label("Session ended.");
    let history = load_history(&rig.data_dir().history_path()).expect("reads");
    assert_eq!(history.records[0].tension_before, None);
    assert_eq!(history.records[0].tension_after, None);

    // Settings: never ask.
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("Settings").click();
    harness.run();
    let ask = harness.get_by_label("Ask how tense I feel before and after a session");
    ask.scroll_to_me();
    harness.run();
    harness
        .get_by_label("Ask how tense I feel before and after a session")
        .click();
    harness.run();
    harness.get_by_label("Back").click();
    harness.run();
    assert!(!harness.state().settings().ask_tension);
    let saved = std::fs::read_to_string(rig.data_dir().settings_path()).expect("saved");
    assert!(saved.contains("ask_tension: false"), "{saved}");
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label_contains("Dim the lights");
}

#[test]
fn the_home_screen_suggests_a_practice_for_the_time_of_day() {
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(18, 10)).open();
    harness.run();
    harness.get_by_label("It's 18:10 — time to leave work behind.");
    harness.get_by_label_contains("Close the day, drop the shoulders");
    let mut harness = rig.window().at(today_at(10, 0)).open();
    harness.run();
    harness.get_by_label("It's 10:00 — a short reset between tasks.");
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label_contains("Let your shoulders drop and your jaw unclench");
}

/// Extended exhale 4-6 at 6 s out, after two calm sessions in a row.
fn two_calm_sessions_so_far(rig: &Rig) {
    std::fs::write(
        rig.data_dir().progress_path(),
        r#"(practices: {"Extended exhale 4-6": (progress: (exhale: 6.0, calm_in_a_row: 2))})"#,
    )
    .expect("progress");
}

/// Selects "Extended exhale 4-6" (progressive toward 8 s) and breathes it to the end.
fn finish_extended_exhale(rig: &Rig, harness: &mut Harness<'static, DownshiftApp>) {
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Extended exhale 4-6")
        .click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    rig.advance(10 * 60 * S);
    harness.run();
    harness.get_by_label("Well done.");
}

#[test]
fn after_three_calm_sessions_a_longer_exhale_is_offered_and_accepted() {
    let rig = Rig::new();
    two_calm_sessions_so_far(&rig);
    let mut harness = rig.harness();
    finish_extended_exhale(&rig, &mut harness);
    harness.get_by_label("Lengthen the exhale from 6.0 s to 6.6 s?");
    harness.get_by_label("Lengthen").click();
    harness.run();
    harness.get_by_label("Your exhale is now 6.6 s.");
    let saved = std::fs::read_to_string(rig.data_dir().progress_path()).expect("saved");
    assert!(saved.contains("exhale: 6.6"), "{saved}");
    assert!(saved.contains("from: 6.0"), "the change is kept: {saved}");
    harness.get_by_label("Done").click();
    harness.run();
    harness.get_by_label_contains("Your exhale: 6.6 s, building toward 8.0 s");
}

#[test]
fn a_declined_offer_changes_nothing_and_is_not_repeated_at_once() {
    let rig = Rig::new();
    two_calm_sessions_so_far(&rig);
    let mut harness = rig.harness();
    finish_extended_exhale(&rig, &mut harness);
    harness.get_by_label("Not now").click();
    harness.run();
    harness.get_by_label("Staying at 6.0 s for now.");
    harness.get_by_label("Done").click();
    harness.run();
    finish_extended_exhale(&rig, &mut harness);
    assert!(
        harness.query_by_label("Lengthen").is_none(),
        "no offer straight after a no"
    );
    let saved = std::fs::read_to_string(rig.data_dir().progress_path()).expect("saved");
    assert!(saved.contains("exhale: 6.0"), "{saved}");
}

#[test]
fn a_transition_reminder_comes_at_its_time_and_later_asks_again() {
    let rig = Rig::returning(
        "(ask_tension: false, reminders: (transition: true, transition_at: \"17:30\"))",
    );
    let mut harness = rig.window().at(today_at(17, 0)).open();
    harness.run();
    assert!(
        harness.query_by_label("Later").is_none(),
        "not before 17:30"
    );

    rig.set_local(today_at(17, 30));
    harness.run();
    harness.get_by_label("It's 17:30. Time to leave the day behind?");
    harness.get_by_label("Later").click();
    harness.run();
    assert!(harness.query_by_label("Later").is_none(), "put off");

    rig.set_local(today_at(17, 36));
    harness.run();
    assert!(harness.query_by_label("Later").is_none(), "not yet");
    rig.set_local(today_at(17, 40));
    harness.run();
    harness.get_by_label("It's 17:40. Time to leave the day behind?");
    harness.get_by_label("Start Work to home").click();
    harness.run();
    // The ritual is running, and nothing is asked over it.
    harness.get_by_label("Pause");
    assert!(harness.query_by_label("Later").is_none());
    end_and_go_home(&mut harness);
    rig.set_local(today_at(18, 15));
    harness.run();
    assert!(harness.query_by_label("Later").is_none(), "once a day");
    let history = load_history(&rig.data_dir().history_path()).expect("history reads");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].practice, "Work to home");
}

#[test]
fn micro_rest_nudges_wait_out_a_session_and_missed_ones_do_not_pile_up() {
    let rig = Rig::returning(
        "(ask_tension: false, reminders: (micro_rests: true, micro_rest_minutes: 20))",
    );
    let mut harness = rig.window().at(today_at(10, 0)).open();
    harness.run();
    rig.set_local(today_at(10, 10));
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Pause");
    // Due at 10:20, but a session is running: nothing shows over it.
    rig.set_local(today_at(10, 25));
    harness.run();
    assert!(harness.query_by_label("Later").is_none());
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done");
    // The session was a rest: the count starts again when it ends.
    rig.set_local(today_at(10, 44));
    harness.run();
    assert!(harness.query_by_label("Later").is_none());
    rig.set_local(today_at(10, 45));
    harness.run();
    harness.get_by_label("20 minutes since your last rest. A short reset?");
    // Unanswered for hours: still one quiet prompt, not a stack of them.
    for hour in 11..16 {
        rig.set_local(today_at(hour, 5));
        harness.run();
    }
    assert_eq!(harness.query_all_by_label("Later").count(), 1);
    // From the keyboard alone: Tab reaches the prompt's first button, Enter presses it.
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert!(harness.get_by_label("Start Micro-rest reset").is_focused());
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("Pause");
    assert!(
        harness
            .query_by_label_contains("Micro-rest reset")
            .is_some()
    );
}

#[test]
fn reminders_and_suggestions_are_set_in_settings_and_kept() {
    use egui_kittest::kittest::NodeT;
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Settings").click();
    harness.run();
    let transition = harness.get_by_label("Remind me of a transition ritual every day");
    assert_eq!(
        transition.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False),
        "off by default"
    );
    for label in [
        "Remind me of a transition ritual every day",
        "Nudge me to take micro-rests",
        "Add a time",
    ] {
        // Down the settings' scrolling list to it, then click it.
        harness.get_by_label(label).scroll_to_me();
        harness.run();
        harness.get_by_label(label).click();
        harness.run();
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    let saved = std::fs::read_to_string(rig.data_dir().settings_path()).expect("saved");
    assert!(saved.contains("transition: true"), "{saved}");
    assert!(saved.contains("micro_rests: true"), "{saved}");
    assert!(saved.contains("from: \"12:00\""), "{saved}");
    let reopened = rig.harness();
    assert!(reopened.state().settings().reminders.transition);
    assert_eq!(reopened.state().settings().time_slots.len(), 6);
}

#[test]
fn from_the_keyboard_alone_a_focused_button_takes_enter_and_a_focused_practice_starts() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    // Tab onto the first practice, Space: it starts, as the home screen says.
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(
                egui::Role::ListBoxOption,
                "Evening wind-down · suggested now"
            )
            .is_focused()
    );
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Pause");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    // Tab on to the Settings button: Enter opens Settings, not a session.
    for _ in 0..40 {
        if harness.get_by_label("Settings").is_focused() {
            break;
        }
        harness.key_press(egui::Key::Tab);
        harness.run();
    }
    assert!(harness.get_by_label("Settings").is_focused());
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("Esc goes back. Changes are saved.");
}

#[test]
fn f_and_the_button_take_the_window_full_screen_and_back() {
    // What each toggle asks of the window is shown in tests/app_update.rs; here, that the key
    // and the button reach it, on home and in a session.
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::F);
    harness.step();
    assert!(harness.state().state().fullscreen);
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Full screen").click();
    harness.step();
    assert!(!harness.state().state().fullscreen);
    harness.run();
    harness.key_press(egui::Key::F);
    harness.step();
    assert!(harness.state().state().fullscreen);
    assert!(harness.state().is_in_session(), "the session goes on");
}

#[test]
fn the_safety_note_comes_before_the_first_session_and_again_only_when_asked() {
    let rig = Rig::returning("(ask_tension: false, safety_note_seen: false)");
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(!harness.state().is_in_session(), "the note comes first");
    harness.get_by_label(downshift::app::screen::SAFETY_TITLE);
    harness.get_by_label_contains("light-headed, dizzy, tingling");
    harness.get_by_label_contains("Holds are optional");
    harness.get_by_label_contains("not medical advice");
    harness.get_by_label_contains("two to four weeks");
    harness.get_by_label_contains("bowel or bladder");
    // Enter begins the practice that was asked for.
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.state().is_in_session());
    let settings = std::fs::read_to_string(rig.path().join("settings.ron")).expect("saved");
    assert!(settings.contains("safety_note_seen: true"), "{settings}");
    // From the summary it can be read again, and Esc goes back to the summary.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Session ended.");
    harness.get_by_label("Safety").click();
    harness.run();
    harness.get_by_label(downshift::app::screen::SAFETY_TITLE);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Session ended.");
    harness.get_by_label("Done").click();
    harness.run();
    // Read once: the next session begins at once, in this run and the next.
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(harness.state().is_in_session());
    end_and_go_home(&mut harness);
    drop(harness);
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(
        harness.state().is_in_session(),
        "not shown again after a restart"
    );
    end_and_go_home(&mut harness);
    // Home's link opens it at any time; Back returns home.
    harness.get_by_label("Safety").click();
    harness.run();
    harness.get_by_label(downshift::app::screen::SAFETY_TITLE);
    harness.get_by_label("Back").click();
    harness.run();
    harness.get_by_label("Start");
}

#[test]
fn in_gentle_mode_a_practice_with_holds_is_marked_and_starts_only_after_start_anyway() {
    let rig = Rig::returning("(ask_tension: false, gentle_mode: true)");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "Extended exhale 4-6");
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "4-7-8 · not gentle");
    // Down the list to the last practice, 4-7-8.
    for _ in 0..12 {
        harness.key_press(egui::Key::ArrowDown);
        harness.run();
    }
    harness.get_by_label_contains("Outside gentle mode");
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(!harness.state().is_in_session(), "it asks first");
    harness.get_by_label_contains("Gentle mode is on, and \"4-7-8\" has breath holds");
    harness.get_by_label("Choose another").click();
    harness.run();
    assert!(!harness.state().is_in_session());
    assert!(harness.query_by_label("Start anyway").is_none());
    harness.get_by_label("Start").click();
    harness.run();
    // The question is right under Start, where the eyes are.
    let start = harness.get_by_label("Start").rect();
    let anyway = harness.get_by_label("Start anyway").rect();
    assert!(
        anyway.top() > start.bottom() && anyway.top() < start.bottom() + 200.0,
        "{start:?} {anyway:?}"
    );
    assert!(anyway.bottom() <= 760.0);
    harness.get_by_label("Start anyway").click();
    harness.run();
    assert!(harness.state().is_in_session(), "one step: start anyway");
    // A practice within gentle mode starts at once.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done").click();
    // The list scrolls back to the selected row: frames are stepped while it glides.
    harness.run_steps(30);
    // Up the list to "Extended exhale 4-6", within gentle mode.
    for _ in 0..10 {
        if harness
            .query_by_label_contains("In for 4, out for 6")
            .is_some()
        {
            break;
        }
        harness.key_press(egui::Key::ArrowUp);
        harness.run_steps(5);
    }
    harness.get_by_label_contains("In for 4, out for 6");
    harness.key_press(egui::Key::Space);
    let frames = harness.step_until("a practice within gentle mode to start", |h| {
        h.state().is_in_session()
    });
    assert!(frames <= 2, "at once, not after {frames} frames");
}

#[test]
fn about_shows_every_built_in_practices_notes_sources_and_gentle_fit() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    let library = downshift::store::Library::built_in();
    for (index, entry) in library.entries.iter().enumerate() {
        let practice = &entry.practice;
        assert!(
            !practice.sources.is_empty(),
            "{} has no sources",
            practice.name
        );
        harness
            .state_mut()
            .apply(downshift::app::Command::Select(index));
        harness.run();
        harness.key_press(egui::Key::I);
        harness.run();
        harness.get_by_label(&practice.name);
        let fits = downshift::practice::fits_gentle_mode(practice);
        let line = if fits {
            "Fine in gentle mode"
        } else {
            "Not for gentle mode"
        };
        harness.get_by_label_contains(line);
        for source in &practice.sources {
            harness.get_by_label(&format!("·  {source}"));
        }
        if !practice.notes.is_empty() {
            harness.get_by_label(&practice.notes);
        }
        harness.key_press(egui::Key::Escape);
        harness.run();
        harness.get_by_label("Start");
    }
}

#[test]
fn the_tension_scale_is_one_row_at_the_default_size() {
    let rig = Rig::returning("()");
    let mut harness = rig.harness();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("How tense do you feel right now?");
    let zero = harness
        .get_by_label("0 of 10: How tense do you feel right now?")
        .rect();
    let ten = harness
        .get_by_label("10 of 10: How tense do you feel right now?")
        .rect();
    assert_eq!(zero.top(), ten.top(), "0 and 10 on one row");
    assert!(ten.right() <= 720.0 && zero.left() >= 0.0);
    // Centred under the question.
    let middle = (zero.left() + ten.right()) / 2.0;
    assert!((middle - 360.0).abs() < 4.0, "centred: {middle}");
}

/// Where the progress line and the buttons under it are.
fn controls_at(harness: &Harness<'static, DownshiftApp>, pause_label: &str) -> (f32, f32) {
    let progress = harness
        .get_by_role(egui::Role::ProgressIndicator)
        .rect()
        .top();
    let button = harness.get_by_label(pause_label).rect().top();
    (progress, button)
}

#[test]
fn pausing_and_resuming_moves_nothing_below_the_phase() {
    for settings in [
        "(ask_tension: false)",
        "(ask_tension: false, show_numbers: false)",
        "(ask_tension: false, reduced_motion: true)",
    ] {
        let rig = Rig::returning(settings);
        let mut harness = rig.harness();
        harness.run();
        harness.key_press(egui::Key::Space);
        harness.run();
        // The prompt first, then the breathing: neither moves what is below.
        let during_prompt = controls_at(&harness, "Pause");
        rig.advance(32 * S);
        harness.run();
        harness.get_by_label("Breathe in");
        let breathing = controls_at(&harness, "Pause");
        assert_eq!(during_prompt, breathing, "{settings}");
        assert!(harness.query_by_label("Press Space to resume").is_none());
        harness.key_press(egui::Key::Space);
        harness.run();
        harness.get_by_label("Press Space to resume");
        assert_eq!(controls_at(&harness, "Resume"), breathing, "{settings}");
        harness.key_press(egui::Key::Space);
        harness.run();
        assert!(harness.query_by_label("Press Space to resume").is_none());
        assert_eq!(controls_at(&harness, "Pause"), breathing, "{settings}");
    }
}

/// A preset file of one's own: a two-step ritual when `ritual`, else plain breathing.
fn own_preset(rig: &Rig, file: &str, name: &str, ritual: bool) {
    let steps = if ritual {
        r#"[Prompt(text: "Sit.", seconds: 5.0), Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: 2)]"#
    } else {
        r#"[Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: 2)]"#
    };
    let presets = rig.data_dir().presets_dir();
    std::fs::create_dir_all(&presets).expect("presets folder");
    std::fs::write(
        presets.join(file),
        format!(r#"(version: 1, name: "{name}", description: "Mine.", steps: {steps})"#),
    )
    .expect("preset");
}

#[test]
fn home_shows_every_practice_grouped_with_the_suggested_one_marked_and_notices_in_view() {
    let rig = Rig::new();
    own_preset(&rig, "mine.ron", "My ritual", true);
    std::fs::write(
        rig.data_dir().presets_dir().join("broken.ron"),
        "(version: 1,",
    )
    .expect("write");
    // A progress file that cannot be read: a notice on home.
    std::fs::write(rig.data_dir().progress_path(), "not ron at all").expect("write");
    let mut harness = rig.harness();
    harness.run();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(720.0, 760.0));
    let in_view = |rect: egui::Rect, what: &str| {
        assert!(
            window.contains_rect(rect),
            "{what} at {rect:?} is out of view"
        );
    };
    let rituals = harness.get_by_label("Rituals").rect();
    let breathing = harness.get_by_label("Breathing").rect();
    in_view(rituals, "Rituals");
    in_view(breathing, "Breathing");
    let row = |name: &str| {
        harness
            .get_by_role_and_label(egui::Role::ListBoxOption, name)
            .rect()
    };
    for name in [
        "Evening wind-down · suggested now",
        "Work to home",
        "Micro-rest reset",
        "My ritual",
    ] {
        let rect = row(name);
        in_view(rect, name);
        assert!(
            rect.top() > rituals.bottom() && rect.bottom() < breathing.top(),
            "{name} is a ritual"
        );
    }
    for name in [
        "Cyclic sighing",
        "Resonance 5-5",
        "Extended exhale 4-6",
        "Extended exhale 4-8",
        "Night 3-7",
        "Box 4-4-4-4",
        "4-7-8",
    ] {
        let rect = row(name);
        in_view(rect, name);
        assert!(rect.top() > breathing.bottom(), "{name} is breathing");
    }
    for label in [
        "Start",
        "About this practice (I)",
        "Safety",
        "History",
        "Settings",
    ] {
        in_view(harness.get_by_label(label).rect(), label);
    }
    in_view(
        harness
            .get_by_label("Problems: 1 preset file could not be used")
            .rect(),
        "the problems",
    );
    in_view(
        harness.get_by_label_contains("progress").rect(),
        "the notice",
    );
    in_view(
        harness.get_by_label("Dismiss").rect(),
        "the notice's Dismiss",
    );
    // With a notice and the problems taking room, the rest of the list is a scroll away, and
    // home says so.
    let foot = harness.get_by_label("History").rect().top();
    let hidden = [
        "Cyclic sighing",
        "Resonance 5-5",
        "Extended exhale 4-6",
        "Extended exhale 4-8",
        "Night 3-7",
        "Box 4-4-4-4",
        "4-7-8",
    ]
    .iter()
    .filter(|name| row(name).bottom() > foot)
    .count();
    if hidden > 0 {
        harness.get_by_label_contains("more below: scroll, or press the down arrow");
    }

    // The arrows go down the list as it is shown: from the last built-in ritual to one's own.
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Micro-rest reset")
        .click();
    harness.run();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.get_by_label("Mine.");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.get_by_label_contains("In for 4, out for 6");
}

#[test]
fn at_the_default_size_every_built_in_practice_is_in_view_above_the_foot() {
    use egui_kittest::kittest::NodeT;
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    let foot = harness.get_by_label("History").rect().top();
    for entry in &downshift::store::Library::built_in().entries {
        let name = &entry.practice.name;
        let rect = harness
            .query_all_by_role(egui::Role::ListBoxOption)
            .find(|node| {
                node.accesskit_node()
                    .label()
                    .is_some_and(|label| label.starts_with(name.as_str()))
            })
            .unwrap_or_else(|| panic!("a row for {name}"))
            .rect();
        assert!(
            rect.top() >= 0.0 && rect.bottom() <= foot,
            "{name} at {rect:?}"
        );
    }
    assert!(harness.query_by_label_contains("more below").is_none());
}

#[test]
fn with_more_practices_than_fit_home_says_how_many_more_are_below() {
    let rig = Rig::new();
    for i in 0..12 {
        own_preset(
            &rig,
            &format!("mine-{i:02}.ron"),
            &format!("Mine {i:02}"),
            false,
        );
    }
    let mut harness = rig.harness();
    harness.run();
    let hint = harness.get_by_label_contains("more below: scroll, or press the down arrow");
    assert!(hint.rect().bottom() <= 760.0);
    // Down the list to the last: the list follows, and the hint says that is all.
    for _ in 0..30 {
        harness.key_press(egui::Key::ArrowDown);
        harness.run();
    }
    harness.get_by_label("That is all of them.");
    let last = harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Mine 11")
        .rect();
    assert!(last.bottom() <= 760.0, "{last:?}");
}

#[test]
fn nothing_on_home_moves_when_a_reminder_comes_and_with_reduced_motion_it_is_simply_there() {
    for reduced_motion in [false, true] {
        let rig = Rig::returning(&format!(
            "(ask_tension: false, reduced_motion: {reduced_motion}, \
             reminders: (transition: true, transition_at: \"17:30\"))"
        ));
        let mut harness = rig.window().at(today_at(17, 29)).open();
        harness.run();
        let places = |harness: &Harness<'static, DownshiftApp>| {
            ["Start", "History", "Safety"]
                .map(|label| harness.get_by_label(label).rect())
                .to_vec()
                .into_iter()
                .chain([harness
                    .get_by_role_and_label(
                        egui::Role::ListBoxOption,
                        "Work to home · suggested now",
                    )
                    .rect()])
                .collect::<Vec<_>>()
        };
        let before = places(&harness);
        rig.set_local(today_at(17, 30));
        harness.step();
        let message = "It's 17:30. Time to leave the day behind?";
        harness.get_by_label(message);
        // Not painted at all is fully faded.
        let opacity = painted::opacity(harness.output(), message).unwrap_or(0.0);
        if reduced_motion {
            assert_eq!(opacity, 1.0, "at once with reduced motion");
        } else {
            assert!(opacity < 0.5, "it fades in: {opacity}");
        }
        harness.run();
        assert_eq!(places(&harness), before, "reduced motion: {reduced_motion}");
        harness.get_by_label("Later").click();
        harness.run();
        assert_eq!(places(&harness), before, "reduced motion: {reduced_motion}");
    }
}

#[test]
fn with_reduced_motion_a_new_step_and_a_section_opening_do_not_animate() {
    for reduced_motion in [false, true] {
        let rig = Rig::returning(&format!(
            "(ask_tension: false, reduced_motion: {reduced_motion})"
        ));
        // Sixty frames a second, so an animation takes several.
        let mut harness = rig.window().step_dt(1.0 / 60.0).open();
        harness.run();
        harness
            .get_by_label("Import or export a preset file")
            .click();
        let frames = harness.run();
        if reduced_motion {
            assert!(frames <= 3, "opens at once: {frames} frames");
        } else {
            assert!(frames > 5, "unfolds: {frames} frames");
        }
        harness
            .get_by_label("Import or export a preset file")
            .click();
        harness.run();
        // The evening wind-down opens with a prompt, which fades in unless motion is reduced.
        harness.key_press(egui::Key::Space);
        harness.step();
        let opacity = painted::opacity(harness.output(), "Dim the lights").expect("painted");
        if reduced_motion {
            assert_eq!(opacity, 1.0);
        } else {
            assert!(opacity < 0.5, "fades in: {opacity}");
        }
    }
}

#[test]
fn answering_the_offer_keeps_done_where_it_was() {
    let rig = Rig::new();
    two_calm_sessions_so_far(&rig);
    let mut harness = rig.harness();
    finish_extended_exhale(&rig, &mut harness);
    let done = harness.get_by_label("Done").rect();
    harness.get_by_label("Lengthen").click();
    harness.run();
    harness.get_by_label("Your exhale is now 6.6 s.");
    assert_eq!(harness.get_by_label("Done").rect(), done);
}

#[test]
fn a_long_up_next_stays_on_one_line_so_the_buttons_keep_their_place() {
    let rig = Rig::new();
    // At 18:10 home suggests "Work to home": prompts whose next step is a long sentence.
    let mut harness = rig.window().at(today_at(18, 10)).open();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label_contains("Up next: Let your shoulders drop");
    let during_prompts = controls_at(&harness, "Pause");
    for _ in 0..2 {
        harness.key_press(egui::Key::S);
        harness.run();
    }
    harness.get_by_label("Breathe in");
    assert_eq!(controls_at(&harness, "Pause"), during_prompts);
}

/// Esc ends the session; Done on its summary goes back home.
fn end_and_go_home(harness: &mut Harness<'static, DownshiftApp>) {
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Done").click();
    harness.run();
}

#[test]
fn how_long_one_can_sit_sets_the_nudges_at_80_percent_and_is_kept() {
    let rig = Rig::returning("(ask_tension: false, reminders: (micro_rests: true))");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Settings").click();
    harness.run();
    let question = "How long can you usually sit before your back starts to complain?";
    harness.get_by_label(question).scroll_to_me();
    harness.run();
    harness.get_by_label(question).focus();
    harness.run_steps(1);
    harness.get_by_label(question).type_text("60");
    harness.run();
    harness.get_by_label("Nudges every 48 minutes (80 % of that)");
    assert_eq!(harness.state().settings().reminders.micro_rest_minutes, 48);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let saved = std::fs::read_to_string(rig.data_dir().settings_path()).expect("saved");
    assert!(saved.contains("sit_minutes: Some(60)"), "{saved}");
    assert!(saved.contains("micro_rest_minutes: 48"), "{saved}");
    assert!(saved.contains(&format!("date: \"{TODAY}\"")), "{saved}");
}

#[test]
fn a_summary_without_an_offer_leaves_no_room_for_one_answered_earlier() {
    // Done's place on a summary that never had an offer.
    let plain = Rig::new();
    let mut harness = plain.harness();
    finish_extended_exhale(&plain, &mut harness);
    let done_without_offer = harness.get_by_label("Done").rect();

    // An offer answered on one summary; the next session's summary has none.
    let rig = Rig::new();
    two_calm_sessions_so_far(&rig);
    let mut harness = rig.harness();
    finish_extended_exhale(&rig, &mut harness);
    harness.get_by_label("Lengthen").click();
    harness.run();
    harness.get_by_label("Done").click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    rig.advance(10 * 60 * S);
    harness.run();
    harness.get_by_label("Well done.");
    assert!(
        harness.query_by_label("Lengthen").is_none(),
        "no offer this time"
    );
    assert_eq!(harness.get_by_label("Done").rect(), done_without_offer);
}

/// The check-ins kept in the rig's data folder.
fn checkins_of(rig: &Rig) -> Vec<downshift::store::checkins::CheckIn> {
    downshift::store::checkins::load_checkins(&rig.data_dir().checkins_path())
        .expect("reads")
        .entries
}

#[test]
fn the_evening_checkin_takes_four_key_presses_and_is_kept_at_once() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("A ten-second check-in?");
    harness
        .get_by_role_and_label(egui::Role::Button, "Check in")
        .click();
    harness.run();
    harness.get_by_label("Pain today, on average?");
    harness.get_by_label_contains("0 no pain, 10 as bad as you can imagine");
    for key in [
        egui::Key::Num6,
        egui::Key::Num4,
        egui::Key::Num3,
        egui::Key::Num2,
    ] {
        harness.key_press(key);
        harness.run();
    }
    // Four presses: written, before anything else is asked.
    let kept = checkins_of(&rig);
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
    assert_eq!(kept[0].date, TODAY);
    assert!(kept[0].offered.is_empty(), "the marks were not asked yet");
    harness.get_by_label("Thank you.");
    harness.get_by_label("Saved.");
    // What was different, then Done: the marks shown count as offered, the ticked as marked.
    harness.get_by_label("travel").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Done")
        .click();
    harness.run();
    let kept = checkins_of(&rig);
    assert_eq!(kept.len(), 1, "the marks are part of the same check-in");
    assert_eq!(kept[0].marked, vec!["travel".to_owned()]);
    assert!(kept[0].offered.contains(&"long sitting".to_owned()));
    // Home no longer offers it today.
    assert!(harness.query_by_label("A ten-second check-in?").is_none());
}

#[test]
fn esc_or_not_today_keeps_nothing_and_three_in_a_row_ask_once_whether_to_keep_offering() {
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Check in")
        .click();
    harness.run();
    harness.key_press(egui::Key::Num7);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(checkins_of(&rig).is_empty(), "Esc keeps nothing");
    // Still offered: Esc is not a "Not today".
    harness.get_by_label("A ten-second check-in?");
    drop(harness);
    for offset in 0..3 {
        let mut harness = rig.window().at(day(offset).at(21, 0, 0, 0)).open();
        harness.run();
        harness
            .get_by_role_and_label(egui::Role::Button, "Not today")
            .click();
        harness.run();
        assert!(harness.query_by_label("A ten-second check-in?").is_none());
    }
    assert!(checkins_of(&rig).is_empty(), "Not today keeps nothing");
    let mut harness = rig.window().at(day(3).at(21, 0, 0, 0)).open();
    harness.run();
    harness.get_by_label_contains("Keep offering a daily check-in?");
    harness
        .get_by_role_and_label(egui::Role::Button, "Keep offering")
        .click();
    harness.run();
    assert!(harness.query_by_label_contains("Keep offering").is_none());
    drop(harness);
    let mut harness = rig.window().at(day(4).at(21, 0, 0, 0)).open();
    harness.run();
    // Asked once: the plain offer again, no question.
    harness.get_by_label("A ten-second check-in?");
}

#[test]
fn before_the_chosen_time_no_checkin_is_offered_and_a_missed_day_can_be_filled_in() {
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(10, 0)).open();
    harness.run();
    assert!(harness.query_by_label("A ten-second check-in?").is_none());
    harness
        .get_by_role_and_label(egui::Role::Button, "Your days")
        .click();
    harness.run();
    harness.get_by_label_contains("No check-ins yet");
    harness.get_by_label_contains("No pattern yet: 0 of 84 days");
    harness
        .get_by_role_and_label(egui::Role::Button, "Check in or fill in a missed day")
        .click();
    harness.run();
    harness.get_by_label("Question 1 of 4");
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    // Yesterday was Sunday, the weekly day: the PEG items come with it.
    harness.get_by_label_contains("Yesterday, Sunday 22 November");
    harness.get_by_label("Question 1 of 7");
    for key in [
        egui::Key::Num2,
        egui::Key::Num1,
        egui::Key::Enter,
        egui::Key::Num8,
        egui::Key::Num3,
    ] {
        harness.key_press(key);
        harness.run();
    }
    assert!(
        checkins_of(&rig).is_empty(),
        "the PEG items are still to come"
    );
    harness.get_by_label("What number best describes your pain on average in the past week?");
    for key in [egui::Key::Num3, egui::Key::Num2, egui::Key::Num4] {
        harness.key_press(key);
        harness.run();
    }
    let kept = checkins_of(&rig);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].date, day(-1));
    assert_eq!((kept[0].pain, kept[0].interference), (Some(2), Some(1)));
    let peg = kept[0].peg.expect("the PEG items, kept with Sunday");
    assert_eq!((peg.pain, peg.enjoyment, peg.activity), (3, 2, 4));
}

/// Answers the check-in's questions on screen with `digits`, one key each.
fn answer_checkin(harness: &mut Harness<'static, DownshiftApp>, digits: &[u8]) {
    for digit in digits {
        harness.key_press(egui::Key::from_name(&digit.to_string()).expect("a digit key"));
        harness.run();
    }
}

#[test]
fn the_peg_items_come_once_on_the_weekly_day_whichever_day_the_checkin_is_opened_on() {
    use downshift::app::Command;
    let sunday = day(-1);
    assert_eq!(sunday.weekday(), jiff::civil::Weekday::Sunday);
    let rig = Rig::new();
    let mut harness = rig.window().at(sunday.at(21, 0, 0, 0)).open();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Check in")
        .click();
    harness.run();
    harness.get_by_label("Question 1 of 7");
    answer_checkin(&mut harness, &[5, 4, 6, 2, 6, 7, 5]);
    harness.key_press(egui::Key::Enter);
    harness.run();
    let kept = checkins_of(&rig);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].peg.is_some(), "Sunday brings them");

    // A second check-in the same Sunday: the week's PEG is answered already.
    harness.state_mut().apply(Command::OpenCheckIn(None));
    harness.run();
    harness.get_by_label("Question 1 of 4");
    answer_checkin(&mut harness, &[3, 3, 6, 2]);
    harness.key_press(egui::Key::Enter);
    harness.run();
    let kept = checkins_of(&rig);
    assert_eq!(kept.len(), 2, "four keys wrote it");
    assert!(kept[1].peg.is_none());

    // From Sunday, Saturday filled in: no PEG.
    harness.state_mut().apply(Command::OpenCheckIn(None));
    harness.run();
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    harness.get_by_label_contains("Yesterday, Saturday 21 November");
    harness.get_by_label("Question 1 of 4");
    // And back to Sunday: answered already, so still none.
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    harness.get_by_label("Question 1 of 4");
    // A week back, the Sunday before with no PEG: they come.
    for _ in 0..7 {
        harness.key_press(egui::Key::ArrowLeft);
        harness.run();
    }
    harness.get_by_label_contains("Sunday 15 November");
    harness.get_by_label("Question 1 of 7");
}

#[test]
fn a_small_test_draws_its_schedule_says_todays_side_and_a_stopped_one_gives_no_verdict() {
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(10, 0)).open();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Your days")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Start the test")
        .click();
    harness.run();
    harness.get_by_label_contains("Type the change to test first");
    harness
        .get_by_role_and_label(egui::Role::Button, "a pillow under the knees")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Start the test")
        .click();
    harness.run();
    let (tests, problem) =
        downshift::store::small_tests::SmallTests::load(&rig.data_dir().small_tests_path());
    assert_eq!(problem, None);
    let test = tests.current().expect("a test").clone();
    assert_eq!(test.change, "a pillow under the knees");
    assert_eq!(test.start, day(1), "from tomorrow");
    assert_eq!((test.with_change.len(), test.block_days), (10, 4));
    assert_eq!(test.with_change.iter().filter(|on| **on).count(), 5);
    harness.get_by_label_contains("Testing: \u{201c}a pillow under the knees\u{201d}");
    drop(harness);

    // The next day home says which side it is, and the test can be stopped.
    let mut harness = rig.window().at(day(1).at(10, 0, 0, 0)).open();
    harness.run();
    let side = if test.with_change[0] {
        "with"
    } else {
        "without"
    };
    harness.get_by_label(&format!(
        "Small test, block 1 of 10: today {side} \u{201c}a pillow under the knees\u{201d} (a settling day: not counted)"
    ));
    harness
        .get_by_role_and_label(egui::Role::Button, "Your days")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Stop the test")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Stop it")
        .click();
    harness.run();
    harness.get_by_label_contains("stopped early, so no verdict");
    let (tests, _) =
        downshift::store::small_tests::SmallTests::load(&rig.data_dir().small_tests_path());
    assert_eq!(tests.tests.len(), 1);
    assert_eq!(tests.tests[0].stopped, Some(day(1)));
    assert_eq!(
        tests.tests[0].with_change, test.with_change,
        "the schedule as drawn"
    );
}

/// A small test that started `days_ago` days ago (10 blocks of 4 days, with the change on the
/// blocks `with_change` says), and a check-in on each of its days: pain 3 with the change and
/// 6 without.
fn finished_small_test(rig: &Rig, days_ago: i32, with_change: [bool; 10]) {
    use downshift::store::checkins::{CheckIn, checkin_line};
    let start = day(-days_ago);
    let flags: Vec<String> = with_change.iter().map(bool::to_string).collect();
    std::fs::write(
        rig.data_dir().small_tests_path(),
        format!(
            "(version: 1, tests: [(change: \"a pillow under the knees\", start: \"{start}\", \
             block_days: 4, with_change: [{}])])",
            flags.join(", ")
        ),
    )
    .expect("small tests");
    let written = downshift::store::history::StartTime::of(&common::clock::wall(today_at(21, 0)));
    let mut log = String::new();
    for offset in 0..40 {
        let date = day(offset - days_ago);
        let mut checkin = CheckIn::new(date, written);
        let on = with_change[(offset / 4) as usize];
        checkin.pain = Some(if on { 3 } else { 6 });
        log.push_str(&checkin_line(&checkin).expect("line"));
        log.push('\n');
    }
    std::fs::write(rig.data_dir().checkins_path(), log).expect("check-ins");
}

#[test]
fn a_finished_small_test_keeps_its_verdict_once_closed_and_after_another_starts() {
    let rig = Rig::new();
    let with_change = [
        true, false, false, true, true, false, true, false, false, true,
    ];
    // Ended five days ago.
    finished_small_test(&rig, 45, with_change);
    // Tall enough that "Your days" needs no scrolling.
    let tall = [720.0, 1400.0];
    let mut harness = rig.window().size(tall).at(today_at(10, 0)).open();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Your days")
        .click();
    harness.run();
    harness.get_by_label("Softened it");
    harness.get_by_label_contains("Pain with the change was 3.0 points lower");
    harness
        .get_by_role_and_label(egui::Role::Button, "Close this test")
        .click();
    harness.run();
    harness.get_by_label("The last test, \u{201c}a pillow under the knees\u{201d}: Softened it");
    assert!(
        harness.query_by_label_contains("stopped early").is_none(),
        "a finished test is not called stopped early"
    );
    // Another test: the last one still says what it found.
    harness
        .get_by_role_and_label(egui::Role::Button, "a short walk after lunch")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Start the test")
        .click();
    harness.run();
    harness.get_by_label_contains("Testing: \u{201c}a short walk after lunch\u{201d}");
    harness.get_by_label("The last test, \u{201c}a pillow under the knees\u{201d}: Softened it");
    drop(harness);
    // And after downshift is opened again.
    let mut harness = rig.window().size(tall).at(day(1).at(10, 0, 0, 0)).open();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "Your days")
        .click();
    harness.run();
    harness.get_by_label("The last test, \u{201c}a pillow under the knees\u{201d}: Softened it");
}

#[test]
fn the_evening_wind_down_offers_the_checkin_on_its_summary_even_before_the_chosen_time() {
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(15, 0)).open();
    harness.run();
    assert!(harness.query_by_label("A ten-second check-in?").is_none());
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Evening wind-down")
        .click();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    rig.advance(20 * S);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "A ten-second check-in for today")
        .click();
    harness.run();
    harness.get_by_label("Pain today, on average?");
}

/// The words of the live region the reader was last given.
fn announced(harness: &Harness<'static, DownshiftApp>) -> String {
    harness
        .state()
        .announcement()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_screen_reader_hears_the_window_the_list_each_screen_and_every_phase_once() {
    use egui::accesskit::{Live, Role};
    use egui_kittest::kittest::NodeT;
    let rig = Rig::new();
    let mut harness = rig.harness();
    harness.run();
    assert_eq!(
        harness.root().accesskit_node().label().as_deref(),
        Some("downshift"),
        "the window is named"
    );
    // The practices are list boxes of options; the chosen one is selected, with its
    // description, and nothing is a toggle button.
    let chosen =
        harness.get_by_role_and_label(Role::ListBoxOption, "Evening wind-down · suggested now");
    assert_eq!(chosen.accesskit_node().is_selected(), Some(true));
    assert!(chosen.accesskit_node().toggled().is_none());
    assert!(
        chosen
            .accesskit_node()
            .description()
            .is_some_and(|d| d.contains("A quiet ten minutes before bed")),
        "its description is reachable"
    );
    assert_eq!(
        chosen.parent().expect("in a list").accesskit_node().role(),
        Role::ListBox
    );
    let other = harness.get_by_role_and_label(Role::ListBoxOption, "Box 4-4-4-4");
    assert_eq!(other.accesskit_node().is_selected(), Some(false));
    assert_eq!(announced(&harness), "Home. Choose a practice.");
    // Each screen says what it is as it opens.
    harness.key_press(egui::Key::I);
    harness.run();
    assert_eq!(announced(&harness), "About Evening wind-down");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    assert_eq!(announced(&harness), "Settings");
    harness.key_press(egui::Key::Escape);
    harness.run();

    // A session: its start and first phase together, then each phase once, pause, resume.
    harness
        .get_by_role_and_label(Role::ListBoxOption, "Extended exhale 4-6")
        .click();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert_eq!(
        announced(&harness),
        "Extended exhale 4-6, 5 minutes. Breathe in"
    );
    // Told once, then gone: nothing on the screen is found twice.
    assert_eq!(
        harness
            .query_all_by(|node| node.data().live() == Some(Live::Polite))
            .count(),
        0
    );
    harness.get_by_label("Breathe in");
    rig.advance(4 * S + S / 2);
    harness.run();
    assert_eq!(announced(&harness), "Breathe out");
    harness.key_press(egui::Key::Space);
    harness.run();
    assert_eq!(announced(&harness), "Paused");
    harness.key_press(egui::Key::Space);
    harness.run();
    assert_eq!(announced(&harness), "Resumed. Breathe out");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        announced(&harness).starts_with("Session ended. Extended exhale 4-6. Ended early,"),
        "{}",
        announced(&harness)
    );
}

#[test]
fn a_checkin_that_cannot_be_written_is_said_to_be_not_saved_with_why() {
    use downshift::app::Command;
    let rig = Rig::new();
    // A file where the data folder should be: nothing can be written inside it.
    let blocked = rig.path().join("not-a-folder");
    std::fs::write(&blocked, "x").expect("write");
    let mut harness = rig.window().data_dir(DataDir::new(&blocked)).open();
    harness.run();
    harness.state_mut().apply(Command::OpenCheckIn(None));
    harness.run();
    assert_eq!(
        announced(&harness),
        "Pain today, on average? 0 no pain, 10 as bad as you can imagine. Question 1 of 4."
    );
    for key in [
        egui::Key::Num6,
        egui::Key::Num4,
        egui::Key::Num3,
        egui::Key::Num2,
    ] {
        harness.key_press(key);
        harness.run();
    }
    harness.get_by_label("Not saved.");
    // Why, as the screen says it under "Not saved.".
    let why = match &harness.state().state().screen {
        downshift::app::screen::Screen::CheckIn(screen) => match &screen.stage {
            downshift::app::screen::CheckInStage::Answered {
                saved: Some(Err(why)),
                ..
            } => why.clone(),
            other => panic!("not a failed write: {other:?}"),
        },
        _ => panic!("not the check-in"),
    };
    harness.get_by_label(&why);
    let said = announced(&harness);
    assert!(said.starts_with("Thank you. Not saved: "), "{said}");
    assert!(
        said.contains(why.trim_end_matches('.')),
        "says why ({why}): {said}"
    );
    assert!(!said.contains("Saved."), "{said}");
    assert!(
        said.ends_with("Different in the last day or two? Optional."),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&blocked).expect("untouched"), "x");
}

#[test]
fn every_other_screen_says_what_it_is_as_it_opens_and_a_completed_session_its_outcome() {
    use downshift::app::Command;
    use egui::accesskit::Role;
    // The tension question on: it is read with its scale.
    let rig = Rig::returning("()");
    let mut harness = rig.harness();
    harness.run();
    harness.state_mut().apply(Command::OpenHistory);
    harness.run();
    assert_eq!(announced(&harness), "History");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.state_mut().apply(Command::OpenSafety);
    harness.run();
    assert_eq!(announced(&harness), "Before you breathe with downshift");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Your days")
        .click();
    harness.run();
    assert_eq!(announced(&harness), "Your days");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_role_and_label(Role::Button, "New").click();
    harness.run_steps(3);
    assert_eq!(announced(&harness), "Editing My practice");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert_eq!(announced(&harness), "Home. Choose a practice.");

    // 4-7-8, four breaths: its tension question, then the whole session to its end.
    for _ in 0..9 {
        harness.key_press(egui::Key::ArrowDown);
    }
    harness.run();
    harness.get_by_label_contains("In 4, hold 7, out 8");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        announced(&harness),
        "How tense do you feel right now? 0 is completely relaxed, 10 the most tense you can \
         imagine. Press a number key."
    );
    harness.key_press(egui::Key::S);
    harness.run();
    rig.advance(4 * S + 1);
    harness.run();
    rig.advance(80 * S);
    harness.run();
    assert_eq!(
        announced(&harness),
        "And how tense do you feel now? 0 is completely relaxed, 10 the most tense you can \
         imagine. Press a number key."
    );
    harness.key_press(egui::Key::S);
    harness.run();
    harness.get_by_label("Well done.");
    let said = announced(&harness);
    assert!(
        said.starts_with("Well done. 4-7-8. Completed, ") && said.contains("4 breaths"),
        "{said}"
    );
}

#[test]
fn a_prompts_words_are_announced_once_and_its_countdown_never() {
    let rig = Rig::new();
    let mut harness = rig.window().at(today_at(18, 10)).open();
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    let first = announced(&harness);
    assert!(first.starts_with("Work to home, "), "{first}");
    assert!(
        first.ends_with("Close the day: note one thing left for tomorrow, then let it go."),
        "{first}"
    );
    for _ in 0..5 {
        rig.advance(S);
        harness.run();
        assert_eq!(
            announced(&harness),
            first,
            "the seconds going by say nothing"
        );
    }
}

#[test]
fn with_a_notice_showing_tab_still_goes_round_every_control_of_home() {
    use egui_kittest::kittest::NodeT;
    // A settings file that does not read leaves a notice at the foot, with its Dismiss.
    let rig = Rig::returning("(safety_note_seen: true, ask_tension: false, theme: Loud)");
    let mut harness = rig.harness();
    harness.run();
    harness.get_by_label("Dismiss");
    let mut reached = Vec::new();
    for _ in 0..40 {
        harness.key_press(egui::Key::Tab);
        harness.run();
        if let Some(node) = harness.query_by(|node| node.is_focused()) {
            reached.push(node.accesskit_node().label().unwrap_or_default());
        }
    }
    for control in [
        "Dismiss",
        "History",
        "Your days",
        "Settings",
        "New",
        "Start",
    ] {
        assert!(
            reached.iter().any(|label| label == control),
            "Tab never reached {control}: {reached:?}"
        );
    }
}
