//! Idle time and do-not-disturb from the session bus.
//!
//! Idle time: GNOME's Mutter answers `org.gnome.Mutter.IdleMonitor.GetIdletime` in milliseconds
//! (a u64), on Wayland and X11 alike. Elsewhere `org.freedesktop.ScreenSaver.GetSessionIdleTime`
//! (a u32), which KDE's screen locker answers in milliseconds: kscreenlocker's interface.cpp
//! returns `KIdleTime::instance()->idleTime()`, documented as milliseconds (on Plasma's Wayland
//! session it answers NotSupported instead). Milliseconds is the unit relied on here; a service
//! that answered in seconds would read as a thousand times too short, so nobody would be taken to
//! be away: the harmless direction.
//!
//! Do-not-disturb, as Stretchly reads it (app/utils/dndManager.js: on when any of these says so):
//! - the notification server's `Inhibited` property (KDE Plasma; Safe Eyes' donotdisturb plugin
//!   reads the same);
//! - GNOME: `show-banners` false in `org.gnome.desktop.notifications` (Stretchly runs gsettings;
//!   here it is read through the desktop portal's Settings, which needs no program of GNOME's);
//! - Xfce: xfconf's `/do-not-disturb` in channel `xfce4-notifyd`.
//!
//! Full screen on GNOME, which shows no program the others' windows: the session manager's
//! `InhibitedActions` has the idle bit (8) while a program keeps the session from going idle, as
//! video players and presentations do while they play (through the portal's or the session
//! manager's `Inhibit`); downshift's own keep-awake during a session does not count.
//!
//! Nothing is started to answer (the calls carry NO_AUTO_START), except the desktop portal, which
//! is meant to be started by any program that asks. Each call waits at most [`CALL_LIMIT`].

use std::time::Duration;

use jiff::SignedDuration;
use zbus::proxy::{CacheProperties, MethodFlags};
use zbus::zvariant::{DynamicDeserialize, DynamicType, OwnedValue, Value};
use zbus::{Connection, Proxy, connection, proxy};

use super::Said;

/// How long one call may take: a service that hangs must not hold up the readings for long.
pub const CALL_LIMIT: Duration = Duration::from_millis(500);

const MUTTER: (&str, &str, &str) = (
    "org.gnome.Mutter.IdleMonitor",
    "/org/gnome/Mutter/IdleMonitor/Core",
    "org.gnome.Mutter.IdleMonitor",
);
const SCREEN_SAVER: &str = "org.freedesktop.ScreenSaver";
/// KDE serves the screen saver at both paths; older versions only at the short one.
const SCREEN_SAVER_PATHS: [&str; 2] = ["/org/freedesktop/ScreenSaver", "/ScreenSaver"];
const NOTIFICATIONS: (&str, &str) = (
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
);
const PORTAL: (&str, &str, &str) = (
    "org.freedesktop.portal.Desktop",
    "/org/freedesktop/portal/desktop",
    "org.freedesktop.portal.Settings",
);
const GNOME_NOTIFICATIONS: (&str, &str) = ("org.gnome.desktop.notifications", "show-banners");
const XFCONF: (&str, &str, &str) = ("org.xfce.Xfconf", "/org/xfce/Xfconf", "org.xfce.Xfconf");
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";
const DBUS: (&str, &str) = ("org.freedesktop.DBus", "/org/freedesktop/DBus");
const SESSION_MANAGER: (&str, &str, &str) = (
    "org.gnome.SessionManager",
    "/org/gnome/SessionManager",
    "org.gnome.SessionManager",
);
const INHIBITOR: &str = "org.gnome.SessionManager.Inhibitor";
/// The session manager's inhibit flag for going idle (1 log out, 2 switch user, 4 suspend, 8
/// idle, 16 automount).
const INHIBIT_IDLE: u32 = 8;

/// A connection to a session bus, to ask it about idle time and do-not-disturb (and, for
/// `downshift doctor`, who owns a name): questions only, never a service started to answer.
pub struct SessionBus {
    connection: Connection,
}

impl SessionBus {
    /// Connects to the bus at `address`, or to the session bus when `None`.
    pub fn connect(address: Option<&str>) -> Result<SessionBus, String> {
        let builder = match address {
            Some(address) => connection::Builder::address(address),
            None => connection::Builder::session(),
        };
        let connection =
            async_io::block_on(async { builder?.method_timeout(CALL_LIMIT).build().await })
                .map_err(|e| e.to_string())?;
        Ok(SessionBus { connection })
    }

    /// How long since the last key press or pointer movement, from the first service that says.
    pub fn idle(&self) -> Option<Said<SignedDuration>> {
        let (name, path, interface) = MUTTER;
        match self.call::<u64>(name, path, interface, "GetIdletime", &(), false) {
            Ok(millis) => {
                return Some(Said {
                    value: milliseconds(millis),
                    source: "Mutter IdleMonitor",
                });
            }
            Err(e) => log::trace!("presence: Mutter IdleMonitor: {e}"),
        }
        for path in SCREEN_SAVER_PATHS {
            match self.call::<u32>(
                SCREEN_SAVER,
                path,
                SCREEN_SAVER,
                "GetSessionIdleTime",
                &(),
                false,
            ) {
                Ok(millis) => {
                    return Some(Said {
                        value: milliseconds(u64::from(millis)),
                        source: "freedesktop ScreenSaver",
                    });
                }
                Err(e) => log::trace!("presence: ScreenSaver at {path}: {e}"),
            }
        }
        None
    }

    /// Whether the desktop's do-not-disturb is on: `Some(true)` with the first service that says
    /// so; `Some(false)` with the first that answered when none does; `None` when none answered.
    pub fn do_not_disturb(&self) -> Option<Said<bool>> {
        let mut answered = None;
        let mut heard = |value: Option<bool>, source: &'static str| -> Option<Said<bool>> {
            match value {
                Some(true) => Some(Said {
                    value: true,
                    source,
                }),
                Some(false) => {
                    answered.get_or_insert(Said {
                        value: false,
                        source,
                    });
                    None
                }
                None => None,
            }
        };
        if let Some(on) = heard(self.notifications_inhibited(), "notification server") {
            return Some(on);
        }
        if let Some(on) = heard(self.gnome_banners_off(), "desktop portal (GNOME)") {
            return Some(on);
        }
        if let Some(on) = heard(self.xfce_do_not_disturb(), "xfconf (Xfce)") {
            return Some(on);
        }
        answered
    }

    /// Whether a program other than downshift keeps the GNOME session from going idle (a film or
    /// a presentation playing): `None` where there is no GNOME session manager.
    pub fn idle_inhibited(&self) -> Option<Said<bool>> {
        let source = "GNOME session manager (idle inhibited)";
        let (name, path, interface) = SESSION_MANAGER;
        let flags = self.property(SESSION_MANAGER, "InhibitedActions");
        let flags = number("session manager's InhibitedActions", flags)?;
        if flags & INHIBIT_IDLE == 0 {
            return Some(Said {
                value: false,
                source,
            });
        }
        // Whose: downshift's own hold (keep-awake) does not count. When the list cannot be
        // read, the bit alone says it.
        let inhibitors = self.call::<Vec<zbus::zvariant::OwnedObjectPath>>(
            name,
            path,
            interface,
            "GetInhibitors",
            &(),
            false,
        );
        let value = match inhibitors {
            Ok(inhibitors) => inhibitors
                .iter()
                .any(|inhibitor| !self.is_our_idle_hold(name, inhibitor.as_str())),
            Err(e) => {
                log::trace!("presence: the session manager's inhibitors: {e}");
                true
            }
        };
        Some(Said { value, source })
    }

    /// Whether an inhibitor holds nothing of idle, or is downshift's own.
    fn is_our_idle_hold(&self, name: &str, inhibitor: &str) -> bool {
        let flags = self.call::<u32>(name, inhibitor, INHIBITOR, "GetFlags", &(), false);
        if flags.is_ok_and(|flags| flags & INHIBIT_IDLE == 0) {
            return true;
        }
        let app = self.call::<String>(name, inhibitor, INHIBITOR, "GetAppId", &(), false);
        app.is_ok_and(|app| app == crate::desktop::APPLICATION_NAME || app == crate::APP_ID)
    }

    fn notifications_inhibited(&self) -> Option<bool> {
        let (name, path) = NOTIFICATIONS;
        let value =
            self.call::<OwnedValue>(name, path, PROPERTIES, "Get", &(name, "Inhibited"), false);
        answer("notification server's Inhibited", value)
    }

    fn gnome_banners_off(&self) -> Option<bool> {
        let (name, path, interface) = PORTAL;
        // ReadOne came with version 2 of the interface; Read is older and wraps the value in
        // one more variant.
        let value = self
            .call::<OwnedValue>(name, path, interface, "ReadOne", &GNOME_NOTIFICATIONS, true)
            .or_else(|_| {
                self.call::<OwnedValue>(name, path, interface, "Read", &GNOME_NOTIFICATIONS, true)
            });
        answer("portal's show-banners", value).map(|banners| !banners)
    }

    fn xfce_do_not_disturb(&self) -> Option<bool> {
        let (name, path, interface) = XFCONF;
        let value = self.call::<OwnedValue>(
            name,
            path,
            interface,
            "GetProperty",
            &("xfce4-notifyd", "/do-not-disturb"),
            false,
        );
        answer("xfconf's /do-not-disturb", value)
    }

    /// The unique name of whoever owns `name` on the bus, if anyone does.
    pub fn name_owner(&self, name: &str) -> Option<String> {
        self.call::<String>(DBUS.0, DBUS.1, DBUS.0, "GetNameOwner", &(name,), false)
            .map_err(|e| log::trace!("presence: the owner of {name}: {e}"))
            .ok()
    }

    /// The process behind a connection (a unique or well-known name), if the bus says.
    pub fn process_of(&self, name: &str) -> Option<u32> {
        self.call::<u32>(
            DBUS.0,
            DBUS.1,
            DBUS.0,
            "GetConnectionUnixProcessID",
            &(name,),
            false,
        )
        .ok()
    }

    /// Whether the bus would start a service for `name` when asked (a D-Bus activation file).
    pub fn activatable(&self, name: &str) -> bool {
        self.call::<Vec<String>>(DBUS.0, DBUS.1, DBUS.0, "ListActivatableNames", &(), false)
            .is_ok_and(|names| names.iter().any(|n| n == name))
    }

    /// A method call that starts no service and waits at most [`CALL_LIMIT`].
    pub(crate) fn ask<R>(
        &self,
        (name, path, interface): (&str, &str, &str),
        method: &str,
        body: &(impl serde::Serialize + DynamicType),
    ) -> zbus::Result<R>
    where
        R: for<'d> DynamicDeserialize<'d>,
    {
        self.call(name, path, interface, method, body, false)
    }

    /// A property, read without starting a service, however many variants it is wrapped in.
    pub(crate) fn property(
        &self,
        (name, path, interface): (&str, &str, &str),
        property: &str,
    ) -> zbus::Result<OwnedValue> {
        let value: OwnedValue =
            self.call(name, path, PROPERTIES, "Get", &(interface, property), false)?;
        Ok(OwnedValue::try_from(innermost(&value).try_clone()?)?)
    }

    fn call<R>(
        &self,
        name: &str,
        path: &str,
        interface: &str,
        method: &str,
        body: &(impl serde::Serialize + DynamicType),
        may_start: bool,
    ) -> zbus::Result<R>
    where
        R: for<'d> DynamicDeserialize<'d>,
    {
        async_io::block_on(async {
            let proxy: Proxy = proxy::Builder::new(&self.connection)
                .destination(name.to_owned())?
                .path(path.to_owned())?
                .interface(interface.to_owned())?
                .cache_properties(CacheProperties::No)
                .build()
                .await?;
            if may_start {
                proxy.call(method, body).await
            } else {
                proxy
                    .call_with_flags(method, MethodFlags::NoAutoStart.into(), body)
                    .await?
                    .ok_or_else(|| zbus::Error::Failure("no reply".into()))
            }
        })
    }
}

fn milliseconds(millis: u64) -> SignedDuration {
    SignedDuration::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}

/// A number out of a reply, however many variants it is wrapped in.
fn number(what: &str, reply: zbus::Result<OwnedValue>) -> Option<u32> {
    unwrapped(what, reply, "a number", |value| match value {
        Value::U32(number) => Some(*number),
        _ => None,
    })
}

/// A yes or no out of a reply, however many variants it is wrapped in.
fn answer(what: &str, reply: zbus::Result<OwnedValue>) -> Option<bool> {
    unwrapped(what, reply, "a yes or no", |value| match value {
        Value::Bool(yes) => Some(*yes),
        _ => None,
    })
}

/// The innermost value of a reply, taken by `pick`; a failed call or a value of another kind
/// is logged (naming `what` and the `kind` expected) and read as nothing.
fn unwrapped<T>(
    what: &str,
    reply: zbus::Result<OwnedValue>,
    kind: &str,
    pick: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    let value = match reply {
        Ok(value) => value,
        Err(e) => {
            log::trace!("presence: {what}: {e}");
            return None;
        }
    };
    let value = innermost(&value);
    let picked = pick(value);
    if picked.is_none() {
        log::debug!(
            "presence: {what} is not {kind} but a {}",
            value.value_signature()
        );
    }
    picked
}

/// A value inside however many variants it is wrapped in.
fn innermost<'v>(mut value: &'v Value<'v>) -> &'v Value<'v> {
    while let Value::Value(inner) = value {
        value = inner;
    }
    value
}
