//! Reminders as desktop notifications: the notifier talks to a stand-in notification service on
//! a private D-Bus, as GNOME's or KDE's would be talked to.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

mod common;

use common::bus::Bus;
use downshift::desktop::notify::{Notifier, NotifierEvent};
use zbus::zvariant::OwnedValue;

const PATH: &str = "/org/freedesktop/Notifications";
const INTERFACE: &str = "org.freedesktop.Notifications";

/// What the stand-in was asked to do.
#[derive(Clone, Debug)]
struct Shown {
    app: String,
    icon: String,
    desktop_entry: Option<String>,
    replaces: u32,
    title: String,
    body: String,
    actions: Vec<String>,
    urgency: Option<u8>,
    id: u32,
}

#[derive(Default)]
struct Record {
    shown: Vec<Shown>,
    closed: Vec<u32>,
}

struct StandIn {
    record: Arc<Mutex<Record>>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl StandIn {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            self.next_id += 1;
            self.next_id
        };
        let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
        let desktop_entry = hints
            .get("desktop-entry")
            .and_then(|v| String::try_from(v.clone()).ok());
        self.record.lock().expect("record").shown.push(Shown {
            app: app_name,
            icon: app_icon,
            desktop_entry,
            replaces: replaces_id,
            title: summary,
            body,
            actions,
            urgency,
            id,
        });
        id
    }

    fn close_notification(&mut self, id: u32) {
        self.record.lock().expect("record").closed.push(id);
    }
}

fn serve(bus: &Bus, record: &Arc<Mutex<Record>>) -> zbus::Connection {
    let stand_in = StandIn {
        record: Arc::clone(record),
        next_id: 40,
    };
    async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .name(INTERFACE)?
            .serve_at(PATH, stand_in)?
            .build()
            .await
    })
    .expect("the stand-in serves")
}

/// Waits, up to five seconds, for `ready` to give something: messages cross a real bus.
fn eventually<T>(what: &str, ready: impl FnMut() -> Option<T>) -> T {
    common::eventually(what, common::PATIENCE, ready)
}

fn emit_action(server: &zbus::Connection, id: u32, action: &str) {
    async_io::block_on(server.emit_signal(
        None::<()>,
        PATH,
        INTERFACE,
        "ActionInvoked",
        &(id, action),
    ))
    .expect("signal sent");
}

#[test]
fn a_reminder_shows_as_one_notification_with_start_and_later_that_answer_back() {
    let bus = Bus::start();
    let record = Arc::new(Mutex::new(Record::default()));
    let server = serve(&bus, &record);
    let wakes = Arc::new(AtomicUsize::new(0));
    let woken = Arc::clone(&wakes);
    let notifier = Notifier::start(
        Some(bus.address.clone()),
        Arc::new(move || {
            woken.fetch_add(1, Ordering::SeqCst);
        }),
    );

    notifier.show("Work to home", "It's 17:30. Time to leave the day behind?");
    let first = eventually("the notification", || {
        record.lock().expect("record").shown.first().cloned()
    });
    assert_eq!(first.app, "downshift");
    // The icon by name and the launcher: every server finds one or the other.
    assert_eq!(first.icon, "io.github.downshift.Downshift");
    assert_eq!(
        first.desktop_entry.as_deref(),
        Some("io.github.downshift.Downshift")
    );
    assert_eq!(first.title, "Work to home");
    assert_eq!(first.body, "It's 17:30. Time to leave the day behind?");
    assert_eq!(first.replaces, 0);
    assert_eq!(first.urgency, Some(1), "normal, not critical");
    let pairs: Vec<(&str, &str)> = first
        .actions
        .chunks(2)
        .map(|pair| (pair[0].as_str(), pair[1].as_str()))
        .collect();
    assert!(pairs.contains(&("start", "Start")), "{pairs:?}");
    assert!(pairs.contains(&("later", "Later")), "{pairs:?}");

    // A second reminder replaces the first: never a pile of them.
    notifier.show("Micro-rest reset", "60 minutes since your last rest.");
    let second = eventually("the replacement", || {
        record.lock().expect("record").shown.get(1).cloned()
    });
    assert_eq!(second.replaces, first.id);

    // Another program's notification is not ours to answer.
    emit_action(&server, 7, "start");
    emit_action(&server, second.id, "later");
    let event = eventually("Later", || notifier.try_event());
    assert_eq!(event, NotifierEvent::Later);
    assert!(wakes.load(Ordering::SeqCst) >= 1, "the window was woken");
    emit_action(&server, second.id, "start");
    assert_eq!(
        eventually("Start", || notifier.try_event()),
        NotifierEvent::Start
    );

    // Answered in the window: the notification is taken down.
    notifier.withdraw();
    let closed = eventually("the close", || {
        record.lock().expect("record").closed.first().copied()
    });
    assert_eq!(closed, second.id);
}

#[test]
fn without_a_notification_service_the_app_is_told_so() {
    let bus = Bus::start();
    let notifier = Notifier::start(Some(bus.address.clone()), Arc::new(|| {}));
    notifier.show("Work to home", "It's 17:30.");
    match eventually("an answer", || notifier.try_event()) {
        NotifierEvent::Unavailable(reason) => {
            assert!(reason.contains("Notifications"), "{reason}")
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
