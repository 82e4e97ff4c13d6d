//! The heart in the window, as a person meets it: a recording replayed into a session (as
//! `play --heart-rate-from` does), its numbers under the orb, its summary in the record, the raw
//! intervals kept only when asked; the resonance test on a synthetic heart with its resonance
//! planted at 5.5 breaths a minute, and the resonance practice set to it; the strap lost and
//! found again mid-session against a stand-in BlueZ; nothing asked of Bluetooth while the strap
//! is off; and Settings' heart rate strap section.

use std::time::{Duration, Instant};

use downshift::app::screen::{Screen, Standing};
use downshift::app::{Command, STRAP_LOST};
use downshift::practice::MICROS_PER_SECOND as S;
use downshift::practice::heart::{Contact, Recording, encode_measurement, test_practice};
use downshift::store::rr_file::read_rr_file;
use downshift::store::{Library, SessionRecord, load_history};
use downshift::ui::{DownshiftApp, StartRequest};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::{Harness, SnapshotResults};

mod common;
use common::app::{HarnessExt, Rig, SIZE};
use common::bluez::{STRAP, StandIn};
use common::bus::Bus;
use common::heart::{Heart, record};

/// The synthetic recording in the repository, resonance planted at 5.5.
fn fixture() -> Recording {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/heart/resonance-5.5.rr"
    );
    Recording {
        name: "resonance-5.5.rr".to_owned(),
        rr_ms: read_rr_file(std::path::Path::new(path)).expect("the fixture reads"),
    }
}

fn practice(name: &str) -> downshift::practice::Practice {
    Library::built_in()
        .find(name)
        .expect("built in")
        .practice
        .clone()
}

/// `downshift play "Extended exhale 4-6" --heart-rate-from resonance-5.5.rr`, muted.
fn playing(recording: Recording) -> StartRequest {
    StartRequest {
        practice: practice("Extended exhale 4-6"),
        muted: true,
        heart_recording: Some(recording),
    }
}

/// The clock moves on `seconds`, `step` at a time, a frame each.
fn breathe(rig: &Rig, harness: &mut Harness<'static, DownshiftApp>, seconds: u64, step: u64) {
    for _ in 0..seconds / step {
        rig.advance(step * S);
        harness.step();
    }
}

/// How many of the recording's beats have fallen due `seconds` after it began.
fn beats_due(rr_ms: &[f64], seconds: f64) -> u32 {
    let mut elapsed = 0.0;
    rr_ms
        .iter()
        .take_while(|rr| {
            elapsed += **rr;
            elapsed <= seconds * 1000.0
        })
        .count() as u32
}

fn only_record(rig: &Rig) -> SessionRecord {
    let history = load_history(&rig.data_dir().history_path()).expect("history reads");
    assert_eq!(history.records.len(), 1, "{:?}", history.problems);
    history.records[0].clone()
}

/// The number after `word ` in `text` ("swing 6.3 a breath" → 6.3).
fn number_after(text: &str, word: &str) -> f64 {
    let at = text
        .find(&format!("{word} "))
        .unwrap_or_else(|| panic!("{word} in {text:?}"));
    text[at + word.len() + 1..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number after {word} in {text:?}"))
}

/// The words of the label that holds `part` (a label keeps them as its value).
fn words_with(harness: &Harness<'static, DownshiftApp>, part: &str) -> String {
    harness
        .get_by_label_contains(part)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

fn heart_line(harness: &Harness<'static, DownshiftApp>) -> String {
    words_with(harness, "Heart ")
}

#[test]
fn a_replayed_recording_is_shown_under_the_orb_and_summed_up_in_the_record() {
    let rig = Rig::new();
    let recording = fixture();
    let mut harness = rig.window().play(playing(recording.clone())).open();
    harness.run();
    assert!(harness.state().is_in_session());
    harness.get_by_label("Heart: the first beats are coming…");

    breathe(&rig, &mut harness, 60, 1);
    let line = heart_line(&harness);
    let rate = number_after(&line, "Heart");
    let swing = number_after(&line, "swing");
    // The recording's first two minutes: about 65 a minute, swinging about 6 a breath at 6.5
    // breaths a minute (`heart analyze` finds 6.1 over the whole step).
    assert!((60.0..=70.0).contains(&rate), "{line}");
    assert!((3.0..=10.0).contains(&swing), "{line}");
    // Nothing of the heart is announced (it changes with every beat).
    let announced = harness
        .state()
        .announcement()
        .unwrap_or_default()
        .to_owned();
    assert!(!announced.contains("Heart"), "{announced}");

    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Saved to your history.");
    let summary = words_with(&harness, "a minute on average");
    assert!(summary.contains("swing"), "{summary}");

    let heart = only_record(&rig).heart.expect("the heart in the record");
    assert_eq!(
        heart.clean_beats + heart.dropped_beats,
        beats_due(&recording.rr_ms, 60.0),
        "every beat due in the minute, judged"
    );
    assert!((60.0..=70.0).contains(&heart.mean_heart_rate), "{heart:?}");
    assert!(
        heart.mean_swing.is_some() && heart.rmssd.is_some(),
        "{heart:?}"
    );
    assert!(
        !rig.data_dir().heart_dir().exists(),
        "no raw file unless asked for"
    );
}

#[test]
fn the_raw_intervals_are_kept_as_they_come_only_when_asked() {
    let rig = Rig::returning("(ask_tension: false, heart_strap: (keep_raw_intervals: true))");
    let recording = fixture();
    let mut harness = rig.window().play(playing(recording.clone())).open();
    harness.run();
    breathe(&rig, &mut harness, 12, 1);
    // Written as they come (with each checkpoint), not only at the end.
    let files: Vec<_> = std::fs::read_dir(rig.data_dir().heart_dir())
        .expect("the heart folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let so_far = read_rr_file(&files[0]).expect("reads as heart analyze reads it");
    assert!(!so_far.is_empty() && so_far.len() < 12, "{so_far:?}");

    breathe(&rig, &mut harness, 28, 1);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let record = only_record(&rig);
    assert_eq!(
        files[0],
        rig.data_dir().heart_dir().join(format!("{}.rr", record.id)),
        "named by the record"
    );
    let kept = read_rr_file(&files[0]).expect("reads");
    let due = beats_due(&recording.rr_ms, 40.0) as usize;
    assert_eq!(kept, recording.rr_ms[..due], "every interval, as it came");
    let text = std::fs::read_to_string(&files[0]).expect("text");
    assert!(text.starts_with("# downshift"), "{text}");
    assert!(text.contains("Extended exhale 4-6"), "{text}");
}

#[test]
fn the_live_view_looks_as_it_should() {
    let mut results = SnapshotResults::new();
    for (size, name) in [
        (SIZE, "heart-live-Evening"),
        ([720.0, 650.0], "heart-live-Evening-small"),
    ] {
        let rig = Rig::returning("(ask_tension: false, heart_strap: (show_trace: true))");
        let mut harness = rig
            .window()
            .size(size)
            .render_cursor(false)
            .play(playing(fixture()))
            .open();
        harness.run();
        breathe(&rig, &mut harness, 44, 1);
        rig.advance(S / 2);
        harness.run_steps(3);
        harness.get_by_label_contains("swing");
        harness.get_by_label("Heart rate against the breath, the last half minute");
        results.add(harness.try_snapshot(name));
    }
    results.unwrap();
}

/// A synthetic heart for the test as the window paces it: its resonance planted at 5.5.
fn planted_at_5_5() -> Recording {
    let heart = Heart::resonant_at_5_5(7);
    Recording {
        name: "synthetic".to_owned(),
        rr_ms: record(&heart).rr_ms,
    }
}

/// The resonance test begun (safety note's words first), on `recording`.
fn begin_test(rig: &Rig, recording: Recording) -> Harness<'static, DownshiftApp> {
    let mut harness = rig
        .window()
        .render_cursor(false)
        .before_first_frame(move |app| {
            app.replay_heart(recording);
            app.apply(Command::StartResonanceTest);
        })
        .open();
    harness.run();
    harness.get_by_label_contains("The resonance test paces five rates");
    harness.get_by_label_contains("Breathe softly, never forcing");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.state().is_in_session(), "no question before a test");
    harness
}

fn result_screen<'h>(
    harness: &'h Harness<'static, DownshiftApp>,
) -> &'h downshift::app::screen::ResonanceScreen {
    match &harness.state().state().screen {
        Screen::Resonance(result) => result,
        _ => panic!("not the resonance test's result"),
    }
}

#[test]
fn the_resonance_test_finds_the_rate_planted_and_sets_the_resonance_practice_to_it() {
    // Asked how tense before and after sessions: a test is not asked.
    let rig = Rig::returning("(ask_tension: true)");
    let mut harness = begin_test(&rig, planted_at_5_5());
    let total = downshift::practice::Timeline::new(&test_practice())
        .expect("valid")
        .total();
    breathe(&rig, &mut harness, total.div_ceil(S) + 2, 2);
    harness.run();
    let result = result_screen(&harness).clone();
    assert_eq!(result.best, Some(5.5), "{result:#?}");
    assert!(!result.stopped_early);
    let ranks: Vec<(f64, Standing)> = result
        .rows
        .iter()
        .map(|r| (r.rate, r.standing.clone()))
        .collect();
    assert_eq!(ranks[2], (5.5, Standing::Ranked(1)), "{ranks:?}");
    assert!(
        ranks
            .iter()
            .all(|(_, standing)| matches!(standing, Standing::Ranked(_))),
        "every rate breathed whole and clean: {ranks:?}"
    );
    // The swing found at each rate, against the one planted (16 at 5.5, 11.1 at 5 and 6, 5.8
    // at 4.5 and 6.5): within 10 % and 1.5 beats a minute, as the analysis is tested.
    let heart = Heart::resonant_at_5_5(7);
    for row in &result.rows {
        let planted = heart.swing_at(row.rate);
        let found = row.swing.expect("a swing");
        assert!(
            (found - planted).abs() <= 0.1 * planted + 1.5,
            "{}: found {found:.1}, planted {planted:.1}",
            row.rate
        );
        assert!(row.lf_power.is_some() && row.clean_beats > 100, "{row:?}");
    }
    harness.get_by_label("5.5 breaths a minute");
    harness.get_by_label_contains("Best: 5.5 breaths a minute");
    harness.get_by_label("Saved to your history.");
    assert!(
        harness
            .state()
            .announcement()
            .is_some_and(|a| a.starts_with("Your resonance test. Best: 5.5")),
        "{:?}",
        harness.state().announcement()
    );
    let mut results = SnapshotResults::new();
    harness.remove_cursor();
    harness.run_steps(2);
    results.add(harness.try_snapshot("resonance-result-Evening"));

    let record = only_record(&rig);
    assert_eq!(record.practice, "Resonance test");
    assert!(record.completed());
    assert_eq!(record.tension_before, None);
    assert!(record.heart.is_some());

    harness.get_by_label("Set Resonance 5-5").click();
    harness.run();
    harness.get_by_label_contains("Resonance 5-5 now breathes 5.5 times a minute");
    let library = Library::load(Some(&rig.data_dir().presets_dir()));
    let set = library.find("Resonance 5-5").expect("there");
    assert!(
        matches!(
            set.origin,
            downshift::store::Origin::User {
                customises: true,
                ..
            }
        ),
        "a preset of one's own customising the built-in"
    );
    for block in set.practice.breathe_blocks() {
        assert_eq!((block.pattern.inhale, block.pattern.exhale), (5.5, 5.4));
        assert_eq!(block.minutes, Some(10.0), "as long as before");
    }
    assert!(set.practice.description.contains("5.5 breaths a minute"));
    harness.get_by_label("Done").click();
    harness.run();
    harness.get_by_label_contains("Resonance 5-5 · customised");
    results.unwrap();
}

#[test]
fn a_test_stopped_early_ranks_only_the_rates_breathed_whole_and_says_so() {
    let rig = Rig::new();
    let mut harness = begin_test(&rig, planted_at_5_5());
    // Two rates and a half.
    breathe(&rig, &mut harness, 300, 2);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let result = result_screen(&harness).clone();
    assert!(result.stopped_early);
    let standings: Vec<Standing> = result.rows.iter().map(|r| r.standing.clone()).collect();
    assert!(matches!(standings[0], Standing::Ranked(_)), "{standings:?}");
    assert!(matches!(standings[1], Standing::Ranked(_)), "{standings:?}");
    assert!(
        standings[2..].iter().all(|s| *s == Standing::NotWhole),
        "{standings:?}"
    );
    harness.get_by_label_contains("only the 2 rates breathed whole are ranked");
    assert_eq!(harness.query_all_by_label("not breathed whole").count(), 3);
    assert_eq!(
        only_record(&rig).end,
        downshift::store::SessionEnd::EndedEarly { step: 3 }
    );

    // Stopped in the first rate: nothing ranked, and nothing offered.
    let rig = Rig::new();
    let mut harness = begin_test(&rig, planted_at_5_5());
    breathe(&rig, &mut harness, 100, 2);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let result = result_screen(&harness).clone();
    assert_eq!(result.best, None);
    assert!(result.offer.is_none());
    harness.get_by_label_contains("Nothing could be ranked");
}

#[test]
fn a_step_with_too_few_clean_beats_is_said_so_instead_of_ranked() {
    // The strap lost contact for most of the third rate: there it sent intervals no heart
    // makes (three beats' time at once), so the time is kept but 5.5's beats are nonsense.
    let planted = planted_at_5_5();
    let mut recording = Recording {
        rr_ms: Vec::new(),
        ..planted.clone()
    };
    let mut elapsed = 0.0;
    let mut lumped = 0.0;
    for rr in planted.rr_ms {
        elapsed += rr;
        if (250_000.0..330_000.0).contains(&elapsed) {
            lumped += rr;
            if lumped > 2_500.0 {
                recording.rr_ms.push(lumped);
                lumped = 0.0;
            }
        } else {
            recording.rr_ms.push(rr + lumped);
            lumped = 0.0;
        }
    }
    let rig = Rig::new();
    let mut harness = begin_test(&rig, recording);
    breathe(&rig, &mut harness, 602, 2);
    harness.run();
    let result = result_screen(&harness).clone();
    assert!(
        matches!(result.rows[2].standing, Standing::TooFewCleanBeats(_)),
        "{:?}",
        result.rows[2]
    );
    assert_ne!(result.best, Some(5.5));
    harness.get_by_label_contains("5.5: too few clean beats");
}

/// Steps frames until `ready`, in real time: a stand-in BlueZ answers on its own thread.
fn wait_for(
    harness: &mut Harness<'static, DownshiftApp>,
    what: &str,
    mut ready: impl FnMut(&Harness<'static, DownshiftApp>) -> bool,
) {
    let deadline = Instant::now() + common::PATIENCE;
    while Instant::now() < deadline {
        harness.step();
        if ready(harness) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let picture = harness
        .screenshot(&format!("waiting for {what}"))
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    panic!("{what}: not within {:?} ({picture})", common::PATIENCE);
}

/// The live session's heart: how many intervals have come.
fn received(harness: &Harness<'static, DownshiftApp>) -> usize {
    match &harness.state().state().screen {
        Screen::Session(live) => live.heart().map_or(0, |h| h.received()),
        _ => 0,
    }
}

const CHOSEN: &str = "(ask_tension: false, heart_strap: (on: true, address: \
                      Some(\"A0:9E:1A:12:34:56\"), name: Some(\"Polar H10 1234ABCD\")))";

/// The strap sends `count` beats a second apart (1024/1024 s), each stamped by the app's clock.
fn beats(
    rig: &Rig,
    harness: &mut Harness<'static, DownshiftApp>,
    stand_in: &StandIn,
    count: usize,
) {
    for _ in 0..count {
        rig.advance(S);
        let before = received(harness);
        stand_in.notify(encode_measurement(60, Contact::Touching, None, &[1024]));
        wait_for(harness, "the beat in the session", |h| received(h) > before);
    }
}

#[test]
fn a_strap_lost_mid_session_is_said_calmly_and_the_session_goes_on_and_is_recorded() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    stand_in.add_strap();
    let rig = Rig::returning(CHOSEN);
    let mut harness = rig.window().bluetooth_bus(&bus.address).open();
    let index = harness
        .state()
        .state()
        .library
        .position("Extended exhale 4-6")
        .expect("built in");
    harness.state_mut().apply(Command::Select(index));
    harness.state_mut().apply(Command::Start);
    harness.run();
    wait_for(&mut harness, "the strap connected", |h| {
        h.query_by_label("Heart: the first beats are coming…")
            .is_some()
    });
    assert_eq!(stand_in.world.count("StartNotify"), 1);

    beats(&rig, &mut harness, &stand_in, 15);
    harness.run();
    let line = heart_line(&harness);
    assert_eq!(number_after(&line, "Heart"), 60.0, "{line}");

    stand_in.strap_vanishes();
    wait_for(&mut harness, "the notice", |h| {
        h.query_by_label(STRAP_LOST).is_some()
    });
    harness.get_by_label("Heart: the strap is out of reach");
    // The pacer goes on: ten seconds on, the breath has moved on with the clock.
    let before = match &harness.state().state().screen {
        Screen::Session(live) => live.moment(rig.clock.mono()).breaths_completed,
        _ => panic!("the session goes on"),
    };
    breathe(&rig, &mut harness, 10, 1);
    assert!(harness.state().is_in_session());
    match &harness.state().state().screen {
        Screen::Session(live) => {
            assert_eq!(live.moment(rig.clock.mono()).breaths_completed, before + 1)
        }
        _ => panic!("the session goes on"),
    }

    stand_in.strap_returns();
    wait_for(&mut harness, "the notice withdrawn", |h| {
        h.query_by_label(STRAP_LOST).is_none()
    });
    assert_eq!(stand_in.world.count("StartNotify"), 2);
    beats(&rig, &mut harness, &stand_in, 10);

    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Saved to your history.");
    let heart = only_record(&rig).heart.expect("the heart in the record");
    assert_eq!(heart.mean_heart_rate, 60.0);
    assert!(heart.clean_beats >= 20, "{heart:?}");
    // Let go at the session's end: notifications off, the connection it made closed.
    common::eventually("the strap let go", common::PATIENCE, || {
        (stand_in.world.count("StopNotify") >= 1 && stand_in.world.count("Disconnect") >= 1)
            .then_some(())
    });
}

/// The names on the private bus that are not the bus's own.
fn clients(bus: &Bus) -> Vec<String> {
    async_io::block_on(async {
        let connection = zbus::connection::Builder::address(bus.address.as_str())?
            .build()
            .await?;
        let names = zbus::fdo::DBusProxy::new(&connection)
            .await?
            .list_names()
            .await?;
        zbus::Result::Ok(
            names
                .into_iter()
                .map(|n| n.to_string())
                .filter(|n| n != "org.freedesktop.DBus")
                .collect(),
        )
    })
    .expect("the bus answers")
}

#[test]
fn with_the_strap_off_nothing_at_all_is_asked_of_bluetooth() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    stand_in.add_strap();
    // A strap was chosen once, then switched off.
    let rig = Rig::returning(&CHOSEN.replace("on: true", "on: false"));
    let mut harness = rig.window().bluetooth_bus(&bus.address).open();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(harness.state().is_in_session());
    breathe(&rig, &mut harness, 20, 1);
    assert!(
        harness.query_by_label_contains("Heart").is_none(),
        "no heart under the orb"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(only_record(&rig).heart, None);
    harness.get_by_label("Done").click();
    harness.run();
    harness.get_by_label("Settings").click();
    harness.run();
    harness.get_by_label_contains("nothing at all is asked of Bluetooth");
    harness.key_press(egui::Key::Escape);
    harness.run();
    // downshift is not even on the bus (the stand-in and this look are the only ones there),
    // so no call can be on its way, and none came.
    let on_the_bus = clients(&bus);
    assert_eq!(
        stand_in.world.calls.lock().expect("calls").clone(),
        Vec::<String>::new()
    );
    assert_eq!(
        on_the_bus.iter().filter(|n| n.starts_with(':')).count(),
        2,
        "{on_the_bus:?}"
    );

    // The same window reaches the stand-in once the strap is switched on: the silence above
    // was the setting's doing.
    harness.get_by_label("Settings").click();
    harness.run();
    let switch = harness.get_by_label("Use a heart rate strap (Bluetooth chest strap)");
    switch.focus();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Look for straps").focus();
    harness.key_press(egui::Key::Space);
    harness.run();
    wait_for(&mut harness, "the look for straps", |_| {
        stand_in.world.count("StartDiscovery") >= 1
    });
}

#[test]
fn settings_look_for_straps_pick_one_and_forget_it_from_the_keyboard() {
    let mut results = SnapshotResults::new();
    look_pick_and_forget(SIZE, "settings-strap-found-Evening", &mut results);
    // At the small size the section scrolls with the rest of Settings, and all of it works.
    look_pick_and_forget(
        [720.0, 650.0],
        "settings-strap-found-Evening-small",
        &mut results,
    );
    results.unwrap();
}

fn look_pick_and_forget(size: [f32; 2], snapshot: &str, results: &mut SnapshotResults) {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    let rig = Rig::new();
    let mut harness = rig
        .window()
        .size(size)
        .bluetooth_bus(&bus.address)
        .render_cursor(false)
        .open();
    harness.get_by_label("Settings").click();
    harness.run();
    harness.get_by_label_contains("Off. With a strap");
    let disabled = harness.query_by_label("Find your resonance rate (a 10-minute test)");
    assert!(disabled.is_none(), "not offered while off");

    // Switched on with none chosen: it looks at once.
    harness
        .get_by_label("Use a heart rate strap (Bluetooth chest strap)")
        .focus();
    harness.key_press(egui::Key::Space);
    harness.run();
    wait_for(&mut harness, "looking", |h| {
        h.query_by_label_contains("Looking for straps nearby")
            .is_some()
            && stand_in.world.count("StartDiscovery") == 1
    });
    harness.get_by_label("Stop looking");
    let test = harness.get_by_label("Find your resonance rate (a 10-minute test)");
    assert!(
        test.accesskit_node().is_disabled(),
        "the test needs a strap chosen"
    );
    harness.get_by_label_contains("The resonance test needs the strap");

    stand_in.add_strap();
    wait_for(&mut harness, "the strap listed", |h| {
        h.query_by_label("Use Polar H10 1234ABCD (strong signal, -60 dBm)")
            .is_some()
    });
    harness.get_by_label_contains("Found one strap nearby");
    harness
        .get_by_label("Use Polar H10 1234ABCD (strong signal, -60 dBm)")
        .scroll_to_me();
    harness.run_steps(3);
    results.add(harness.try_snapshot(snapshot));
    harness
        .get_by_label("Use Polar H10 1234ABCD (strong signal, -60 dBm)")
        .focus();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label("Chosen: Polar H10 1234ABCD");
    harness
        .get_by_label_contains("Polar H10 1234ABCD is chosen; it connects when a session begins");
    assert!(
        !harness
            .get_by_label("Find your resonance rate (a 10-minute test)")
            .accesskit_node()
            .is_disabled()
    );
    wait_for(&mut harness, "the look stopped", |_| {
        stand_in.world.count("StopDiscovery") >= 1
    });

    harness.get_by_label("Forget this strap").focus();
    harness.key_press(egui::Key::Space);
    harness.run();
    harness.get_by_label_contains("No strap is chosen yet");
    assert!(
        harness
            .query_by_label("Chosen: Polar H10 1234ABCD")
            .is_none()
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    let settings = std::fs::read_to_string(rig.data_dir().settings_path()).expect("saved");
    assert!(settings.contains("on: true"), "{settings}");
    assert!(!settings.contains(STRAP), "forgotten: {settings}");
}

#[test]
fn settings_say_plainly_when_bluetooth_is_off_or_absent() {
    // An adapter switched off.
    let bus = Bus::start();
    let _stand_in = StandIn::start(&bus, Some(false));
    let rig = Rig::returning("(ask_tension: false, heart_strap: (on: true))");
    let mut harness = rig.window().bluetooth_bus(&bus.address).open();
    harness.get_by_label("Settings").click();
    harness.run();
    harness.get_by_label("Look for straps").focus();
    harness.key_press(egui::Key::Space);
    wait_for(&mut harness, "switched off, said", |h| {
        h.query_by_label(downshift::desktop::heart_strap::SWITCHED_OFF)
            .is_some()
    });

    // No BlueZ at all.
    let bus = Bus::start();
    let mut harness = rig.window().bluetooth_bus(&bus.address).open();
    harness.get_by_label("Settings").click();
    harness.run();
    harness.get_by_label("Look for straps").focus();
    harness.key_press(egui::Key::Space);
    wait_for(&mut harness, "no BlueZ, said", |h| {
        h.query_by_label(downshift::desktop::heart_strap::NOT_RUNNING)
            .is_some()
    });
    // Everything else as before: a session runs and is recorded.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(harness.state().is_in_session());
}
