//! Going: the window closed (to the tray, or for good), Quit, and a signal's ending. Whatever is
//! in flight is saved first; unsaved edits are asked about, except when a signal leaves no time.

use super::effect::{DesktopEffect, Effect, FileEffect, ViewportEffect};
use super::screen::Screen;
use super::session_flow::save_in_flight;
use super::state::{AppState, Departure, Now};

/// Said once, the first time the window goes to the tray instead of closing.
pub const IN_THE_TRAY: &str =
    "downshift is still running in the tray, for your reminders. Quit is in its menu.";

/// Saves whatever is in flight before the window closes.
fn leave(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    save_in_flight(state, now, effects);
    if state.departure == Departure::Staying {
        state.departure = Departure::Closing;
    }
}

/// A signal (logout, shutdown, the terminal closed): leave now, asking nothing. What is in
/// flight is saved; unsaved edits in the editor are let go.
pub(super) fn end_now(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if state.departure == Departure::Ending {
        return;
    }
    state.departure = Departure::Ending;
    leave(state, now, effects);
    if matches!(state.screen, Screen::Editor(_)) {
        state.screen = Screen::Home;
    }
    effects.push(ViewportEffect::Close.into());
}

/// Ctrl+Q or the tray's Quit: downshift ends, after asking about unsaved edits.
pub(super) fn quit(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if state.departure == Departure::Ending {
        return;
    }
    // The window's own close follows; it must end downshift, not put it in the tray.
    state.departure = Departure::Quitting;
    if ask_about_unsaved_edits(state) {
        return;
    }
    leave(state, now, effects);
    effects.push(ViewportEffect::Close.into());
}

/// The window's close button, or the desktop closing it: into the tray when downshift stays
/// there, otherwise as Quit; unsaved edits are asked about first.
pub(super) fn close_requested(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if state.departure == Departure::Ending {
        return;
    }
    if ask_about_unsaved_edits(state) {
        if state.departure == Departure::Staying {
            state.departure = Departure::Closing;
        }
        effects.push(ViewportEffect::CancelClose.into());
        return;
    }
    if state.stays_in_tray() && state.departure != Departure::Quitting {
        put_away(state, now, effects);
        return;
    }
    leave(state, now, effects);
}

/// Unsaved edits are never lost silently: the editor asks first. Says whether it asks.
fn ask_about_unsaved_edits(state: &mut AppState) -> bool {
    match &mut state.screen {
        Screen::Editor(editor) if editor.has_changes() && !editor.confirming_leave => {
            editor.confirming_leave = true;
            true
        }
        _ => false,
    }
}

/// The window closed while downshift stays in the tray: a session running ends (and is
/// recorded) as it would on quitting, what is on screen is kept for the next window, and the
/// window goes (its close is not cancelled; downshift runs on without one).
pub(super) fn put_away(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    save_in_flight(state, now, effects);
    if !matches!(state.screen, Screen::Editor(_)) {
        state.screen = Screen::Home;
    }
    state.desktop.window_away = true;
    if !state.settings.tray_notice_shown {
        state.settings.tray_notice_shown = true;
        effects.push(DesktopEffect::Inform(IN_THE_TRAY.to_owned()).into());
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
    }
}
