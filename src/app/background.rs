//! downshift between sessions, with its window closed: the tray item, what its menu asks for,
//! putting the window away instead of quitting while reminders are on, and starting with the
//! desktop session. Pure rules over the state; the tray and the autostart file are the runtime's.

use std::path::PathBuf;

use super::effect::{Effect, ViewportEffect};
use super::flow;
use super::screen::Screen;
use super::state::{AppState, Now};
use crate::desktop::tray::{PauseFor, TrayEvent, TrayLook, TrayStatus};

/// What the desktop side of downshift is doing, for Settings to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesktopStatus {
    pub tray: TrayStatus,
    /// The XDG autostart entry downshift writes, where there is one to write.
    pub autostart_entry: Option<PathBuf>,
    /// Whether that entry is there (read when the app opened, then as written).
    pub autostart: bool,
    /// The window is put away (in the tray, or never shown: `--background`).
    pub window_away: bool,
    /// What the tray item was last asked to show.
    pub tray_look: Option<TrayLook>,
    /// The local minute that look was worked out in; and whether a command or message came
    /// since, which may have changed it. Between the two it is not worked out again (it would
    /// be on every frame of a session).
    pub tray_looked_at: Option<(jiff::civil::Date, i8, i8)>,
    pub tray_outdated: bool,
    /// Idle time, full screen and do-not-disturb are being read (only while reminders are on).
    pub watching: bool,
    /// The first reading since watching began has come: until then nothing is known of a
    /// meeting or do-not-disturb, so no reminder falls due.
    pub surroundings_read: bool,
    /// Quit was asked for (the tray's Quit, Ctrl+Q): the close that follows ends downshift.
    pub quitting: bool,
}

impl Default for DesktopStatus {
    fn default() -> Self {
        DesktopStatus {
            tray: TrayStatus::Starting,
            autostart_entry: None,
            autostart: false,
            window_away: false,
            tray_look: None,
            tray_looked_at: None,
            tray_outdated: true,
            watching: false,
            surroundings_read: false,
            quitting: false,
        }
    }
}

/// Said once, the first time the window goes to the tray instead of closing.
pub const IN_THE_TRAY: &str =
    "downshift is still running in the tray, for your reminders. Quit is in its menu.";

impl AppState {
    /// The person stays after all (a quit waiting on the unsaved-edits question was answered
    /// with Save, Back or Keep editing).
    pub fn stay(&mut self) {
        self.leaving = false;
        self.desktop.quitting = false;
    }

    /// Closing the window puts it away rather than ending downshift: reminders are on, the
    /// person wants it so, and there is a tray to come back from.
    pub fn stays_in_tray(&self) -> bool {
        self.settings.keep_in_tray
            && self.settings.reminders.any()
            && self.desktop.tray == TrayStatus::Shown
    }
}

/// The window closed while downshift stays in the tray: a session running ends (and is
/// recorded) as it would on quitting, what is on screen is kept, and the window goes away.
pub(super) fn put_away(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    flow::save_in_flight(state, now, effects);
    if !matches!(state.screen, Screen::Editor(_)) {
        state.screen = Screen::Home;
    }
    state.desktop.window_away = true;
    effects.push(Effect::Viewport(ViewportEffect::CancelClose));
    effects.push(Effect::Viewport(ViewportEffect::Hide));
    if !state.settings.tray_notice_shown {
        state.settings.tray_notice_shown = true;
        effects.push(Effect::Inform(IN_THE_TRAY.to_owned()));
        effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
    }
}

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
                flow::start_named(state, &name, now, effects);
            }
        }
        TrayEvent::MicroRestNow => {
            bring_up(state, effects);
            let name = state.settings.reminders.micro_rest_practice.clone();
            flow::start_named(state, &name, now, effects);
        }
        TrayEvent::PauseReminders(length) => {
            let until = pause_end(length, now.local());
            super::update(
                state,
                super::Command::PauseReminders(Some(until)),
                now,
                effects,
            );
        }
        TrayEvent::ResumeReminders => {
            super::update(state, super::Command::PauseReminders(None), now, effects);
        }
        TrayEvent::Quit => {
            // Unsaved edits are asked about in the window, so it comes up first.
            bring_up(state, effects);
            super::update(state, super::Command::Quit, now, effects);
        }
    }
}

/// The window comes out of the tray (or up from behind others) and takes the keyboard.
pub(super) fn bring_up(state: &mut AppState, effects: &mut Vec<Effect>) {
    state.desktop.window_away = false;
    effects.push(Effect::Viewport(ViewportEffect::BringUp));
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
        effects.push(Effect::WatchSurroundings(watch));
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
        effects.push(Effect::Tray(look));
    }
}
