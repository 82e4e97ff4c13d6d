//! The home screen's choices: which practice is selected, the questions it asks before changing
//! files (delete, restore, start outside gentle mode), importing and exporting a preset file,
//! and the screens it opens about a practice.

use super::effect::{Effect, FileEffect};
use super::screen::{AboutPractice, HomeQuestion, SafetyScreen, Screen};
use super::state::{AppState, Now};
use super::{pain_days, progression, session_flow};
use crate::store::Origin;

/// Picks a practice (an index into the library).
pub(super) fn select(state: &mut AppState, index: usize) {
    if index < state.library.entries.len() {
        state.selected = index;
    }
}

/// The next (true) or previous practice, in the order home lists them.
pub(super) fn select_step(state: &mut AppState, next: bool) {
    let order = state.home_order();
    if let Some(at) = order.iter().position(|&i| i == state.selected) {
        let to = if next {
            (at + 1).min(order.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        state.selected = order[to];
    }
}

/// Yes or no to the question home asked.
pub(super) fn answer(state: &mut AppState, yes: bool, now: &Now, effects: &mut Vec<Effect>) {
    match state.home.question.take() {
        Some(HomeQuestion::StartAnyway) if yes => {
            if let Some(entry) = state.library.entries.get(state.selected) {
                let practice = entry.practice.clone();
                session_flow::start_anyway(state, practice, now, effects);
            }
        }
        Some(HomeQuestion::Delete | HomeQuestion::RestoreOriginal) if yes => {
            remove_selected_preset(state, effects);
        }
        _ => {}
    }
}

/// Deletes the selected preset of one's own; for a customised built-in this restores the
/// original.
fn remove_selected_preset(state: &mut AppState, effects: &mut Vec<Effect>) {
    if let Some(entry) = state.library.entries.get(state.selected)
        && let Origin::User { path, .. } = &entry.origin
    {
        effects.push(
            FileEffect::RemovePreset {
                path: path.clone(),
                name: entry.practice.name.clone(),
            }
            .into(),
        );
    }
}

/// Imports the preset file whose path is typed on home.
pub(super) fn import_typed(state: &mut AppState, effects: &mut Vec<Effect>) {
    let typed = state.home.file_path.trim();
    if typed.is_empty() {
        state
            .notices
            .push("Type the path of a preset file to import first.");
    } else {
        effects.push(FileEffect::ImportPreset(typed.into()).into());
    }
}

/// Imports preset files dropped on the window.
pub(super) fn import_dropped(files: Vec<std::path::PathBuf>, effects: &mut Vec<Effect>) {
    effects.extend(
        files
            .into_iter()
            .map(|file| FileEffect::ImportPreset(file).into()),
    );
}

/// Exports the selected practice to the file whose path is typed on home.
pub(super) fn export_selected(state: &AppState, effects: &mut Vec<Effect>) {
    if let Some(entry) = state.library.entries.get(state.selected) {
        effects.push(
            FileEffect::ExportPreset {
                practice: Box::new(entry.practice.clone()),
                to: state.home.file_path.trim().into(),
            }
            .into(),
        );
    }
}

/// Notes, sources and gentle-mode fit of the selected practice, at the person's level.
pub(super) fn open_about(state: &mut AppState) {
    if let Some(entry) = state.library.entries.get(state.selected) {
        let practice = progression::at_current_level(&state.progress, entry.practice.clone());
        state.screen = Screen::About(Box::new(AboutPractice::of(&practice)));
    }
}

/// The safety note, from home or the summary (back to which it returns), with the word about
/// pain that has not eased when there is one.
pub(super) fn open_safety(state: &mut AppState, now: &Now) {
    let back_to = match std::mem::replace(&mut state.screen, Screen::Home) {
        Screen::Summary(summary) => Some(summary),
        _ => None,
    };
    let red_flag = pain_days::red_flag(state, now);
    state.screen = Screen::Safety(Box::new(SafetyScreen {
        then: None,
        back_to,
        red_flag,
        resonance_test: false,
    }));
}

/// Back from a secondary screen to home (Esc): Settings are kept on the way, the question after
/// a session is skipped, the safety note returns to the summary it was opened from; a session,
/// the editor and the summary have their own ways out.
pub(super) fn back(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    use super::screen::RatingStage;
    match &mut state.screen {
        Screen::Settings(_) => super::settings_form::close(state, now, effects),
        // Escape on the question after a session skips it; before one, back home, nothing begun.
        Screen::Rating(screen) if matches!(screen.stage, RatingStage::After { .. }) => {
            return session_flow::rate(state, None, now, effects);
        }
        Screen::Session(_) | Screen::Editor(_) | Screen::Summary(_) => return,
        Screen::Safety(screen) => {
            if let Some(summary) = screen.back_to.take() {
                state.screen = Screen::Summary(summary);
                return;
            }
        }
        _ => {}
    }
    state.screen = Screen::Home;
}
