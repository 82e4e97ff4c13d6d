//! The life of a session, shared by commands and messages: asked how tense, begun, given its
//! cues, ended, rated, recorded and summarised; and a reminder's Start.

use std::sync::Arc;

use super::effect::Effect;
use super::ops;
use super::screen::{
    HomeQuestion, RatingScreen, RatingStage, SafetyScreen, SaveStatus, Screen, SessionSummary,
};
use super::state::{AppState, Now, SoundStatus};
use crate::audio::SessionControl;
use crate::practice::Practice;
use crate::session::{CuePlan, LiveSession, SoundChoice};
use crate::store::SessionRecord;
use crate::store::history::StartTime;

/// What the person sees when sound is not to be had during a session.
pub const NO_SOUND: &str = "No sound device: the session runs silently.";
pub const SOUND_STOPPED: &str =
    "The sound device stopped: the session goes on silently until it is back.";

/// The summary of the session whose record `id` is learns how saving it went.
pub(super) fn set_saved(state: &mut AppState, id: &str, status: SaveStatus) {
    if let Screen::Summary(summary) = &mut state.screen
        && matches!(&summary.saved, SaveStatus::Saving(saving) if saving == id)
    {
        summary.saved = status;
    }
}

/// Begins the selected practice. First, in gentle mode, a practice outside it waits for "Start
/// anyway"; then the safety note before the first session; then, if wanted, how tense the
/// person feels.
pub(super) fn start_selected(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Some(entry) = state.library.entries.get(state.selected) else {
        return;
    };
    let practice = entry.practice.clone();
    if state.is_outside_gentle_mode(&practice) {
        state.screen = Screen::Home;
        state.home.question = Some(HomeQuestion::StartAnyway);
        return;
    }
    start_anyway(state, practice, now, effects);
}

/// Before the first session the safety note comes first, with `practice` waiting for it to be
/// read; says whether it did.
fn safety_note_first(state: &mut AppState, practice: &Practice) -> bool {
    if state.settings.safety_note_seen {
        return false;
    }
    state.screen = Screen::Safety(Box::new(SafetyScreen {
        then: Some(practice.clone()),
        back_to: None,
        red_flag: None,
    }));
    true
}

/// Begins `practice` whatever gentle mode says (it was asked, or the practice fits).
pub(super) fn start_anyway(
    state: &mut AppState,
    practice: Practice,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    state.home.question = None;
    if !safety_note_first(state, &practice) {
        ask_then_begin(state, practice, now, effects);
    }
}

/// The safety note was read: it is not shown again unless asked for, and the practice waiting
/// for it begins.
pub(super) fn safety_read(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::Safety(screen) = &mut state.screen else {
        return;
    };
    let then = screen.then.take();
    let back_to = screen.back_to.take();
    if !state.settings.safety_note_seen {
        state.settings.safety_note_seen = true;
        effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
    }
    match (then, back_to) {
        (Some(practice), _) => ask_then_begin(state, practice, now, effects),
        (None, Some(summary)) => state.screen = Screen::Summary(summary),
        (None, None) => state.screen = Screen::Home,
    }
}

/// Asks how tense the person feels if they want that, then begins.
fn ask_then_begin(state: &mut AppState, practice: Practice, now: &Now, effects: &mut Vec<Effect>) {
    if state.settings.ask_tension {
        state.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::Before {
            practice,
        })));
    } else {
        begin(state, practice, None, now, effects);
    }
}

/// Starts a session at once; its cues join when the sound device is ready.
pub(super) fn begin(
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
pub(super) fn attach_cues(
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
pub(super) fn finish_session(
    state: &mut AppState,
    leaving: bool,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let Screen::Session(session) = &mut state.screen else {
        return;
    };
    let outcome = session.end(now.mono);
    effects.push(Effect::KeepAwake(false));
    // Ended: the record as it now stands is the one the session leaves.
    let mut record = session.record_now(now.mono);
    record.tension_before = state.tension_before;
    let practice = session.practice().clone();
    // What was breathed is kept while the person answers, should the app be cut off.
    effects.push(Effect::Checkpoint {
        record: Box::new(record.clone()),
        running: None,
    });
    if state.settings.ask_tension && !leaving {
        state.screen = Screen::Rating(Box::new(RatingScreen::new(RatingStage::After {
            practice,
            outcome,
            record: Box::new(record),
        })));
    } else {
        save_and_summarize(state, &practice, &outcome, record, now, effects);
    }
}

pub(super) fn save_and_summarize(
    state: &mut AppState,
    practice: &Practice,
    outcome: &crate::practice::Outcome,
    record: SessionRecord,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let saved = SaveStatus::Saving(record.id.clone());
    let tension = Some((record.tension_before, record.tension_after));
    let mut summary = SessionSummary::new(practice, outcome, saved).with_tension(tension);
    let (changed, offer) = ops::progress_after(
        &mut state.progress,
        practice,
        &record,
        state.settings.gentle_mode,
    );
    if changed {
        effects.push(Effect::SaveProgress(Box::new(state.progress.clone())));
    }
    summary.offer = offer;
    // One offer at a time: paced sitting waits for a session without a progression step.
    if summary.offer.is_none() {
        summary.pacing_offer = pacing_offer(state, &record, now);
    }
    effects.push(Effect::AppendRecord(Box::new(record)));
    state.screen = Screen::Summary(Box::new(summary));
}

pub(super) fn answer_offer(
    state: &mut AppState,
    accepted: bool,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
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

/// After a session of the micro-rest practice, paced sitting's offer, if one is due: from the
/// tension rated before each of its sessions, this one included (it is not in the history yet).
fn pacing_offer(
    state: &AppState,
    record: &SessionRecord,
    now: &Now,
) -> Option<crate::practice::paced_sitting::SittingOffer> {
    use crate::store::insights::SessionFacts;
    let reminders = &state.settings.reminders;
    if reminders.sit_minutes.is_none()
        || !crate::practice::same_name(&record.practice, &reminders.micro_rest_practice)
    {
        return None;
    }
    let kept = state.history.records().into_iter().flat_map(|r| r.iter());
    let ratings: Vec<_> = kept
        .filter(|session| crate::practice::same_name(session.practice(), &record.practice))
        .filter_map(|session| Some((session.date(), session.tension().0?)))
        .chain(record.tension_before.map(|t| (record.started.date(), t)))
        .collect();
    crate::practice::paced_sitting::offer(reminders, &ratings, now.today())
}

/// Yes or no to paced sitting's offer on the summary: yes sets the interval and keeps the change
/// with today's date; either way nothing more is offered for a week.
pub(super) fn answer_pacing(
    state: &mut AppState,
    accepted: bool,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let Screen::Summary(summary) = &mut state.screen else {
        return;
    };
    let Some(offer) = summary.pacing_offer.take() else {
        return;
    };
    crate::practice::paced_sitting::answer(
        &mut state.settings.reminders,
        &offer,
        accepted,
        now.today(),
    );
    summary.offer_answer = Some(if accepted {
        format!("Micro-rest nudges now come every {} minutes.", offer.to)
    } else {
        format!(
            "Staying at {} minutes between nudges; not asked again this week.",
            offer.from
        )
    });
    effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
}

/// Saves whatever is in flight before the window closes.
pub(super) fn leave(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    save_in_flight(state, now, effects);
    state.leaving = true;
}

/// Ends and records a running session (a rating it waits on is skipped), and saves the
/// settings being edited: before the window closes or is put away.
pub(super) fn save_in_flight(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    finish_session(state, true, now, effects);
    if let Screen::Rating(screen) = &state.screen
        && matches!(screen.stage, RatingStage::After { .. })
    {
        rate(state, None, now, effects);
    }
    if let Screen::Settings(_) = state.screen {
        effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
    }
}

pub(super) fn rate(state: &mut AppState, value: Option<u8>, now: &Now, effects: &mut Vec<Effect>) {
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
            record.tension_after = value;
            save_and_summarize(state, &practice, &outcome, *record, now, effects);
        }
    }
}

/// "Start" on a reminder: its practice begins as if chosen on the home screen.
pub(super) fn start_reminder(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
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
    if reminder.kind == crate::practice::reminders::ReminderKind::MicroRest {
        state.count_reminder(
            crate::store::reminder_days::ReminderAnswer::NudgeStarted,
            now,
            effects,
        );
    }
    effects.push(Effect::WithdrawNotification);
    start_named(state, &reminder.practice, now, effects);
}

/// Begins the named practice as if chosen on the home screen (a reminder's Start, the tray's
/// "Micro-rest now"). Never over a session; unsaved edits in the editor are asked about first.
pub(super) fn start_named(state: &mut AppState, name: &str, now: &Now, effects: &mut Vec<Effect>) {
    match &mut state.screen {
        Screen::Session(_) | Screen::Rating(_) => return,
        Screen::Editor(editor) if editor.has_changes() => {
            editor.confirming_leave = true;
            return;
        }
        Screen::Settings(_) => {
            effects.push(Effect::SaveSettings(Box::new(state.settings.clone())));
        }
        _ => {}
    }
    match state.library.position(name) {
        Some(index) => {
            state.selected = index;
            state.screen = Screen::Home;
            start_selected(state, now, effects);
        }
        None => state.notices.push(format!(
            "The practice \"{name}\" is not in your list: choose another in Settings."
        )),
    }
}

/// The streak and the last session, from the history as the app holds it.
pub(super) fn glance_text(state: &AppState, now: &Now) -> Option<String> {
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
/// opening the window); before the first session the safety note comes first.
pub fn begin_practice(
    state: &mut AppState,
    practice: Practice,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    // Gentle mode was settled on the command line (`play` refuses a practice outside it unless
    // --start-anyway is given), so it is not asked again here; asking would start the library's
    // practice and lose a --minutes.
    if !safety_note_first(state, &practice) {
        begin(state, practice, None, now, effects);
    }
}
