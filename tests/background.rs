//! downshift with its window closed: closing it while reminders are on keeps it in the tray
//! (once saying where it went), the tray's menu starts practices and brings the window up, and
//! "Start with my desktop session" writes the autostart entry. The app without a window:
//! commands and messages in, state and effects out.

use downshift::app::background::IN_THE_TRAY;
use downshift::app::screen::Screen;
use downshift::app::{
    self, AppState, Command, DesktopEffect, Effect, FileEffect, Loaded, Message, Mode, Now,
    Runtime, SoundStatus, ViewportEffect,
};
use downshift::desktop::tray::{PauseFor, TrayEvent, TrayStatus};
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::practice::reminders::{Busy, Surroundings};
use downshift::store::progress::ProgressBook;
use downshift::store::{Library, Settings};

mod common;
use common::app::Rig;
use common::clock::{now_at, today_at};

/// Today at 10:00, `seconds` into the monotonic clock.
fn at(seconds: u64) -> Now {
    now_at(today_at(10, 0), seconds * S)
}

/// The app with micro-rest reminders on (or not), and the tray as given.
fn app(reminders: bool, tray: TrayStatus) -> (Rig, AppState) {
    let rig = Rig::first_run();
    rig.set_local(today_at(10, 0));
    let mut settings = Settings {
        ask_tension: false,
        safety_note_seen: true,
        ..Settings::default()
    };
    settings.reminders.micro_rests = reminders;
    let loaded = Loaded {
        small_tests: Default::default(),
        reminder_days: Default::default(),
        library: Library::built_in(),
        settings,
        progress: ProgressBook::default(),
        problems: Vec::new(),
    };
    let mut state = AppState::new(rig.data_dir(), loaded, SoundStatus::Off, &at(0));
    receive(&mut state, Message::TrayStatus(tray), &at(0));
    (rig, state)
}

fn apply(state: &mut AppState, command: Command, now: &Now) -> Vec<Effect> {
    let mut effects = Vec::new();
    app::update(state, command, now, &mut effects);
    effects
}

fn receive(state: &mut AppState, message: Message, now: &Now) -> Vec<Effect> {
    let mut effects = Vec::new();
    app::receive(state, message, now, &mut effects);
    effects
}

fn has_viewport(effects: &[Effect], wanted: ViewportEffect) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Viewport(v) if *v == wanted))
}

fn informed(effects: &[Effect]) -> Vec<&str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Desktop(DesktopEffect::Inform(text)) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn session_of(state: &AppState) -> Option<String> {
    match &state.screen {
        Screen::Session(live) => Some(live.practice().name.clone()),
        _ => None,
    }
}

#[test]
fn closing_the_window_with_reminders_on_keeps_downshift_in_the_tray_and_says_so_once() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    apply(&mut state, Command::Start, &at(1));
    assert!(state.is_in_session());

    let closed = apply(&mut state, Command::CloseRequested, &at(20));
    assert!(
        !has_viewport(&closed, ViewportEffect::CancelClose),
        "the close goes on: no window is left, downshift runs on in the tray"
    );
    assert!(state.desktop.window_away);
    assert!(
        closed
            .iter()
            .any(|e| matches!(e, Effect::Files(FileEffect::AppendRecord(_)))),
        "the session that was running is recorded"
    );
    assert_eq!(informed(&closed), [IN_THE_TRAY]);
    assert!(
        closed
            .iter()
            .any(|e| matches!(e, Effect::Files(FileEffect::SaveSettings(settings)) if settings.tray_notice_shown)),
        "that the notice was shown is kept"
    );
    assert!(matches!(state.screen, Screen::Home));
    assert!(state.desktop.window_away);
    assert!(
        !state.departure.is_leaving(),
        "downshift is not on its way out"
    );

    // Brought back from the tray, and closed again: no second notice.
    receive(&mut state, Message::Tray(TrayEvent::Open), &at(30));
    assert!(!state.desktop.window_away);
    let again = apply(&mut state, Command::CloseRequested, &at(40));
    assert!(state.desktop.window_away);
    assert!(informed(&again).is_empty(), "{again:?}");
}

#[test]
fn closing_quits_without_a_tray_with_reminders_off_or_with_the_setting_off() {
    let cases = [
        (
            "no tray",
            app(true, TrayStatus::Absent("no watcher".into())),
        ),
        ("reminders off", app(false, TrayStatus::Shown)),
        ("setting off", {
            let (rig, mut state) = app(true, TrayStatus::Shown);
            state.settings.keep_in_tray = false;
            (rig, state)
        }),
    ];
    for (case, (_rig, mut state)) in cases {
        let closed = apply(&mut state, Command::CloseRequested, &at(5));
        assert!(!state.desktop.window_away, "{case}");
        assert!(
            !has_viewport(&closed, ViewportEffect::CancelClose),
            "{case}"
        );
        assert!(state.departure.is_leaving(), "{case}: downshift leaves");
    }
}

#[test]
fn the_tray_menu_starts_a_micro_rest_or_the_suggested_practice_and_brings_the_window_up() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    state.desktop.window_away = true;
    let effects = receive(&mut state, Message::Tray(TrayEvent::MicroRestNow), &at(1));
    assert!(has_viewport(&effects, ViewportEffect::BringUp));
    assert!(!state.desktop.window_away);
    assert_eq!(session_of(&state).as_deref(), Some("Micro-rest reset"));

    // Over a running session, nothing else starts.
    receive(&mut state, Message::Tray(TrayEvent::StartSuggested), &at(2));
    assert_eq!(session_of(&state).as_deref(), Some("Micro-rest reset"));

    let (_rig, mut state) = app(true, TrayStatus::Shown);
    let suggested = state
        .suggested
        .clone()
        .expect("a practice is suggested at 10:00");
    receive(&mut state, Message::Tray(TrayEvent::StartSuggested), &at(1));
    assert_eq!(session_of(&state), Some(suggested));
}

#[test]
fn quit_from_the_tray_asks_about_unsaved_edits_in_the_window_first() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    apply(&mut state, Command::NewPreset, &at(1));
    if let Screen::Editor(editor) = &mut state.screen {
        editor.draft.name = "Mine".into();
    }
    apply(&mut state, Command::DraftEdited, &at(1));
    let effects = receive(&mut state, Message::Tray(TrayEvent::Quit), &at(2));
    assert!(has_viewport(&effects, ViewportEffect::BringUp));
    assert!(
        !has_viewport(&effects, ViewportEffect::Close),
        "{effects:?}"
    );
    assert!(matches!(&state.screen, Screen::Editor(e) if e.confirming_leave));

    let (_rig, mut state) = app(true, TrayStatus::Shown);
    let effects = receive(&mut state, Message::Tray(TrayEvent::Quit), &at(2));
    assert!(has_viewport(&effects, ViewportEffect::Close));
}

#[test]
fn start_with_my_desktop_session_writes_the_entry_and_turning_it_off_removes_it() {
    let (rig, mut state) = app(true, TrayStatus::Shown);
    let entry = rig
        .path()
        .join("config/autostart/io.github.downshift.Downshift.desktop");
    // Without a place for the entry (tests, no home), nothing is asked.
    assert!(apply(&mut state, Command::SetAutostart(true), &at(1)).is_empty());

    state.desktop.autostart_entry = Some(entry.clone());
    let mut runtime = Runtime::start(
        rig.data_dir(),
        rig.clock.clocks(),
        Mode::Inline,
        downshift::app::runtime::Bluetooth::Nowhere,
        std::sync::Arc::new(|| {}),
    );
    for (on, there) in [(true, true), (false, false)] {
        for effect in apply(&mut state, Command::SetAutostart(on), &at(2)) {
            runtime.dispatch(effect);
        }
        while let Some(message) = runtime.try_message() {
            receive(&mut state, message, &at(2));
        }
        assert_eq!(state.desktop.autostart, there);
        assert_eq!(entry.exists(), there);
        if there {
            let text = std::fs::read_to_string(&entry).expect("the entry");
            assert!(text.contains("--background"), "{text}");
        }
    }
}

#[test]
fn pausing_from_the_tray_shows_on_the_tray_and_resume_ends_it() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(0), &mut effects);
    let look = state
        .desktop
        .tray_look
        .clone()
        .expect("the tray is shown something");
    assert!(!look.paused);
    assert!(look.next_up.starts_with("Micro-rest in "), "{look:?}");

    receive(
        &mut state,
        Message::Tray(TrayEvent::PauseReminders(PauseFor::HalfAnHour)),
        &at(1),
    );
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(1), &mut effects);
    let look = state.desktop.tray_look.clone().expect("shown");
    assert!(look.paused, "the menu offers Resume");
    assert_eq!(look.next_up, "Reminders paused until 10:30");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::Tray(l)) if l.paused)),
        "the tray is told"
    );

    receive(
        &mut state,
        Message::Tray(TrayEvent::ResumeReminders),
        &at(2),
    );
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(2), &mut effects);
    assert!(!state.desktop.tray_look.expect("shown").paused);
}

#[test]
fn the_desktop_is_read_only_while_reminders_are_on_and_forgotten_when_they_go_off() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(0), &mut effects);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WatchSurroundings(true))))
    );
    receive(
        &mut state,
        Message::Surroundings(Surroundings {
            idle: Some(jiff::SignedDuration::from_secs(30)),
            busy: Some(Busy::FullScreen),
        }),
        &at(1),
    );
    assert_eq!(state.surroundings.busy, Some(Busy::FullScreen));

    state.settings.reminders.micro_rests = false;
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(2), &mut effects);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WatchSurroundings(false))))
    );
    assert_eq!(state.surroundings, Surroundings::default());
    // And nothing more is asked while they stay off.
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(3), &mut effects);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WatchSurroundings(_))))
    );
}

#[test]
fn quit_from_the_tray_or_ctrl_q_ends_downshift_even_while_it_would_stay_in_the_tray() {
    for quit in [
        Message::Tray(TrayEvent::Quit),
        // Ctrl+Q in the window.
        Message::Activated,
    ] {
        let (_rig, mut state) = app(true, TrayStatus::Shown);
        assert!(state.stays_in_tray());
        let mut effects = match quit {
            Message::Activated => apply(&mut state, Command::Quit, &at(1)),
            tray => receive(&mut state, tray, &at(1)),
        };
        assert!(has_viewport(&effects, ViewportEffect::Close));
        // The window's close comes back as a close request: it must not put the window away.
        effects.extend(apply(&mut state, Command::CloseRequested, &at(1)));
        assert!(!state.desktop.window_away, "{effects:?}");
        assert!(
            !has_viewport(&effects, ViewportEffect::CancelClose),
            "{effects:?}"
        );
        assert!(state.departure.is_leaving());
    }
}

#[test]
fn with_no_notification_service_a_reminder_brings_the_window_out_of_the_tray() {
    use downshift::desktop::notify::NotifierEvent;
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    apply(&mut state, Command::CloseRequested, &at(1));
    assert!(state.desktop.window_away);
    let effects = receive(
        &mut state,
        Message::Notification(NotifierEvent::Unavailable("no service".into())),
        &at(2),
    );
    assert!(has_viewport(&effects, ViewportEffect::Attention));
    assert!(!state.desktop.window_away);
}

#[test]
fn after_ctrl_q_in_the_editor_is_answered_with_back_closing_the_window_still_goes_to_the_tray() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    apply(&mut state, Command::NewPreset, &at(1));
    if let Screen::Editor(editor) = &mut state.screen {
        editor.draft.name = "Mine".into();
    }
    apply(&mut state, Command::DraftEdited, &at(1));
    apply(&mut state, Command::Quit, &at(2));
    assert!(matches!(&state.screen, Screen::Editor(e) if e.confirming_leave));
    // Back to editing after all, then leave the editor and close the window.
    apply(&mut state, Command::LeaveEditor, &at(3));
    apply(&mut state, Command::DiscardEdits, &at(3));
    let closed = apply(&mut state, Command::CloseRequested, &at(4));
    assert!(state.desktop.window_away, "{closed:?}");
    assert!(!state.departure.is_leaving());
}

#[test]
fn the_tray_look_is_worked_out_once_a_minute_or_when_something_happened() {
    let (_rig, mut state) = app(true, TrayStatus::Shown);
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &at(0), &mut effects);
    assert!(state.desktop.tray_look.is_some());
    // Within the same minute, with nothing done, the look is not worked out again: a look
    // changed behind its back stays as it is.
    state.desktop.tray_look = None;
    app::background::follow_desktop(&mut state, &at(30), &mut effects);
    assert!(state.desktop.tray_look.is_none());
    // A command (or a message) since: worked out again.
    apply(&mut state, Command::OpenSettings, &at(31));
    app::background::follow_desktop(&mut state, &at(31), &mut effects);
    assert!(state.desktop.tray_look.is_some());
    // The next minute: worked out again.
    state.desktop.tray_look = None;
    let next_minute = now_at(today_at(10, 1), 61 * S);
    app::background::follow_desktop(&mut state, &next_minute, &mut effects);
    assert!(state.desktop.tray_look.is_some());
}
