//! One copy at a time, on a private session bus: the first start owns the app id, a later start
//! asks it to come to the front (and the window hears of it as an app message), two starts at
//! the same moment make one owner, and without a bus every start runs on its own.
#![cfg(target_os = "linux")]

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use downshift::app::{self, Effect, Loaded, Message, Mode, Runtime, SoundStatus, ViewportEffect};
use downshift::desktop::single_copy::{self, Claim, SingleCopy};

mod common;

use common::PATIENCE;
use common::app::Rig;
use common::bus::Bus;

const APP_ID: &str = downshift::APP_ID;

impl Bus {
    fn claim(&self) -> Claim {
        single_copy::claim(Some(&self.address), APP_ID)
    }
}

fn first(claim: Claim) -> SingleCopy {
    match claim {
        Claim::First(copy) => copy,
        Claim::Activated => panic!("expected to own the name, but another copy was activated"),
        Claim::AlreadyRunning => panic!("expected to own the name, but another copy runs"),
        Claim::NoAnswer(reason) => panic!("expected to own the name: no answer ({reason})"),
        Claim::Off(reason) => panic!("expected to own the name: single copy off ({reason})"),
    }
}

fn describe(claim: &Claim) -> String {
    match claim {
        Claim::First(_) => "first".into(),
        Claim::Activated => "activated".into(),
        Claim::AlreadyRunning => "already running".into(),
        Claim::NoAnswer(reason) => format!("no answer: {reason}"),
        Claim::Off(reason) => format!("off: {reason}"),
    }
}

/// Each activation the running copy hears of, as a message on a channel.
fn listen(copy: &SingleCopy) -> Receiver<()> {
    let (heard, activations) = channel();
    copy.activations().deliver_to(move || {
        let _ = heard.send(());
    });
    activations
}

#[test]
fn a_second_start_brings_the_first_to_the_front_and_does_not_run() {
    let bus = Bus::start();
    let running = first(bus.claim());
    let activations = listen(&running);
    assert!(activations.try_recv().is_err(), "nobody asked yet");

    let second = bus.claim();
    assert!(matches!(second, Claim::Activated), "{}", describe(&second));
    activations
        .recv_timeout(PATIENCE)
        .expect("the running copy was asked to come to the front");
    // And again: every later start brings it up.
    assert!(matches!(bus.claim(), Claim::Activated));
    activations
        .recv_timeout(PATIENCE)
        .expect("asked a second time");
}

#[test]
fn a_background_start_leaves_the_running_copy_as_it_is() {
    let bus = Bus::start();
    let running = first(bus.claim());
    let activations = listen(&running);
    let quiet = single_copy::claim_quietly(Some(&bus.address), APP_ID);
    assert!(
        matches!(quiet, Claim::AlreadyRunning),
        "{}",
        describe(&quiet)
    );
    // A later ordinary start is heard, and it is the only one: the quiet start asked nothing.
    assert!(matches!(bus.claim(), Claim::Activated));
    activations
        .recv_timeout(PATIENCE)
        .expect("the ordinary start");
    assert!(
        activations.try_recv().is_err(),
        "the background start did not bring the window up"
    );
}

#[test]
fn a_start_while_the_window_is_still_opening_is_not_lost() {
    let bus = Bus::start();
    let running = first(bus.claim());
    // The window is not listening yet (it is being created) when the second start asks.
    assert!(matches!(bus.claim(), Claim::Activated));
    let activations = listen(&running);
    activations
        .recv_timeout(Duration::ZERO)
        .expect("the request that came early is handed over as soon as the window listens");
}

#[test]
fn once_the_running_copy_has_closed_the_next_start_owns_the_name() {
    let bus = Bus::start();
    drop(first(bus.claim()));
    let next = first(bus.claim());
    drop(next);
}

#[test]
fn two_starts_at_the_same_moment_make_one_window() {
    let bus = Bus::start();
    let address = Arc::new(bus.address.clone());
    let together = Arc::new(Barrier::new(2));
    let starts: Vec<_> = (0..2)
        .map(|_| {
            let (address, together) = (Arc::clone(&address), Arc::clone(&together));
            std::thread::spawn(move || {
                together.wait();
                single_copy::claim(Some(&address), APP_ID)
            })
        })
        .collect();
    let claims: Vec<Claim> = starts
        .into_iter()
        .map(|start| start.join().expect("a start"))
        .collect();
    let described: Vec<String> = claims.iter().map(describe).collect();
    let owners = claims
        .iter()
        .filter(|c| matches!(c, Claim::First(_)))
        .count();
    let activated = claims
        .iter()
        .filter(|c| matches!(c, Claim::Activated))
        .count();
    assert_eq!((owners, activated), (1, 1), "{described:?}");
    // The owner heard the other start (kept until its window listens).
    let owner = claims
        .into_iter()
        .find_map(|c| match c {
            Claim::First(copy) => Some(copy),
            _ => None,
        })
        .expect("an owner");
    listen(&owner)
        .recv_timeout(Duration::ZERO)
        .expect("the owner was asked to come to the front");
}

/// Something else that owns the name and serves an object of its own, not the Application.
struct Stranger;

#[zbus::interface(name = "org.example.Stranger")]
impl Stranger {
    fn hello(&self) {}
}

#[test]
fn a_program_that_holds_the_name_but_does_not_answer_is_reported_not_doubled() {
    let bus = Bus::start();
    let stranger = async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .serve_at("/org/example/Stranger", Stranger)?
            .name(APP_ID)?
            .build()
            .await
    })
    .expect("the name is taken");
    let claim = bus.claim();
    assert!(matches!(claim, Claim::NoAnswer(_)), "{}", describe(&claim));
    drop(stranger);
}

#[test]
fn a_hung_copy_is_given_up_on_after_a_while_and_reported() {
    let bus = Bus::start();
    // Owns the name but never answers a call (no object server: calls go unanswered).
    let hung = async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .name(APP_ID)?
            .build()
            .await
    })
    .expect("the name is taken");
    let asked = std::time::Instant::now();
    let claim = bus.claim();
    assert!(matches!(claim, Claim::NoAnswer(_)), "{}", describe(&claim));
    assert!(
        asked.elapsed() < single_copy::PATIENCE + Duration::from_secs(3),
        "gave up after {:?}",
        asked.elapsed()
    );
    drop(hung);
}

#[test]
fn without_a_session_bus_every_start_runs_on_its_own() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let missing = folder.path().join("no-bus-here");
    let address = format!("unix:path={}", missing.display());
    let claim = single_copy::claim(Some(&address), APP_ID);
    assert!(matches!(claim, Claim::Off(_)), "{}", describe(&claim));
}

#[test]
fn the_window_hears_an_activation_as_a_message_and_comes_to_the_front() {
    let rig = Rig::first_run();
    let data_dir = rig.data_dir();
    let (woken, wakes) = channel();
    let wake: app::runtime::Wake = Arc::new(move || {
        let _ = woken.send(());
    });
    let runtime = Runtime::start(
        data_dir.clone(),
        rig.clock.clocks(),
        Mode::Inline,
        app::runtime::Bluetooth::Nowhere,
        wake,
    );
    let bus = Bus::start();
    let running = first(bus.claim());
    let report = runtime.reporter();
    running
        .activations()
        .deliver_to(move || report(Message::Activated));

    assert!(matches!(bus.claim(), Claim::Activated));
    wakes
        .recv_timeout(PATIENCE)
        .expect("the window was woken (it may be minimised, with no frame coming)");
    let message = runtime.try_message().expect("a message is waiting");
    assert!(matches!(message, Message::Activated), "{message:?}");

    let now = rig.clock.now();
    let loaded = Loaded::read(&data_dir);
    let mut state = app::AppState::new(data_dir, loaded, SoundStatus::Off, &now);
    let mut effects = Vec::new();
    app::receive(&mut state, message, &now, &mut effects);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Viewport(ViewportEffect::BringUp)]
        ),
        "{effects:?}"
    );
}
