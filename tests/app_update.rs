//! The app without a window: commands in, state and effects out; what the runtime reports back;
//! and the runtime itself, carrying effects out on its own threads.

use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use downshift::app::screen::{SaveStatus, Screen, ScreenKind};
use downshift::app::{
    self, AppState, Command, DesktopEffect, Effect, FileEffect, HistoryCache, Loaded, Message,
    Mode, Now, Runtime, SoundEffect, SoundStatus, ViewportEffect,
};
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::store::history::StartTime;
use downshift::store::progress::ProgressBook;
use downshift::store::{Library, Settings, load_history};

mod common;
use common::app::Rig;
use common::clock::{TODAY, day, now_at, today_at, wall};

/// Today at 21:00, `seconds` into the monotonic clock.
fn at(seconds: u64) -> Now {
    now_at(today_at(21, 0), seconds * S)
}

/// The app over a temporary folder, with the built-in practices, no tension question, and
/// "Extended exhale 4-6" selected.
fn app(sound: SoundStatus) -> (Rig, AppState) {
    let rig = Rig::first_run();
    let loaded = Loaded {
        small_tests: Default::default(),
        reminder_days: Default::default(),
        library: Library::built_in(),
        settings: Settings {
            ask_tension: false,
            safety_note_seen: true,
            ..Settings::default()
        },
        progress: ProgressBook::default(),
        problems: Vec::new(),
    };
    let mut state = AppState::new(rig.data_dir(), loaded, sound, &at(0));
    state.selected = state
        .library
        .position("Extended exhale 4-6")
        .expect("built in");
    (rig, state)
}

fn apply(state: &mut AppState, command: Command, now: &Now) -> Vec<Effect> {
    let mut effects = Vec::new();
    app::update(state, command, now, &mut effects);
    effects
}

/// The record an effect list asks to append (it must ask for one).
fn appended(effects: &[Effect]) -> Box<downshift::store::SessionRecord> {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Files(FileEffect::AppendRecord(record)) => Some(record.clone()),
            _ => None,
        })
        .expect("a record to append")
}

fn receive(state: &mut AppState, message: Message, now: &Now) -> Vec<Effect> {
    let mut effects = Vec::new();
    app::receive(state, message, now, &mut effects);
    effects
}

#[test]
fn a_session_starts_at_once_and_its_cues_join_when_the_device_is_ready() {
    let (_rig, mut state) = app(SoundStatus::NotOpened);
    let effects = apply(&mut state, Command::Start, &at(10));
    assert_eq!(
        state.screen.kind(),
        ScreenKind::Session,
        "no wait for sound"
    );
    assert!(
        matches!(effects[0], Effect::Sound(SoundEffect::Open)),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::KeepAwake(true))))
    );
    assert_eq!(state.sound, SoundStatus::Opening);

    // Starting another session while the device opens asks for it only once.
    let effects = receive(
        &mut state,
        Message::SoundReady {
            sample_rate: 48_000,
            problems: vec!["mine.wav could not be used".into()],
        },
        &at(11),
    );
    let Some(Effect::Sound(SoundEffect::PlayCues {
        session,
        control,
        plan,
    })) = effects.first()
    else {
        panic!("the cues are asked for: {effects:?}");
    };
    assert_eq!(plan.timeline.total(), {
        let Screen::Session(live) = &state.screen else {
            panic!("in session")
        };
        live.timeline().total()
    });
    assert_eq!(
        state.notices.all().len(),
        1,
        "the unusable cue file is named"
    );
    let session = *session;
    let Screen::Session(live) = &state.screen else {
        panic!("in session")
    };
    assert!(
        !live.has_sound(),
        "the stream waits until it is put in place"
    );
    let _control = Arc::clone(control);
    receive(&mut state, Message::CuesJoined(session), &at(12));
    let Screen::Session(live) = &mut state.screen else {
        panic!("in session")
    };
    assert!(live.has_sound());
}

#[test]
fn with_no_device_the_session_runs_silently_and_says_so_once() {
    let (_rig, mut state) = app(SoundStatus::NotOpened);
    apply(&mut state, Command::Start, &at(1));
    receive(
        &mut state,
        Message::SoundUnavailable("no device".into()),
        &at(2),
    );
    receive(
        &mut state,
        Message::SoundUnavailable("no device".into()),
        &at(3),
    );
    assert_eq!(state.screen.kind(), ScreenKind::Session);
    let texts: Vec<&str> = state
        .notices
        .all()
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(texts, [app::NO_SOUND]);
    let id = state.notices.all()[0].id;
    apply(&mut state, Command::DismissNotice(id), &at(4));
    assert!(state.notices.all().is_empty());
}

#[test]
fn an_ended_session_is_saved_by_the_runtime_and_the_kept_history_follows() {
    let (_rig, mut state) = app(SoundStatus::Off);
    receive(
        &mut state,
        Message::HistoryLoaded(Ok(Default::default())),
        &at(0),
    );
    apply(&mut state, Command::Start, &at(10));
    let effects = apply(&mut state, Command::EndSession, &at(40));
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary shows")
    };
    assert!(matches!(&summary.saved, SaveStatus::Saving(_)));
    let record = appended(&effects);
    assert_eq!(record.breathed_seconds, 30.0);
    receive(&mut state, Message::RecordSaved(record), &at(41));
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary shows")
    };
    assert_eq!(summary.saved, SaveStatus::Saved);
    assert_eq!(state.history.records().map(|r| r.len()), Some(1));
    assert!(
        state
            .history
            .glance()
            .is_some_and(|g| g.contains("Extended exhale 4-6"))
    );
}

#[test]
fn a_record_that_could_not_be_saved_says_so_on_the_summary() {
    let (_rig, mut state) = app(SoundStatus::Off);
    apply(&mut state, Command::Start, &at(10));
    let effects = apply(&mut state, Command::EndSession, &at(40));
    let record = appended(&effects);
    receive(
        &mut state,
        Message::RecordNotSaved {
            record,
            reason: "disk full".into(),
        },
        &at(41),
    );
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary shows")
    };
    assert!(matches!(&summary.saved, SaveStatus::Failed(why) if why.contains("disk full")));
}

#[test]
fn closing_the_window_with_unsaved_edits_is_cancelled_and_asks_first() {
    let (_rig, mut state) = app(SoundStatus::Off);
    apply(&mut state, Command::NewPreset, &at(1));
    let Screen::Editor(editor) = &mut state.screen else {
        panic!("the editor is open")
    };
    editor.draft.name = "Mine".into();
    apply(&mut state, Command::DraftEdited, &at(1));
    let effects = apply(&mut state, Command::CloseRequested, &at(2));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Viewport(ViewportEffect::CancelClose)]
        ),
        "{effects:?}"
    );
    let Screen::Editor(editor) = &state.screen else {
        panic!("still editing")
    };
    assert!(editor.confirming_leave);
    // Discarding then closes the window, as was asked.
    let effects = apply(&mut state, Command::DiscardEdits, &at(3));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Viewport(ViewportEffect::Close)]
    ));
}

#[test]
fn quitting_mid_session_records_it_without_asking_and_closes() {
    let (_rig, mut state) = app(SoundStatus::Off);
    state.settings.ask_tension = true;
    apply(&mut state, Command::Start, &at(1));
    apply(&mut state, Command::Rate(Some(6)), &at(2));
    let effects = apply(&mut state, Command::Quit, &at(32));
    let record = appended(&effects);
    assert_eq!(record.tension_before, Some(6));
    assert_eq!(record.tension_after, None, "not asked when leaving");
    assert!(matches!(
        effects.last(),
        Some(Effect::Viewport(ViewportEffect::Close))
    ));
}

#[test]
fn the_history_opens_from_what_the_app_holds_never_from_disk() {
    let (_rig, mut state) = app(SoundStatus::Off);
    let effects = apply(&mut state, Command::OpenHistory, &at(1));
    assert!(effects.is_empty(), "nothing is read: {effects:?}");
    assert_eq!(state.screen.kind(), ScreenKind::Home);
    assert!(state.notices.all()[0].text.contains("still being read"));
    assert!(matches!(state.history, HistoryCache::Loading));
    receive(
        &mut state,
        Message::HistoryLoaded(Ok(Default::default())),
        &at(2),
    );
    let effects = apply(&mut state, Command::OpenHistory, &at(3));
    assert!(effects.is_empty());
    assert_eq!(state.screen.kind(), ScreenKind::History);
}

/// Waits (at most 10 s) for the runtime to report something.
fn next_message(runtime: &Runtime) -> Message {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(message) = runtime.try_message() {
            return message;
        }
        assert!(Instant::now() < deadline, "the runtime reported nothing");
        std::thread::yield_now();
    }
}

#[test]
fn the_runtime_writes_on_a_thread_of_its_own_in_order_and_wakes_the_window() {
    let rig = Rig::first_run();
    let data = rig.data_dir();
    let woken_from = Arc::new(Mutex::new(Vec::new()));
    let (woke, wakes) = channel();
    let wake = {
        let woken_from = Arc::clone(&woken_from);
        Arc::new(move || {
            woken_from
                .lock()
                .expect("lock")
                .push(std::thread::current().id());
            let _ = woke.send(());
        })
    };
    let mut runtime = Runtime::start(
        data.clone(),
        rig.clock.clocks(),
        Mode::Threads,
        downshift::app::runtime::Bluetooth::Nowhere,
        wake,
    );
    let (_keep, mut state) = app(SoundStatus::Off);
    apply(&mut state, Command::Start, &at(10));
    let effects = apply(&mut state, Command::EndSession, &at(70));
    for effect in effects {
        runtime.dispatch(effect);
    }
    // Loading after appending: the log is read only once the record is in it.
    runtime.dispatch(Effect::Files(FileEffect::LoadHistory));
    wakes
        .recv_timeout(Duration::from_secs(10))
        .expect("the window is woken");
    assert!(matches!(next_message(&runtime), Message::RecordSaved(_)));
    match next_message(&runtime) {
        Message::HistoryLoaded(Ok(history)) => assert_eq!(history.sessions.len(), 1),
        other => panic!("the history, read after the append: {other:?}"),
    }
    let here = std::thread::current().id();
    assert!(
        woken_from.lock().expect("lock").iter().all(|t| *t != here),
        "the work was done off the calling thread"
    );
    assert_eq!(
        load_history(&data.history_path())
            .expect("reads")
            .records
            .len(),
        1
    );
}

#[test]
fn full_screen_is_asked_of_the_window_and_toggles() {
    let (_rig, mut state) = app(SoundStatus::Off);
    let effects = apply(&mut state, Command::ToggleFullscreen, &at(1));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Viewport(ViewportEffect::Fullscreen(true))]
    ));
    let effects = apply(&mut state, Command::ToggleFullscreen, &at(2));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Viewport(ViewportEffect::Fullscreen(false))]
    ));
}

#[test]
fn a_signal_leaves_at_once_even_with_unsaved_edits_and_closes_once() {
    let (_rig, mut state) = app(SoundStatus::Off);
    apply(&mut state, Command::NewPreset, &at(1));
    let Screen::Editor(editor) = &mut state.screen else {
        panic!("the editor is open")
    };
    editor.draft.name = "Half done".into();
    apply(&mut state, Command::DraftEdited, &at(1));
    let effects = apply(&mut state, Command::Leave, &at(2));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Viewport(ViewportEffect::Close)]
    ));
    assert_eq!(state.screen.kind(), ScreenKind::Home);
    // The close that follows is not cancelled, and asking again does nothing more.
    assert!(apply(&mut state, Command::CloseRequested, &at(2)).is_empty());
    assert!(apply(&mut state, Command::Leave, &at(3)).is_empty());
}

#[test]
fn after_the_device_is_lost_the_next_session_asks_for_sound_again() {
    let (_rig, mut state) = app(SoundStatus::Ready {
        sample_rate: 48_000,
    });
    apply(&mut state, Command::Start, &at(1));
    receive(&mut state, Message::SoundLost, &at(5));
    assert!(state.notices.all()[0].text.contains("stopped"));
    apply(&mut state, Command::EndSession, &at(6));
    apply(&mut state, Command::Dismiss, &at(7));
    let effects = apply(&mut state, Command::Start, &at(8));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Sound(SoundEffect::Open))),
        "{effects:?}"
    );
}

#[test]
fn when_the_sound_comes_back_mid_session_its_notice_goes_and_the_cues_join_the_session() {
    let (_rig, mut state) = app(SoundStatus::Ready {
        sample_rate: 48_000,
    });
    apply(&mut state, Command::Start, &at(1));
    receive(&mut state, Message::SoundLost, &at(5));
    let stopped = |state: &AppState| {
        state
            .notices
            .all()
            .iter()
            .any(|notice| notice.text.contains("stopped"))
    };
    assert!(stopped(&state), "the loss is said");
    let effects = receive(
        &mut state,
        Message::SoundReady {
            sample_rate: 48_000,
            problems: Vec::new(),
        },
        &at(9),
    );
    assert!(
        !stopped(&state),
        "and taken back once the sound is there again"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Sound(SoundEffect::PlayCues { .. }))),
        "the session's cues start on the new stream: {effects:?}"
    );
    assert_eq!(
        state.screen.kind(),
        ScreenKind::Session,
        "the session went on"
    );
}

#[test]
fn a_late_save_of_an_earlier_session_does_not_speak_for_the_one_on_screen() {
    let (_rig, mut state) = app(SoundStatus::Off);
    apply(&mut state, Command::Start, &at(1));
    let first = appended(&apply(&mut state, Command::EndSession, &at(20)));
    apply(&mut state, Command::Dismiss, &at(21));
    apply(&mut state, Command::Start, &at(22));
    let second = appended(&apply(&mut state, Command::EndSession, &at(40)));
    assert_ne!(first.id, second.id);
    receive(
        &mut state,
        Message::RecordNotSaved {
            record: first,
            reason: "disk full".into(),
        },
        &at(41),
    );
    let Screen::Summary(summary) = &state.screen else {
        panic!("the second summary shows")
    };
    assert!(matches!(&summary.saved, SaveStatus::Saving(id) if *id == second.id));
}

/// Today at `hour:minute`, at the start of the monotonic clock.
fn on_monday(hour: i8, minute: i8) -> Now {
    now_at(today_at(hour, minute), 0)
}

/// The app with micro-rests every 30 minutes all day, of `practice`; looked at first at 21:00.
fn app_with_nudges(practice: &str) -> (Rig, AppState) {
    let (rig, mut state) = app(SoundStatus::Off);
    let reminders = &mut state.settings.reminders;
    reminders.micro_rests = true;
    reminders.micro_rest_minutes = 30;
    reminders.micro_rest_from = "00:00".into();
    reminders.micro_rest_until = "00:00".into();
    reminders.workdays_only = false;
    reminders.micro_rest_practice = practice.into();
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(21, 0), &mut effects);
    (rig, state)
}

/// The reminder an effect list asks to show, if any.
fn notified(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Desktop(DesktopEffect::Notify(reminder)) => Some(reminder.message.clone()),
        _ => None,
    })
}

#[test]
fn a_nudge_held_back_in_a_call_comes_once_the_desktop_says_the_call_is_over() {
    use downshift::practice::reminders::{Busy, Surroundings};
    let (_rig, mut state) = app_with_nudges("Micro-rest reset");
    let in_call = Surroundings {
        idle: Some(jiff::SignedDuration::ZERO),
        busy: Some(Busy::Camera),
    };
    let effects = receive(
        &mut state,
        Message::Surroundings(in_call),
        &on_monday(21, 30),
    );
    assert_eq!(notified(&effects), None, "nothing during the call");
    assert_eq!(state.surroundings, in_call);
    let effects = receive(
        &mut state,
        Message::Surroundings(Surroundings::default()),
        &on_monday(21, 31),
    );
    assert_eq!(
        notified(&effects).as_deref(),
        Some("Held back while you were busy: a short reset now?")
    );
}

#[test]
fn being_away_for_as_long_as_the_chosen_rest_takes_restarts_the_count() {
    use downshift::practice::reminders::Surroundings;
    let idle = |seconds| Surroundings {
        idle: Some(jiff::SignedDuration::from_secs(seconds)),
        busy: None,
    };
    // The rest chosen is five minutes of cyclic sighing: 200 s without a key is not a rest.
    let (_rig, mut state) = app_with_nudges("Cyclic sighing");
    let effects = receive(
        &mut state,
        Message::Surroundings(idle(200)),
        &on_monday(21, 30),
    );
    assert!(notified(&effects).is_some(), "{effects:?}");
    apply(&mut state, Command::ReminderLater, &on_monday(21, 30));
    // Six minutes away is: what falls due is let go, and the count starts on return.
    let effects = receive(
        &mut state,
        Message::Surroundings(idle(360)),
        &on_monday(21, 45),
    );
    assert_eq!(notified(&effects), None);
    let effects = receive(
        &mut state,
        Message::Surroundings(idle(0)),
        &on_monday(21, 50),
    );
    assert_eq!(notified(&effects), None, "the put-off nudge was let go");
    for minute in [51, 59] {
        let mut effects = Vec::new();
        app::tick(&mut state, &on_monday(21, minute), &mut effects);
        assert_eq!(notified(&effects), None);
    }
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(22, 20), &mut effects);
    assert!(notified(&effects).is_some(), "30 minutes after the return");
}

#[test]
fn reminders_pause_from_the_app_until_the_time_chosen_or_a_resume() {
    let (_rig, mut state) = app_with_nudges("Micro-rest reset");
    let until = today_at(22, 30);
    let effects = apply(
        &mut state,
        Command::PauseReminders(Some(until)),
        &on_monday(21, 10),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WithdrawNotification)))
    );
    assert_eq!(state.reminders.paused_until(), Some(until));
    assert_eq!(
        app::next_reminder_check(&state, &on_monday(21, 10)),
        Some(Duration::from_secs(80 * 60)),
        "the window wakes when the pause ends"
    );
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(21, 30), &mut effects);
    assert_eq!(notified(&effects), None);
    apply(
        &mut state,
        Command::PauseReminders(None),
        &on_monday(21, 40),
    );
    assert_eq!(state.reminders.paused_until(), None);
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(21, 40), &mut effects);
    app::tick(&mut state, &on_monday(22, 9), &mut effects);
    assert_eq!(notified(&effects), None);
    app::tick(&mut state, &on_monday(22, 10), &mut effects);
    assert!(notified(&effects).is_some(), "30 minutes after the resume");
}

/// The app with paced sitting set up: a 60-minute baseline set three weeks ago (nudges every 48
/// minutes), and "Micro-rest reset" rated `earlier` before its sessions 13, 11 and 9 days ago
/// and `recent` 5, 3 and 1 day ago.
fn app_pacing(earlier: u8, recent: u8) -> (Rig, AppState) {
    use downshift::app::kept::{KeptHistory, KeptSession, Names};
    use downshift::practice::reminders::IntervalChange;
    let (rig, mut state) = app(SoundStatus::Off);
    let reminders = &mut state.settings.reminders;
    reminders.micro_rests = true;
    reminders.sit_minutes = Some(60);
    reminders.micro_rest_minutes = 48;
    reminders.pacing_changes = vec![IntervalChange {
        date: day(-21).to_string(),
        from: 60,
        to: 48,
    }];
    let mut names = Names::default();
    let days = [(-13, earlier), (-11, earlier), (-9, earlier)]
        .into_iter()
        .chain([(-5, recent), (-3, recent), (-1, recent)]);
    let sessions = days
        .map(|(days, tension)| {
            let record = downshift::store::SessionRecord {
                version: 1,
                id: format!("rest-{days}"),
                started: StartTime::of(&wall(day(days).at(10, 0, 0, 0))),
                practice: "Micro-rest reset".into(),
                practised: "2 min".into(),
                planned_seconds: 120.0,
                breathed_seconds: 60.0,
                paused_seconds: 0.0,
                breaths: 6,
                end: downshift::store::SessionEnd::Completed,
                tension_before: Some(tension),
                tension_after: Some(tension.saturating_sub(2)),
                heart: None,
                note: String::new(),
                app_version: "test".into(),
            };
            KeptSession::of(&record, &mut names)
        })
        .collect();
    let history = KeptHistory {
        sessions,
        problems: Vec::new(),
        names,
    };
    receive(&mut state, Message::HistoryLoaded(Ok(history)), &at(0));
    state.selected = state
        .library
        .position("Micro-rest reset")
        .expect("built in");
    (rig, state)
}

/// Runs the selected practice for a minute and ends it: the summary is up.
fn one_session(state: &mut AppState) {
    apply(state, Command::Start, &at(10));
    apply(state, Command::EndSession, &at(70));
    assert_eq!(state.screen.kind(), ScreenKind::Summary);
}

#[test]
fn after_a_calm_week_paced_sitting_offers_a_longer_interval_saying_why_and_yes_applies_it() {
    let (_rig, mut state) = app_pacing(4, 4);
    one_session(&mut state);
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary")
    };
    let offer = summary.pacing_offer.clone().expect("an offer");
    assert_eq!((offer.from, offer.to), (48, 53));
    assert!(
        offer.reason.starts_with(
            "A calm week: your tension before micro-rests did not rise over the last 7 days"
        ),
        "{}",
        offer.reason
    );
    let effects = apply(&mut state, Command::AnswerPacing(true), &at(80));
    let reminders = &state.settings.reminders;
    assert_eq!(reminders.micro_rest_minutes, 53);
    let change = reminders.pacing_changes.last().expect("kept");
    assert_eq!(
        (change.date.as_str(), change.from, change.to),
        (TODAY.to_string().as_str(), 48, 53)
    );
    let saved = effects.iter().find_map(|e| match e {
        Effect::Files(FileEffect::SaveSettings(settings)) => {
            Some(settings.reminders.micro_rest_minutes)
        }
        _ => None,
    });
    assert_eq!(saved, Some(53), "saved to settings.ron");
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary")
    };
    assert_eq!(
        summary.offer_answer.as_deref(),
        Some("Micro-rest nudges now come every 53 minutes.")
    );
    // Not asked again the same week.
    apply(&mut state, Command::Dismiss, &at(90));
    one_session(&mut state);
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary")
    };
    assert_eq!(summary.pacing_offer, None);
}

#[test]
fn after_a_rise_in_tension_paced_sitting_offers_a_step_back_and_no_keeps_the_interval() {
    let (_rig, mut state) = app_pacing(3, 6);
    one_session(&mut state);
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary")
    };
    let offer = summary.pacing_offer.clone().expect("an offer");
    assert_eq!((offer.from, offer.to), (48, 41));
    assert!(
        offer.reason.starts_with(
            "Your tension before micro-rests rose this week: 6.0 on average, up from 3.0"
        ),
        "{}",
        offer.reason
    );
    apply(&mut state, Command::AnswerPacing(false), &at(80));
    let reminders = &state.settings.reminders;
    assert_eq!(reminders.micro_rest_minutes, 48);
    assert_eq!(reminders.pacing_changes.len(), 1, "no change kept");
    assert_eq!(
        reminders.pacing_asked.as_deref(),
        Some(TODAY.to_string().as_str())
    );
    // Another practice's session never brings it.
    let (_rig, mut state) = app_pacing(3, 6);
    state.selected = state.library.position("Box 4-4-4-4").expect("built in");
    one_session(&mut state);
    let Screen::Summary(summary) = &state.screen else {
        panic!("the summary")
    };
    assert_eq!(summary.pacing_offer, None);
}

#[test]
fn play_name_with_start_anyway_begins_at_once_in_gentle_mode_keeping_its_minutes() {
    // The command line refused it unless --start-anyway was given; here it was.
    let (_rig, mut state) = app(SoundStatus::Off);
    state.settings.gentle_mode = true;
    let built_in = state
        .library
        .find("4-7-8")
        .expect("built in")
        .practice
        .clone();
    let breathing = downshift::practice::Timeline::new(&built_in)
        .expect("a timeline")
        .breathing_total() as f64
        / 1e6;
    // `play "4-7-8" --minutes 0.5 --start-anyway`.
    let practice = built_in.with_breathing_minutes(0.5, breathing);
    assert_ne!(
        downshift::practice::estimated_seconds(&practice),
        downshift::practice::estimated_seconds(&built_in)
    );
    let planned = downshift::practice::estimated_seconds(&practice);
    let mut effects = Vec::new();
    app::begin_practice(&mut state, practice, &at(1), &mut effects);
    let Screen::Session(live) = &state.screen else {
        panic!("not asked again: it begins")
    };
    assert_eq!(
        downshift::practice::estimated_seconds(live.practice()),
        planned
    );
}

#[test]
fn the_checkin_notification_comes_once_at_its_time_only_when_asked_for_and_not_after_a_checkin() {
    let (_rig, mut state) = app(SoundStatus::Off);
    let informs = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Desktop(DesktopEffect::Inform(text)) if text.contains("check-in")))
            .count()
    };
    let tick = |state: &mut AppState, now: &Now| {
        let mut effects = Vec::new();
        app::tick(state, now, &mut effects);
        effects
    };
    receive(
        &mut state,
        Message::CheckInsLoaded(Ok(Default::default())),
        &at(1),
    );
    assert_eq!(informs(&tick(&mut state, &at(2))), 0, "not asked for");
    state.settings.checkin.notify = true;
    let effects = tick(&mut state, &at(3));
    assert_eq!(informs(&effects), 1);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Files(FileEffect::SaveSettings(s)) if s.checkin.notified_on.is_some())),
        "the day it came is kept, so a restart does not say it again"
    );
    assert_eq!(informs(&tick(&mut state, &at(4))), 0, "once a day");

    // The next day, after a check-in is written, nothing comes.
    let (_rig, mut state) = app(SoundStatus::Off);
    state.settings.checkin.notify = true;
    let written = StartTime::of(&wall(today_at(20, 0)));
    let mut checkin = downshift::store::checkins::CheckIn::new(TODAY, written);
    checkin.pain = Some(3);
    receive(
        &mut state,
        Message::CheckInsLoaded(Ok(downshift::store::checkins::CheckIns {
            entries: vec![checkin],
            problems: Vec::new(),
        })),
        &at(1),
    );
    assert_eq!(informs(&tick(&mut state, &at(2))), 0);
    assert_eq!(app::pain_days::offer(&state, &at(2)), None);
}

#[test]
fn the_checkin_notification_never_comes_before_its_chosen_time_nor_during_a_session() {
    let (_rig, mut state) = app(SoundStatus::Off);
    state.settings.checkin.notify = true;
    state.settings.checkin.from = "19:30".to_owned();
    receive(
        &mut state,
        Message::CheckInsLoaded(Ok(Default::default())),
        &at(1),
    );
    let informs = |state: &mut AppState, hour: i8, minute: i8, mono: u64| {
        let mut effects = Vec::new();
        app::tick(
            state,
            &now_at(today_at(hour, minute), mono * S),
            &mut effects,
        );
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Desktop(DesktopEffect::Inform(text)) if text.contains("check-in")))
            .count()
    };
    for (hour, minute) in [(0, 5), (12, 0), (17, 0), (19, 29)] {
        assert_eq!(
            informs(&mut state, hour, minute, 2),
            0,
            "not at {hour}:{minute:02}, before 19:30"
        );
    }
    // At its time, but in a session: it waits for the session's end.
    apply(&mut state, Command::Start, &now_at(today_at(19, 29), 3 * S));
    assert!(state.is_in_session());
    assert_eq!(informs(&mut state, 19, 30, 4), 0, "not during a session");
    apply(
        &mut state,
        Command::EndSession,
        &now_at(today_at(19, 31), 5 * S),
    );
    apply(
        &mut state,
        Command::Dismiss,
        &now_at(today_at(19, 31), 5 * S),
    );
    assert_eq!(informs(&mut state, 19, 31, 6), 1, "after it");
}

#[test]
fn the_checkins_the_app_keeps_read_as_the_log_does_after_two_additions() {
    use downshift::store::checkins::{CheckIn, append_checkin, load_checkins};
    let (rig, mut state) = app(SoundStatus::Off);
    receive(
        &mut state,
        Message::CheckInsLoaded(Ok(Default::default())),
        &at(1),
    );
    let path = rig.data_dir().checkins_path();
    let written = StartTime::of(&wall(today_at(21, 0)));
    let mut first = CheckIn::new(TODAY, written);
    first.pain = Some(5);
    let mut marks = CheckIn::new(TODAY, written);
    marks.adds_to = Some(first.id.clone());
    marks.offered = vec!["travel".to_owned(), "long sitting".to_owned()];
    marks.marked = vec!["travel".to_owned()];
    marks.note = "a long drive".to_owned();
    let mut more = CheckIn::new(TODAY, written);
    more.adds_to = Some(first.id.clone());
    more.offered = vec!["long sitting".to_owned(), "gardening".to_owned()];
    more.marked = vec!["gardening".to_owned()];
    more.note = "and the hedge".to_owned();
    for checkin in [first, marks, more] {
        append_checkin(&path, &checkin).expect("written");
        receive(
            &mut state,
            Message::CheckInWritten {
                checkin: Box::new(checkin),
                result: Ok(()),
            },
            &at(2),
        );
    }
    let from_the_log = load_checkins(&path).expect("reads");
    assert_eq!(state.checkins.entries(), from_the_log.entries.as_slice());
    let kept = &from_the_log.entries[0];
    assert_eq!(kept.offered, ["travel", "long sitting", "gardening"]);
    assert_eq!(kept.marked, ["travel", "gardening"]);
    assert_eq!(kept.note, "a long drive\nand the hedge");
}

#[test]
fn nudges_shown_started_and_put_off_are_counted_by_day_and_kept_for_what_changed() {
    let (_rig, mut state) = app_with_nudges("Micro-rest reset");
    let today = TODAY;
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(21, 30), &mut effects);
    assert!(notified(&effects).is_some(), "{effects:?}");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Files(FileEffect::SaveReminderDays(days)) if days.nudges(today).is_some())),
        "the count is kept: {effects:?}"
    );
    apply(&mut state, Command::ReminderLater, &on_monday(21, 30));
    // Later with nothing showing counts nothing.
    apply(&mut state, Command::ReminderLater, &on_monday(21, 31));
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(22, 0), &mut effects);
    assert!(notified(&effects).is_some(), "{effects:?}");
    apply(&mut state, Command::ReminderStart, &on_monday(22, 0));
    let nudges = state.reminder_days.nudges(today).expect("counted");
    assert!(nudges.shown >= 2, "{nudges:?}");
    assert_eq!((nudges.started, nudges.later), (1, 1), "{nudges:?}");
    assert_eq!(nudges.skipped(), nudges.shown - 1);
}

#[test]
fn no_reminder_falls_due_before_the_desktop_has_first_said_whether_the_person_is_busy() {
    use downshift::practice::reminders::{Busy, Surroundings};
    let (_rig, mut state) = app_with_nudges("Micro-rest reset");
    let mut effects = Vec::new();
    app::background::follow_desktop(&mut state, &on_monday(21, 30), &mut effects);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WatchSurroundings(true))))
    );
    let mut effects = Vec::new();
    app::tick(&mut state, &on_monday(21, 30), &mut effects);
    assert_eq!(notified(&effects), None, "nothing is known yet");
    // The first reading: do-not-disturb is on. Still nothing, and nothing to take back.
    let dnd = Surroundings {
        idle: Some(jiff::SignedDuration::ZERO),
        busy: Some(Busy::DoNotDisturb),
    };
    let effects = receive(&mut state, Message::Surroundings(dnd), &on_monday(21, 30));
    assert_eq!(notified(&effects), None);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Desktop(DesktopEffect::WithdrawNotification))),
        "nothing was shown to take back: {effects:?}"
    );
    let effects = receive(
        &mut state,
        Message::Surroundings(Surroundings::default()),
        &on_monday(21, 31),
    );
    assert!(notified(&effects).is_some(), "once it is over: {effects:?}");
}
