//! `update`: one command applied to the state, returning what must be done in the world.
//! `receive` (receive.rs) does the same for what the runtime reports back, and `tick` for the
//! passing of time. Each command is one named function in the module of what it is about; this
//! is only the dispatch. Nothing here waits or touches a file.

use super::Command;
use super::effect::{Effect, ViewportEffect};
use super::state::{AppState, Now};
use super::{
    editing, heart, history_view, home, leaving, pain_days, reminders, session_flow, settings_form,
};

/// Applies `command` at `now`; what must happen in the world is pushed onto `effects`.
pub fn update(state: &mut AppState, command: Command, now: &Now, effects: &mut Vec<Effect>) {
    state.desktop.tray_outdated = true;
    match command {
        Command::Select(index) => home::select(state, index),
        Command::SelectNext => home::select_step(state, true),
        Command::SelectPrevious => home::select_step(state, false),
        Command::Start => session_flow::start_selected(state, now, effects),
        Command::Rate(value) => session_flow::rate(state, value, now, effects),
        Command::RatingKey(key) => session_flow::rating_key(state, key, now, effects),
        Command::ReminderStart => reminders::start(state, now, effects),
        Command::ReminderLater => reminders::later(state, now, effects),
        Command::PauseReminders(until) => reminders::pause(state, until, effects),
        Command::AnswerOffer(yes) => session_flow::answer_offer(state, yes, now, effects),
        Command::AnswerPacing(yes) => session_flow::answer_pacing(state, yes, now, effects),
        Command::NewPreset => editing::new_preset(state, now),
        Command::EditPreset => editing::edit_selected(state, now),
        Command::DuplicatePreset => editing::duplicate_selected(state, now),
        Command::AskHome(question) => state.home.question = Some(question),
        Command::AnswerHome(yes) => home::answer(state, yes, now, effects),
        Command::OpenSafety => home::open_safety(state, now),
        Command::SafetyRead => session_flow::safety_read(state, now, effects),
        Command::OpenAbout => home::open_about(state),
        Command::ImportPreset => home::import_typed(state, effects),
        Command::ImportFiles(files) => home::import_dropped(files, effects),
        Command::ExportPreset => home::export_selected(state, effects),
        Command::EditSteps(edit) => editing::edit_steps(state, edit),
        Command::DraftEdited => editing::draft_edited(state),
        Command::SavePreset => editing::save(state, effects),
        Command::LeaveEditor => editing::leave(state),
        Command::DiscardEdits => editing::discard(state, effects),
        Command::KeepEditing => editing::keep_editing(state),
        Command::TogglePause => session_flow::toggle_pause(state, now),
        Command::SkipStep => session_flow::skip_step(state, now),
        Command::EndSession => session_flow::finish_session(state, false, now, effects),
        Command::ToggleMute => session_flow::toggle_mute(state, effects),
        Command::StepVolume(louder) => session_flow::step_volume(state, louder, effects),
        Command::ToggleFullscreen => {
            state.fullscreen = !state.fullscreen;
            effects.push(ViewportEffect::Fullscreen(state.fullscreen).into());
        }
        Command::Dismiss => session_flow::dismiss_summary(state),
        Command::OpenSettings => settings_form::open(state),
        Command::SettingsEdited => settings_form::edited(state, now, effects),
        Command::OpenHistory => history_view::open(state, now),
        Command::HistoryFilter(filter) => history_view::on_screen(state, |s| s.set_filter(filter)),
        Command::HistoryDays(days) => history_view::on_screen(state, |s| s.set_chart_days(days)),
        Command::HistorySelect(index) => history_view::on_screen(state, |s| s.select(index)),
        Command::AskDeleteSession(asking) => {
            history_view::on_screen(state, |s| s.ask_to_delete(asking))
        }
        Command::DeleteSession => history_view::delete_confirmed(state, effects),
        Command::ExportHistory(format) => history_view::export(state, format, now, effects),
        Command::CloseScreen => home::back(state, now, effects),
        Command::OpenCheckIn(date) => pain_days::open_checkin(state, date, now),
        Command::CheckInKey(key) => pain_days::checkin_key(state, key, now, effects),
        Command::CheckInAnswer(value) => pain_days::checkin_answer(state, value, now, effects),
        Command::CheckInBack => pain_days::checkin_back(state),
        Command::CheckInDate(days) => pain_days::checkin_date(state, days),
        Command::CheckInMark(index) => pain_days::checkin_mark(state, index),
        Command::CheckInMarkShown(index) => pain_days::checkin_mark_shown(state, index),
        Command::CheckInConfirm => pain_days::checkin_confirm(state, now, effects),
        Command::CheckInDone => pain_days::checkin_done(state, now, effects),
        Command::NotToday => pain_days::not_today(state, now, effects),
        Command::KeepOffering(keep) => pain_days::keep_offering(state, keep, now, effects),
        Command::OpenYourDays => pain_days::open_your_days(state, now),
        Command::YourDaysSpan(days) => pain_days::your_days_span(state, days),
        Command::StartSmallTest => pain_days::start_small_test(state, now, effects),
        Command::TestChange(change) => pain_days::test_change(state, change, now),
        Command::AskStopSmallTest(asking) => pain_days::ask_stop_small_test(state, asking),
        Command::StopSmallTest => pain_days::stop_small_test(state, now, effects),
        Command::DismissNotice(id) => state.notices.dismiss(id),
        Command::SetAutostart(on) => super::background::set_autostart(state, on, effects),
        Command::LookForStraps(look) => heart::look_for_straps(state, look, effects),
        Command::PickStrap(index) => heart::pick_strap(state, index, effects),
        Command::ForgetStrap => heart::forget_strap(state),
        Command::StartResonanceTest => heart::start_resonance_test(state, effects),
        Command::SetResonanceRate => heart::set_resonance_rate(state, now, effects),
        Command::KeepResonanceRate => heart::keep_resonance_rate(state),
        Command::Leave => leaving::end_now(state, now, effects),
        Command::Quit => leaving::quit(state, now, effects),
        Command::CloseRequested => leaving::close_requested(state, now, effects),
    }
}
