//! The preset editor, driven by keys and clicks: build a ritual, save it, find it again after a
//! restart; see a problem beside the field and Save held back; never lose edits silently.

use downshift::practice::Step;
use downshift::store::{DataDir, Library};
use downshift::ui::DownshiftApp;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod common;
use common::app::{HarnessExt, Rig, Window};
use common::painted;

/// Opens the window tall enough for a whole practice's steps.
fn open(window: Window<'_>) -> Harness<'static, DownshiftApp> {
    let mut harness = window.size([900.0, 1800.0]).open();
    // The editor's preview breathes, so frames are stepped rather than run to rest.
    harness.run_steps(2);
    harness
}

/// A preset file of two 4-6 breaths called `name`.
fn two_breaths(name: &str) -> String {
    format!(
        r#"(version: 1, name: "{name}", description: "Two breaths.", steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: 2)])"#
    )
}

/// Replaces what the text field named `label` holds, as a person would: select all, type.
/// (The visible label naming a field is not itself matched: kittest leaves labels out.)
fn replace_text(harness: &mut Harness<'static, DownshiftApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run_steps(1);
    if !text.is_empty() {
        harness.get_by_label(label).type_text(text);
    }
    harness.run_steps(2);
}

#[test]
fn a_ritual_built_from_scratch_is_saved_and_still_there_after_a_restart() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.step_until("New practice", |h| {
        h.query_by_label("New practice").is_some()
    });
    replace_text(&mut harness, "Name", "Shoulders, then breath");
    harness.get_by_label("Add prompt").click();
    harness.run_steps(2);
    harness.get_by_label("Move step 2 up").click();
    harness.step_until("Step 1: prompt", |h| {
        h.query_by_label("Step 1: prompt").is_some()
    });
    harness.get_by_label("Add prompt").click();
    harness.run_steps(2);
    replace_text(
        &mut harness,
        "Step 3 instruction",
        "Stand and walk across the room.",
    );
    harness.get_by_label("Save").click();
    harness.step_until("Edit practice", |h| {
        h.query_by_label("Edit practice").is_some()
    });
    harness.get_by_label("Back").click();
    harness.step_until("Shoulders, then breath", |h| {
        h.query_by_role_and_label(egui::Role::ListBoxOption, "Shoulders, then breath")
            .is_some()
    });

    // Open the app again on the same folder.
    let again = open(rig.window());
    again.get_by_role_and_label(egui::Role::ListBoxOption, "Shoulders, then breath");
    let library = Library::load(Some(&data.presets_dir()));
    assert!(library.problems.is_empty(), "{:?}", library.problems);
    let practice = &library
        .find("shoulders, then breath")
        .expect("saved")
        .practice;
    assert!(matches!(practice.steps[0], Step::Prompt(_)));
    assert!(matches!(practice.steps[1], Step::Breathe(_)));
    let Step::Prompt(last) = &practice.steps[2] else {
        panic!("the third step is a prompt")
    };
    assert_eq!(last.text, "Stand and walk across the room.");
}

#[test]
fn an_invalid_value_shows_its_message_and_save_waits() {
    let rig = Rig::first_run();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.run_steps(2);
    assert!(
        !harness.get_by_label("Save").accesskit_node().is_disabled(),
        "a fresh practice can be saved"
    );
    replace_text(&mut harness, "Name", "");
    harness.get_by_label("needs a name");
    assert!(harness.get_by_label("Save").accesskit_node().is_disabled());
    replace_text(&mut harness, "Name", "Box 4-4-4-4");
    harness.get_by_label("another practice already has this name");
    assert!(harness.get_by_label("Save").accesskit_node().is_disabled());
    replace_text(&mut harness, "Name", "Mine");
    assert!(
        harness
            .query_by_label("another practice already has this name")
            .is_none()
    );
    assert!(!harness.get_by_label("Save").accesskit_node().is_disabled());
}

#[test]
fn a_new_practice_left_untouched_goes_back_without_a_question() {
    let rig = Rig::first_run();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.step_until("New practice", |h| {
        h.query_by_label("New practice").is_some()
    });
    // Nothing is typed into before the person chooses a field.
    assert_eq!(harness.ctx.memory(|m| m.focused()), None);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("You have unsaved changes.")
            .is_none()
    );
    harness.get_by_label("Start");
}

#[test]
fn durations_show_the_tenth_of_a_second_they_are_kept_to() {
    let rig = Rig::first_run();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.run_steps(2);
    let texts: Vec<String> = painted::texts(harness.output())
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    // The blank practice breathes in 4 and out 6, for 5 minutes.
    for shown in ["4.0", "6.0", "0.0", "5.0"] {
        assert!(texts.iter().any(|t| t == shown), "{shown} in {texts:?}");
    }
    let two_decimals = texts.iter().find(|t| {
        t.split_once('.').is_some_and(|(whole, decimals)| {
            !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && decimals.len() > 1
                && decimals.chars().all(|c| c.is_ascii_digit())
        })
    });
    assert_eq!(
        two_decimals, None,
        "no duration shows more than one decimal"
    );
}

#[test]
fn leaving_with_unsaved_changes_asks_first() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Half done");
    // The first Esc leaves the name field, the second the editor.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.step_until("You have unsaved changes.", |h| {
        h.query_by_label("You have unsaved changes.").is_some()
    });
    harness.get_by_label("Keep editing").click();
    harness.step_until("New practice", |h| {
        h.query_by_label("New practice").is_some()
    });
    harness.get_by_label("Back").click();
    harness.run_steps(2);
    harness.get_by_label("Discard changes").click();
    harness.step_until("Start", |h| h.query_by_label("Start").is_some());
    assert_no_preset_written(&data);
}

#[test]
fn a_customised_built_in_can_be_restored_after_a_yes() {
    let rig = Rig::first_run();
    let mut harness = open(rig.window());
    // Edit the evening wind-down (selected at 21:00): shorten its description and save.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Description", "Mine now.");
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    harness.get_by_label("Back").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(
        egui::Role::ListBoxOption,
        "Evening wind-down · customised · suggested now",
    );
    harness.get_by_label("Mine now.");
    harness.get_by_label("Restore original").click();
    harness.run_steps(2);
    harness.get_by_label("No").click();
    harness.step_until("Mine now.", |h| h.query_by_label("Mine now.").is_some());
    harness.get_by_label("Restore original").click();
    harness.run_steps(2);
    harness.get_by_label("Yes, restore").click();
    harness.step_until("A quiet ten minutes before bed", |h| {
        h.query_by_label_contains("A quiet ten minutes before bed")
            .is_some()
    });
    assert!(harness.query_by_label("Restore original").is_none());
}

#[test]
fn a_preset_file_is_imported_from_a_typed_path_and_never_replaces_ones_own() {
    let rig = Rig::first_run();
    let data = DataDir::new(rig.path().join("data"));
    let file = rig.path().join("quick.ron");
    std::fs::write(&file, two_breaths("Quick check")).expect("write");
    let mut harness = open(rig.window().data_dir(data));
    harness
        .get_by_label("Import or export a preset file")
        .click();
    harness.run_steps(2);
    replace_text(&mut harness, "File", file.to_str().expect("utf8"));
    harness.get_by_label("Import").click();
    harness.step_until("Imported “Quick check“.", |h| {
        h.query_by_label("Imported \"Quick check\".").is_some()
    });
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "Quick check");
    harness.get_by_label("Import").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains("Not imported: you already have a practice called \"Quick check\"");

    // Export the selected practice (the imported one) to a new file.
    let out = rig.path().join("exported.ron");
    replace_text(&mut harness, "File", out.to_str().expect("utf8"));
    harness.get_by_label("Export selected").click();
    harness.run_steps(2);
    let exported = downshift::store::presets::read_preset_file(&out).expect("a valid preset");
    assert_eq!(exported.name, "Quick check");
}

/// Whether the last frame asked the window for `wanted`.
fn sent(harness: &Harness<'static, DownshiftApp>, wanted: &egui::ViewportCommand) -> bool {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(wanted))
}

#[test]
fn quitting_or_closing_with_unsaved_edits_asks_first_and_keeps_the_window() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let mut harness = open(rig.window());
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Half done");
    // Ctrl+Q: asked, and the window stays (a key press runs its own frame).
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    assert!(!sent(&harness, &egui::ViewportCommand::Close));
    assert!(
        !harness.state().state().departure.is_leaving()
            || harness
                .query_by_label("You have unsaved changes.")
                .is_some()
    );
    harness.run_steps(1);
    harness.get_by_label("You have unsaved changes.");
    harness.get_by_label("Keep editing").click();
    harness.run_steps(2);
    // The window's close button: the close is cancelled, and the same question asked.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    assert!(sent(&harness, &egui::ViewportCommand::CancelClose));
    harness.run_steps(1);
    harness.get_by_label("You have unsaved changes.");
    // Discarding, having asked to leave, closes the window; nothing was written.
    harness.get_by_label("Discard changes").click();
    harness.step();
    assert!(sent(&harness, &egui::ViewportCommand::Close));
    assert_no_preset_written(&data);
}

#[test]
fn a_duplicate_is_a_new_practice_of_ones_own_and_the_original_stays() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let mut harness = open(rig.window());
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Duplicate").click();
    harness.step_until("New practice", |h| {
        h.query_by_label("New practice").is_some()
    });
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    harness.get_by_label("Back").click();
    harness.step_until("Box 4-4-4-4 (copy)", |h| {
        h.query_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4 (copy)")
            .is_some()
    });
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4");
    let library = Library::load(Some(&data.presets_dir()));
    let copy = library.find("Box 4-4-4-4 (copy)").expect("saved");
    let original = library.find("Box 4-4-4-4").expect("still there");
    assert_eq!(copy.practice.steps, original.practice.steps);
    assert!(matches!(original.origin, downshift::store::Origin::BuiltIn));
    // A second duplicate gets a name of its own.
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Duplicate").click();
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    assert!(
        Library::load(Some(&data.presets_dir()))
            .find("Box 4-4-4-4 (copy 2)")
            .is_some()
    );
}

#[test]
fn ones_own_preset_is_deleted_only_after_a_yes() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    std::fs::create_dir_all(data.presets_dir()).expect("presets folder");
    let file = data.presets_dir().join("mine.ron");
    std::fs::write(&file, two_breaths("Mine")).expect("write");
    let mut harness = open(rig.window());
    harness
        .get_by_role_and_label(egui::Role::ListBoxOption, "Mine")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Delete").click();
    harness.step_until("Delete “Mine“? Its file is removed.", |h| {
        h.query_by_label("Delete \"Mine\"? Its file is removed.")
            .is_some()
    });
    harness.get_by_label("No").click();
    harness.run_steps(2);
    assert!(file.exists(), "kept after a no");
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    harness.get_by_label("Yes, delete").click();
    harness.run_steps(2);
    assert!(!file.exists());
    assert!(
        harness
            .query_by_role_and_label(egui::Role::ListBoxOption, "Mine")
            .is_none()
    );
}

#[test]
fn a_preset_file_that_cannot_be_used_is_named_in_the_problems_panel_and_the_rest_load() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    std::fs::create_dir_all(data.presets_dir()).expect("presets folder");
    std::fs::write(
        data.presets_dir().join("broken.ron"),
        "(version: 1, name: \"Broken\", description: \"\",\n steps: [Breathe(pattern: (inhale: -4.0, exhale: 6.0), minutes: 1.0)])",
    )
    .expect("write");
    let mut harness = open(rig.window());
    harness.get_by_role_and_label(egui::Role::ListBoxOption, "Box 4-4-4-4");
    harness
        .get_by_label("Problems: 1 preset file could not be used")
        .click();
    harness.run_steps(2);
    let problem = harness.get_by_label_contains("broken.ron:2:");
    let text = format!("{problem:?}");
    assert!(text.contains("inhale"), "names the field: {text}");
}

#[test]
fn in_gentle_mode_the_editor_names_holds_as_problems_and_holds_save_back() {
    let rig = Rig::with_settings("(gentle_mode: true)");
    let mut harness = open(rig.window());
    harness.get_by_label("Box 4-4-4-4 · not gentle").click();
    harness.run_steps(2);
    harness.get_by_label("Duplicate").click();
    harness.run_steps(2);
    // Both of its holds are named.
    assert_eq!(
        harness
            .get_all_by_label_contains("gentle mode avoids breath holds")
            .count(),
        2
    );
    assert!(
        harness.get_by_label("Save").accesskit_node().is_disabled(),
        "a practice outside gentle mode is not saved while it is on"
    );
}

/// Nothing was written to the presets folder.
fn assert_no_preset_written(data: &DataDir) {
    let written = match std::fs::read_dir(data.presets_dir()) {
        Ok(entries) => entries.count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => panic!("{}: {e}", data.presets_dir().display()),
    };
    assert_eq!(written, 0, "files in {}", data.presets_dir().display());
}
