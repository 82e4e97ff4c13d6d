//! One copy of the window at a time, through the session D-Bus. The first copy owns the app id as
//! a well-known name and answers `org.freedesktop.Application.Activate`; a later copy finds the
//! name taken, asks the owner to come to the front, and leaves. The name request is atomic on the
//! bus, so when two copies start at the same moment one owns it and the other activates that one.
//! Without a session bus, every copy runs on its own (single copy is off).

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long one call on the bus (taking the name, asking the running copy) may take: a hung bus
/// or a hung copy must not keep the window from opening, or this start from ending.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// What a window that is about to open found on the bus.
pub enum Claim {
    /// This is the only copy: it owns the name until the returned value is dropped.
    First(SingleCopy),
    /// Another copy was running; it was asked to show its window.
    Activated,
    /// Another copy is running, and was left as it is (`claim_quietly`).
    AlreadyRunning,
    /// Another copy owns the name but did not answer: opening a second window would show every
    /// reminder twice.
    NoAnswer(String),
    /// No session bus (or it failed): this copy runs without checking for others.
    Off(String),
}

/// Owns the name while it lives, and hands activations to whoever listens.
pub struct SingleCopy {
    #[cfg(target_os = "linux")]
    connection: zbus::Connection,
    #[cfg(target_os = "linux")]
    app_id: String,
    activations: Activations,
}

impl SingleCopy {
    /// Where requests to come to the front arrive.
    pub fn activations(&self) -> Activations {
        self.activations.clone()
    }
}

#[cfg(target_os = "linux")]
impl Drop for SingleCopy {
    /// Gives the name back at once (the window has closed), so that a start right after this
    /// one owns it instead of asking a copy that is leaving.
    fn drop(&mut self) {
        let released = async_io::block_on(self.connection.release_name(self.app_id.as_str()));
        if let Err(e) = released {
            log::info!("the single-copy name was not given back: {e}");
        }
    }
}

/// Requests to come to the front. One that arrives before anyone listens (the window is still
/// opening) is kept and handed over when a listener comes.
#[derive(Clone, Default)]
pub struct Activations(Arc<Mutex<Route>>);

#[derive(Default)]
enum Route {
    #[default]
    Waiting,
    Pending,
    To(Box<dyn Fn() + Send>),
}

impl Activations {
    /// From now on each activation calls `listener` (on the bus's thread).
    pub fn deliver_to(&self, listener: impl Fn() + Send + 'static) {
        let Ok(mut route) = self.0.lock() else {
            return;
        };
        if matches!(*route, Route::Pending) {
            listener();
        }
        *route = Route::To(Box::new(listener));
    }

    fn activate(&self) {
        let Ok(mut route) = self.0.lock() else {
            return;
        };
        match &*route {
            Route::To(listener) => listener(),
            Route::Waiting | Route::Pending => *route = Route::Pending,
        }
    }
}

/// The object path the freedesktop Application interface is served at, derived from the app id
/// as the specification asks.
pub fn object_path(app_id: &str) -> String {
    format!("/{}", app_id.replace('.', "/").replace('-', "_"))
}

/// Who owns `app_id` on `bus` (a running downshift): its unique name and process, for
/// `downshift doctor`. Asks nothing of that copy.
#[cfg(target_os = "linux")]
pub fn owner(
    bus: &crate::desktop::presence::SessionBus,
    app_id: &str,
) -> Option<(String, Option<u32>)> {
    let owner = bus.name_owner(app_id)?;
    let process = bus.process_of(&owner);
    Some((owner, process))
}

/// Claims `app_id` on the bus at `address` (`None`: the session bus), or asks the copy that owns
/// it to come to the front. Each call waits at most [`PATIENCE`]; connecting to a bus that never
/// answers is given up after twice that.
#[cfg(target_os = "linux")]
pub fn claim(address: Option<&str>, app_id: &str) -> Claim {
    claim_with(address, app_id, true)
}

/// As `claim`, but a copy already running is left as it is (`--background` at login, when
/// downshift was started some other way first).
#[cfg(target_os = "linux")]
pub fn claim_quietly(address: Option<&str>, app_id: &str) -> Claim {
    claim_with(address, app_id, false)
}

#[cfg(target_os = "linux")]
fn claim_with(address: Option<&str>, app_id: &str, activate: bool) -> Claim {
    let attempt = claim_or_activate(address, app_id, activate);
    let timeout = async {
        async_io::Timer::after(2 * PATIENCE).await;
        Err(NoBus(format!(
            "the session bus did not answer within {} s",
            2 * PATIENCE.as_secs()
        )))
    };
    match async_io::block_on(futures_lite::future::or(attempt, timeout)) {
        Ok(claim) => claim,
        Err(NoBus(reason)) => Claim::Off(reason),
    }
}

/// The bus could not be used: why.
#[cfg(target_os = "linux")]
struct NoBus(String);

#[cfg(target_os = "linux")]
impl From<zbus::Error> for NoBus {
    fn from(error: zbus::Error) -> Self {
        NoBus(error.to_string())
    }
}

#[cfg(target_os = "linux")]
async fn claim_or_activate(
    address: Option<&str>,
    app_id: &str,
    activate: bool,
) -> Result<Claim, NoBus> {
    use zbus::fdo::{RequestNameFlags, RequestNameReply};
    let activations = Activations::default();
    let path = object_path(app_id);
    let builder = match address {
        Some(address) => zbus::connection::Builder::address(address)?,
        None => zbus::connection::Builder::session()?,
    };
    // Served before the name is taken, so an Activate that follows the name at once is answered.
    let connection = builder
        .serve_at(
            path.as_str(),
            Application {
                activations: activations.clone(),
            },
        )?
        .method_timeout(PATIENCE)
        .build()
        .await?;
    // The owner that quits between our request and our call: try again, a few times.
    let mut last_error = String::new();
    for _ in 0..3 {
        let reply = connection
            .request_name_with_flags(app_id, RequestNameFlags::DoNotQueue.into())
            .await;
        match reply {
            Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => {
                return Ok(Claim::First(SingleCopy {
                    connection,
                    app_id: app_id.to_owned(),
                    activations,
                }));
            }
            // zbus reports "exists" as this error.
            Ok(RequestNameReply::Exists | RequestNameReply::InQueue)
            | Err(zbus::Error::NameTaken) => {}
            Err(e) => return Err(e.into()),
        }
        if !activate {
            return Ok(Claim::AlreadyRunning);
        }
        match activate_owner(&connection, app_id, &path).await {
            Ok(()) => return Ok(Claim::Activated),
            Err(zbus::Error::MethodError(name, ..))
                if name.as_str() == "org.freedesktop.DBus.Error.ServiceUnknown"
                    || name.as_str() == "org.freedesktop.DBus.Error.NameHasNoOwner" =>
            {
                last_error = format!("the running copy left ({name})");
            }
            Err(e) => return Ok(Claim::NoAnswer(e.to_string())),
        }
    }
    Ok(Claim::NoAnswer(last_error))
}

/// Calls Activate on the name's owner, passing on the launcher's startup token as the
/// specification asks (the running copy may use it to be allowed to take the focus).
#[cfg(target_os = "linux")]
async fn activate_owner(
    connection: &zbus::Connection,
    app_id: &str,
    path: &str,
) -> zbus::Result<()> {
    use std::collections::HashMap;
    use zbus::zvariant::Value;
    let mut platform_data: HashMap<&str, Value> = HashMap::new();
    let token = std::env::var("XDG_ACTIVATION_TOKEN").ok();
    let startup_id = std::env::var("DESKTOP_STARTUP_ID").ok();
    if let Some(token) = &token {
        platform_data.insert("activation-token", Value::from(token.as_str()));
    }
    if let Some(startup_id) = &startup_id {
        platform_data.insert("desktop-startup-id", Value::from(startup_id.as_str()));
    }
    connection
        .call_method(
            Some(app_id),
            path,
            Some("org.freedesktop.Application"),
            "Activate",
            &(platform_data,),
        )
        .await?;
    Ok(())
}

/// The part of `org.freedesktop.Application` downshift answers: Activate brings the window up.
#[cfg(target_os = "linux")]
struct Application {
    activations: Activations,
}

#[cfg(target_os = "linux")]
#[zbus::interface(name = "org.freedesktop.Application")]
impl Application {
    fn activate(
        &self,
        _platform_data: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    ) {
        log::info!("another start of downshift asked for the window");
        self.activations.activate();
    }
}

#[cfg(not(target_os = "linux"))]
pub fn claim(_address: Option<&str>, _app_id: &str) -> Claim {
    Claim::Off("single copy is only kept on Linux so far".to_owned())
}

#[cfg(not(target_os = "linux"))]
pub fn claim_quietly(address: Option<&str>, app_id: &str) -> Claim {
    claim(address, app_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_object_path_follows_the_app_id() {
        assert_eq!(
            object_path("io.github.downshift.Downshift"),
            "/io/github/downshift/Downshift"
        );
        assert_eq!(object_path("org.example.my-app"), "/org/example/my_app");
    }

    #[test]
    fn an_activation_before_anyone_listens_is_handed_over_once() {
        let activations = Activations::default();
        activations.activate();
        activations.activate();
        let count = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&count);
        activations.deliver_to(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(count.load(Ordering::SeqCst), 1, "one bring-up is enough");
        activations.activate();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn with_no_listener_and_no_activation_nothing_is_delivered() {
        let activations = Activations::default();
        let count = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&count);
        activations.deliver_to(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(count.load(Ordering::SeqCst), 0);
    }
}
