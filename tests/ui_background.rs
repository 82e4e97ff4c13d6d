//! Settings' "In the background" section, as a person uses it: it says whether there is a tray,
//! and "Start with my desktop session" writes and removes the autostart entry.

use downshift::app::{Command, Message};
use downshift::desktop::tray::TrayStatus;
use downshift::ui::DownshiftApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::app::Rig;

/// A data folder, the autostart entry's place in it, and the window on Settings.
type Opened = (Rig, std::path::PathBuf, Harness<'static, DownshiftApp>);

fn settings_with_tray(tray: TrayStatus) -> Opened {
    settings_with(
        tray,
        "(safety_note_seen: true, reminders: (micro_rests: true))",
    )
}

fn settings_with(tray: TrayStatus, settings: &str) -> Opened {
    let rig = Rig::with_settings(settings);
    let entry = rig
        .path()
        .join("config/autostart/io.github.downshift.Downshift.desktop");
    let mut harness = rig
        .window()
        .autostart_entry(entry.clone())
        .before_first_frame(move |app| {
            app.receive(Message::TrayStatus(tray));
            app.apply(Command::OpenSettings);
        })
        .open();
    harness.run();
    (rig, entry, harness)
}

#[test]
fn settings_say_plainly_when_there_is_no_tray() {
    let (_rig, _entry, harness) = settings_with_tray(TrayStatus::Absent(
        "no StatusNotifierWatcher answers".into(),
    ));
    harness.get_by_label_contains("No tray on this desktop (no StatusNotifierWatcher answers)");
    harness.get_by_label_contains("closing the window quits it");

    let (_rig, _entry, harness) = settings_with_tray(TrayStatus::Shown);
    harness.get_by_label("downshift is in your panel's tray, with the reminders.");
    assert!(
        harness.query_by_label_contains("No tray").is_none(),
        "nothing about a missing tray when there is one"
    );
}

#[test]
fn start_with_my_desktop_session_writes_the_entry_and_unticking_removes_it() {
    let (rig, entry, mut harness) = settings_with_tray(TrayStatus::Shown);
    click(&mut harness, "Start with my desktop session (in the tray)");
    let text = std::fs::read_to_string(&entry).expect("the autostart entry is written");
    // The data folder is not the usual one, so the login copy is told which it is.
    let data_dir = format!(" --background --data-dir {}\n", rig.path().display());
    assert!(text.contains(&data_dir), "{text}");

    click(&mut harness, "Start with my desktop session (in the tray)");
    assert!(!entry.exists(), "unticked, the entry is gone");
}

/// Scrolls the control into view, as a person would, and clicks it.
fn click(harness: &mut Harness<'static, DownshiftApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

#[test]
fn an_interval_paced_beyond_the_sliders_ends_is_kept_when_settings_are_only_looked_at() {
    let (_rig, _entry, mut harness) = settings_with(
        TrayStatus::Shown,
        "(safety_note_seen: true, reminders: (micro_rests: true, micro_rest_minutes: 200))",
    );
    harness.get_by_label("Back").click();
    harness.run();
    assert_eq!(harness.state().settings().reminders.micro_rest_minutes, 200);
}
