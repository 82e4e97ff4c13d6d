//! The settings screen: opened on a draft of the settings, applied as it changes, kept when it
//! closes.

use super::effect::{Effect, FileEffect};
use super::heart;
use super::screen::{Screen, SettingsForm};
use super::state::{AppState, Now};
use crate::practice::paced_sitting;

pub(super) fn open(state: &mut AppState) {
    state.screen = Screen::Settings(Box::new(SettingsForm {
        draft: state.settings.clone(),
        practices: state.library.names().map(str::to_owned).collect(),
        slots_when_opened: state.settings.time_slots.clone(),
        sit_text: state
            .settings
            .reminders
            .sit_minutes
            .map_or_else(String::new, |m| m.to_string()),
        marks_text: state.settings.checkin.own_marks.join(", "),
    }));
}

/// The form changed: the settings are the draft now (kept when the screen closes).
pub(super) fn edited(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::Settings(form) = &mut state.screen {
        let sit = form.draft.reminders.sit_minutes;
        if sit != state.settings.reminders.sit_minutes {
            // A new sitting baseline sets the interval, kept with today's date.
            paced_sitting::set_baseline(&mut form.draft.reminders, sit, now.today());
        }
        let strap_was_on = state.settings.heart_strap.on;
        state.settings.clone_from(&form.draft);
        heart::strap_settings_changed(state, strap_was_on, effects);
    }
}

/// Leaving the screen: the settings are kept, and changed suggestions take effect at once.
pub(super) fn close(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::Settings(form) = &state.screen {
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
        if form.slots_when_opened != state.settings.time_slots {
            state.suggest(now);
        }
        heart::look_for_straps(state, false, effects);
    }
}
