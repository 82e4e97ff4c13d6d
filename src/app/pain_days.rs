//! Pain as data: the daily check-in (when it is offered, its answers, writing it), what changed
//! when today's pain stands out, the small test of one change, and the days the statistics see.
//! The statistics themselves are `practice::pain`'s; the files are the store's.

use std::sync::Arc;

use jiff::civil::Date;

use super::effect::{DesktopEffect, Effect, FileEffect};
use super::kept::KeptSession;
use super::screen::{CheckInScreen, CheckInStage, RatingKey, Screen, TestView, YourDaysScreen};
use super::state::{AppState, CheckInCache, Now};
use crate::practice::pain::{self, Day, patterns, red_flags, small_test, what_changed};
use crate::practice::same_name;
use crate::store::checkins::{CheckIn, CheckIns};
use crate::store::history::StartTime;
use crate::store::reminder_days::ReminderDays;
use crate::store::small_tests::{CHANGE_MAX, SmallTest};

/// The practice whose session counts as a wind-down before bed.
pub const WIND_DOWN: &str = "Evening wind-down";

/// "Not today" this many times in a row, and the card asks once whether to keep offering.
pub const SKIPS_BEFORE_ASKING: u32 = 3;

/// What home offers about the check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckInOffer {
    /// "A ten-second check-in?"
    Offer,
    /// After three "Not today"s in a row: "Keep offering a daily check-in?"
    AskToKeepOffering,
}

/// Whether home offers the check-in now: once a day, from the chosen time or after the
/// evening wind-down, unless one is written for today or "Not today" was said today.
pub fn offer(state: &AppState, now: &Now) -> Option<CheckInOffer> {
    let settings = &state.settings.checkin;
    let today = now.today();
    if !settings.offer || settings.declined_on == Some(today) {
        return None;
    }
    let CheckInCache::Loaded(entries) = &state.checkins else {
        return None;
    };
    if entries.iter().any(|c| c.date == today) {
        return None;
    }
    let wound_down = state.history.records().is_some_and(|records| {
        records
            .iter()
            .rev()
            .take_while(|s| s.started.date() == today)
            .any(|s| same_name(&s.practice, WIND_DOWN))
    });
    if now.local().time() < settings.from_time() && !wound_down {
        return None;
    }
    if settings.skipped_in_a_row >= SKIPS_BEFORE_ASKING && !settings.asked_to_keep_offering {
        return Some(CheckInOffer::AskToKeepOffering);
    }
    Some(CheckInOffer::Offer)
}

/// Opens the check-in about today (or `date`, a missed day).
pub(super) fn open_checkin(state: &mut AppState, date: Option<Date>, now: &Now) {
    let today = now.today();
    let date = date.filter(|d| *d <= today).unwrap_or(today);
    let weekly = asks_peg(state, date);
    state.screen = Screen::CheckIn(Box::new(CheckInScreen::new(
        date,
        today,
        weekly,
        state.settings.checkin.marks(),
    )));
}

/// Whether a check-in about `date` asks the weekly PEG items: on the weekly day, once (a
/// second check-in that day, or one after PEG was answered for it, does not).
fn asks_peg(state: &AppState, date: Date) -> bool {
    state.settings.checkin.is_weekly_day(date)
        && !state
            .checkins
            .entries()
            .iter()
            .any(|c| c.date == date && c.peg.is_some())
}

/// A key on the check-in's question; the last answer writes it.
pub(super) fn checkin_key(
    state: &mut AppState,
    key: RatingKey,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    if let Screen::CheckIn(screen) = &mut state.screen
        && screen.key(key)
    {
        write_when_complete(state, now, effects);
    }
}

/// A click on an answer of the current question.
pub(super) fn checkin_answer(
    state: &mut AppState,
    value: u8,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    if let Screen::CheckIn(screen) = &mut state.screen
        && let Some(question) = screen.question()
        && (question.lowest..=question.highest).contains(&value)
    {
        screen.answer(value);
        write_when_complete(state, now, effects);
    }
}

fn write_when_complete(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::CheckIn(screen) = &mut state.screen else {
        return;
    };
    if !screen.is_complete() || screen.stage != CheckInStage::Questions {
        return;
    }
    let checkin = screen.checkin(StartTime::of(&now.wall));
    // What changed is read against the days as they are with this check-in among them.
    let mut entries: Vec<CheckIn> = state.checkins.entries().to_vec();
    entries.push(checkin.clone());
    let sessions = state.history.records().map(|r| r.as_slice()).unwrap_or(&[]);
    let days = days_of(
        &entries,
        sessions,
        &state.reminder_days,
        &state.settings.reminders.micro_rest_practice,
        now.today(),
    );
    let changes = (checkin.date == now.today())
        .then(|| what_changed::compare(&days, now.today()))
        .flatten()
        .map(|c| {
            let mut lines = vec![format!(
                "Pain today {:.0}, usually {:.0}.",
                c.pain, c.usual_pain
            )];
            lines.extend(c.lines);
            lines
        })
        .unwrap_or_default();
    screen.stage = CheckInStage::Answered {
        written: Box::new(checkin.clone()),
        saved: None,
        changes,
    };
    let settings = &mut state.settings.checkin;
    settings.skipped_in_a_row = 0;
    effects.push(FileEffect::AppendCheckIn(Box::new(checkin)).into());
    effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
}

/// Done on the page after the questions: what was different and the note are added.
pub(super) fn checkin_done(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    if let Screen::CheckIn(screen) = &state.screen {
        if let Some(addition) = screen.addition(StartTime::of(&now.wall)) {
            effects.push(FileEffect::AppendCheckIn(Box::new(addition)).into());
        }
        state.screen = Screen::Home;
    }
}

/// "Not today" (or Esc before the last answer): nothing is written.
pub(super) fn not_today(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let from_questions = match &state.screen {
        Screen::CheckIn(screen) => screen.stage == CheckInStage::Questions,
        Screen::Home => true,
        _ => false,
    };
    if !from_questions {
        return;
    }
    let is_about_today = match &state.screen {
        Screen::CheckIn(screen) => screen.date == now.today(),
        _ => true,
    };
    if is_about_today {
        let settings = &mut state.settings.checkin;
        settings.declined_on = Some(now.today());
        settings.skipped_in_a_row = settings.skipped_in_a_row.saturating_add(1);
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
    }
    state.screen = Screen::Home;
}

/// The answer to "Keep offering a daily check-in?", asked once.
pub(super) fn keep_offering(
    state: &mut AppState,
    keep: bool,
    now: &Now,
    effects: &mut Vec<Effect>,
) {
    let settings = &mut state.settings.checkin;
    settings.asked_to_keep_offering = true;
    settings.skipped_in_a_row = 0;
    settings.offer = keep;
    settings.declined_on = Some(now.today());
    effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
}

/// The check-ins as read in the background, or why they could not be.
pub(super) fn checkins_loaded(state: &mut AppState, read: Result<CheckIns, String>) {
    match read {
        Ok(read) => {
            for problem in read.problems {
                state.notices.push(problem);
            }
            state.checkins = CheckInCache::Loaded(Arc::new(read.entries));
        }
        Err(reason) => {
            state.notices.push(reason.clone());
            state.checkins = CheckInCache::Failed(reason);
        }
    }
}

/// A check-in (or an addition to one) reached the log, or why not.
pub(super) fn checkin_written(state: &mut AppState, checkin: CheckIn, result: Result<(), String>) {
    let is_addition = checkin.adds_to.is_some();
    if let Screen::CheckIn(screen) = &mut state.screen
        && let CheckInStage::Answered { written, saved, .. } = &mut screen.stage
        && written.id == checkin.id
    {
        *saved = Some(result.clone());
    }
    match result {
        Ok(()) => {
            if let CheckInCache::Loaded(entries) = &mut state.checkins {
                let entries = Arc::make_mut(entries);
                match &checkin.adds_to {
                    Some(target) => {
                        if let Some(first) = entries.iter_mut().find(|c| &c.id == target) {
                            crate::store::checkins::fold_in(first, checkin);
                        }
                    }
                    None => entries.push(checkin),
                }
            }
        }
        Err(reason) => state.notices.push(format!(
            "Your check-in{} could not be saved to {}: {reason}",
            if is_addition { "'s marks" } else { "" },
            state.data_dir.checkins_path().display()
        )),
    }
}

/// Every day from the first check-in to `today`, as the statistics see them: the means of each
/// day's answers, the marks offered and ticked, and what the history says of the day.
pub fn days_of(
    checkins: &[CheckIn],
    sessions: &[KeptSession],
    reminders: &ReminderDays,
    micro_rest: &str,
    today: Date,
) -> Vec<Day> {
    let Some(first) = checkins.iter().map(|c| c.date).min() else {
        return Vec::new();
    };
    let mut days = Vec::new();
    let mut date = first;
    while date <= today {
        days.push(Day::empty(date));
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    let count = days.len();
    let index = |date: Date| -> Option<usize> {
        let offset = first.until(date).ok()?.get_days();
        usize::try_from(offset).ok().filter(|&i| i < count)
    };
    // Sums and counts of the answers, to take each day's means.
    let mut sums = vec![[(0.0f64, 0u32); 4]; days.len()];
    for checkin in checkins {
        let Some(i) = index(checkin.date) else {
            continue;
        };
        let answers = [
            checkin.pain,
            checkin.interference,
            checkin.sleep,
            checkin.stress,
        ];
        for (slot, answer) in sums[i].iter_mut().zip(answers) {
            if let Some(value) = answer {
                slot.0 += f64::from(value);
                slot.1 += 1;
            }
        }
        for mark in &checkin.offered {
            let ticked = checkin.marked.contains(mark);
            let entry = days[i].marks.entry(mark.clone()).or_insert(false);
            *entry |= ticked;
        }
    }
    // From the first day the reminders were counted on, a day without counts had none.
    let counted_from = reminders.first();
    for day in days.iter_mut() {
        day.nudges = reminders.nudges(day.date).or_else(|| {
            counted_from
                .filter(|first| day.date >= *first)
                .map(|_| Default::default())
        });
    }
    for (day, sums) in days.iter_mut().zip(&sums) {
        let mean = |(sum, count): (f64, u32)| (count > 0).then(|| sum / f64::from(count));
        day.pain = mean(sums[0]);
        day.interference = mean(sums[1]);
        day.sleep = mean(sums[2]);
        day.stress = mean(sums[3]);
    }
    for session in sessions {
        let Some(i) = index(session.started.date()) else {
            continue;
        };
        let day = &mut days[i];
        day.minutes_breathed += f64::from(session.breathed_seconds) / 60.0;
        if same_name(&session.practice, micro_rest) {
            day.micro_rests += 1;
        }
        if same_name(&session.practice, WIND_DOWN) {
            day.wind_down = true;
        }
    }
    pain::fill_gaps(days)
}

/// Opens "Your days", worked out from the check-ins and the history as the app holds them.
pub(super) fn open_your_days(state: &mut AppState, now: &Now) {
    if let CheckInCache::Failed(reason) = &state.checkins {
        state.notices.push(reason.clone());
        return;
    }
    let screen = your_days(state, now);
    state.screen = Screen::YourDays(Box::new(screen));
}

fn your_days(state: &AppState, now: &Now) -> YourDaysScreen {
    let today = now.today();
    let sessions = state.history.records().map(|r| r.as_slice()).unwrap_or(&[]);
    let entries = state.checkins.entries();
    let days = days_of(
        entries,
        sessions,
        &state.reminder_days,
        &state.settings.reminders.micro_rest_practice,
        today,
    );
    let scan = patterns::scan(&days, &patterns::ScanOptions::default());
    let view = |test: &SmallTest| {
        let schedule = test.schedule();
        let over = today >= schedule.end();
        let analysis = if test.ran_its_course(today) {
            small_test::analyse(&schedule, &days)
        } else {
            small_test::so_far(&schedule, &days, test.stopped.unwrap_or(today))
        };
        TestView {
            today: schedule.today(today),
            over,
            analysis,
            test: test.clone(),
        }
    };
    YourDaysScreen {
        checkin_count: entries.len(),
        scan,
        test: state.small_tests.current().map(view),
        last_test: state
            .small_tests
            .tests
            .iter()
            .rev()
            .find(|t| t.stopped.is_some())
            .map(view),
        red_flag: red_flags::check(&days, today),
        days,
        chart_days: 90,
        change: String::new(),
        confirming_stop: false,
        focus_change: false,
        message: None,
    }
}

/// Starts a small test of the change typed on "Your days": a schedule drawn at random from
/// tomorrow. One test at a time.
pub(super) fn start_small_test(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::YourDays(screen) = &mut state.screen else {
        return;
    };
    let change = screen.change.trim().to_owned();
    let why_not = if state.small_tests.running(now.today()).is_some() {
        Some("A test is running: one at a time. Stop it first to test another change.".to_owned())
    } else if change.is_empty() {
        Some("Type the change to test first, e.g. \"a pillow under the knees\".".to_owned())
    } else if change.chars().count() > CHANGE_MAX {
        Some(format!(
            "Say the change in at most {CHANGE_MAX} characters."
        ))
    } else {
        None
    };
    if let Some(why) = why_not {
        screen.message = Some(why);
        return;
    }
    let start = now.today().tomorrow().unwrap_or(now.today());
    let schedule = small_test::Schedule::draw(start, &mut fastrand::Rng::new());
    // A finished test that was never stopped is closed now, on its last day.
    if let Some(previous) = state.small_tests.current_mut() {
        previous.stopped = Some(previous.schedule().end());
    }
    state
        .small_tests
        .tests
        .push(SmallTest::new(change, &schedule));
    effects.push(FileEffect::SaveSmallTests(Box::new(state.small_tests.clone())).into());
    let mut fresh = your_days(state, now);
    fresh.message = Some("Started. Each day the home screen says which side today is.".to_owned());
    state.screen = Screen::YourDays(Box::new(fresh));
}

/// Readies a small test of `change` (a finding's "Test it"), or of one to type ("Test a small
/// change?"): on Your days, its words in the form's field and the keyboard there. With a test
/// running, or one over and not yet closed, the form is not there: the screen says why.
pub(super) fn test_change(state: &mut AppState, change: Option<String>, now: &Now) {
    if !matches!(state.screen, Screen::YourDays(_)) {
        open_your_days(state, now);
    }
    let why_not = state.small_tests.current().map(|test| {
        if test.is_running(now.today()) {
            format!(
                "A test of \u{201c}{}\u{201d} is running: one at a time. Stop it first to test \
                 another change.",
                test.change
            )
        } else {
            format!(
                "The test of \u{201c}{}\u{201d} is over: close it first to test another change.",
                test.change
            )
        }
    });
    let Screen::YourDays(screen) = &mut state.screen else {
        return;
    };
    match why_not {
        Some(why) => screen.message = Some(why),
        None => {
            if let Some(change) = change {
                screen.change = change;
            }
            screen.focus_change = true;
            screen.message = None;
        }
    }
}

/// Ask (true) or stop asking whether to stop the running test.
pub(super) fn ask_stop_small_test(state: &mut AppState, asking: bool) {
    if let Screen::YourDays(screen) = &mut state.screen {
        screen.confirming_stop = asking;
    }
}

/// Stops the current test (running, or over and read): it keeps what it had, with no verdict.
pub(super) fn stop_small_test(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let today = now.today();
    let Some(test) = state.small_tests.current_mut() else {
        return;
    };
    test.stopped = Some(today.min(test.schedule().end()));
    effects.push(FileEffect::SaveSmallTests(Box::new(state.small_tests.clone())).into());
    if matches!(state.screen, Screen::YourDays(_)) {
        let mut fresh = your_days(state, now);
        fresh.message = Some("Stopped. What it had so far is kept below.".to_owned());
        state.screen = Screen::YourDays(Box::new(fresh));
    }
}

/// Today's side of the running test, for home: "Small test: with a pillow under the knees
/// today (day 2 of 4)".
pub fn todays_side(state: &AppState, now: &Now) -> Option<String> {
    let test = state.small_tests.running(now.today())?;
    let side = test.schedule().today(now.today())?;
    let with = if side.on { "with" } else { "without" };
    let washout = if side.washout {
        " (a settling day: not counted)"
    } else {
        ""
    };
    Some(format!(
        "Small test, block {} of {}: today {with} \u{201c}{}\u{201d}{washout}",
        side.block + 1,
        test.with_change.len(),
        test.change
    ))
}

/// Once a day at the chosen time, if asked for in Settings, a quiet notification that the
/// check-in is there (never during a session).
pub(super) fn notify_when_due(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let settings = &state.settings.checkin;
    if !settings.notify
        || settings.notified_on == Some(now.today())
        || state.is_in_session()
        || offer(state, now) != Some(CheckInOffer::Offer)
    {
        return;
    }
    state.settings.checkin.notified_on = Some(now.today());
    effects.push(
        DesktopEffect::Inform(
            "A ten-second check-in is there in downshift, if you would like it.".to_owned(),
        )
        .into(),
    );
    effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
}

/// What the check-ins say when pain has not eased over three weeks of them, for the safety
/// note and "Your days".
pub fn red_flag(state: &AppState, now: &Now) -> Option<String> {
    let sessions = state.history.records().map(|r| r.as_slice()).unwrap_or(&[]);
    let days = days_of(
        state.checkins.entries(),
        sessions,
        &state.reminder_days,
        &state.settings.reminders.micro_rest_practice,
        now.today(),
    );
    red_flags::check(&days, now.today()).map(|flag| flag.why)
}

/// Back to the check-in's question before.
pub(super) fn checkin_back(state: &mut AppState) {
    if let Screen::CheckIn(screen) = &mut state.screen {
        screen.back();
    }
}

/// The check-in's day, this many days earlier (negative) or later: only while its questions
/// are being answered.
pub(super) fn checkin_date(state: &mut AppState, days: i32) {
    let Screen::CheckIn(screen) = &mut state.screen else {
        return;
    };
    if screen.stage != CheckInStage::Questions {
        return;
    }
    screen.move_date(days);
    let date = screen.date;
    let weekly = asks_peg(state, date);
    if let Screen::CheckIn(screen) = &mut state.screen {
        screen.set_weekly(weekly);
    }
}

/// Ticks or unticks the check-in's mark (its index).
pub(super) fn checkin_mark(state: &mut AppState, index: usize) {
    if let Screen::CheckIn(screen) = &mut state.screen
        && let Some(mark) = screen.marks.get_mut(index)
    {
        mark.ticked = !mark.ticked;
    }
}

/// The check-in's mark (its index) has been wholly on the screen: it counts as offered.
pub(super) fn checkin_mark_shown(state: &mut AppState, index: usize) {
    if let Screen::CheckIn(screen) = &mut state.screen
        && let Some(mark) = screen.marks.get_mut(index)
    {
        mark.shown = true;
    }
}

/// Enter on the check-in: confirms a pending 1 on a question, or is done after them.
pub(super) fn checkin_confirm(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    match &state.screen {
        Screen::CheckIn(screen) if screen.stage == CheckInStage::Questions => {
            checkin_key(state, RatingKey::Confirm, now, effects);
        }
        Screen::CheckIn(_) => checkin_done(state, now, effects),
        _ => {}
    }
}

/// Your days: how many days the chart shows (0: all).
pub(super) fn your_days_span(state: &mut AppState, days: usize) {
    if let Screen::YourDays(screen) = &mut state.screen {
        screen.chart_days = days;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SessionEnd;
    use crate::store::reminder_days::ReminderAnswer;
    use jiff::civil::date;

    fn written() -> StartTime {
        "2026-11-23T21:00:00+00:00".parse().expect("time")
    }

    fn checkin(day: Date, pain: Option<u8>, sleep: Option<u8>) -> CheckIn {
        let mut checkin = CheckIn::new(day, written());
        checkin.pain = pain;
        checkin.sleep = sleep;
        checkin
    }

    fn session(started: &str, practice: &str, seconds: f32) -> KeptSession {
        KeptSession {
            id: "s".into(),
            started: started.parse().expect("time"),
            practice: practice.into(),
            breathed_seconds: seconds,
            end: SessionEnd::Completed,
            tension_before: None,
            tension_after: None,
            heart_swing: None,
        }
    }

    #[test]
    fn a_day_of_several_checkins_is_their_mean_and_a_missing_answer_is_never_zero() {
        let monday = date(2026, 11, 16);
        let wednesday = date(2026, 11, 18);
        let mut first = checkin(monday, Some(4), Some(8));
        first.offered = vec!["travel".to_owned(), "long sitting".to_owned()];
        first.marked = vec!["travel".to_owned()];
        // The second that day left sleep out, and was offered long sitting and ticked it.
        let mut second = checkin(monday, Some(6), None);
        second.offered = vec!["long sitting".to_owned()];
        second.marked = vec!["long sitting".to_owned()];
        let third = checkin(wednesday, None, Some(5));
        let sessions = [
            session("2026-11-16T12:00:00+00:00", "Micro-rest reset", 90.0),
            session("2026-11-16T15:00:00+00:00", "micro-rest reset", 90.0),
            session("2026-11-17T22:00:00+00:00", WIND_DOWN, 600.0),
        ];
        let mut reminders = ReminderDays::default();
        reminders.count(ReminderAnswer::NudgeShown, date(2026, 11, 17));
        let days = days_of(
            &[first, second, third],
            &sessions,
            &reminders,
            "Micro-rest reset",
            date(2026, 11, 19),
        );
        let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            [monday, date(2026, 11, 17), wednesday, date(2026, 11, 19)],
            "every day from the first check-in to today"
        );
        let monday = &days[0];
        assert_eq!(monday.pain, Some(5.0), "the mean of 4 and 6");
        assert_eq!(monday.sleep, Some(8.0), "the one answer, not halved");
        assert_eq!(monday.interference, None, "never answered: not zero");
        assert_eq!(monday.marks.get("travel"), Some(&true));
        assert_eq!(
            monday.marks.get("long sitting"),
            Some(&true),
            "ticked once that day"
        );
        assert_eq!(monday.micro_rests, 2);
        assert!((monday.minutes_breathed - 3.0).abs() < 1e-9);
        assert_eq!(monday.nudges, None, "before the reminders were counted");
        let tuesday = &days[1];
        assert_eq!((tuesday.pain, tuesday.sleep), (None, None), "no check-in");
        assert!(tuesday.marks.is_empty(), "nothing asked");
        assert!(tuesday.wind_down);
        assert_eq!(tuesday.nudges.map(|n| n.shown), Some(1));
        let wednesday = &days[2];
        assert_eq!((wednesday.pain, wednesday.sleep), (None, Some(5.0)));
        assert_eq!(
            wednesday.nudges,
            Some(Default::default()),
            "counted from Tuesday on: a day without counts had none"
        );
        assert!(
            days_of(
                &[],
                &sessions,
                &reminders,
                "Micro-rest reset",
                date(2026, 11, 19)
            )
            .is_empty()
        );
    }
}
