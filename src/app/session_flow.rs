//! The life of a session in the window: asked how tense, begun, given its cues, steered (pause,
//! skip, mute, volume), ended, rated, recorded and summarised; and what the sound worker says of
//! the device meanwhile.

use std::sync::Arc;

use super::effect::{DesktopEffect, Effect, FileEffect, SessionId, SoundEffect};
use super::screen::{
    HomeQuestion, RatingKey, RatingScreen, RatingStage, SafetyScreen, SaveStatus, Screen,
    SessionSummary,
};
use super::state::{AppState, Now, SoundStatus};
use super::{heart, progression};
use crate::audio::SessionControl;
use crate::practice::Practice;
use crate::session::{CuePlan, LiveSession, SoundChoice};
use crate::store::SessionRecord;
use crate::store::history::StartTime;

/// What the person sees when sound is not to be had during a session.
pub const NO_SOUND: &str = "No sound device: the session runs silently.";
pub const SOUND_STOPPED: &str =
    "The sound device stopped: the session goes on silently until it is back.";

/// The summary (or the resonance test's result) of the session whose record `id` is learns how
/// saving it went.
pub(super) fn set_saved(state: &mut AppState, id: &str, status: SaveStatus) {
    let saved = match &mut state.screen {
        Screen::Summary(summary) => &mut summary.saved,
        Screen::Resonance(result) => &mut result.saved,
        _ => return,
    };
    if matches!(saved, SaveStatus::Saving(saving) if saving == id) {
        *saved = status;
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
        resonance_test: false,
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
    let resonance_test = screen.resonance_test;
    if !state.settings.safety_note_seen {
        state.settings.safety_note_seen = true;
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
    }
    match (then, back_to) {
        // A measurement, not a practice to rate: no question before or after it.
        (Some(practice), _) if resonance_test => {
            begin_as(state, practice, None, true, now, effects)
        }
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
    begin_as(state, practice, tension_before, false, now, effects);
}

/// Starts a session, the resonance test or not; the heart's source starts with it when there
/// is one.
fn begin_as(
    state: &mut AppState,
    practice: Practice,
    tension_before: Option<u8>,
    resonance_test: bool,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let practice = progression::at_current_level(&state.progress, practice);
    let id = state.next_session;
    let started = StartTime::of(&now.wall);
    match LiveSession::start(id, practice, now.mono, started) {
        Ok(session) => {
            let mut session = session.with_tension_before(tension_before);
            if resonance_test {
                session = session.as_resonance_test();
            }
            let mut session = heart::session_begins(state, session, effects);
            state.next_session += 1;
            match state.sound {
                SoundStatus::NotOpened => {
                    state.sound = SoundStatus::Opening;
                    effects.push(SoundEffect::Open.into());
                }
                SoundStatus::Ready { sample_rate } => {
                    attach_cues(&mut session, sample_rate, &state.settings, effects)
                }
                SoundStatus::Opening | SoundStatus::Off => {}
            }
            effects.push(DesktopEffect::KeepAwake(true).into());
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
    effects.push(
        SoundEffect::PlayCues {
            session: session.id(),
            control,
            plan,
        }
        .into(),
    );
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
    effects.push(DesktopEffect::KeepAwake(false).into());
    heart::session_ends(
        session,
        &mut state.notices,
        &mut state.desktop.strap,
        effects,
    );
    // Ended: the record as it now stands is the one the session leaves.
    let record = session.record_now(now.mono);
    let practice = session.practice().clone();
    if session.is_resonance_test() {
        let result = heart::resonance_result(&state.library, session, &record);
        effects.push(FileEffect::AppendRecord(Box::new(record)).into());
        state.screen = Screen::Resonance(Box::new(result));
        return;
    }
    // What was breathed is kept while the person answers, should the app be cut off.
    effects.push(
        FileEffect::Checkpoint {
            record: Box::new(record.clone()),
            running: None,
        }
        .into(),
    );
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
    summary.heart = record.heart.as_ref().map(|heart| heart.in_words());
    let (changed, offer) = progression::progress_after(
        &mut state.progress,
        practice,
        &record,
        state.settings.gentle_mode,
    );
    if changed {
        effects.push(FileEffect::SaveProgress(Box::new(state.progress.clone())).into());
    }
    summary.offer = offer;
    // One offer at a time: paced sitting waits for a session without a progression step.
    if summary.offer.is_none() {
        summary.pacing_offer = pacing_offer(state, &record, now);
    }
    effects.push(FileEffect::AppendRecord(Box::new(record)).into());
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
    progression::answer_offer(
        &mut state.progress,
        &state.library,
        &name,
        &offer,
        accepted,
        now.today(),
    );
    effects.push(FileEffect::SaveProgress(Box::new(state.progress.clone())).into());
}

/// After a session of the micro-rest practice, paced sitting's offer, if one is due: from the
/// tension rated before each of its sessions, this one included (it is not in the history yet).
fn pacing_offer(
    state: &AppState,
    record: &SessionRecord,
    now: &Now,
) -> Option<crate::practice::paced_sitting::SittingOffer> {
    use crate::store::insights::InsightFacts;
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
    effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
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
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
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
            effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
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

/// A key typed on the tension question: a rating once it is whole.
pub(super) fn rating_key(
    state: &mut AppState,
    key: RatingKey,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    if let Screen::Rating(screen) = &mut state.screen
        && let Some(value) = screen.key(key)
    {
        rate(state, Some(value), now, effects);
    }
}

/// The session, and its sound with it, pauses or goes on.
pub(super) fn toggle_pause(state: &mut AppState, now: &Now) {
    if let Screen::Session(session) = &mut state.screen {
        session.toggle_pause(now.mono);
    }
}

pub(super) fn skip_step(state: &mut AppState, now: &Now) {
    if let Screen::Session(session) = &mut state.screen {
        session.skip_step(now.mono);
    }
}

/// The cues silent or heard again, in this session and the next (it is kept).
pub(super) fn toggle_mute(state: &mut AppState, effects: &mut Vec<Effect>) {
    state.settings.muted = !state.settings.muted;
    if let Screen::Session(session) = &state.screen {
        session.set_muted(state.settings.muted);
    }
    effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
}

/// The cues a tenth louder or softer, in this session and the next (it is kept).
pub(super) fn step_volume(state: &mut AppState, louder: bool, effects: &mut Vec<Effect>) {
    let volume = volume_stepped(state.settings.master_volume, louder);
    if volume != state.settings.master_volume {
        state.settings.master_volume = volume;
        if let Screen::Session(session) = &state.screen {
            session.set_volume(volume);
        }
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
    }
}

/// The master volume a step (a tenth) louder or softer, on the tenths, within 0 and 1.
fn volume_stepped(volume: f32, louder: bool) -> f32 {
    let tenths = (volume * 10.0).round() + if louder { 1.0 } else { -1.0 };
    tenths.clamp(0.0, 10.0) / 10.0
}

/// Summary: back to the home screen.
pub(super) fn dismiss_summary(state: &mut AppState) {
    if matches!(state.screen, Screen::Summary(_)) {
        state.screen = Screen::Home;
    }
}

/// The passing of time in a session: its clock follows the sound, it ends when its practice
/// does, and a checkpoint is taken when one is due.
pub(super) fn keep_session(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::Session(session) = &mut state.screen else {
        return;
    };
    session.follow_sound(now.mono);
    if session.is_finished(now.mono) {
        finish_session(state, false, now, effects);
    } else if let Some(record) = session.checkpoint_due(now.mono) {
        // The raw intervals go to disk as often as the checkpoint does.
        heart::keep_raw(session, true, false, effects);
        effects.push(
            FileEffect::Checkpoint {
                record: Box::new(record),
                running: Some(Box::new(session.without_sound())),
            }
            .into(),
        );
    }
}

/// A sound device is open: a session running gets its cues.
pub(super) fn sound_ready(
    state: &mut AppState,
    sample_rate: u32,
    problems: Vec<String>,
    effects: &mut Vec<Effect>,
) {
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

pub(super) fn sound_unavailable(state: &mut AppState, reason: &str) {
    log::warn!("no sound device: {reason}");
    // Asked for again when the next session starts: a device may be there by then.
    state.sound = SoundStatus::NotOpened;
    if state.is_in_session() {
        state.notices.push(NO_SOUND);
    }
}

/// The device went away: a session running goes on silently, and says so.
pub(super) fn sound_lost(state: &mut AppState, now: &Now) {
    // The next session asks for a device again.
    state.sound = SoundStatus::NotOpened;
    if let Screen::Session(session) = &mut state.screen {
        session.lose_sound(now.mono);
        state.notices.push(SOUND_STOPPED);
    }
}

/// A session's cues are on the device: they start at the session's place.
pub(super) fn cues_joined(state: &mut AppState, id: SessionId, now: &Now) {
    if let Screen::Session(session) = &mut state.screen
        && session.id() == id
    {
        session.join_cues(now.mono);
    }
}

/// The summary of the session whose record this is learns it was saved.
pub(super) fn record_saved(state: &mut AppState, record: &SessionRecord, now: &Now) {
    state.history.add(record, now.today());
    set_saved(state, &record.id, SaveStatus::Saved);
}

pub(super) fn record_not_saved(state: &mut AppState, record: &SessionRecord, reason: &str) {
    let message = format!(
        "This session could not be saved to {}: {reason}",
        state.data_dir.history_path().display()
    );
    log::warn!("{message} ({record:?})");
    set_saved(state, &record.id, SaveStatus::Failed(message));
}

#[cfg(test)]
mod tests {
    //! The one handle to the world the state holds is a live session's `SessionControl`, which
    //! the audio thread reads: what `update` asks of it, command by command.

    use super::*;
    use crate::app::{Command, Loaded, Message, receive, update};
    use crate::practice::MICROS_PER_SECOND as S;
    use crate::store::{DataDir, Library, Settings};

    fn at(seconds: u64) -> Now {
        let wall = crate::clock::fixed_wall(jiff::civil::date(2026, 11, 23).at(21, 0, 0, 0))();
        Now {
            mono: seconds * S,
            wall,
        }
    }

    #[test]
    fn the_sound_control_does_what_each_command_asks_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loaded = Loaded {
            library: Library::built_in(),
            settings: Settings {
                ask_tension: false,
                safety_note_seen: true,
                master_volume: 0.6,
                ..Settings::default()
            },
            progress: Default::default(),
            small_tests: Default::default(),
            reminder_days: Default::default(),
            problems: Vec::new(),
        };
        let sound = SoundStatus::Ready { sample_rate: 1_000 };
        let mut state = AppState::new(DataDir::new(dir.path()), loaded, sound, &at(0));
        state.selected = state
            .library
            .position("Extended exhale 4-6")
            .expect("built in");
        let mut effects = Vec::new();
        update(&mut state, Command::Start, &at(10), &mut effects);
        let control = effects
            .iter()
            .find_map(|e| match e {
                Effect::Sound(SoundEffect::PlayCues { control, .. }) => Some(Arc::clone(control)),
                _ => None,
            })
            .expect("the cues are asked for");
        assert!(control.is_paused(), "it waits until it is put in place");
        let session = state.next_session - 1;
        receive(
            &mut state,
            Message::CuesJoined(session),
            &at(13),
            &mut effects,
        );
        assert!(!control.is_paused(), "let go once in place");
        assert_eq!(
            control.position(),
            3_000,
            "at the session's place, on the sample"
        );

        let mut apply = |command, seconds| {
            let mut effects = Vec::new();
            update(&mut state, command, &at(seconds), &mut effects);
            effects
        };
        apply(Command::TogglePause, 14);
        assert!(
            control.is_paused(),
            "pause stops the sound with the session"
        );
        apply(Command::TogglePause, 20);
        assert!(!control.is_paused(), "and resume lets it go again");
        apply(Command::ToggleMute, 21);
        assert!(control.is_muted());
        apply(Command::ToggleMute, 22);
        assert!(!control.is_muted());
        apply(Command::StepVolume(false), 23);
        assert!((control.volume() - 0.5).abs() < 1e-6, "a tenth softer");
        assert_eq!(control.stops_at(), None, "still running");
        apply(Command::SkipStep, 24);
        assert!(control.is_seeking(), "skipping a step moves the stream");
        apply(Command::EndSession, 25);
        assert!(
            control.stops_at().is_some(),
            "ending lets the sound ring out and stop"
        );
    }
}
