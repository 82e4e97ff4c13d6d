//! downshift between sessions, with its window closed: the tray item and what its menu asks for,
//! the window brought up, and the desktop watched while reminders are on. Pure rules over the
//! state; the tray itself and the readings are the runtime's.

use super::effect::{DesktopEffect, Effect, ViewportEffect};
use super::state::{AppState, Now};
use super::{leaving, reminders, session_flow};
use crate::desktop::tray::{PauseFor, TrayEvent, TrayLook};

pub use super::leaving::IN_THE_TRAY;

/// Something picked in the tray's menu.
pub(super) fn tray_event(
    state: &mut AppState,
    event: TrayEvent,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    match event {
        TrayEvent::Open => bring_up(state, effects),
        TrayEvent::StartSuggested => {
            bring_up(state, effects);
            if let Some(name) = state.suggested.clone() {
                session_flow::start_named(state, &name, now, effects);
            }
        }
        TrayEvent::MicroRestNow => {
            bring_up(state, effects);
            let name = state.settings.reminders.micro_rest_practice.clone();
            session_flow::start_named(state, &name, now, effects);
        }
        TrayEvent::PauseReminders(length) => {
            reminders::pause(state, Some(pause_end(length, now.local())), effects);
        }
        TrayEvent::ResumeReminders => reminders::pause(state, None, effects),
        TrayEvent::Quit => {
            // Unsaved edits are asked about in the window, so it comes up first.
            bring_up(state, effects);
            leaving::quit(state, now, effects);
        }
    }
}

/// The window comes out of the tray (or up from behind others) and takes the keyboard.
pub(super) fn bring_up(state: &mut AppState, effects: &mut Vec<Effect>) {
    state.desktop.window_away = false;
    effects.push(ViewportEffect::BringUp.into());
}

/// When a pause picked in the tray ends (the reminders' own choices: "until tomorrow" is until
/// local midnight).
pub fn pause_end(length: PauseFor, now: jiff::civil::DateTime) -> jiff::civil::DateTime {
    let [half_hour, hour, tomorrow] = crate::practice::reminders::pause_choices(now);
    match length {
        PauseFor::HalfAnHour => half_hour.1,
        PauseFor::AnHour => hour.1,
        PauseFor::UntilTomorrow => tomorrow.1,
    }
}

/// What the tray item should show now.
pub fn tray_look(state: &AppState, now: &Now) -> TrayLook {
    let settings = &state.settings;
    TrayLook {
        suggested: state.suggested.clone(),
        next_up: state
            .reminders
            .next_up(&settings.reminders, now.local())
            .unwrap_or_default(),
        paused: state.reminders.paused_until().is_some(),
        micro_rest: settings.reminders.micro_rest_practice.clone(),
    }
}

/// Keeps the tray item showing what is true now, and the surroundings read exactly while
/// reminders are on: effects only when something changed.
pub fn follow_desktop(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let watch = state.settings.reminders.any();
    if state.desktop.watching != watch {
        state.desktop.watching = watch;
        state.desktop.surroundings_read = false;
        if !watch {
            // Nothing read is kept once reminders are off.
            state.surroundings = Default::default();
        }
        effects.push(DesktopEffect::WatchSurroundings(watch).into());
    }
    let local = now.local();
    let minute = Some((local.date(), local.hour(), local.minute()));
    if !state.desktop.tray_outdated && state.desktop.tray_looked_at == minute {
        return;
    }
    state.desktop.tray_outdated = false;
    state.desktop.tray_looked_at = minute;
    let look = tray_look(state, now);
    if state.desktop.tray_look.as_ref() != Some(&look) {
        state.desktop.tray_look = Some(look.clone());
        effects.push(DesktopEffect::Tray(look).into());
    }
}

/// Whether the tray item can be seen now.
pub(super) fn tray_status(state: &mut AppState, status: crate::desktop::tray::TrayStatus) {
    if let crate::desktop::tray::TrayStatus::Absent(reason) = &status {
        log::info!("no tray: {reason}");
    }
    state.desktop.tray = status;
}

/// Settings: start (true) or stop starting downshift with the desktop session.
pub(super) fn set_autostart(state: &AppState, on: bool, effects: &mut Vec<Effect>) {
    if let Some(entry) = state.desktop.autostart_entry.clone() {
        effects.push(super::effect::FileEffect::Autostart { entry, on }.into());
    }
}

/// The autostart entry was written or removed (whether it is there now), or why not.
pub(super) fn autostart_written(state: &mut AppState, result: Result<bool, String>) {
    match result {
        Ok(on) => state.desktop.autostart = on,
        Err(reason) => state.notices.push(reason),
    }
}
