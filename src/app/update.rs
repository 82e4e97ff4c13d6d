//! `update`: one command applied to the state, returning what must be done in the world.
//! `receive` does the same for what the runtime reports back, and `tick` for the passing of time
//! (a practice reaching its end, reminders falling due). Nothing here waits or touches a file.

use std::sync::Arc;

use super::Command;
use super::effect::{Effect, ViewportEffect};
use super::flow::{
    answer_offer, answer_pacing, finish_session, glance_text, leave, rate, safety_read,
    start_anyway, start_reminder, start_selected,
};
use super::screen::{
    AboutPractice, CheckInStage, Editor, ExportFormat, HistoryScreen, HomeQuestion, RatingKey,
    RatingStage, SafetyScreen, Screen, SettingsForm,
};
use super::state::{AppState, HistoryCache, Now};
use super::{ops, pain_days};
use crate::practice::{Practice, paced_sitting};
use crate::store::Origin;
use crate::store::reminder_days::ReminderAnswer;

/// Applies `command` at `now`; what must happen in the world is pushed onto `effects`.
pub fn update(state: &mut AppState, command: Command, now: &Now, effects: &mut Vec<Effect>) {
    state.desktop.tray_outdated = true;
    match command {
        Command::Select(index) => {
            if index < state.library.entries.len() {
                state.selected = index;
            }
        }
        Command::SelectNext | Command::SelectPrevious => {
            let order = state.home_order();
            if let Some(at) = order.iter().position(|&i| i == state.selected) {
                let next = if command == Command::SelectNext {
                    (at + 1).min(order.len() - 1)
                } else {
                    at.saturating_sub(1)
                };
                state.selected = order[next];
            }
        }
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
            if state.reminders.showing().is_some() {
                state.count_reminder(ReminderAnswer::Later, now, effects);
            }
            state
                .reminders
                .later(&state.settings.reminders, now.local());
            effects.push(Effect::WithdrawNotification);
        }
        Command::PauseReminders(until) => {
            match until {
                Some(until) => state.reminders.pause_until(until),
                None => state.reminders.resume(),
            }
            effects.push(Effect::WithdrawNotification);
        }
        Command::AnswerOffer(accepted) => answer_offer(state, accepted, now, effects),
        Command::AnswerPacing(accepted) => answer_pacing(state, accepted, now, effects),
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
        Command::AnswerHome(yes) => match state.home.question.take() {
            Some(HomeQuestion::StartAnyway) if yes => {
                if let Some(entry) = state.library.entries.get(state.selected) {
                    let practice = entry.practice.clone();
                    start_anyway(state, practice, now, effects);
                }
            }
            Some(HomeQuestion::Delete | HomeQuestion::RestoreOriginal) if yes => {
                remove_selected_preset(state, effects);
            }
            _ => {}
        },
        Command::OpenSafety => {
            let back_to = match std::mem::replace(&mut state.screen, Screen::Home) {
                Screen::Summary(summary) => Some(summary),
                _ => None,
            };
            let red_flag = pain_days::red_flag(state, now);
            state.screen = Screen::Safety(Box::new(SafetyScreen {
                then: None,
                back_to,
                red_flag,
            }));
        }
        Command::SafetyRead => safety_read(state, now, effects),
        Command::OpenAbout => {
            if let Some(entry) = state.library.entries.get(state.selected) {
                let practice = ops::at_current_level(&state.progress, entry.practice.clone());
                state.screen = Screen::About(Box::new(AboutPractice::of(&practice)));
            }
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
            state.stay();
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
        Command::DiscardEdits => {
            if matches!(state.screen, Screen::Editor(_)) {
                state.screen = Screen::Home;
                if state.leaving {
                    effects.push(Effect::Viewport(ViewportEffect::Close));
                }
            }
        }
        Command::KeepEditing => {
            state.stay();
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
        Command::StepVolume(louder) => {
            let volume = step_volume(state.settings.master_volume, louder);
            if volume != state.settings.master_volume {
                state.settings.master_volume = volume;
                if let Screen::Session(session) = &state.screen {
                    session.set_volume(volume);
                }
                effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
            }
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
                sit_text: state
                    .settings
                    .reminders
                    .sit_minutes
                    .map_or_else(String::new, |m| m.to_string()),
                marks_text: state.settings.checkin.own_marks.join(", "),
            }));
        }
        Command::SettingsEdited => {
            if let Screen::Settings(form) = &mut state.screen {
                let sit = form.draft.reminders.sit_minutes;
                if sit != state.settings.reminders.sit_minutes {
                    // A new sitting baseline sets the interval, kept with today's date.
                    paced_sitting::set_baseline(&mut form.draft.reminders, sit, now.today());
                }
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
                    to: state.data_dir.root().join("exports").join(name),
                });
            }
        }
        Command::CloseScreen => close_screen(state, now, effects),
        Command::OpenCheckIn(date) => pain_days::open_checkin(state, date, now),
        Command::CheckInKey(key) => pain_days::checkin_key(state, key, now, effects),
        Command::CheckInAnswer(value) => pain_days::checkin_answer(state, value, now, effects),
        Command::CheckInBack => {
            if let Screen::CheckIn(screen) = &mut state.screen {
                screen.back();
            }
        }
        Command::CheckInDate(days) => {
            if let Screen::CheckIn(screen) = &mut state.screen
                && screen.stage == CheckInStage::Questions
            {
                screen.move_date(days);
            }
        }
        Command::CheckInMark(index) => {
            if let Screen::CheckIn(screen) = &mut state.screen
                && let Some((_, ticked)) = screen.marks.get_mut(index)
            {
                *ticked = !*ticked;
            }
        }
        Command::CheckInConfirm => match &state.screen {
            Screen::CheckIn(screen) if screen.stage == CheckInStage::Questions => {
                pain_days::checkin_key(state, RatingKey::Confirm, now, effects);
            }
            Screen::CheckIn(_) => pain_days::checkin_done(state, now, effects),
            _ => {}
        },
        Command::CheckInDone => pain_days::checkin_done(state, now, effects),
        Command::NotToday => pain_days::not_today(state, now, effects),
        Command::KeepOffering(keep) => pain_days::keep_offering(state, keep, now, effects),
        Command::OpenYourDays => pain_days::open_your_days(state, now),
        Command::YourDaysSpan(days) => {
            if let Screen::YourDays(screen) = &mut state.screen {
                screen.chart_days = days;
            }
        }
        Command::StartSmallTest => pain_days::start_small_test(state, now, effects),
        Command::AskStopSmallTest(asking) => pain_days::ask_stop_small_test(state, asking),
        Command::StopSmallTest => pain_days::stop_small_test(state, now, effects),
        Command::DismissNotice(id) => state.notices.dismiss(id),
        Command::SetAutostart(on) => {
            if let Some(entry) = state.desktop.autostart_entry.clone() {
                effects.push(Effect::Autostart { entry, on });
            }
        }
        Command::Leave => {
            if !state.ending {
                state.ending = true;
                leave(state, now, effects);
                // Nothing can be asked now: unsaved edits in the editor are let go.
                if matches!(state.screen, Screen::Editor(_)) {
                    state.screen = Screen::Home;
                }
                effects.push(Effect::Viewport(ViewportEffect::Close));
            }
        }
        Command::CloseRequested if state.ending => {}
        Command::Quit | Command::CloseRequested => {
            let cancel_close = command == Command::CloseRequested;
            if command == Command::Quit {
                // The window's own close follows; it must end downshift, not put it in the tray.
                state.desktop.quitting = true;
            }
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
            if cancel_close && state.stays_in_tray() && !state.desktop.quitting {
                super::background::put_away(state, now, effects);
                return;
            }
            leave(state, now, effects);
            if !cancel_close {
                effects.push(Effect::Viewport(ViewportEffect::Close));
            }
        }
    }
}

pub(super) fn taken_names(state: &AppState) -> Vec<String> {
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
    let editor = Editor::new(practice, path, original, taken_names(state), now.mono)
        .in_gentle_mode(state.settings.gentle_mode);
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

fn close_screen(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    match &mut state.screen {
        Screen::Settings(form) => {
            effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
            // Changed suggestions take effect at once; otherwise the choice stays.
            if form.slots_when_opened != state.settings.time_slots {
                state.suggest(now);
            }
        }
        // Escape on the question after a session skips it; before one, back home, nothing begun.
        Screen::Rating(screen) if matches!(screen.stage, RatingStage::After { .. }) => {
            return rate(state, None, now, effects);
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

/// Shows the history as the app holds it: read once in the background, kept up to date since.
pub(super) fn open_history(state: &mut AppState, now: &Now) {
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

/// The master volume a step (a tenth) louder or softer, on the tenths, within 0 and 1.
fn step_volume(volume: f32, louder: bool) -> f32 {
    let tenths = (volume * 10.0).round() + if louder { 1.0 } else { -1.0 };
    tenths.clamp(0.0, 10.0) / 10.0
}
