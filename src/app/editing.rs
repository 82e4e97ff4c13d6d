//! The preset editor: opened on a new, an existing or a copied practice, changed, checked,
//! saved, and left (asking first when there are unsaved edits); and the library as it is read
//! again after a preset file changed.

use super::effect::{Effect, FileEffect, ViewportEffect};
use super::preset_files::free_name;
use super::screen::{Editor, Screen, StepEdit};
use super::state::{AppState, Now};
use crate::practice::Practice;
use crate::store::{Library, Origin};

/// The names taken, as the editor compares them (trimmed, in lower case).
fn taken_names(state: &AppState) -> Vec<String> {
    state
        .library
        .names()
        .map(|n| n.trim().to_lowercase())
        .collect()
}

fn open(
    state: &mut AppState,
    practice: Practice,
    path: Option<std::path::PathBuf>,
    original: Option<String>,
    now: &Now,
) {
    let editor = Editor::new(practice, path, original, taken_names(state), now.mono)
        .in_gentle_mode(state.settings.gentle_mode);
    state.screen = Screen::Editor(Box::new(editor));
}

pub(super) fn new_preset(state: &mut AppState, now: &Now) {
    open(state, Editor::blank_practice(), None, None, now);
}

/// The selected practice: one's own in its file, a built-in to customise.
pub(super) fn edit_selected(state: &mut AppState, now: &Now) {
    if let Some(entry) = state.library.entries.get(state.selected).cloned() {
        let path = match entry.origin {
            Origin::User { path, .. } => Some(path),
            Origin::BuiltIn => None,
        };
        let name = entry.practice.name.clone();
        open(state, entry.practice, path, Some(name), now);
    }
}

/// A copy of the selected practice under a free name.
pub(super) fn duplicate_selected(state: &mut AppState, now: &Now) {
    if let Some(entry) = state.library.entries.get(state.selected) {
        let mut copy = entry.practice.clone();
        copy.name = free_name(&state.library, &copy.name);
        open(state, copy, None, None, now);
    }
}

pub(super) fn edit_steps(state: &mut AppState, edit: StepEdit) {
    if let Screen::Editor(editor) = &mut state.screen {
        editor.edit_steps(edit);
    }
}

/// The form changed: check it again.
pub(super) fn draft_edited(state: &mut AppState) {
    if let Screen::Editor(editor) = &mut state.screen {
        editor.check();
    }
}

pub(super) fn save(state: &mut AppState, effects: &mut Vec<Effect>) {
    state.stay();
    if let Screen::Editor(editor) = &state.screen
        && editor.can_save()
    {
        effects.push(
            FileEffect::SavePreset {
                path: editor.path.clone(),
                practice: Box::new(editor.draft.clone()),
            }
            .into(),
        );
    }
}

/// Back: home, or the question first when there are unsaved edits.
pub(super) fn leave(state: &mut AppState) {
    // Back, rather than the Discard a quit asked for: the person stays.
    state.stay();
    if let Screen::Editor(editor) = &mut state.screen {
        if editor.has_changes() {
            editor.confirming_leave = true;
        } else {
            state.screen = Screen::Home;
        }
    }
}

/// The unsaved edits are let go; a close that waited on them goes on.
pub(super) fn discard(state: &mut AppState, effects: &mut Vec<Effect>) {
    if matches!(state.screen, Screen::Editor(_)) {
        state.screen = Screen::Home;
        if state.departure.is_leaving() {
            effects.push(ViewportEffect::Close.into());
        }
    }
}

pub(super) fn keep_editing(state: &mut AppState) {
    state.stay();
    if let Screen::Editor(editor) = &mut state.screen {
        editor.confirming_leave = false;
    }
}

/// The editor stays open after a save; its file and name are now these.
pub(super) fn preset_saved(state: &mut AppState, path: std::path::PathBuf, name: &str) {
    if let Screen::Editor(editor) = &mut state.screen
        && editor.draft.name == name
    {
        editor.mark_saved(path);
    }
}

/// The presets as read from disk again, keeping `select` chosen.
pub(super) fn library_loaded(state: &mut AppState, library: Library, select: Option<String>) {
    state.library = library;
    if let Some(index) = select.and_then(|name| state.library.position(&name)) {
        state.selected = index;
    }
    state.selected = state
        .selected
        .min(state.library.entries.len().saturating_sub(1));
    let taken = taken_names(state);
    if let Screen::Editor(editor) = &mut state.screen {
        editor.taken_names = taken;
        editor.check();
    }
}
