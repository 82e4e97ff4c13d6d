//! `update`: one command applied to the state, returning what must be done in the world.
//! `receive` does the same for what the runtime reports back, and `tick` for the passing of time
//! (a practice reaching its end, reminders falling due). Nothing here waits or touches a file.

use std::sync::Arc;

use super::Command;
use super::effect::{Effect, Message, ViewportEffect};
use super::ops;
use super::screen::{
    Editor, ExportFormat, HistoryScreen, RatingScreen, RatingStage, SaveStatus, Screen,
    SessionSummary, SettingsForm,
};
use super::state::{AppState, HistoryCache, Now, SoundStatus};
use crate::audio::SessionControl;
use crate::practice::Practice;
use crate::practice::reminders::Activity;
use crate::session::{CuePlan, LiveSession, SoundChoice};
use crate::store::history::StartTime;
use crate::store::{Origin, SessionRecord};

/// What the person sees when sound is not to be had during a session.
pub const NO_SOUND: &str = "No sound device: the session runs silently.";
pub const SOUND_STOPPED: &str = "The sound device stopped: the session goes on silently.";

/// Applies `command` at `now`; what must happen in the world is pushed onto `effects`.
pub fn update(state: &mut AppState, command: Command, now: &Now, effects: &mut Vec<Effect>) {
    match command {
        Command::Select(index) => {
            if index < state.library.entries.len() {
                state.selected = index;
            }
        }
        Command::SelectNext => {
            if state.selected + 1 < state.library.entries.len() {
                state.selected += 1;
            }
        }
        Command::SelectPrevious => state.selected = state.selected.saturating_sub(1),
        Command::Start => start_selected(state, now, effects),
        Command::Rate(value) => rate(state, value, now, effects),
        Command::RatingKey(key) => {
            if let Screen::Rating(screen) = &mut state.screen
                && let Some(value) = screen.key(key)
            {
                rate(state, Some(value), now, effects);
            }
        }
        Command::ReminderStart => start_reminder(state, now, effects),
        Command::ReminderLater => {
            state
                .reminders
                .later(&state.settings.reminders, now.local());
            effects.push(Effect::WithdrawNotification);
        }
        Command::AnswerOffer(accepted) => answer_offer(state, accepted, now, effects),
        Command::NewPreset => open_editor(state, Editor::blank_practice(), None, None, now),
        Command::EditPreset => {
            if let Some(entry) = state.library.entries.get(state.selected).cloned() {
                let path = match entry.origin {
                    Origin::User { path, .. } => Some(path),
                    Origin::BuiltIn => None,
                };
                let name = entry.practice.name.clone();
                open_editor(state, entry.practice, path, Some(name), now);
            }
        }
        Command::DuplicatePreset => {
            if let Some(entry) = state.library.entries.get(state.selected) {
                let mut copy = entry.practice.clone();
                copy.name = ops::free_name(&state.library, &copy.name);
                open_editor(state, copy, None, None, now);
            }
        }
        Command::AskHome(question) => state.home.question = Some(question),
        Command::AnswerHome(yes) => {
            if yes && state.home.question.is_some() {
                remove_selected_preset(state, effects);
            }
            state.home.question = None;
        }
        Command::ImportPreset => {
            let typed = state.home.file_path.trim();
            if typed.is_empty() {
                state
                    .notices
                    .push("Type the path of a preset file to import first.");
            } else {
                effects.push(Effect::ImportPreset(typed.into()));
            }
        }
        Command::ImportFiles(files) => {
            effects.extend(files.into_iter().map(Effect::ImportPreset));
        }
        Command::ExportPreset => {
            if let Some(entry) = state.library.entries.get(state.selected) {
                effects.push(Effect::ExportPreset {
                    practice: Box::new(entry.practice.clone()),
                    to: state.home.file_path.trim().into(),
                });
            }
        }
        Command::EditSteps(edit) => {
            if let Screen::Editor(editor) = &mut state.screen {
                editor.edit_steps(edit);
            }
        }
        Command::DraftEdited => {
            if let Screen::Editor(editor) = &mut state.screen {
                editor.check();
            }
        }
        Command::SavePreset => {
            if let Screen::Editor(editor) = &state.screen
                && editor.can_save()
            {
                effects.push(Effect::SavePreset {
                    path: editor.path.clone(),
                    practice: Box::new(editor.draft.clone()),
                });
            }
        }
        Command::LeaveEditor => {
            if let Screen::Editor(editor) = &mut state.screen {
                if editor.has_changes() {
                    editor.confirming_leave = true;
                } else {
                    state.screen = Screen::Home;
                }
            }
        }
        Command::DiscardEdits => {
            if matches!(state.screen, Screen::Editor(_)) {
                state.screen = Screen::Home;
                if state.leaving {
                    effects.push(Effect::Viewport(ViewportEffect::Close));
                }
            }
        }
        Command::KeepEditing => {
            state.leaving = false;
            if let Screen::Editor(editor) = &mut state.screen {
                editor.confirming_leave = false;
            }
        }
        Command::TogglePause => {
            if let Screen::Session(session) = &mut state.screen {
                session.toggle_pause(now.mono);
            }
        }
        Command::SkipStep => {
            if let Screen::Session(session) = &mut state.screen {
                session.skip_step(now.mono);
            }
        }
        Command::EndSession => finish_session(state, false, now, effects),
        Command::ToggleMute => {
            state.settings.muted = !state.settings.muted;
            if let Screen::Session(session) = &state.screen {
                session.set_muted(state.settings.muted);
            }
            effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
        }
        Command::ToggleFullscreen => {
            state.fullscreen = !state.fullscreen;
            effects.push(Effect::Viewport(ViewportEffect::Fullscreen(
                state.fullscreen,
            )));
        }
        Command::Dismiss => {
            if matches!(state.screen, Screen::Summary(_)) {
                state.glance = glance_text(state, now);
                state.screen = Screen::Home;
            }
        }
        Command::OpenSettings => {
            state.screen = Screen::Settings(Box::new(SettingsForm {
                draft: state.settings.clone(),
                practices: state.library.names().map(str::to_owned).collect(),
                slots_when_opened: state.settings.time_slots.clone(),
            }));
        }
        Command::SettingsEdited => {
            if let Screen::Settings(form) = &state.screen {
                state.settings.clone_from(&form.draft);
            }
        }
        Command::OpenHistory => open_history(state, now),
        Command::HistoryFilter(filter) => {
            if let Screen::History(screen) = &mut state.screen {
                screen.set_filter(filter);
            }
        }
        Command::HistoryDays(days) => {
            if let Screen::History(screen) = &mut state.screen {
                screen.set_chart_days(days);
            }
        }
        Command::HistorySelect(index) => {
            if let Screen::History(screen) = &mut state.screen {
                screen.select(index);
            }
        }
        Command::AskDeleteSession(asking) => {
            if let Screen::History(screen) = &mut state.screen {
                screen.ask_to_delete(asking);
            }
        }
        Command::DeleteSession => {
            if let Screen::History(screen) = &mut state.screen
                && let Some(id) = screen.confirmed_deletion().map(str::to_owned)
            {
                screen.ask_to_delete(false);
                screen.message = Some("Deleting…".to_owned());
                effects.push(Effect::DeleteRecord { id });
            }
        }
        Command::ExportHistory(format) => {
            if let Screen::History(screen) = &mut state.screen {
                let extension = match format {
                    ExportFormat::Csv => "csv",
                    ExportFormat::Json => "json",
                };
                let name = format!("history-{}.{extension}", now.today());
                screen.message = Some("Exporting…".to_owned());
                effects.push(Effect::ExportHistory {
                    format,
                    records: Arc::clone(&screen.records),
                    to: state.data_dir.root().join("exports").join(name),
                });
            }
        }
        Command::CloseScreen => close_screen(state, now, effects),
        Command::DismissNotice(id) => state.notices.dismiss(id),
        Command::Quit | Command::CloseRequested => {
            let cancel_close = command == Command::CloseRequested;
            if let Screen::Editor(editor) = &mut state.screen
                && editor.has_changes()
                && !editor.confirming_leave
            {
                // Unsaved edits are never lost silently: ask first.
                editor.confirming_leave = true;
                state.leaving = true;
                if cancel_close {
                    effects.push(Effect::Viewport(ViewportEffect::CancelClose));
                }
                return;
            }
            leave(state, now, effects);
            if !cancel_close {
                effects.push(Effect::Viewport(ViewportEffect::Close));
            }
        }
    }
}

/// Handles what the runtime reports.
pub fn receive(state: &mut AppState, message: Message, now: &Now, effects: &mut Vec<Effect>) {
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
            state.sound = SoundStatus::Unavailable;
            if state.is_in_session() {
                state.notices.push(NO_SOUND);
            }
        }
        Message::SoundLost => {
            state.sound = SoundStatus::Unavailable;
            if let Screen::Session(session) = &mut state.screen {
                session.lose_sound(now.mono);
                state.notices.push(SOUND_STOPPED);
            }
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
                    records: Arc::new(history.records),
                    problems: history.problems,
                },
                Err(reason) => HistoryCache::Failed(reason),
            };
            state.glance = glance_text(state, now);
        }
        Message::RecordSaved(record) => {
            if let HistoryCache::Loaded { records, .. } = &mut state.history {
                Arc::make_mut(records).push(*record);
            }
            set_saved(state, SaveStatus::Saved);
            state.glance = glance_text(state, now);
        }
        Message::RecordNotSaved { record, reason } => {
            let message = format!(
                "This session could not be saved to {}: {reason}",
                state.data_dir.history_path().display()
            );
            log::warn!("{message} ({record:?})");
            set_saved(state, SaveStatus::Failed(message));
        }
        Message::RecordDeleted { id, result } => {
            if let (Ok(true), HistoryCache::Loaded { records, .. }) = (&result, &mut state.history)
            {
                Arc::make_mut(records).retain(|r| r.id != id);
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
                    effects.push(Effect::Viewport(ViewportEffect::Attention));
                }
            }
        }
    }
}

/// The passing of time: a practice reaching its end, reminders falling due. Runs every frame and
/// while the window is hidden.
pub fn tick(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::Session(session) = &mut state.screen
        && session.is_finished(now.mono)
    {
        finish_session(state, false, now, effects);
    }
    let activity = match &state.screen {
        Screen::Session(session) => Activity::InSession(&session.practice().name),
        Screen::Rating(screen) => Activity::InSession(&screen.practice().name),
        _ => Activity::Free,
    };
    let was_showing = state.reminders.showing().is_some();
    if let Some(reminder) = state
        .reminders
        .tick(&state.settings.reminders, now.local(), activity)
    {
        effects.push(Effect::Notify(reminder));
    } else if was_showing && state.reminders.showing().is_none() {
        effects.push(Effect::WithdrawNotification);
    }
}

/// How long until `tick` may have something to do about reminders.
pub fn next_reminder_check(state: &AppState, now: &Now) -> Option<std::time::Duration> {
    let wait = state
        .reminders
        .next_check(&state.settings.reminders, now.local())?;
    Some(std::time::Duration::from_secs(wait.as_secs().max(0) as u64))
}

fn set_saved(state: &mut AppState, status: SaveStatus) {
    if let Screen::Summary(summary) = &mut state.screen
        && summary.saved == SaveStatus::Saving
    {
        summary.saved = status;
    }
}

fn taken_names(state: &AppState) -> Vec<String> {
    state
        .library
        .names()
        .map(|n| n.trim().to_lowercase())
        .collect()
}

fn open_editor(
    state: &mut AppState,
    practice: Practice,
    path: Option<std::path::PathBuf>,
    original: Option<String>,
    now: &Now,
) {
    let editor = Editor::new(practice, path, original, taken_names(state), now.mono);
    state.screen = Screen::Editor(Box::new(editor));
}

/// Deletes the selected preset of one's own; for a customised built-in this restores the
/// original.
fn remove_selected_preset(state: &mut AppState, effects: &mut Vec<Effect>) {
    if let Some(entry) = state.library.entries.get(state.selected)
        && let Origin::User { path, .. } = &entry.origin
    {
        effects.push(Effect::RemovePreset {
            path: path.clone(),
            name: entry.practice.name.clone(),
        });
    }
}

/// Begins the selected practice, asking first how tense the person feels if they want that.
fn start_selected(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Some(entry) = state.library.entries.get(state.selected) else {
        return;
    };
    let practice = entry.practice.clone();
    if state.settings.ask_tension {
        state.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::Before {
            practice,
        })));
    } else {
        begin(state, practice, None, now, effects);
    }
}

/// Starts a session at once; its cues join when the sound device is ready.
fn begin(
    state: &mut AppState,
    practice: Practice,
    tension_before: Option<u8>,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let practice = ops::at_current_level(&state.progress, practice);
    state.tension_before = tension_before;
    let id = state.next_session;
    let started = StartTime::of(&now.wall);
    match LiveSession::start(id, practice, now.mono, started) {
        Ok(mut session) => {
            state.next_session += 1;
            match state.sound {
                SoundStatus::NotOpened => {
                    state.sound = SoundStatus::Opening;
                    effects.push(Effect::OpenSound);
                }
                SoundStatus::Ready { sample_rate } => {
                    attach_cues(&mut session, sample_rate, &state.settings, effects)
                }
                SoundStatus::Unavailable => state.notices.push(NO_SOUND),
                SoundStatus::Opening | SoundStatus::Off => {}
            }
            effects.push(Effect::KeepAwake(true));
            state.screen = Screen::Session(Box::new(session));
        }
        Err(problems) => state.notices.push(format!(
            "This practice cannot be started: {}",
            problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        )),
    }
}

/// Gives a live session its cue stream: the runtime builds the track and starts it, paused;
/// `Message::CuesJoined` then puts it at the session's place.
fn attach_cues(
    session: &mut LiveSession,
    sample_rate: u32,
    settings: &crate::store::Settings,
    effects: &mut Vec<Effect>,
) {
    let choice = SoundChoice::from_settings(settings);
    let plan = Box::new(CuePlan::new(session, &choice));
    let control = Arc::new(SessionControl::waiting(choice.master_volume, choice.muted));
    session.attach_cues(Arc::clone(&control), sample_rate);
    effects.push(Effect::PlayCues {
        session: session.id(),
        control,
        plan,
    });
}

/// Ends the running session. Its record is saved at once, or, when the person is asked how tense
/// they feel afterwards (and is not leaving), once they answer or skip.
fn finish_session(state: &mut AppState, leaving: bool, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::Session(session) = &mut state.screen else {
        return;
    };
    let outcome = session.end(now.mono);
    effects.push(Effect::KeepAwake(false));
    let mut record = session.record();
    if let Some(record) = &mut record {
        record.tension_before = state.tension_before;
    }
    let practice = session.practice().clone();
    if state.settings.ask_tension && !leaving {
        state.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::After {
            practice,
            outcome,
            record: record.map(Box::new),
        })));
    } else {
        save_and_summarize(state, &practice, &outcome, record, effects);
    }
}

fn save_and_summarize(
    state: &mut AppState,
    practice: &Practice,
    outcome: &crate::practice::Outcome,
    record: Option<SessionRecord>,
    effects: &mut Vec<Effect>,
) {
    let saved = if record.is_some() {
        SaveStatus::Saving
    } else {
        SaveStatus::Nothing
    };
    let tension = record.as_ref().map(|r| (r.tension_before, r.tension_after));
    let mut summary = SessionSummary::new(practice, outcome, saved).with_tension(tension);
    if let Some(record) = record {
        let (changed, offer) = ops::progress_after(&mut state.progress, practice, &record);
        if changed {
            effects.push(Effect::SaveProgress(Box::new(state.progress.clone())));
        }
        summary.offer = offer;
        effects.push(Effect::AppendRecord(Box::new(record)));
    }
    state.screen = Screen::Summary(Box::new(summary));
}

fn answer_offer(state: &mut AppState, accepted: bool, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::Summary(summary) = &mut state.screen else {
        return;
    };
    let Some(offer) = summary.offer.take() else {
        return;
    };
    summary.offer_answer = Some(if accepted {
        format!("Your exhale is now {:.1} s.", offer.to)
    } else {
        format!("Staying at {:.1} s for now.", offer.from)
    });
    let name = summary.practice.clone();
    ops::answer_offer(
        &mut state.progress,
        &state.library,
        &name,
        &offer,
        accepted,
        now.today(),
    );
    effects.push(Effect::SaveProgress(Box::new(state.progress.clone())));
}

/// Saves whatever is in flight before the window closes.
fn leave(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    finish_session(state, true, now, effects);
    if let Screen::Rating(screen) = &state.screen
        && matches!(screen.stage, RatingStage::After { .. })
    {
        rate(state, None, now, effects);
    }
    if let Screen::Settings(_) = state.screen {
        effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
    }
    state.leaving = true;
}

fn rate(state: &mut AppState, value: Option<u8>, now: &Now, effects: &mut Vec<Effect>) {
    if !matches!(state.screen, Screen::Rating(_)) {
        return;
    }
    let Screen::Rating(screen) = std::mem::replace(&mut state.screen, Screen::Home) else {
        return;
    };
    match screen.stage {
        RatingStage::Before { practice } => begin(state, practice, value, now, effects),
        RatingStage::After {
            practice,
            outcome,
            mut record,
        } => {
            if let Some(record) = &mut record {
                record.tension_after = value;
            }
            save_and_summarize(state, &practice, &outcome, record.map(|r| *r), effects);
        }
    }
}

fn close_screen(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    match &state.screen {
        Screen::Settings(form) => {
            effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
            // Changed suggestions take effect at once; otherwise the choice stays.
            if form.slots_when_opened != state.settings.time_slots {
                let suggested = ops::suggestion(&state.library, &state.settings, now.local());
                if let Some((index, _)) = &suggested {
                    state.selected = *index;
                }
                state.suggestion = suggested.map(|(_, why)| why);
            }
        }
        // Escape on the question after a session skips it; before one, back home, nothing begun.
        Screen::Rating(screen) if matches!(screen.stage, RatingStage::After { .. }) => {
            return rate(state, None, now, effects);
        }
        Screen::Session(_) | Screen::Editor(_) | Screen::Summary(_) => return,
        _ => {}
    }
    state.screen = Screen::Home;
}

/// Shows the history as the app holds it: read once in the background, kept up to date since.
fn open_history(state: &mut AppState, now: &Now) {
    match &state.history {
        HistoryCache::Loaded { records, problems } => {
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

/// "Start" on a reminder: its practice begins as if chosen on the home screen.
fn start_reminder(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    match &mut state.screen {
        Screen::Editor(editor) if editor.has_changes() => {
            // Unsaved edits are never dropped for a reminder: the editor asks first, and the
            // reminder waits.
            editor.confirming_leave = true;
            return;
        }
        Screen::Settings(_) => {
            effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
        }
        _ => {}
    }
    let Some(reminder) = state.reminders.start() else {
        return;
    };
    effects.push(Effect::WithdrawNotification);
    match state.library.position(&reminder.practice) {
        Some(index) => {
            state.selected = index;
            state.screen = Screen::Home;
            start_selected(state, now, effects);
        }
        None => state.notices.push(format!(
            "The reminder's practice \"{}\" is not in your list: choose another in Settings.",
            reminder.practice
        )),
    }
}

/// The streak and the last session, from the history as the app holds it.
fn glance_text(state: &AppState, now: &Now) -> Option<String> {
    let records = state.history.records()?;
    let last = records.last()?;
    let insights = crate::store::insights::Insights::of(records.iter(), now.today());
    let streak = match insights.streak_days {
        0 => String::new(),
        1 => "1 day in a row  ·  ".to_owned(),
        n => format!("{n} days in a row  ·  "),
    };
    Some(format!(
        "{streak}Last: {}, {}",
        last.practice,
        last.started.local.strftime("%a %d %b, %H:%M")
    ))
}

/// Begins `practice` at once, without asking how tense the person feels (`downshift play NAME`
/// opening the window).
pub fn begin_practice(
    state: &mut AppState,
    practice: Practice,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    begin(state, practice, None, now, effects);
}
