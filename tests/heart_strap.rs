//! The heart rate strap over Bluetooth, against a stand-in BlueZ (`org.bluez`: an adapter, a
//! strap with its Heart Rate service and measurement characteristic, notifications) on a
//! private bus: finding straps, connecting, measurements arriving, the strap vanishing
//! mid-stream and coming back, a strap with no beat-to-beat intervals, StartNotify refused,
//! Bluetooth off, no adapter, and no BlueZ at all.
#![cfg(target_os = "linux")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use common::bluez::{STRAP, StandIn};
use common::bus::Bus;
use downshift::desktop::heart_strap::{
    HEART_RATE_SERVICE, HeartEvent, HeartStrap, NO_ADAPTER, NOT_RUNNING, SWITCHED_OFF, ScanEvent,
    StrapDevice, StrapOptions, StrapScan,
};
use downshift::practice::heart::{Contact, encode_measurement};

/// Options for the private bus, a quick retry, and a clock the test sets.
fn options(bus: &Bus, clock: &Arc<AtomicU64>, wakes: &Arc<AtomicUsize>) -> StrapOptions {
    let clock = Arc::clone(clock);
    let wakes = Arc::clone(wakes);
    StrapOptions {
        bus: Some(bus.address.clone()),
        retry: Duration::from_millis(100),
        patience: Duration::from_secs(10),
        clock: Arc::new(move || clock.load(Ordering::SeqCst)),
        wake: Arc::new(move || {
            wakes.fetch_add(1, Ordering::SeqCst);
        }),
    }
}

/// The strap's events until one `wanted` accepts (within the tests' patience), that one last.
fn events_until(
    strap: &HeartStrap,
    what: &str,
    wanted: impl Fn(&HeartEvent) -> bool,
) -> Vec<HeartEvent> {
    let mut seen = Vec::new();
    common::eventually(what, common::PATIENCE, || {
        while let Some(event) = strap.try_event() {
            let done = wanted(&event);
            seen.push(event);
            if done {
                return Some(());
            }
        }
        None
    });
    seen
}

fn is_beats(event: &HeartEvent) -> bool {
    matches!(event, HeartEvent::Beats { .. })
}

fn connected_strap(
    stand_in: &StandIn,
    bus: &Bus,
) -> (HeartStrap, Arc<AtomicU64>, Arc<AtomicUsize>) {
    connected_strap_with(stand_in, bus, Duration::from_millis(100))
}

fn connected_strap_with(
    stand_in: &StandIn,
    bus: &Bus,
    retry: Duration,
) -> (HeartStrap, Arc<AtomicU64>, Arc<AtomicUsize>) {
    stand_in.add_strap();
    let clock = Arc::new(AtomicU64::new(1_000_000));
    let wakes = Arc::new(AtomicUsize::new(0));
    let strap = HeartStrap::connect(
        STRAP,
        StrapOptions {
            retry,
            ..options(bus, &clock, &wakes)
        },
    );
    let seen = events_until(&strap, "the strap connected", |e| {
        matches!(e, HeartEvent::Connected { .. })
    });
    assert_eq!(
        seen.last(),
        Some(&HeartEvent::Connected {
            name: "Polar H10 1234ABCD".into()
        }),
        "{seen:?}"
    );
    (strap, clock, wakes)
}

#[test]
fn straps_nearby_are_found_strongest_first_and_nothing_else() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    stand_in.add_device(
        "11:22:33:44:55:66",
        "Headphones",
        &["0000110b-0000-1000-8000-00805f9b34fb"],
        -30,
    );
    stand_in.add_strap();
    let clock = Arc::new(AtomicU64::new(0));
    let wakes = Arc::new(AtomicUsize::new(0));
    let scan = StrapScan::start(options(&bus, &clock, &wakes));
    let polar = StrapDevice {
        address: STRAP.into(),
        name: Some("Polar H10 1234ABCD".into()),
        rssi: Some(-60),
    };
    common::eventually("the strap listed", common::PATIENCE, || {
        match scan.try_event() {
            Some(ScanEvent::Devices(found)) if found == [polar.clone()] => Some(()),
            Some(ScanEvent::Problem(words)) => panic!("{words}"),
            _ => None,
        }
    });
    assert_eq!(stand_in.world.count("StartDiscovery"), 1);
    let filter = stand_in
        .world
        .filter
        .lock()
        .expect("filter")
        .clone()
        .expect("a filter");
    let uuids =
        Vec::<String>::try_from(filter["UUIDs"].try_clone().expect("clone")).expect("UUIDs");
    assert_eq!(uuids, [HEART_RATE_SERVICE]);
    assert_eq!(
        String::try_from(filter["Transport"].try_clone().expect("clone")).expect("text"),
        "le"
    );

    // A second strap appears, nearer.
    stand_in.add_device(
        "C0:FF:EE:00:11:22",
        "Wahoo TICKR",
        &[HEART_RATE_SERVICE],
        -45,
    );
    let found = common::eventually("the second strap", common::PATIENCE, || {
        match scan.try_event() {
            Some(ScanEvent::Devices(found)) if found.len() == 2 => Some(found),
            _ => None,
        }
    });
    assert_eq!(found[0].name.as_deref(), Some("Wahoo TICKR"));
    assert_eq!(found[1], polar);
    assert!(wakes.load(Ordering::SeqCst) >= 2);

    scan.stop(common::PATIENCE);
    assert_eq!(
        stand_in.world.count("StopDiscovery"),
        1,
        "the scan stopped looking"
    );
}

#[test]
fn a_connected_strap_sends_measurements_that_are_read() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    let (strap, clock, wakes) = connected_strap(&stand_in, &bus);
    assert_eq!(stand_in.world.count("Connect"), 1);
    assert_eq!(stand_in.world.count("StartNotify"), 1);

    clock.store(7_000_000, Ordering::SeqCst);
    stand_in.notify(encode_measurement(
        64,
        Contact::Touching,
        Some(12),
        &[1024, 980],
    ));
    let seen = events_until(&strap, "a measurement", is_beats);
    assert_eq!(
        seen.last(),
        Some(&HeartEvent::Beats {
            at: 7_000_000,
            heart_rate: 64,
            contact: Contact::Touching,
            rr_ms: vec![1000.0, 957.03125],
        })
    );
    assert!(wakes.load(Ordering::SeqCst) >= 2, "the window was woken");

    // A measurement that does not read is said once and left out; the next reads.
    stand_in.notify(vec![0x10, 70]);
    stand_in.notify(vec![0x10, 70, 1]);
    stand_in.notify(encode_measurement(300, Contact::NotTouching, None, &[512]));
    let seen = events_until(&strap, "the next measurement", is_beats);
    let problems: Vec<&HeartEvent> = seen
        .iter()
        .filter(|e| matches!(e, HeartEvent::Problem(_)))
        .collect();
    assert_eq!(problems.len(), 1, "{seen:?}");
    match problems[0] {
        HeartEvent::Problem(words) => assert!(words.contains("cannot read"), "{words}"),
        _ => unreachable!(),
    }
    match seen.last() {
        Some(HeartEvent::Beats {
            heart_rate,
            contact,
            rr_ms,
            ..
        }) => {
            assert_eq!(
                (*heart_rate, *contact, rr_ms.as_slice()),
                (300, Contact::NotTouching, &[500.0][..])
            );
        }
        other => panic!("{other:?}"),
    }

    strap.stop(common::PATIENCE);
    assert_eq!(stand_in.world.count("StopNotify"), 1);
    assert_eq!(
        stand_in.world.count("Disconnect"),
        1,
        "the connection it made is closed"
    );
}

#[test]
fn a_strap_lost_mid_stream_is_said_once_and_found_again() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    // Retries far apart: the strap is found again because BlueZ says it is back, not because
    // a retry came round.
    let (strap, _clock, _wakes) = connected_strap_with(&stand_in, &bus, Duration::from_secs(600));
    stand_in.notify(encode_measurement(60, Contact::Touching, None, &[1024]));
    events_until(&strap, "a measurement", is_beats);

    stand_in.strap_vanishes();
    let seen = events_until(&strap, "the strap lost", |e| {
        matches!(e, HeartEvent::Lost { .. })
    });
    assert!(
        seen.iter().all(|e| !matches!(e, HeartEvent::Problem(_))),
        "{seen:?}"
    );
    // While it is away, downshift looks for it.
    common::eventually("discovery while away", common::PATIENCE, || {
        (stand_in.world.count("StartDiscovery") >= 1).then_some(())
    });

    stand_in.strap_returns();
    let seen = events_until(&strap, "the strap back", |e| *e == HeartEvent::Back);
    assert!(
        seen.iter()
            .all(|e| !matches!(e, HeartEvent::Lost { .. } | HeartEvent::Problem(_))),
        "lost was said once, and nothing else while away: {seen:?}"
    );
    assert_eq!(stand_in.world.count("StartNotify"), 2);
    assert!(
        stand_in.world.count("StopDiscovery") >= 1,
        "it stopped looking once found"
    );
    stand_in.notify(encode_measurement(61, Contact::Touching, None, &[1000]));
    let seen = events_until(&strap, "a measurement after", is_beats);
    match seen.last() {
        Some(HeartEvent::Beats { heart_rate, .. }) => assert_eq!(*heart_rate, 61),
        other => panic!("{other:?}"),
    }
    strap.stop(common::PATIENCE);
}

#[test]
fn a_strap_that_sends_no_intervals_is_said_plainly() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    let (strap, _clock, _wakes) = connected_strap(&stand_in, &bus);
    for _ in 0..4 {
        stand_in.notify(encode_measurement(72, Contact::Unknown, None, &[]));
    }
    let mut seen = Vec::new();
    for n in 0..4 {
        seen.extend(events_until(&strap, &format!("measurement {n}"), is_beats));
    }
    assert!(
        !seen.contains(&HeartEvent::HeartRateOnly),
        "four prove nothing: {seen:?}"
    );
    stand_in.notify(encode_measurement(72, Contact::Unknown, None, &[]));
    let seen = events_until(&strap, "heart rate only", |e| {
        *e == HeartEvent::HeartRateOnly
    });
    assert!(
        seen.iter().any(
            |e| matches!(e, HeartEvent::Beats { heart_rate: 72, rr_ms, .. } if rr_ms.is_empty())
        ),
        "the rate still comes: {seen:?}"
    );
    assert!(downshift::desktop::heart_strap::RATE_ONLY.contains("heart rate only"));
    strap.stop(common::PATIENCE);
}

#[test]
fn start_notify_refused_is_said_plainly() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    stand_in.world.refuse_notify.store(true, Ordering::SeqCst);
    stand_in.add_strap();
    let clock = Arc::new(AtomicU64::new(0));
    let wakes = Arc::new(AtomicUsize::new(0));
    let strap = HeartStrap::connect(STRAP, options(&bus, &clock, &wakes));
    let seen = events_until(&strap, "the refusal", |e| {
        matches!(e, HeartEvent::Problem(_))
    });
    match seen.last() {
        Some(HeartEvent::Problem(words)) => {
            assert!(
                words.contains("did not agree to send its heart rate"),
                "{words}"
            );
            assert!(words.contains("NotPermitted"), "{words}");
            assert!(words.starts_with("Polar H10 1234ABCD"), "{words}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, HeartEvent::Connected { .. })),
        "{seen:?}"
    );
    // It keeps trying, and says it again only if something changes.
    common::eventually("a second try", common::PATIENCE, || {
        (stand_in.world.count("StartNotify") >= 2).then_some(())
    });
    assert_eq!(strap.try_event(), None);
    strap.stop(common::PATIENCE);
}

/// The first problem a strap and a scan report.
fn first_problems(bus: &Bus) -> (String, String) {
    let clock = Arc::new(AtomicU64::new(0));
    let wakes = Arc::new(AtomicUsize::new(0));
    let strap = HeartStrap::connect(STRAP, options(bus, &clock, &wakes));
    let seen = events_until(&strap, "a problem", |e| matches!(e, HeartEvent::Problem(_)));
    let Some(HeartEvent::Problem(from_strap)) = seen.last().cloned() else {
        panic!("{seen:?}")
    };
    let scan = StrapScan::start(options(bus, &clock, &wakes));
    let from_scan = common::eventually("the scan's problem", common::PATIENCE, || {
        match scan.try_event() {
            Some(ScanEvent::Problem(words)) => Some(words),
            Some(other) => panic!("{other:?}"),
            None => None,
        }
    });
    strap.stop(common::PATIENCE);
    scan.stop(common::PATIENCE);
    (from_strap, from_scan)
}

#[test]
fn without_bluez_it_says_bluetooth_is_not_available() {
    let bus = Bus::start();
    let (strap, scan) = first_problems(&bus);
    assert_eq!(strap, NOT_RUNNING);
    assert_eq!(scan, NOT_RUNNING);
}

#[test]
fn no_adapter_and_bluetooth_off_are_said_plainly() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, None);
    assert_eq!(
        first_problems(&bus),
        (NO_ADAPTER.to_owned(), NO_ADAPTER.to_owned())
    );
    drop(stand_in);

    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(false));
    stand_in.add_strap();
    assert_eq!(
        first_problems(&bus),
        (SWITCHED_OFF.to_owned(), SWITCHED_OFF.to_owned())
    );
    assert_eq!(
        stand_in.world.count("Connect"),
        0,
        "nothing is asked of a switched-off adapter"
    );
}

#[test]
fn with_no_bus_at_all_it_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(AtomicU64::new(0));
    let wakes = Arc::new(AtomicUsize::new(0));
    let options = StrapOptions {
        bus: Some(format!("unix:path={}", dir.path().join("no-bus").display())),
        ..options_without_bus(&clock, &wakes)
    };
    let strap = HeartStrap::connect(STRAP, options);
    let seen = events_until(&strap, "a problem", |e| matches!(e, HeartEvent::Problem(_)));
    match seen.last() {
        Some(HeartEvent::Problem(words)) => assert!(words.contains("no system bus"), "{words}"),
        other => panic!("{other:?}"),
    }
    strap.stop(common::PATIENCE);
}

fn options_without_bus(clock: &Arc<AtomicU64>, wakes: &Arc<AtomicUsize>) -> StrapOptions {
    let clock = Arc::clone(clock);
    let wakes = Arc::clone(wakes);
    StrapOptions {
        retry: Duration::from_millis(100),
        patience: Duration::from_secs(10),
        ..StrapOptions::new(
            Arc::new(move || clock.load(Ordering::SeqCst)),
            Arc::new(move || {
                wakes.fetch_add(1, Ordering::SeqCst);
            }),
        )
    }
}

/// With no address given, the system bus is the one DBUS_SYSTEM_BUS_ADDRESS names (zbus reads
/// it): checked in a child process, so this test's own environment is left alone.
#[test]
fn the_system_bus_comes_from_dbus_system_bus_address() {
    let bus = Bus::start();
    let stand_in = StandIn::start(&bus, Some(true));
    stand_in.add_strap();
    let out = common::run(
        std::process::Command::new(std::env::current_exe().expect("this test"))
            .args([
                "--exact",
                "connects_on_the_system_bus",
                "--ignored",
                "--nocapture",
            ])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address),
        common::PATIENCE,
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("1 passed"), "{printed}");
    assert_eq!(
        stand_in.world.count("Connect"),
        1,
        "the child connected through the private bus"
    );
}

#[test]
#[ignore = "run by the_system_bus_comes_from_dbus_system_bus_address in a child process"]
fn connects_on_the_system_bus() {
    let clock = Arc::new(AtomicU64::new(0));
    let wakes = Arc::new(AtomicUsize::new(0));
    let strap = HeartStrap::connect(STRAP, options_without_bus(&clock, &wakes));
    let seen = events_until(&strap, "the strap connected", |e| {
        matches!(e, HeartEvent::Connected { .. } | HeartEvent::Problem(_))
    });
    assert!(
        matches!(seen.last(), Some(HeartEvent::Connected { .. })),
        "{seen:?}"
    );
    strap.stop(common::PATIENCE);
}
