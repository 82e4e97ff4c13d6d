//! Desktop notifications for reminders, through the freedesktop Notifications D-Bus service
//! (GNOME, KDE, Xfce, dunst, mako and others answer it), with "Start" and "Later" as actions.
//! Calls are made on a thread of their own, so a slow or missing bus never holds up the window;
//! nothing connects to the bus until the first reminder. When no service answers, the app
//! raises its own window instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// What the person did with a notification, or that there is no one to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotifierEvent {
    /// "Start" was chosen.
    Start,
    /// "Later" was chosen.
    Later,
    /// The notification itself was clicked: show the window.
    Open,
    /// No notification service answered; the reason, for the log.
    Unavailable(String),
}

enum Command {
    Show {
        title: String,
        body: String,
    },
    /// A passing word, with no actions, that replaces no reminder.
    Inform {
        title: String,
        body: String,
    },
    Withdraw,
}

/// Shows at most one notification at a time: a new one replaces the last.
pub struct Notifier {
    commands: Sender<Command>,
    events: Receiver<NotifierEvent>,
}

/// Called from the notifier's threads when an event is waiting (the app asks for a frame).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

impl Notifier {
    /// Starts the notifier. `address` is a D-Bus address; `None` means the session bus.
    pub fn start(address: Option<String>, wake: Wake) -> Notifier {
        let (commands, received) = channel::<Command>();
        let (send_event, events) = channel::<NotifierEvent>();
        let spawned = std::thread::Builder::new()
            .name("notifications".into())
            .spawn(move || serve(address, received, send_event, wake));
        if let Err(e) = spawned {
            log::info!("no notifications: {e}");
        }
        Notifier { commands, events }
    }

    /// Shows `body` under `title`, replacing the notification shown before, if any.
    pub fn show(&self, title: &str, body: &str) {
        let _ = self.commands.send(Command::Show {
            title: title.to_owned(),
            body: body.to_owned(),
        });
    }

    /// Says something in passing (no actions; a reminder shown stays).
    pub fn inform(&self, title: &str, body: &str) {
        let _ = self.commands.send(Command::Inform {
            title: title.to_owned(),
            body: body.to_owned(),
        });
    }

    /// Takes the notification down (it was answered in the window).
    pub fn withdraw(&self) {
        let _ = self.commands.send(Command::Withdraw);
    }

    /// The next thing that happened, if any.
    pub fn try_event(&self) -> Option<NotifierEvent> {
        self.events.try_recv().ok()
    }
}

#[cfg(target_os = "linux")]
const NOTIFICATIONS: (&str, &str, &str) = (
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
    "org.freedesktop.Notifications",
);

#[cfg(target_os = "linux")]
fn serve(
    address: Option<String>,
    commands: Receiver<Command>,
    events: Sender<NotifierEvent>,
    wake: Wake,
) {
    let shown = Arc::new(AtomicU32::new(0));
    // The bus, and the listener's stop line: dropping it (on reconnecting, or when the app goes
    // and this loop ends) ends the listener, and with it the last hold on the connection.
    let mut link: Option<(zbus::Connection, async_channel::Sender<()>)> = None;
    while let Ok(command) = commands.recv() {
        match &command {
            Command::Show { .. } | Command::Inform { .. } if link.is_none() => {
                match connect(address.as_deref(), &shown, &events, &wake) {
                    Ok(connected) => link = Some(connected),
                    Err(e) => {
                        let _ = events.send(NotifierEvent::Unavailable(e.to_string()));
                        wake();
                        continue;
                    }
                }
            }
            _ => {}
        }
        match command {
            Command::Inform { title, body } => {
                let Some((bus, _)) = &link else { continue };
                if let Err(e) = notify(bus, 0, &title, &body, &[]) {
                    log::info!("could not say \"{body}\": {e}");
                }
            }
            Command::Show { title, body } => {
                let Some((bus, _)) = &link else { continue };
                let actions = ["default", "Open", "start", "Start", "later", "Later"];
                match notify(bus, shown.load(Ordering::SeqCst), &title, &body, &actions) {
                    Ok(id) => shown.store(id, Ordering::SeqCst),
                    Err(e) => {
                        // No service on a working bus (the usual case without a desktop) keeps
                        // the connection; a broken bus is connected afresh next time.
                        if !matches!(e, zbus::Error::MethodError(..) | zbus::Error::FDO(_)) {
                            link = None;
                        }
                        let _ = events.send(NotifierEvent::Unavailable(e.to_string()));
                        wake();
                    }
                }
            }
            Command::Withdraw => {
                let id = shown.swap(0, Ordering::SeqCst);
                if let (Some((bus, _)), true) = (&link, id != 0) {
                    let (name, path, interface) = NOTIFICATIONS;
                    let closed = async_io::block_on(bus.call_method(
                        Some(name),
                        path,
                        Some(interface),
                        "CloseNotification",
                        &(id,),
                    ));
                    if let Err(e) = closed {
                        log::info!("could not take the notification down: {e}");
                    }
                }
            }
        }
    }
}

/// Connects, and listens on another thread for the actions chosen on our notification until
/// the returned sender is dropped.
#[cfg(target_os = "linux")]
fn connect(
    address: Option<&str>,
    shown: &Arc<AtomicU32>,
    events: &Sender<NotifierEvent>,
    wake: &Wake,
) -> zbus::Result<(zbus::Connection, async_channel::Sender<()>)> {
    use futures_lite::StreamExt;
    let (name, path, interface) = NOTIFICATIONS;
    let (connection, mut actions) = async_io::block_on(async {
        let connection = match address {
            Some(address) => zbus::connection::Builder::address(address)?.build().await?,
            None => zbus::Connection::session().await?,
        };
        let proxy = zbus::Proxy::new(&connection, name, path, interface).await?;
        let actions = proxy.receive_signal("ActionInvoked").await?;
        zbus::Result::Ok((connection, actions))
    })?;
    let (shown, events, wake) = (Arc::clone(shown), events.clone(), Arc::clone(wake));
    let (stop, stopped) = async_channel::bounded::<()>(1);
    std::thread::Builder::new()
        .name("notification-actions".into())
        .spawn(move || {
            async_io::block_on(async {
                loop {
                    let next =
                        futures_lite::future::or(async { Some(actions.next().await) }, async {
                            let _ = stopped.recv().await;
                            None
                        });
                    let Some(Some(message)) = next.await else {
                        break;
                    };
                    let Ok((id, action)) = message.body().deserialize::<(u32, String)>() else {
                        continue;
                    };
                    if id == 0 || id != shown.load(Ordering::SeqCst) {
                        continue;
                    }
                    let event = match action.as_str() {
                        "start" => NotifierEvent::Start,
                        "later" => NotifierEvent::Later,
                        _ => NotifierEvent::Open,
                    };
                    if events.send(event).is_err() {
                        break;
                    }
                    wake();
                }
            })
        })
        .map_err(|e| zbus::Error::Failure(e.to_string()))?;
    Ok((connection, stop))
}

#[cfg(target_os = "linux")]
fn notify(
    bus: &zbus::Connection,
    replaces: u32,
    title: &str,
    body: &str,
    actions: &[&str],
) -> zbus::Result<u32> {
    use std::collections::HashMap;
    use zbus::zvariant::Value;
    let (name, path, interface) = NOTIFICATIONS;
    let hints: HashMap<&str, Value> = HashMap::from([
        // A quiet prompt: normal urgency, no sound, not kept on screen forever.
        ("urgency", Value::U8(1)),
        ("suppress-sound", Value::Bool(true)),
        // The launcher's name without ".desktop": the desktop shows its icon and name.
        ("desktop-entry", Value::from(crate::APP_ID)),
    ]);
    let reply = async_io::block_on(bus.call_method(
        Some(name),
        path,
        Some(interface),
        "Notify",
        &(
            "downshift",
            replaces,
            // The icon's name too: servers that do not look up the desktop entry show it.
            crate::APP_ID,
            title,
            body,
            actions,
            hints,
            -1i32,
        ),
    ))?;
    reply.body().deserialize::<u32>()
}

#[cfg(not(target_os = "linux"))]
fn serve(
    _address: Option<String>,
    commands: Receiver<Command>,
    events: Sender<NotifierEvent>,
    wake: Wake,
) {
    while let Ok(command) = commands.recv() {
        if let Command::Show { .. } = command {
            let _ = events.send(NotifierEvent::Unavailable(
                "desktop notifications are only sent on Linux so far".to_owned(),
            ));
            wake();
        }
    }
}

/// The notification server, as `downshift doctor` says it.
#[cfg(target_os = "linux")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub spec_version: String,
    /// `GetCapabilities`: "actions", "body", "persistence", ...
    pub capabilities: Vec<String>,
}

/// Who answers notifications on `bus` (`GetServerInformation`, `GetCapabilities`), without
/// starting one: `Err` says why there is none (and whether the bus would start one).
#[cfg(target_os = "linux")]
pub fn server(bus: &crate::desktop::presence::SessionBus) -> Result<Server, String> {
    let (name, vendor, version, spec_version) = bus
        .ask::<(String, String, String, String)>(NOTIFICATIONS, "GetServerInformation", &())
        .map_err(|e| {
            if bus.activatable(NOTIFICATIONS.0) {
                format!("none running (the bus would start one when asked: {e})")
            } else {
                format!("none ({e})")
            }
        })?;
    let capabilities = bus
        .ask::<Vec<String>>(NOTIFICATIONS, "GetCapabilities", &())
        .unwrap_or_default();
    Ok(Server {
        name,
        vendor,
        version,
        spec_version,
        capabilities,
    })
}
