//! Reminders in the app: falling due as time passes, shown (in the window and as a desktop
//! notification), started, put off with Later, paused; and how each went, counted by day for
//! "What changed?". The rules of when are `practice::reminders`'.

use super::effect::{DesktopEffect, Effect, FileEffect, ViewportEffect};
use super::screen::Screen;
use super::session_flow::start_named;
use super::state::{AppState, Now};
use crate::desktop::notify::NotifierEvent;
use crate::practice::estimated_seconds;
use crate::practice::reminders::{Activity, ReminderKind};
use crate::store::reminder_days::ReminderAnswer;

/// How long a micro-rest takes when its practice is not in the list.
const USUAL_REST: jiff::SignedDuration = jiff::SignedDuration::from_mins(2);

/// Counts how a reminder went today, and asks for the counts to be kept.
fn count(state: &mut AppState, answer: ReminderAnswer, now: &Now, effects: &mut Vec<Effect>) {
    state.reminder_days.count(answer, now.today());
    effects.push(FileEffect::SaveReminderDays(Box::new(state.reminder_days.clone())).into());
}

/// "Start" on a reminder (in the window or the notification): its practice begins as if
/// chosen on the home screen.
pub(super) fn start(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::Editor(editor) = &mut state.screen
        && editor.has_changes()
    {
        // Unsaved edits are never dropped for a reminder: the editor asks first, and the
        // reminder waits.
        editor.confirming_leave = true;
        return;
    }
    let Some(reminder) = state.reminders.start() else {
        return;
    };
    if reminder.kind == ReminderKind::MicroRest {
        count(state, ReminderAnswer::NudgeStarted, now, effects);
    }
    effects.push(DesktopEffect::WithdrawNotification.into());
    start_named(state, &reminder.practice, now, effects);
}

/// "Later" on a reminder (in the window or the notification): it comes again in a while.
pub(super) fn later(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if state.reminders.showing().is_some() {
        count(state, ReminderAnswer::Later, now, effects);
    }
    state
        .reminders
        .later(&state.settings.reminders, now.local());
    effects.push(DesktopEffect::WithdrawNotification.into());
}

/// No reminder until `until` (local time), or, with `None`, reminders again from now.
pub(super) fn pause(
    state: &mut AppState,
    until: Option<jiff::civil::DateTime>,
    effects: &mut Vec<Effect>,
) {
    match until {
        Some(until) => state.reminders.pause_until(until),
        None => state.reminders.resume(),
    }
    effects.push(DesktopEffect::WithdrawNotification.into());
}

/// What the person did with a reminder's notification.
pub(super) fn notification_answered(
    state: &mut AppState,
    event: NotifierEvent,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    match event {
        // Answered in the notification, perhaps with the window minimised.
        NotifierEvent::Start => {
            effects.push(ViewportEffect::BringUp.into());
            start(state, now, effects);
        }
        NotifierEvent::Later => later(state, now, effects),
        NotifierEvent::Open => effects.push(ViewportEffect::BringUp.into()),
        NotifierEvent::Unavailable(reason) => {
            // No notification service: the window itself comes up, without taking the
            // keyboard from whatever the person is typing into.
            log::info!("no desktop notifications ({reason}); raising the window");
            // Also from the tray: the reminder is in the window, so it must be seen.
            state.desktop.window_away = false;
            effects.push(ViewportEffect::Attention.into());
        }
    }
}

/// The passing of time for reminders: one falls due (and is shown, in the window and as a
/// notification), or the one showing goes.
pub(super) fn keep_reminders(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
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
            count(state, ReminderAnswer::NudgeShown, now, effects);
        }
        effects.push(ViewportEffect::Mark.into());
        effects.push(DesktopEffect::Notify(reminder).into());
        state.desktop.tray_outdated = true;
    } else if was_showing && state.reminders.showing().is_none() {
        effects.push(DesktopEffect::WithdrawNotification.into());
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
