//! What comes back from the runtime (`receive`: one named function per message, in the module
//! of what it is about), and the passing of time (`tick`).

use super::effect::{Effect, Message};
use super::state::{AppState, Now};
use super::{background, editing, heart, history_view, pain_days, reminders, session_flow};

/// Handles what the runtime reports.
pub fn receive(state: &mut AppState, message: Message, now: &Now, effects: &mut Vec<Effect>) {
    state.desktop.tray_outdated = true;
    match message {
        Message::SoundReady {
            sample_rate,
            problems,
        } => session_flow::sound_ready(state, sample_rate, problems, effects),
        Message::SoundUnavailable(reason) => session_flow::sound_unavailable(state, &reason),
        Message::SoundLost => session_flow::sound_lost(state, now),
        Message::CuesJoined(id) => session_flow::cues_joined(state, id, now),
        Message::CheckInsLoaded(read) => pain_days::checkins_loaded(state, read),
        Message::CheckInWritten { checkin, result } => {
            pain_days::checkin_written(state, *checkin, result)
        }
        Message::HistoryLoaded(loaded) => history_view::loaded(state, loaded, now),
        Message::Recovered { sessions, problems } => recovered(state, sessions, problems),
        Message::RecordSaved(record) => session_flow::record_saved(state, &record, now),
        Message::RecordNotSaved { record, reason } => {
            session_flow::record_not_saved(state, &record, &reason)
        }
        Message::RecordDeleted { id, result } => history_view::deleted(state, &id, result, now),
        Message::LibraryLoaded { library, select } => {
            editing::library_loaded(state, *library, select)
        }
        Message::PresetSaved { path, name } => editing::preset_saved(state, path, &name),
        Message::Notice(text) => state.notices.push(text),
        Message::HistoryMessage(text) => history_view::on_screen(state, |s| s.message = Some(text)),
        Message::Notification(event) => {
            reminders::notification_answered(state, event, now, effects)
        }
        Message::Activated => background::bring_up(state, effects),
        Message::Tray(event) => background::tray_event(state, event, now, effects),
        Message::TrayStatus(status) => background::tray_status(state, status),
        Message::Autostart(result) => background::autostart_written(state, result),
        Message::Heart(event) => heart::heart_event(state, event, now),
        Message::StrapScan(event) => heart::strap_scan(state, event),
        Message::Surroundings(surroundings) => {
            state.surroundings = surroundings;
            state.desktop.surroundings_read = true;
            tick(state, now, effects);
        }
    }
}

/// Sessions cut off last time are in the history now: said once, with what could not be read.
fn recovered(state: &mut AppState, sessions: usize, problems: Vec<String>) {
    match sessions {
        0 => {}
        1 => state
            .notices
            .push("A session that was cut off last time is now in your history."),
        n => state.notices.push(format!(
            "{n} sessions that were cut off are now in your history."
        )),
    }
    for problem in problems {
        state.notices.push(problem);
    }
}

/// The passing of time: a practice reaching its end, checkpoints, the check-in's notification,
/// reminders falling due. Runs every frame and while the window is hidden.
pub fn tick(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    session_flow::keep_session(state, now, effects);
    heart::keep_straps(state, effects);
    pain_days::notify_when_due(state, now, effects);
    reminders::keep_reminders(state, now, effects);
}
