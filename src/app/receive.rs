//! What comes back from the runtime, and the passing of time.

use std::sync::Arc;

use super::effect::{Effect, Message, ViewportEffect};
use super::flow::{
    NO_SOUND, SOUND_STOPPED, attach_cues, finish_session, glance_text, set_saved, start_reminder,
};
use super::kept::KeptSession;
use super::screen::{SaveStatus, Screen};
use super::state::{AppState, HistoryCache, Now, SoundStatus};
use super::update::{open_history, taken_names};
use crate::practice::estimated_seconds;
use crate::practice::reminders::{Activity, ReminderKind};
use crate::store::reminder_days::ReminderAnswer;

/// How long a micro-rest takes when its practice is not in the list.
const USUAL_REST: jiff::SignedDuration = jiff::SignedDuration::from_mins(2);

/// Handles what the runtime reports.
pub fn receive(state: &mut AppState, message: Message, now: &Now, effects: &mut Vec<Effect>) {
    state.desktop.tray_outdated = true;
    match message {
        Message::SoundReady {
            sample_rate,
            problems,
        } => {
            state.sound = SoundStatus::Ready { sample_rate };
            state.notices.withdraw(NO_SOUND);
            state.notices.withdraw(SOUND_STOPPED);
            for problem in problems {
                state.notices.push(problem);
            }
            if let Screen::Session(session) = &mut state.screen
                && !session.is_ended()
            {
                attach_cues(session, sample_rate, &state.settings, effects);
            }
        }
        Message::SoundUnavailable(reason) => {
            log::warn!("no sound device: {reason}");
            // Asked for again when the next session starts: a device may be there by then.
            state.sound = SoundStatus::NotOpened;
            if state.is_in_session() {
                state.notices.push(NO_SOUND);
            }
        }
        Message::SoundLost => {
            // The next session asks for a device again.
            state.sound = SoundStatus::NotOpened;
            if let Screen::Session(session) = &mut state.screen {
                session.lose_sound(now.mono);
                state.notices.push(SOUND_STOPPED);
            }
        }
        message @ (Message::CheckInsLoaded(_) | Message::CheckInWritten { .. }) => {
            super::pain_days::receive(state, message, now);
        }
        Message::CuesJoined(id) => {
            if let Screen::Session(session) = &mut state.screen
                && session.id() == id
            {
                session.join_cues(now.mono);
            }
        }
        Message::HistoryLoaded(loaded) => {
            state.history = match loaded {
                Ok(history) => HistoryCache::Loaded {
                    records: Arc::new(history.sessions),
                    problems: history.problems,
                    names: history.names,
                },
                Err(reason) => HistoryCache::Failed(reason),
            };
            state.glance = glance_text(state, now);
        }
        Message::Recovered { sessions, problems } => {
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
        Message::RecordSaved(record) => {
            if let HistoryCache::Loaded { records, names, .. } = &mut state.history {
                Arc::make_mut(records).push(KeptSession::of(&record, names));
            }
            set_saved(state, &record.id, SaveStatus::Saved);
            state.glance = glance_text(state, now);
        }
        Message::RecordNotSaved { record, reason } => {
            let message = format!(
                "This session could not be saved to {}: {reason}",
                state.data_dir.history_path().display()
            );
            log::warn!("{message} ({record:?})");
            set_saved(state, &record.id, SaveStatus::Failed(message));
        }
        Message::RecordDeleted { id, result } => {
            if let (Ok(true), HistoryCache::Loaded { records, .. }) = (&result, &mut state.history)
            {
                Arc::make_mut(records).retain(|r| *r.id != *id);
            }
            if let Screen::History(screen) = &state.screen {
                let filter = screen.filter_name().map(str::to_owned);
                open_history(state, now);
                if let Screen::History(screen) = &mut state.screen {
                    screen.filter_to(filter.as_deref());
                    screen.message = Some(match result {
                        Ok(true) => "The session was deleted.".to_owned(),
                        Ok(false) => "That session was already gone.".to_owned(),
                        Err(e) => format!("The session could not be deleted: {e}"),
                    });
                }
            }
            state.glance = glance_text(state, now);
        }
        Message::LibraryLoaded { library, select } => {
            state.library = *library;
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
        Message::PresetSaved { path, name } => {
            if let Screen::Editor(editor) = &mut state.screen
                && editor.draft.name == name
            {
                // The editor stays open; its file and name are now these.
                editor.mark_saved(path);
            }
        }
        Message::Notice(text) => state.notices.push(text),
        Message::HistoryMessage(text) => {
            if let Screen::History(screen) = &mut state.screen {
                screen.message = Some(text);
            }
        }
        Message::Notification(event) => {
            use crate::desktop::notify::NotifierEvent;
            match event {
                // Answered in the notification, perhaps with the window minimised.
                NotifierEvent::Start => {
                    effects.push(Effect::Viewport(ViewportEffect::BringUp));
                    start_reminder(state, now, effects);
                }
                NotifierEvent::Later => {
                    if state.reminders.showing().is_some() {
                        state.count_reminder(ReminderAnswer::Later, now, effects);
                    }
                    state
                        .reminders
                        .later(&state.settings.reminders, now.local());
                    effects.push(Effect::WithdrawNotification);
                }
                NotifierEvent::Open => effects.push(Effect::Viewport(ViewportEffect::BringUp)),
                NotifierEvent::Unavailable(reason) => {
                    // No notification service: the window itself comes up, without taking the
                    // keyboard from whatever the person is typing into.
                    log::info!("no desktop notifications ({reason}); raising the window");
                    // Also from the tray: the reminder is in the window, so it must be seen.
                    state.desktop.window_away = false;
                    effects.push(Effect::Viewport(ViewportEffect::Attention));
                }
            }
        }
        Message::Activated => super::background::bring_up(state, effects),
        Message::Tray(event) => super::background::tray_event(state, event, now, effects),
        Message::TrayStatus(status) => {
            if let crate::desktop::tray::TrayStatus::Absent(reason) = &status {
                log::info!("no tray: {reason}");
            }
            state.desktop.tray = status;
        }
        Message::Autostart(Ok(on)) => state.desktop.autostart = on,
        Message::Autostart(Err(reason)) => state.notices.push(reason),
        Message::Surroundings(surroundings) => {
            state.surroundings = surroundings;
            state.desktop.surroundings_read = true;
            tick(state, now, effects);
        }
    }
}

/// The passing of time: a practice reaching its end, reminders falling due. Runs every frame and
/// while the window is hidden.
pub fn tick(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::Session(session) = &mut state.screen {
        if session.is_finished(now.mono) {
            finish_session(state, false, now, effects);
        } else if let Some(mut record) = session.checkpoint_due(now.mono) {
            record.tension_before = state.tension_before;
            effects.push(Effect::Checkpoint {
                record: Box::new(record),
                running: Some(Box::new(super::effect::RunningSession {
                    session: session.without_sound(),
                    tension_before: state.tension_before,
                })),
            });
        }
    }
    super::pain_days::notify_when_due(state, now, effects);
    if state.desktop.watching && !state.desktop.surroundings_read {
        // Nothing is known yet of a meeting or do-not-disturb (the first reading is on its
        // way): a reminder shown now might be shown into one, and again when it ends.
        return;
    }
    let activity = match &state.screen {
        Screen::Session(session) => Activity::InSession(&session.practice().name),
        Screen::Rating(screen) => Activity::InSession(&screen.practice().name),
        _ => Activity::Free,
    };
    let rest_length = micro_rest_length(state);
    let was_showing = state.reminders.showing().is_some();
    if let Some(reminder) = state.reminders.tick(
        &state.settings.reminders,
        now.local(),
        activity,
        state.surroundings,
        rest_length,
    ) {
        if reminder.kind == ReminderKind::MicroRest {
            state.count_reminder(ReminderAnswer::NudgeShown, now, effects);
        }
        effects.push(Effect::Notify(reminder));
        state.desktop.tray_outdated = true;
    } else if was_showing && state.reminders.showing().is_none() {
        effects.push(Effect::WithdrawNotification);
        state.desktop.tray_outdated = true;
    }
}

/// How long the chosen micro-rest practice takes: being idle that long is a rest.
fn micro_rest_length(state: &AppState) -> jiff::SignedDuration {
    let chosen = &state.settings.reminders.micro_rest_practice;
    state
        .library
        .find(chosen)
        .and_then(|entry| {
            jiff::SignedDuration::try_from_secs_f64(estimated_seconds(&entry.practice)).ok()
        })
        .unwrap_or(USUAL_REST)
}

/// How long until `tick` may have something to do about reminders.
pub fn next_reminder_check(state: &AppState, now: &Now) -> Option<std::time::Duration> {
    let wait = state
        .reminders
        .next_check(&state.settings.reminders, now.local())?;
    Some(std::time::Duration::from_secs(wait.as_secs().max(0) as u64))
}
