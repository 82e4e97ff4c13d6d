//! Keeps the screen from blanking during a session, where the desktop allows it: on Linux through
//! the freedesktop ScreenSaver D-Bus interface (GNOME, KDE, Xfce and others answer it). Asked on a
//! background thread, so a slow or missing bus never holds up the window.

use std::sync::mpsc::{Sender, channel};

#[cfg(target_os = "linux")]
use super::APPLICATION_NAME;

/// While this lives, the screen saver is held off (if the desktop agreed).
pub struct KeepAwake {
    release: Option<Sender<()>>,
}

impl KeepAwake {
    /// Asks the desktop to keep the screen on; `reason` is shown by some desktops.
    pub fn request(reason: &str) -> KeepAwake {
        let (release, released) = channel::<()>();
        let reason = reason.to_owned();
        let spawned = std::thread::Builder::new()
            .name("keep-awake".into())
            .spawn(move || {
                let held = inhibit(&reason);
                if let Err(e) = &held {
                    log::info!("the screen may blank during the session: {e}");
                }
                // Hold until the session ends (or the app goes), then let go.
                let _ = released.recv();
                if let Ok(held) = held {
                    uninhibit(held);
                }
            });
        if let Err(e) = spawned {
            log::info!("could not ask to keep the screen on: {e}");
        }
        KeepAwake {
            release: Some(release),
        }
    }
}

impl Drop for KeepAwake {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
    }
}

#[cfg(target_os = "linux")]
struct Held {
    connection: zbus::Connection,
    cookie: u32,
}

#[cfg(target_os = "linux")]
const SCREEN_SAVER: (&str, &str, &str) = (
    "org.freedesktop.ScreenSaver",
    "/org/freedesktop/ScreenSaver",
    "org.freedesktop.ScreenSaver",
);

#[cfg(target_os = "linux")]
fn inhibit(reason: &str) -> Result<Held, zbus::Error> {
    async_io::block_on(async {
        let connection = zbus::Connection::session().await?;
        let (name, path, interface) = SCREEN_SAVER;
        let reply = connection
            .call_method(
                Some(name),
                path,
                Some(interface),
                "Inhibit",
                &(APPLICATION_NAME, reason),
            )
            .await?;
        let cookie: u32 = reply.body().deserialize()?;
        Ok(Held { connection, cookie })
    })
}

#[cfg(target_os = "linux")]
fn uninhibit(held: Held) {
    let (name, path, interface) = SCREEN_SAVER;
    let result = async_io::block_on(held.connection.call_method(
        Some(name),
        path,
        Some(interface),
        "UnInhibit",
        &(held.cookie,),
    ));
    if let Err(e) = result {
        log::info!("could not let the screen saver go: {e}");
    }
}

/// Who would keep the screen on when asked (the owner of the freedesktop ScreenSaver
/// interface on `bus`), for `downshift doctor`.
#[cfg(target_os = "linux")]
pub fn provider(bus: &crate::desktop::presence::SessionBus) -> Option<String> {
    bus.name_owner(SCREEN_SAVER.0)
}

#[cfg(not(target_os = "linux"))]
struct Held;

#[cfg(not(target_os = "linux"))]
fn inhibit(_reason: &str) -> Result<Held, String> {
    Err("keeping the screen on is only asked for on Linux so far".to_owned())
}

#[cfg(not(target_os = "linux"))]
fn uninhibit(_held: Held) {}
