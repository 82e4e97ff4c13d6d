//! downshift in the tray, as a desktop's panel sees it: `downshift --background` under a private
//! X server and a private session bus, with a stand-in StatusNotifierWatcher written here (the
//! part of KDE's or GNOME's panel that items register with). The test then does what the panel
//! does when the person picks "Micro-rest now": a dbusmenu `Event` call.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

mod common;

use common::bus::Bus;
use common::x11::X;
use common::{PATIENCE, eventually};
use zbus::zvariant::{OwnedValue, Value};

/// The stand-in watcher: reports each item that registers (the bus name it gave, and the
/// sender, as a real watcher would keep them).
struct Watcher {
    registered: Sender<String>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // An item may give its bus name or just an object path (then its sender is the name).
        let name = if service.starts_with('/') {
            sender
        } else {
            service
        };
        let _ = self.registered.send(name);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        Vec::new()
    }
}

fn serve_watcher(bus: &Bus) -> (zbus::Connection, Receiver<String>) {
    let (registered, items) = channel();
    let connection = async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .name("org.kde.StatusNotifierWatcher")?
            .serve_at("/StatusNotifierWatcher", Watcher { registered })?
            .build()
            .await
    })
    .expect("the stand-in watcher is on the private bus");
    (connection, items)
}

/// downshift started in the background with its own data and config folders.
struct Background {
    child: Child,
    stderr: common::Lines,
    data: tempfile::TempDir,
}

impl Background {
    fn start(bus: &Bus, x: &X, settings: &str) -> Background {
        let data = tempfile::tempdir().expect("temporary folder");
        std::fs::write(data.path().join("settings.ron"), settings).expect("settings written");
        // On the private display, with a home of its own (Mesa's shader cache, the autostart
        // folder), and on the private bus.
        let mut child = x
            .command(env!("CARGO_BIN_EXE_downshift"))
            .arg("--background")
            .arg("--data-dir")
            .arg(data.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("RUST_LOG", "downshift=info")
            .env_remove("WAYLAND_DISPLAY")
            .stderr(Stdio::piped())
            .spawn()
            .expect("downshift starts");
        let stderr = common::Lines::read(child.stderr.take().expect("stderr"));
        Background {
            child,
            stderr,
            data,
        }
    }

    /// SIGTERM, as a logout sends it; waits for the exit.
    fn terminate(&mut self) -> std::process::ExitStatus {
        common::send(&self.child, libc::SIGTERM);
        common::wait_for_exit(&mut self.child, PATIENCE)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const REMINDERS_ON: &str = "(safety_note_seen: true, ask_tension: false, reminders: (micro_rests: true, micro_rest_from: \"00:00\", micro_rest_until: \"00:00\", workdays_only: false))";

fn item_property(client: &zbus::Connection, item: &str, property: &str) -> OwnedValue {
    let proxy = async_io::block_on(zbus::Proxy::new(
        client,
        item.to_owned(),
        "/StatusNotifierItem",
        "org.kde.StatusNotifierItem",
    ))
    .expect("item proxy");
    async_io::block_on(proxy.get_property::<OwnedValue>(property))
        .unwrap_or_else(|e| panic!("the item's {property}: {e}"))
}

/// A StatusNotifierItem's tooltip: icon name, icon pixmaps, title, description.
type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);

/// A dbusmenu layout node: id, properties, children.
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The id of the menu entry labelled `label`, anywhere in the layout.
fn find_entry(node: &Node, label: &str) -> Option<i32> {
    let (id, properties, children) = node;
    let own = properties
        .get("label")
        .and_then(|v| <&str>::try_from(v).ok())
        .is_some_and(|l| l == label);
    if own {
        return Some(*id);
    }
    children.iter().find_map(|child| {
        let child: Node = child.try_clone().ok()?.try_into().ok()?;
        find_entry(&child, label)
    })
}

fn labels(node: &Node, into: &mut Vec<String>) {
    if let Some(label) = node.1.get("label").and_then(|v| <&str>::try_from(v).ok()) {
        into.push(label.to_owned());
    }
    for child in &node.2 {
        if let Some(child) = child.try_clone().ok().and_then(|c| Node::try_from(c).ok()) {
            labels(&child, into);
        }
    }
}

fn menu(client: &zbus::Connection, item: &str) -> zbus::Proxy<'static> {
    async_io::block_on(zbus::Proxy::new(
        client,
        item.to_owned(),
        "/MenuBar",
        "com.canonical.dbusmenu",
    ))
    .expect("menu proxy")
}

fn layout(menu: &zbus::Proxy<'_>) -> Node {
    let (_revision, root): (u32, Node) =
        async_io::block_on(menu.call("GetLayout", &(0i32, -1i32, Vec::<String>::new())))
            .expect("the menu's layout");
    root
}

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    eventually(what, timeout, || done().then_some(()));
}

fn has_files(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some())
}

#[test]
fn in_the_background_the_item_registers_says_what_is_next_and_micro_rest_now_starts_the_rest() {
    let bus = Bus::start();
    let (_watcher, registered) = serve_watcher(&bus);
    let x = X::start();
    let mut app = Background::start(&bus, &x, REMINDERS_ON);

    let item = registered.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        panic!(
            "--background registers a tray item; it said: {:?}",
            app.stderr.seen
        )
    });
    assert!(
        !x.has_window("downshift"),
        "--background makes no window at all, not even an unmapped one (nothing flashes)"
    );

    let client = async_io::block_on(
        zbus::connection::Builder::address(bus.address.as_str())
            .expect("address")
            .build(),
    )
    .expect("a client on the private bus");
    // The tooltip says what comes next.
    let tooltip: ToolTip = item_property(&client, &item, "ToolTip")
        .try_into()
        .expect("a tooltip");
    assert!(
        tooltip.3.starts_with("Micro-rest in "),
        "the tooltip says when the next micro-rest is: {tooltip:?}"
    );

    let menu = menu(&client, &item);
    let root = layout(&menu);
    let mut shown = Vec::new();
    labels(&root, &mut shown);
    for wanted in [
        "Micro-rest now",
        "Pause reminders",
        "For 30 minutes",
        "For 1 hour",
        "Until tomorrow",
        "Open downshift",
        "Quit",
    ] {
        assert!(
            shown.iter().any(|l| l == wanted),
            "the menu has {wanted:?}: {shown:?}"
        );
    }
    assert!(
        shown.iter().any(|l| l.starts_with("Start ")),
        "the menu starts the suggested practice: {shown:?}"
    );

    // "Pause reminders" → "For 30 minutes": the tooltip and the menu follow.
    let pause = find_entry(&root, "For 30 minutes").expect("For 30 minutes' id");
    let _: () = async_io::block_on(menu.call("Event", &(pause, "clicked", Value::I32(0), 0u32)))
        .expect("the click is delivered");
    wait_until("the tooltip to say reminders are paused", PATIENCE, || {
        let tooltip: ToolTip = item_property(&client, &item, "ToolTip")
            .try_into()
            .expect("a tooltip");
        tooltip.3.starts_with("Reminders paused until ")
    });
    let mut shown = Vec::new();
    labels(&layout(&menu), &mut shown);
    assert!(
        shown.iter().any(|l| l == "Resume reminders"),
        "paused, the menu offers to resume: {shown:?}"
    );

    // The pause went through the app and back to the tray: still no window.
    assert!(!x.has_window("downshift"), "--background makes no window");

    let root = layout(&menu);
    let micro_rest = find_entry(&root, "Micro-rest now").expect("Micro-rest now's id");
    let _: () =
        async_io::block_on(menu.call("Event", &(micro_rest, "clicked", Value::I32(0), 0u32)))
            .expect("the click is delivered");

    // The micro-rest begins: the window comes up with it, and its checkpoint is kept.
    let checkpoints = app.data.path().join("checkpoints");
    wait_until("the micro-rest's checkpoint", PATIENCE, || {
        has_files(&checkpoints)
    });
    wait_until("the window, shown for the micro-rest", PATIENCE, || {
        x.shows("downshift")
    });

    // Closed as a desktop closes it (the window manager asks it to): the micro-rest ends and is
    // recorded, and downshift goes back to the tray with no window left at all.
    let history = app.data.path().join("history.log");
    let _window_manager = x.window_manager();
    wait_until("the window manager to manage the window", PATIENCE, || {
        x.command("wmctrl")
            .arg("-l")
            .stdout(Stdio::piped())
            .output()
            .is_ok_and(|listed| String::from_utf8_lossy(&listed.stdout).contains("downshift"))
    });
    x.run("wmctrl", &["-c", "downshift"]);
    wait_until("the window to be gone, not just hidden", PATIENCE, || {
        !x.has_window("downshift")
    });
    wait_until("the micro-rest to be recorded", PATIENCE, || {
        std::fs::read_to_string(&history).is_ok_and(|text| text.contains("Micro-rest reset"))
    });
    assert!(
        app.child.try_wait().expect("status").is_none(),
        "downshift runs on in the tray"
    );

    // "Open downshift" in the tray makes a window again.
    let root = layout(&menu);
    let open = find_entry(&root, "Open downshift").expect("Open downshift's id");
    let _: () = async_io::block_on(menu.call("Event", &(open, "clicked", Value::I32(0), 0u32)))
        .expect("the click is delivered");
    wait_until("a new window, from the tray", PATIENCE, || {
        x.shows("downshift")
    });
    app.end_and_check_history(&history);
}

impl Background {
    /// Ends downshift with SIGTERM and checks the micro-rest is in the history.
    fn end_and_check_history(mut self, history: &Path) {
        let history = history.to_owned();
        let status = self.terminate();
        let said = self.stderr.rest(PATIENCE);
        let text = std::fs::read_to_string(&history).unwrap_or_default();
        assert!(
            text.contains("Micro-rest reset"),
            "the micro-rest is recorded: {text:?}; downshift ended with {status} and said {said:?}; files: {:?}",
            std::fs::read_dir(self.data.path())
                .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
        );
    }
}

#[test]
fn with_no_tray_on_the_desktop_background_still_runs_and_says_so() {
    let bus = Bus::start();
    let x = X::start();
    let mut app = Background::start(&bus, &x, REMINDERS_ON);
    let said = app
        .stderr
        .wait_for("word of no tray", |line| line.contains("no tray"), PATIENCE);
    // The reason reads on after "No tray on this desktop (…)" in Settings: said once.
    assert!(
        said.ends_with("no tray: no StatusNotifierWatcher answers"),
        "{said}"
    );
    assert!(
        app.child.try_wait().expect("status").is_none(),
        "downshift goes on without a tray"
    );
    let status = app.terminate();
    assert!(status.success(), "a logout ends it cleanly: {status}");
}
