//! downshift's item in the desktop's tray (a StatusNotifierItem, through `ksni`): start the
//! suggested practice, a micro-rest now, pause the reminders, open the window, quit. The tooltip
//! says what comes next. The item lives on a thread of `ksni`'s own; what the person picks comes
//! back as a `TrayEvent`, and what the item shows is replaced whole with `Tray::show`.
//!
//! When no tray host answers (GNOME without the AppIndicator extension, a bare window manager),
//! `TrayStatus::Absent` says so and everything else goes on as without a tray.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use ksni::blocking::TrayMethods;
use ksni::menu::{MenuItem, StandardItem, SubMenu};

/// How long a pause from the tray lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseFor {
    HalfAnHour,
    AnHour,
    UntilTomorrow,
}

/// What the person picked in the tray's menu (or the item itself, clicked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrayEvent {
    /// "Start Work to home": the practice suggested now.
    StartSuggested,
    MicroRestNow,
    PauseReminders(PauseFor),
    ResumeReminders,
    /// "Open downshift", or a click on the item.
    Open,
    Quit,
}

/// Whether the item can be seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrayStatus {
    /// Not known yet (the item is being registered).
    Starting,
    /// A tray host has it.
    Shown,
    /// No tray on this desktop; why, in a few words ("no StatusNotifierWatcher answers"), to
    /// follow "No tray on this desktop".
    Absent(String),
}

/// What the item shows: replaced whole whenever any of it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrayLook {
    /// The practice "Start …" begins; no such entry when there is none.
    pub suggested: Option<String>,
    /// The tooltip's line: "Micro-rest in 23 min".
    pub next_up: String,
    /// Reminders are paused: the menu offers "Resume reminders" instead of pause lengths.
    pub paused: bool,
    /// Micro-rests are on (or the practice exists): "Micro-rest now" is there either way, but
    /// names the practice.
    pub micro_rest: String,
}

type Report = Arc<dyn Fn(TrayEvent) + Send + Sync>;
type ReportStatus = Arc<dyn Fn(TrayStatus) + Send + Sync>;

struct Item {
    look: TrayLook,
    report: Report,
    report_status: ReportStatus,
}

impl ksni::Tray for Item {
    fn id(&self) -> String {
        "downshift".into()
    }

    fn title(&self) -> String {
        "downshift".into()
    }

    fn icon_name(&self) -> String {
        crate::APP_ID.into()
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        // For hosts that do not look the name up in the icon theme (or before it is installed).
        tray_icon().into_iter().collect()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "downshift".into(),
            description: self.look.next_up.clone(),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        (self.report)(TrayEvent::Open);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let mut items = Vec::new();
        if let Some(practice) = &self.look.suggested {
            items.push(entry(
                format!("Start {practice}"),
                TrayEvent::StartSuggested,
            ));
        }
        items.push(entry("Micro-rest now".into(), TrayEvent::MicroRestNow));
        if self.look.paused {
            items.push(entry("Resume reminders".into(), TrayEvent::ResumeReminders));
        } else {
            items.push(
                SubMenu {
                    label: "Pause reminders".into(),
                    submenu: vec![
                        entry(
                            "For 30 minutes".into(),
                            TrayEvent::PauseReminders(PauseFor::HalfAnHour),
                        ),
                        entry(
                            "For 1 hour".into(),
                            TrayEvent::PauseReminders(PauseFor::AnHour),
                        ),
                        entry(
                            "Until tomorrow".into(),
                            TrayEvent::PauseReminders(PauseFor::UntilTomorrow),
                        ),
                    ],
                    ..Default::default()
                }
                .into(),
            );
        }
        items.push(MenuItem::Separator);
        items.push(entry("Open downshift".into(), TrayEvent::Open));
        items.push(entry("Quit".into(), TrayEvent::Quit));
        items
    }

    fn watcher_online(&self) {
        (self.report_status)(TrayStatus::Shown);
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        (self.report_status)(TrayStatus::Absent(absent_reason(&reason)));
        // Keep the service: a tray host that starts later (login) still gets the item.
        true
    }
}

fn entry(label: String, event: TrayEvent) -> MenuItem<Item> {
    StandardItem {
        label,
        activate: Box::new(move |item: &mut Item| (item.report)(event.clone())),
        ..Default::default()
    }
    .into()
}

fn absent_reason(reason: &ksni::OfflineReason) -> String {
    match reason {
        ksni::OfflineReason::Error(ksni::Error::Dbus(e)) => format!("no session bus ({e})"),
        ksni::OfflineReason::Error(ksni::Error::Watcher(_)) => {
            "no StatusNotifierWatcher answers".into()
        }
        _ => "the tray went away".into(),
    }
}

/// The item in the tray, for as long as this lives. Everything ksni does (connecting,
/// registering, answering the tray host) happens on a thread of the tray's own: a slow or stuck
/// panel never holds up the window or the reminders.
pub struct Tray {
    looks: Sender<TrayLook>,
}

impl Tray {
    /// Puts the item in the tray; `report` hears the menu, and `report_status` whether the item
    /// can be seen (once registered, and whenever a tray host comes or goes).
    pub fn start(
        look: TrayLook,
        report: impl Fn(TrayEvent) + Send + Sync + 'static,
        report_status: impl Fn(TrayStatus) + Send + Sync + 'static,
    ) -> Tray {
        let (looks, shown) = channel::<TrayLook>();
        let report_status: ReportStatus = Arc::new(report_status);
        let on_failure = Arc::clone(&report_status);
        let spawned = std::thread::Builder::new()
            .name("tray".into())
            .spawn(move || serve(look, Arc::new(report), report_status, &shown));
        if let Err(e) = spawned {
            on_failure(TrayStatus::Absent(format!("no thread for the tray ({e})")));
        }
        Tray { looks }
    }

    /// Shows `look` (the menu and tooltip are read again by the tray host).
    pub fn show(&self, look: TrayLook) {
        let _ = self.looks.send(look);
    }
}

/// The tray's thread: registers the item, then shows each new look until the `Tray` goes
/// (its sender dropped), and takes the item down.
fn serve(look: TrayLook, report: Report, report_status: ReportStatus, looks: &Receiver<TrayLook>) {
    // Whether the item was found unseen while it was being registered.
    let absent_at_start = Arc::new(AtomicBool::new(false));
    let noted = Arc::clone(&absent_at_start);
    let report_status: ReportStatus = Arc::new(move |status: TrayStatus| {
        if matches!(status, TrayStatus::Absent(_)) {
            noted.store(true, Ordering::SeqCst);
        }
        report_status(status);
    });
    let item = Item {
        look,
        report,
        report_status: Arc::clone(&report_status),
    };
    // Registered even when no watcher answers yet: a tray host that comes up after downshift
    // (it is started with the session too) still shows the item.
    let handle = match item.assume_sni_available(true).spawn() {
        Ok(handle) => handle,
        Err(e) => {
            log::info!("no tray item: {e}");
            report_status(TrayStatus::Absent(match e {
                ksni::Error::Dbus(e) => format!("no session bus ({e})"),
                _ => "the tray would not show the item".into(),
            }));
            return;
        }
    };
    if !absent_at_start.load(Ordering::SeqCst) {
        report_status(TrayStatus::Shown);
    }
    while let Ok(mut look) = looks.recv() {
        // Only the newest of the looks waiting matters.
        while let Ok(newer) = looks.try_recv() {
            look = newer;
        }
        handle.update(move |item| item.look = look);
    }
    handle.shutdown().wait();
}

/// The icon as ARGB32 pixels, converted once: the tray host asks for it with every update.
fn tray_icon() -> Option<ksni::Icon> {
    static ICON: std::sync::OnceLock<Option<ksni::Icon>> = std::sync::OnceLock::new();
    ICON.get_or_init(|| {
        let icon = crate::desktop::app_icon()?;
        // RGBA to ARGB, in network byte order as the specification asks.
        let data = icon
            .rgba
            .chunks_exact(4)
            .flat_map(|p| [p[3], p[0], p[1], p[2]])
            .collect();
        Some(ksni::Icon {
            width: icon.width as i32,
            height: icon.height as i32,
            data,
        })
    })
    .clone()
}

/// What the desktop's tray offers, as `downshift doctor` says it: who keeps the list of items
/// (the StatusNotifierWatcher), and whether a tray that shows them (a host) is registered.
#[cfg(target_os = "linux")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watcher {
    /// The watcher's unique name on the bus.
    pub owner: String,
    /// `IsStatusNotifierHostRegistered`; `None` when it could not be read.
    pub host_registered: Option<bool>,
    /// How many items it lists.
    pub items: Option<usize>,
}

#[cfg(target_os = "linux")]
const WATCHER: (&str, &str, &str) = (
    "org.kde.StatusNotifierWatcher",
    "/StatusNotifierWatcher",
    "org.kde.StatusNotifierWatcher",
);

/// The tray's watcher on `bus`, if one runs (none is started to answer).
#[cfg(target_os = "linux")]
pub fn watcher(bus: &crate::desktop::presence::SessionBus) -> Option<Watcher> {
    let owner = bus.name_owner(WATCHER.0)?;
    let host_registered = bus
        .property(WATCHER, "IsStatusNotifierHostRegistered")
        .ok()
        .and_then(|value| bool::try_from(value).ok());
    let items = bus
        .property(WATCHER, "RegisteredStatusNotifierItems")
        .ok()
        .and_then(|value| Vec::<String>::try_from(value).ok())
        .map(|items| items.len());
    Some(Watcher {
        owner,
        host_registered,
        items,
    })
}
