//! The history screen: opened on the history as the app holds it (read once, kept up to date),
//! filtered, a session deleted, everything exported; and what the files worker says back.

use std::sync::Arc;

use super::effect::{Effect, FileEffect};
use super::kept::KeptHistory;
use super::screen::{ExportFormat, HistoryScreen, Screen};
use super::state::{AppState, HistoryCache, Now};

/// Shows the history as the app holds it: read once in the background, kept up to date since.
pub(super) fn open(state: &mut AppState, now: &Now) {
    match &state.history {
        HistoryCache::Loaded {
            records, problems, ..
        } => {
            let screen = HistoryScreen::new(Arc::clone(records), problems.clone(), now.today());
            state.screen = Screen::History(Box::new(screen));
        }
        HistoryCache::Loading => state
            .notices
            .push("Your history is still being read; try again in a moment."),
        HistoryCache::Failed(reason) => state.notices.push(format!(
            "The history in {} cannot be read: {reason}",
            state.data_dir.history_path().display()
        )),
    }
}

/// Something asked of the history screen, when it is open.
pub(super) fn on_screen(state: &mut AppState, change: impl FnOnce(&mut HistoryScreen)) {
    if let Screen::History(screen) = &mut state.screen {
        change(screen);
    }
}

/// The session the person confirmed goes from the log.
pub(super) fn delete_confirmed(state: &mut AppState, effects: &mut Vec<Effect>) {
    if let Screen::History(screen) = &mut state.screen
        && let Some(id) = screen.confirmed_deletion().map(str::to_owned)
    {
        screen.ask_to_delete(false);
        screen.message = Some("Deleting…".to_owned());
        effects.push(FileEffect::DeleteRecord { id }.into());
    }
}

/// Every session, in full, to a dated file in the data folder's `exports/`.
pub(super) fn export(
    state: &mut AppState,
    format: ExportFormat,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    if let Screen::History(screen) = &mut state.screen {
        let extension = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        };
        let name = format!("history-{}.{extension}", now.today());
        screen.message = Some("Exporting…".to_owned());
        effects.push(
            FileEffect::ExportHistory {
                format,
                to: state.data_dir.root().join("exports").join(name),
            }
            .into(),
        );
    }
}

/// The history as read in the background.
pub(super) fn loaded(state: &mut AppState, history: Result<KeptHistory, String>, now: &Now) {
    state.history = HistoryCache::read(history, now.today());
}

/// A session was deleted from the log (or was gone already): the screen shows what is left.
pub(super) fn deleted(state: &mut AppState, id: &str, result: Result<bool, String>, now: &Now) {
    if result == Ok(true) {
        state.history.remove(id, now.today());
    }
    if let Screen::History(screen) = &state.screen {
        let filter = screen.filter_name().map(str::to_owned);
        open(state, now);
        if let Screen::History(screen) = &mut state.screen {
            screen.filter_to(filter.as_deref());
            screen.message = Some(match result {
                Ok(true) => "The session was deleted.".to_owned(),
                Ok(false) => "That session was already gone.".to_owned(),
                Err(e) => format!("The session could not be deleted: {e}"),
            });
        }
    }
}
