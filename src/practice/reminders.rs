//! Reminders while the app is open: a daily time for the transition ritual, and micro-rest nudges
//! every so many minutes during chosen hours. All off by default. Pure rules: the local time and
//! what is running are passed in.
//!
//! What a careful person expects of them:
//! - at most one prompt at a time: a newer one replaces an older one, nothing piles up;
//! - nothing during a session: a session counts as a rest, and the transition waits until after;
//! - a reminder more than an hour late (the computer slept, the app was busy) is let go quietly;
//! - "Later" asks again once, after a few minutes;
//! - being away from the keyboard for at least a rest's length (and a minute) is a rest: no
//!   nudge while away, a nudge that fell due meanwhile is let go, and the count starts again on
//!   return; a transition that fell due waits for the return (within the hour);
//! - nothing while the person is busy (full screen, do not disturb, a call, a shared screen): a
//!   prompt up is taken down, and the one that fell due (at most one; a transition before a
//!   nudge) is offered once, gently, at the first look after, even past the hour: a nudge if it
//!   is still nudge hours, either if it was held for less than four hours;
//! - a pause (from the tray) stops every prompt until it ends; what falls due meanwhile is let
//!   go, and the micro-rest count starts again when it ends.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::model::same_name;
use super::pacing::{minute_of, minute_of_day};

mod next_up;
pub use next_up::pause_choices;

/// One accepted change of the micro-rest interval (paced sitting), or the interval set from a
/// new baseline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalChange {
    /// The local date, "YYYY-MM-DD".
    pub date: String,
    pub from: u32,
    pub to: u32,
}

impl IntervalChange {
    pub fn day(&self) -> Option<Date> {
        self.date.parse().ok()
    }
}

/// What the person chose in settings. Every field has a default, so old files still load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderSettings {
    /// Remind once a day, at `transition_at`, to do `transition_practice`.
    pub transition: bool,
    /// "HH:MM", local time.
    pub transition_at: String,
    pub transition_practice: String,
    /// Nudge every `micro_rest_minutes` between `micro_rest_from` and `micro_rest_until`.
    pub micro_rests: bool,
    pub micro_rest_minutes: u32,
    pub micro_rest_from: String,
    pub micro_rest_until: String,
    pub micro_rest_practice: String,
    /// Monday to Friday only.
    pub workdays_only: bool,
    /// How long "Later" waits before asking again.
    pub later_minutes: u32,
    /// Paced sitting: how long the person can usually sit before their back starts to
    /// complain, in minutes; it sets `micro_rest_minutes` (see `practice::paced_sitting`).
    pub sit_minutes: Option<u32>,
    /// The interval's changes from the baseline and accepted offers, with their dates.
    pub pacing_changes: Vec<IntervalChange>,
    /// The date ("YYYY-MM-DD") a paced-sitting offer was last answered, yes or no.
    pub pacing_asked: Option<String>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            transition: false,
            transition_at: "17:30".to_owned(),
            transition_practice: "Work to home".to_owned(),
            micro_rests: false,
            micro_rest_minutes: 60,
            micro_rest_from: "09:00".to_owned(),
            micro_rest_until: "17:00".to_owned(),
            micro_rest_practice: "Micro-rest reset".to_owned(),
            workdays_only: true,
            later_minutes: 10,
            sit_minutes: None,
            pacing_changes: Vec::new(),
            pacing_asked: None,
        }
    }
}

impl ReminderSettings {
    /// Whether any reminder is switched on.
    pub fn any(&self) -> bool {
        self.transition || self.micro_rests
    }

    fn rest_interval(&self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.micro_rest_minutes.clamp(5, 240)))
    }

    fn later(&self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.later_minutes.clamp(1, 120)))
    }

    fn counts_on(&self, date: Date) -> bool {
        !self.workdays_only || date.weekday().to_monday_one_offset() <= 5
    }

    /// Whether `now` is within the nudge hours of a day that counts. Hours may run past
    /// midnight (a night shift, 22:00–06:00): the small hours belong to the day they began on.
    /// The same time twice means all day.
    fn in_rest_hours(&self, now: DateTime) -> bool {
        let (Some(from), Some(until)) = (
            minute_of_day(&self.micro_rest_from),
            minute_of_day(&self.micro_rest_until),
        ) else {
            return false;
        };
        let minute = minute_of(now);
        let today = now.date();
        if from == until {
            self.counts_on(today)
        } else if from < until {
            (from..until).contains(&minute) && self.counts_on(today)
        } else if minute >= from {
            self.counts_on(today)
        } else {
            minute < until && today.yesterday().is_ok_and(|d| self.counts_on(d))
        }
    }

    /// Today's transition time, if it reads.
    fn transition_on(&self, date: Date) -> Option<DateTime> {
        let minute = minute_of_day(&self.transition_at)?;
        Some(date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderKind {
    Transition,
    MicroRest,
}

/// A prompt to show: what it is for, what it says and which practice "Start" begins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub practice: String,
    pub message: String,
}

/// A reminder more than this late is let go rather than shown.
const STALE: SignedDuration = SignedDuration::from_mins(60);

/// Where the reminders stand; kept by the app for as long as it is open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReminderState {
    /// The day whose transition reminder was last shown, answered or made moot.
    transition_handled: Option<Date>,
    /// The transition time last seen in the settings, to notice when it is changed.
    transition_at_seen: Option<String>,
    /// When the next micro-rest nudge is due.
    next_rest: Option<DateTime>,
    /// "Later", or a transition that has to wait out a session: ask again at this time. One for
    /// each kind, so putting off a nudge never loses the day's transition.
    transition_again: Option<DateTime>,
    rest_again: Option<DateTime>,
    showing: Option<Reminder>,
    /// When the prompt on screen came.
    showing_since: Option<DateTime>,
    /// A session was running at the last look: the rest count starts again when it ends.
    resting: bool,
    /// The person was away from the keyboard at the last look.
    away: bool,
    /// A prompt held back while the person was busy, to offer once when they are not.
    held: Option<Held>,
    /// Paused until this time: no prompt, and what falls due meanwhile is let go.
    paused_until: Option<DateTime>,
}

/// A prompt held back, and since when.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Held {
    kind: ReminderKind,
    since: DateTime,
}

/// A prompt held back longer than this is let go: by then the moment has passed.
const HELD_AT_MOST: SignedDuration = SignedDuration::from_hours(4);

/// What the desktop says about the person and the screen, as far as reminders care: read by
/// `desktop::presence` a few times a minute, passed in here, and never stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// How long since the last key press or pointer movement; `None` where the desktop does not
    /// say (then nobody is ever taken to be away).
    pub idle: Option<SignedDuration>,
    /// Why a nudge must wait just now, if it must.
    pub busy: Option<Busy>,
}

/// Why a nudge is held back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// A full-screen window has the focus (a film, a presentation, a game).
    FullScreen,
    /// The desktop's do-not-disturb is on.
    DoNotDisturb,
    /// A camera is in use (a call).
    Camera,
    /// The screen is being shared or recorded.
    ScreenSharing,
}

/// What is running, as far as reminders care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity<'a> {
    /// No session: a prompt may be shown.
    Free,
    /// A session of this practice is running (or being rated): nothing may interrupt it.
    InSession(&'a str),
}

impl ReminderState {
    /// The prompt on screen, if any.
    pub fn showing(&self) -> Option<&Reminder> {
        self.showing.as_ref()
    }

    /// Looks at the time and the surroundings. `rest_length` is how long the micro-rest
    /// practice takes (being idle that long, and at least a minute, is being away). Returns the
    /// reminder that is newly due now, which is also what `showing` gives from now on. A
    /// transition prompt is never replaced by a nudge.
    pub fn tick(
        &mut self,
        settings: &ReminderSettings,
        now: DateTime,
        activity: Activity,
        surroundings: Surroundings,
        rest_length: SignedDuration,
    ) -> Option<Reminder> {
        self.follow_settings(settings, now);
        if self.showing.is_none() {
            self.showing_since = None;
        }
        if let Activity::InSession(practice) = activity {
            self.session_running(settings, now, practice);
        }
        if let Some(until) = self.paused_until {
            if now < until {
                self.let_go(settings, now);
                return None;
            }
            // The pause is over; with `next_rest` let go, the count starts again now.
            self.paused_until = None;
        }
        self.away = is_away(surroundings.idle, rest_length);
        if self.away {
            // Being away is a rest: what fell due is let go, and the count starts again on
            // return. A prompt already up stays for the person to find.
            self.next_rest = None;
            self.rest_again = None;
            if self.held.is_some_and(|h| h.kind == ReminderKind::MicroRest) {
                self.held = None;
            }
        }
        let free = activity == Activity::Free && !self.away;
        let transition = self.transition_due(settings, now, free);
        let rest = self.rest_due(settings, now, free);
        let due = match (transition, rest) {
            (Some(transition), _) => Some(transition),
            // Within its hour; a transition prompt nobody answered (ignored, or in a window put
            // away) must not keep every nudge away after that.
            (None, Some(_)) if self.is_showing_fresh(ReminderKind::Transition, now) => None,
            (None, rest) => rest,
        };
        if surroundings.busy.is_some() {
            // Nothing shows now; what would have is held for afterwards.
            // A prompt that was up is held from when it first came.
            let up_since = self.showing_since.take().unwrap_or(now);
            if let Some(up) = self.showing.take() {
                self.hold(up.kind, up_since);
            }
            if let Some(due) = due {
                self.hold(due.kind, now);
            }
            return None;
        }
        let due = if free {
            self.offer_held(settings, now, due)
        } else {
            due
        };
        if let Some(reminder) = &due {
            self.showing = Some(reminder.clone());
            self.showing_since = Some(now);
        }
        due
    }

    /// Pauses every reminder until `until` (a time already past resumes them): a prompt up
    /// goes, and whatever falls due meanwhile is let go.
    pub fn pause_until(&mut self, until: DateTime) {
        self.paused_until = Some(until);
        self.showing = None;
        self.held = None;
        self.next_rest = None;
        self.rest_again = None;
        self.transition_again = None;
    }

    /// Ends a pause now: the micro-rest count starts again.
    pub fn resume(&mut self) {
        if self.paused_until.take().is_some() {
            self.next_rest = None;
        }
    }

    /// Until when reminders are paused, if they are.
    pub fn paused_until(&self) -> Option<DateTime> {
        self.paused_until
    }

    /// While paused: nothing shows, nothing waits, and a transition falling due is done with.
    fn let_go(&mut self, settings: &ReminderSettings, now: DateTime) {
        if let Some(until) = self.paused_until {
            self.pause_until(until);
        }
        self.transition_due(settings, now, true);
    }

    /// Holds a prompt back: one at most, a transition before a nudge.
    fn hold(&mut self, kind: ReminderKind, now: DateTime) {
        let outranked = kind == ReminderKind::MicroRest
            && self
                .held
                .is_some_and(|h| h.kind == ReminderKind::Transition);
        if !outranked {
            self.held = Some(Held { kind, since: now });
        }
    }

    /// The person is free again: a held prompt is offered instead of a newly due one it
    /// outranks, once; either way only one comes.
    fn offer_held(
        &mut self,
        settings: &ReminderSettings,
        now: DateTime,
        due: Option<Reminder>,
    ) -> Option<Reminder> {
        let Some(held) = self.held.take() else {
            return due;
        };
        let outranks = match &due {
            None => true,
            Some(due) => {
                due.kind == ReminderKind::MicroRest && held.kind == ReminderKind::Transition
            }
        };
        let still_fits = now.duration_since(held.since) < HELD_AT_MOST
            && (held.kind == ReminderKind::Transition || settings.in_rest_hours(now));
        if !(outranks && still_fits) {
            return due;
        }
        if held.kind == ReminderKind::MicroRest {
            self.next_rest = Some(add(now, settings.rest_interval()));
        }
        let mut offered = reminder(settings, held.kind, now);
        offered.message = match held.kind {
            ReminderKind::Transition => format!(
                "It's {}. Held back while you were busy: time to leave the day behind?",
                clock(now)
            ),
            ReminderKind::MicroRest => {
                "Held back while you were busy: a short reset now?".to_owned()
            }
        };
        Some(offered)
    }

    /// A prompt of this kind is up, and came less than an hour ago.
    fn is_showing_fresh(&self, kind: ReminderKind, now: DateTime) -> bool {
        self.is_showing(kind)
            && self
                .showing_since
                .is_none_or(|since| now.duration_since(since) < STALE)
    }

    fn is_showing(&self, kind: ReminderKind) -> bool {
        self.showing.as_ref().is_some_and(|r| r.kind == kind)
    }

    /// Settings changed while the app is open: a prompt whose reminder was switched off goes,
    /// a prompt names the practice now chosen, and a transition time moved to earlier today
    /// does not fire at once.
    fn follow_settings(&mut self, settings: &ReminderSettings, now: DateTime) {
        if let Some(shown) = &mut self.showing {
            let (enabled, practice) = match shown.kind {
                ReminderKind::Transition => (settings.transition, &settings.transition_practice),
                ReminderKind::MicroRest => (settings.micro_rests, &settings.micro_rest_practice),
            };
            if enabled {
                practice.trim().clone_into(&mut shown.practice);
            } else {
                self.showing = None;
            }
        }
        if !settings.transition {
            self.transition_again = None;
        }
        if let Some(held) = self.held {
            let enabled = match held.kind {
                ReminderKind::Transition => settings.transition,
                ReminderKind::MicroRest => settings.micro_rests,
            };
            if !enabled {
                self.held = None;
            }
        }
        if !settings.micro_rests {
            self.rest_again = None;
            self.next_rest = None;
        }
        let seen = Some(settings.transition_at.trim());
        if self.transition_at_seen.as_deref() != seen {
            let first_look = self.transition_at_seen.is_none();
            self.transition_at_seen = seen.map(str::to_owned);
            if !first_look && let Some(at) = settings.transition_on(now.date()) {
                // A time already past today waits for tomorrow; one still to come is due today
                // even if the old one was shown.
                self.transition_handled = if at <= now {
                    Some(now.date())
                } else {
                    now.date().yesterday().ok()
                };
            }
        }
    }

    /// Nothing shows over a session. A session is a rest, so it answers a nudge; a session of
    /// the transition ritual answers the transition; any other session makes it wait.
    fn session_running(&mut self, settings: &ReminderSettings, now: DateTime, practice: &str) {
        self.resting = true;
        self.rest_again = None;
        let transition_practice = same_name(practice, &settings.transition_practice);
        if transition_practice || self.held.is_some_and(|h| h.kind == ReminderKind::MicroRest) {
            self.held = None;
        }
        // A transition prompt still in its hour waits out the session; an older one is let go.
        let fresh = self.is_showing_fresh(ReminderKind::Transition, now);
        if let Some(shown) = self.showing.take()
            && shown.kind == ReminderKind::Transition
            && !transition_practice
            && fresh
        {
            self.transition_again = Some(now);
        }
        if transition_practice {
            self.transition_again = None;
            if settings
                .transition_on(now.date())
                .is_some_and(|at| at <= add(now, STALE))
            {
                self.transition_handled = Some(now.date());
            }
        }
    }

    /// `free`: nothing running and the person at the keyboard; otherwise a transition falling
    /// due waits (within the hour).
    fn transition_due(
        &mut self,
        settings: &ReminderSettings,
        now: DateTime,
        free: bool,
    ) -> Option<Reminder> {
        if !settings.transition {
            return None;
        }
        // Yesterday's too: a 23:45 reminder may still be asked for at 00:10.
        let today = now.date();
        let mut due = false;
        for day in [today.yesterday().ok(), Some(today)].into_iter().flatten() {
            let Some(at) = settings.transition_on(day) else {
                continue;
            };
            if self.transition_handled.is_some_and(|h| h >= day) || now < at {
                continue;
            }
            if !settings.counts_on(day) || now.duration_since(at) >= STALE {
                // Not a workday, or missed (asleep, or busy all along): let it go.
                self.transition_handled = Some(day);
                continue;
            }
            if free {
                self.transition_handled = Some(day);
                due = true;
            } else if self.transition_again.is_none() {
                // It waits until the session is over, or the person is back.
                self.transition_again = Some(at);
                self.transition_handled = Some(day);
            }
        }
        if let Some(again) = self.transition_again {
            if now.duration_since(again) >= STALE {
                self.transition_again = None;
            } else if now >= again && free {
                self.transition_again = None;
                due = true;
            }
        }
        due.then(|| reminder(settings, ReminderKind::Transition, now))
    }

    fn rest_due(
        &mut self,
        settings: &ReminderSettings,
        now: DateTime,
        free: bool,
    ) -> Option<Reminder> {
        if !settings.micro_rests || !free {
            return None;
        }
        let interval = settings.rest_interval();
        let next = add(now, interval);
        if std::mem::take(&mut self.resting) || self.next_rest.is_none() {
            // Counting starts now: the app opened, nudges were switched on, or a rest (a
            // session, time away) has just ended.
            self.next_rest = Some(next);
            return None;
        }
        if let Some(again) = self.rest_again
            && now >= again
        {
            self.rest_again = None;
            if now.duration_since(again) < STALE {
                self.next_rest = Some(next);
                return Some(reminder(settings, ReminderKind::MicroRest, now));
            }
        }
        let due_at = self.next_rest?;
        if now < due_at {
            return None;
        }
        self.next_rest = Some(next);
        let missed = now.duration_since(due_at) >= interval.min(STALE);
        (!missed && settings.in_rest_hours(now))
            .then(|| reminder(settings, ReminderKind::MicroRest, now))
    }

    /// "Later": the prompt goes, and asks again after `later_minutes`.
    pub fn later(&mut self, settings: &ReminderSettings, now: DateTime) {
        if let Some(shown) = self.showing.take() {
            let again = Some(add(now, settings.later()));
            match shown.kind {
                ReminderKind::Transition => self.transition_again = again,
                ReminderKind::MicroRest => self.rest_again = again,
            }
        }
    }

    /// "Start": the prompt goes; returns it, for the practice to begin.
    pub fn start(&mut self) -> Option<Reminder> {
        self.showing.take()
    }
}

/// Idle at least this long is being away, however short the micro-rest practice.
pub const AWAY_AT_LEAST: SignedDuration = SignedDuration::from_mins(1);

/// Whether the person counts as away: idle for at least a rest's length, and a minute. Where
/// the desktop does not say, never.
fn is_away(idle: Option<SignedDuration>, rest_length: SignedDuration) -> bool {
    idle.is_some_and(|idle| idle >= rest_length.max(AWAY_AT_LEAST))
}

fn add(time: DateTime, span: SignedDuration) -> DateTime {
    time.checked_add(span).unwrap_or(DateTime::MAX)
}

/// "HH:MM".
fn clock(time: DateTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

fn reminder(settings: &ReminderSettings, kind: ReminderKind, now: DateTime) -> Reminder {
    let clock = clock(now);
    let (practice, message) = match kind {
        ReminderKind::Transition => (
            settings.transition_practice.clone(),
            format!("It's {clock}. Time to leave the day behind?"),
        ),
        ReminderKind::MicroRest => (
            settings.micro_rest_practice.clone(),
            format!(
                "{} minutes since your last rest. A short reset?",
                settings.micro_rest_minutes.clamp(5, 240)
            ),
        ),
    };
    Reminder {
        kind,
        practice: practice.trim().to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Monday 23 November 2026.
    fn monday(hour: i8, minute: i8) -> DateTime {
        date(2026, 11, 23).at(hour, minute, 0, 0)
    }

    /// How long the micro-rest practice takes, in these tests.
    const REST: SignedDuration = SignedDuration::from_mins(2);

    impl ReminderState {
        /// A tick with the person at the keyboard and nothing in the way.
        fn look(
            &mut self,
            settings: &ReminderSettings,
            now: DateTime,
            activity: Activity,
        ) -> Option<Reminder> {
            self.tick(settings, now, activity, Surroundings::default(), REST)
        }
    }

    fn transition_at_1730() -> ReminderSettings {
        ReminderSettings {
            transition: true,
            ..ReminderSettings::default()
        }
    }

    fn rests_every_30() -> ReminderSettings {
        ReminderSettings {
            micro_rests: true,
            micro_rest_minutes: 30,
            ..ReminderSettings::default()
        }
    }

    /// Ticks once a minute from `from` to `until` (inclusive), collecting what fell due.
    fn run(
        state: &mut ReminderState,
        settings: &ReminderSettings,
        from: DateTime,
        until: DateTime,
        activity: impl Fn(DateTime) -> Activity<'static>,
    ) -> Vec<(DateTime, ReminderKind)> {
        let mut shown = Vec::new();
        let mut now = from;
        while now <= until {
            if let Some(r) = state.look(settings, now, activity(now)) {
                shown.push((now, r.kind));
            }
            now = add(now, SignedDuration::from_mins(1));
        }
        shown
    }

    #[test]
    fn a_transition_prompt_nobody_answers_keeps_nudges_away_only_for_its_hour() {
        // Both on, nudges all day: the 17:30 transition prompt is ignored (the window is in
        // the tray, the notification dismissed).
        let settings = ReminderSettings {
            transition: true,
            micro_rests: true,
            micro_rest_minutes: 30,
            micro_rest_from: "00:00".into(),
            micro_rest_until: "00:00".into(),
            ..ReminderSettings::default()
        };
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(17, 0), monday(20, 0), |_| {
            Activity::Free
        });
        assert_eq!(
            shown[0],
            (monday(17, 30), ReminderKind::Transition),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|(at, kind)| *kind == ReminderKind::MicroRest && *at > monday(18, 30)),
            "nudges come again once it is let go: {shown:?}"
        );
    }

    /// Like `run`, with nothing running and what the desktop says at each minute.
    fn run_in(
        state: &mut ReminderState,
        settings: &ReminderSettings,
        from: DateTime,
        until: DateTime,
        surroundings: impl Fn(DateTime) -> Surroundings,
    ) -> Vec<(DateTime, ReminderKind)> {
        let mut shown = Vec::new();
        let mut now = from;
        while now <= until {
            let around = surroundings(now);
            if let Some(r) = state.tick(settings, now, Activity::Free, around, REST) {
                shown.push((now, r.kind));
            }
            now = add(now, SignedDuration::from_mins(1));
        }
        shown
    }

    /// No key pressed or pointer moved from `from` until `back`; busy with nothing.
    fn away(from: DateTime, back: DateTime) -> impl Fn(DateTime) -> Surroundings {
        move |now| Surroundings {
            idle: Some(if now >= from && now < back {
                now.duration_since(from)
            } else {
                SignedDuration::ZERO
            }),
            busy: None,
        }
    }

    #[test]
    fn time_away_counts_as_a_rest_and_restarts_the_count() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        // Opened at 10:00; up and away from 10:05, back at 10:20: the next nudge is 30 minutes
        // after the return, not at 10:30.
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(11, 30),
            away(monday(10, 5), monday(10, 20)),
        );
        assert_eq!(
            shown,
            [
                (monday(10, 50), ReminderKind::MicroRest),
                (monday(11, 20), ReminderKind::MicroRest)
            ]
        );
    }

    #[test]
    fn a_nudge_due_while_away_is_let_go_not_shown_late() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        // 10:30 falls in an absence from 10:25 to 10:40: nothing then, nothing on return.
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(11, 15),
            away(monday(10, 25), monday(10, 40)),
        );
        assert_eq!(shown, [(monday(11, 10), ReminderKind::MicroRest)]);
    }

    #[test]
    fn no_nudge_while_away_but_a_prompt_already_up_stays() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(12, 0),
            away(monday(10, 31), monday(13, 0)),
        );
        assert_eq!(shown, [(monday(10, 30), ReminderKind::MicroRest)]);
        assert_eq!(
            state.showing().map(|r| r.kind),
            Some(ReminderKind::MicroRest),
            "the prompt waits for the person to come back"
        );
    }

    #[test]
    fn a_transition_due_while_away_waits_for_the_return_within_the_hour() {
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(17, 0),
            monday(19, 0),
            away(monday(17, 20), monday(17, 45)),
        );
        assert_eq!(shown, [(monday(17, 45), ReminderKind::Transition)]);
        // Back only at 18:40: more than an hour late, so it is let go.
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(17, 0),
            monday(23, 0),
            away(monday(17, 20), monday(18, 40)),
        );
        assert!(shown.is_empty(), "{shown:?}");
    }

    #[test]
    fn away_means_idle_for_a_rests_length_and_at_least_a_minute() {
        let secs = SignedDuration::from_secs;
        // (idle, rest length, away)
        let cases = [
            (None, secs(120), false),
            (Some(secs(119)), secs(120), false),
            (Some(secs(120)), secs(120), true),
            (Some(secs(59)), secs(30), false),
            (Some(secs(60)), secs(30), true),
            (Some(secs(60)), SignedDuration::ZERO, true),
        ];
        for (idle, rest, expected) in cases {
            assert_eq!(
                is_away(idle, rest),
                expected,
                "{idle:?} idle, {rest:?} rest"
            );
        }
        // Where the desktop says nothing of idle time, nudges come as before.
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        let unknown = |_| Surroundings::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(10, 30),
            unknown,
        );
        assert_eq!(shown, [(monday(10, 30), ReminderKind::MicroRest)]);
    }

    proptest::proptest! {
        #[test]
        fn never_a_prompt_while_away_and_no_nudge_within_an_interval_of_being_away(
            spells in proptest::collection::vec((0i64..600, 1i64..90), 0..6),
            minutes in 15u32..90,
            transition: bool,
        ) {
            let settings = ReminderSettings {
                micro_rest_minutes: minutes,
                micro_rest_until: "18:30".to_owned(),
                transition,
                ..rests_every_30()
            };
            let start = monday(8, 0);
            let mins = SignedDuration::from_mins;
            let idle = |now: DateTime| {
                let minute = now.duration_since(start).as_mins();
                let spell = spells.iter().find(|(from, length)| {
                    (*from..from + length).contains(&minute)
                });
                Some(spell.map_or(SignedDuration::ZERO, |(from, _)| mins(minute - from)))
            };
            let mut state = ReminderState::default();
            let mut last_away = None;
            let mut now = start;
            while now <= monday(18, 0) {
                let around = Surroundings { idle: idle(now), busy: None };
                let shown = state.tick(&settings, now, Activity::Free, around, REST);
                let away = is_away(around.idle, REST);
                proptest::prop_assert!(!(away && shown.is_some()), "a prompt at {now} while away");
                if let (Some(r), Some(last)) = (&shown, last_away)
                    && r.kind == ReminderKind::MicroRest
                {
                    proptest::prop_assert!(
                        now.duration_since(last) > mins(i64::from(minutes)),
                        "a nudge at {now}, away until {last}"
                    );
                }
                if away {
                    last_away = Some(now);
                }
                now = add(now, mins(1));
            }
        }
    }

    /// Busy (in a call) from `from` until `free`; at the keyboard throughout.
    fn busy(from: DateTime, free: DateTime) -> impl Fn(DateTime) -> Surroundings {
        move |now| Surroundings {
            idle: Some(SignedDuration::ZERO),
            busy: (now >= from && now < free).then_some(Busy::Camera),
        }
    }

    #[test]
    fn a_nudge_held_back_while_busy_is_offered_once_gently_when_it_ends() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        // A call from 10:20 to 10:50 covers the 10:30 nudge: it comes at 10:50, once, and the
        // count starts again from it.
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(11, 30),
            busy(monday(10, 20), monday(10, 50)),
        );
        assert_eq!(
            shown,
            [
                (monday(10, 50), ReminderKind::MicroRest),
                (monday(11, 20), ReminderKind::MicroRest)
            ]
        );
        let mut state = ReminderState::default();
        run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(10, 50),
            busy(monday(10, 20), monday(10, 50)),
        );
        assert_eq!(
            state.showing().map(|r| r.message.as_str()),
            Some("Held back while you were busy: a short reset now?")
        );
    }

    #[test]
    fn after_a_long_meeting_one_prompt_comes_and_a_transition_outranks_a_nudge() {
        let settings = ReminderSettings {
            micro_rests: true,
            micro_rest_minutes: 15,
            micro_rest_until: "20:00".to_owned(),
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        // Busy from 17:10 to 18:50, past the hour: nudges and the transition fell due.
        let shown = run_in(
            &mut state,
            &settings,
            monday(17, 0),
            monday(19, 0),
            busy(monday(17, 10), monday(18, 50)),
        );
        assert_eq!(shown, [(monday(18, 50), ReminderKind::Transition)]);
        assert_eq!(
            state.showing().map(|r| r.message.as_str()),
            Some("It's 18:50. Held back while you were busy: time to leave the day behind?")
        );
    }

    #[test]
    fn a_prompt_up_when_busy_begins_is_taken_down_and_offered_again_after() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(10, 0),
            monday(10, 34),
            busy(monday(10, 31), monday(10, 35)),
        );
        assert_eq!(shown, [(monday(10, 30), ReminderKind::MicroRest)]);
        assert_eq!(state.showing(), None, "not over a shared screen");
        let back = state.tick(
            &settings,
            monday(10, 35),
            Activity::Free,
            Surroundings::default(),
            REST,
        );
        assert_eq!(back.map(|r| r.kind), Some(ReminderKind::MicroRest));
    }

    #[test]
    fn a_held_prompt_is_let_go_after_the_nudge_hours_or_four_hours() {
        // The 16:30 nudge, held by full screen until 17:30, after the nudge hours.
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(16, 0),
            monday(19, 0),
            busy(monday(16, 20), monday(17, 30)),
        );
        assert!(shown.is_empty(), "{shown:?}");
        // The 17:30 transition, held by a film until 21:40.
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(17, 0),
            monday(23, 0),
            busy(monday(17, 20), monday(21, 40)),
        );
        assert!(shown.is_empty(), "{shown:?}");
        // Until 21:20, it still comes.
        let mut state = ReminderState::default();
        let shown = run_in(
            &mut state,
            &settings,
            monday(17, 0),
            monday(23, 0),
            busy(monday(17, 20), monday(21, 20)),
        );
        assert_eq!(shown, [(monday(21, 20), ReminderKind::Transition)]);
    }

    proptest::proptest! {
        #[test]
        fn never_a_prompt_while_busy_and_one_after_each_busy_spell(
            spells in proptest::collection::vec((0i64..540, 1i64..120), 0..6),
            minutes in 15u32..90,
        ) {
            let settings = ReminderSettings {
                micro_rest_minutes: minutes,
                ..rests_every_30()
            };
            let interval = SignedDuration::from_mins(i64::from(minutes));
            let start = monday(8, 0);
            let is_busy = |now: DateTime| {
                let minute = now.duration_since(start).as_mins();
                spells.iter().any(|(from, length)| (*from..from + length).contains(&minute))
            };
            let mut state = ReminderState::default();
            let mut busy_since: Option<DateTime> = None;
            // (when a busy spell ended, prompts since)
            let mut after_spell: Option<(DateTime, u32)> = None;
            let mut now = start;
            while now <= monday(18, 0) {
                let busy = is_busy(now);
                let around = Surroundings {
                    idle: Some(SignedDuration::ZERO),
                    busy: busy.then_some(Busy::FullScreen),
                };
                let shown = state.tick(&settings, now, Activity::Free, around, REST);
                proptest::prop_assert!(!(busy && shown.is_some()), "a prompt at {now} while busy");
                if let Some((ended, count)) = &mut after_spell
                    && now.duration_since(*ended) < interval
                {
                    *count += u32::from(shown.is_some());
                    proptest::prop_assert!(*count <= 1, "two prompts after {ended}");
                }
                match (busy, busy_since) {
                    (true, None) => {
                        busy_since = Some(now);
                        after_spell = None;
                    }
                    (false, Some(since)) => {
                        // A spell as long as the interval, within the hours, had a nudge fall
                        // due in it: it comes now.
                        let within_hours = since >= monday(9, 0) && now < monday(17, 0);
                        if within_hours && now.duration_since(since) >= interval {
                            proptest::prop_assert!(shown.is_some(), "nothing after {since}..{now}");
                        }
                        busy_since = None;
                        after_spell = Some((now, u32::from(shown.is_some())));
                    }
                    _ => {}
                }
                now = add(now, SignedDuration::from_mins(1));
            }
        }
    }

    #[test]
    fn a_pause_stops_every_prompt_lets_go_what_falls_due_and_restarts_the_count() {
        let settings = ReminderSettings {
            micro_rests: true,
            micro_rest_minutes: 30,
            micro_rest_until: "20:00".to_owned(),
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(16, 0), monday(16, 34), |_| {
            Activity::Free
        });
        assert_eq!(shown, [(monday(16, 30), ReminderKind::MicroRest)]);
        state.pause_until(monday(17, 45));
        assert_eq!(state.showing(), None, "the prompt up goes");
        assert_eq!(state.paused_until(), Some(monday(17, 45)));
        // 17:00 and the 17:30 transition fall in the pause and are let go; the count starts
        // again at 17:45.
        let shown = run(
            &mut state,
            &settings,
            monday(16, 35),
            monday(18, 30),
            |_| Activity::Free,
        );
        assert_eq!(shown, [(monday(18, 15), ReminderKind::MicroRest)]);
        assert_eq!(state.paused_until(), None);
    }

    #[test]
    fn resuming_ends_a_pause_at_once_and_the_count_starts_again() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        state.look(&settings, monday(10, 0), Activity::Free);
        state.pause_until(monday(12, 0));
        state.look(&settings, monday(10, 10), Activity::Free);
        state.resume();
        assert_eq!(state.paused_until(), None);
        let shown = run(&mut state, &settings, monday(10, 20), monday(11, 0), |_| {
            Activity::Free
        });
        assert_eq!(shown, [(monday(10, 50), ReminderKind::MicroRest)]);
    }

    proptest::proptest! {
        #[test]
        fn nothing_while_paused_and_no_nudge_within_an_interval_of_its_end(
            start in 0i64..540,
            length in 1i64..300,
            minutes in 15u32..90,
        ) {
            let settings = ReminderSettings {
                micro_rest_minutes: minutes,
                micro_rest_until: "20:00".to_owned(),
                ..rests_every_30()
            };
            let mins = SignedDuration::from_mins;
            let (from, until) = (add(monday(8, 0), mins(start)), add(monday(8, 0), mins(start + length)));
            let mut state = ReminderState::default();
            let mut now = monday(8, 0);
            while now <= monday(19, 0) {
                if now == from {
                    state.pause_until(until);
                }
                let shown = state.look(&settings, now, Activity::Free);
                let paused = now >= from && now < until;
                proptest::prop_assert!(!(paused && shown.is_some()), "a prompt at {now}, paused");
                let soon_after = now >= until && now.duration_since(until) < mins(i64::from(minutes));
                proptest::prop_assert!(!(soon_after && shown.is_some()), "a prompt at {now}, resumed at {until}");
                now = add(now, mins(1));
            }
        }
    }

    #[test]
    fn everything_is_off_by_default() {
        let settings = ReminderSettings::default();
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(0, 0), monday(23, 59), |_| {
            Activity::Free
        });
        assert!(shown.is_empty());
        assert_eq!(state.next_check(&settings, monday(12, 0)), None);
    }

    #[test]
    fn the_transition_comes_once_a_day_at_its_time_on_workdays() {
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        let saturday = date(2026, 11, 28).at(23, 59, 0, 0);
        let shown = run(&mut state, &settings, monday(0, 0), saturday, |_| {
            Activity::Free
        });
        let days: Vec<String> = shown
            .iter()
            .map(|(at, kind)| {
                assert_eq!(*kind, ReminderKind::Transition);
                at.strftime("%a %H:%M").to_string()
            })
            .collect();
        assert_eq!(
            days,
            [
                "Mon 17:30",
                "Tue 17:30",
                "Wed 17:30",
                "Thu 17:30",
                "Fri 17:30"
            ]
        );
        let prompt = state.showing().expect("Friday's prompt is still up");
        assert_eq!(prompt.practice, "Work to home");
        assert_eq!(prompt.message, "It's 17:30. Time to leave the day behind?");
    }

    #[test]
    fn a_transition_missed_by_more_than_an_hour_is_let_go() {
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        // The laptop slept from 17:00 to 19:00: no prompt on waking, and none later that day.
        assert_eq!(state.look(&settings, monday(17, 0), Activity::Free), None);
        let shown = run(&mut state, &settings, monday(19, 0), monday(23, 0), |_| {
            Activity::Free
        });
        assert!(shown.is_empty());
        // Woken at 17:50 instead, it is still worth asking, once.
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(17, 50), monday(23, 0), |_| {
            Activity::Free
        });
        assert_eq!(shown, [(monday(17, 50), ReminderKind::Transition)]);
    }

    #[test]
    fn nothing_interrupts_a_session_and_the_transition_waits_until_after_it() {
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        // A micro-rest session runs 17:25–17:40.
        let shown = run(&mut state, &settings, monday(17, 0), monday(18, 0), |now| {
            if now >= monday(17, 25) && now < monday(17, 40) {
                Activity::InSession("Micro-rest reset")
            } else {
                Activity::Free
            }
        });
        assert_eq!(shown, [(monday(17, 40), ReminderKind::Transition)]);

        // If the session was the transition ritual itself, there is nothing left to remind of.
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(17, 0), monday(23, 0), |now| {
            if now >= monday(17, 25) && now < monday(17, 40) {
                Activity::InSession("work to home")
            } else {
                Activity::Free
            }
        });
        assert!(shown.is_empty());
    }

    #[test]
    fn micro_rests_come_every_interval_within_the_hours_only() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        let shown = run(&mut state, &settings, monday(7, 0), monday(19, 0), |_| {
            Activity::Free
        });
        let times: Vec<String> = shown
            .iter()
            .map(|(at, _)| at.strftime("%H:%M").to_string())
            .collect();
        // Counting from 07:00; before 09:00 and from 17:00 the due times pass quietly.
        let expected: Vec<String> = (9 * 60..17 * 60)
            .step_by(30)
            .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
            .collect();
        assert_eq!(times, expected);
    }

    #[test]
    fn a_session_counts_as_a_rest_and_restarts_the_count() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        // Opened at 10:00; a session 10:20–10:25; the next nudge is 30 minutes after it ends.
        let shown = run(&mut state, &settings, monday(10, 0), monday(11, 0), |now| {
            if now >= monday(10, 20) && now < monday(10, 25) {
                Activity::InSession("Box 4-4-4-4")
            } else {
                Activity::Free
            }
        });
        assert_eq!(shown, [(monday(10, 55), ReminderKind::MicroRest)]);
    }

    #[test]
    fn missed_nudges_do_not_pile_up() {
        let settings = rests_every_30();
        let mut state = ReminderState::default();
        state.look(&settings, monday(10, 0), Activity::Free);
        // Nothing ran for three hours (the computer slept): no backlog of six nudges, not even
        // one at once; the count starts again.
        assert_eq!(state.look(&settings, monday(13, 0), Activity::Free), None);
        assert_eq!(state.look(&settings, monday(13, 29), Activity::Free), None);
        let due = state.look(&settings, monday(13, 30), Activity::Free);
        assert_eq!(due.map(|r| r.kind), Some(ReminderKind::MicroRest));
        // Left unanswered, the next one replaces it: still one prompt.
        let due = state.look(&settings, monday(14, 0), Activity::Free);
        assert!(due.is_some());
        assert_eq!(
            state.showing().map(|r| r.kind),
            Some(ReminderKind::MicroRest)
        );
    }

    #[test]
    fn later_asks_again_once_after_a_few_minutes_and_start_clears_the_prompt() {
        let settings = ReminderSettings {
            micro_rests: true,
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        state.look(&settings, monday(16, 0), Activity::Free);
        let due = state.look(&settings, monday(17, 30), Activity::Free);
        assert_eq!(due.map(|r| r.kind), Some(ReminderKind::Transition));
        state.later(&settings, monday(17, 31));
        assert_eq!(state.showing(), None);
        assert_eq!(
            state.next_check(&settings, monday(17, 31)),
            Some(SignedDuration::from_mins(10))
        );
        let shown = run(&mut state, &settings, monday(17, 32), monday(23, 0), |_| {
            Activity::Free
        });
        assert_eq!(shown, [(monday(17, 41), ReminderKind::Transition)]);
        let started = state.start().expect("the prompt");
        assert_eq!(started.practice, "Work to home");
        assert_eq!(state.showing(), None);
    }

    #[test]
    fn turning_nudges_off_removes_a_waiting_prompt() {
        let mut settings = rests_every_30();
        let mut state = ReminderState::default();
        state.look(&settings, monday(10, 0), Activity::Free);
        assert!(
            state
                .look(&settings, monday(10, 30), Activity::Free)
                .is_some()
        );
        settings.micro_rests = false;
        state.look(&settings, monday(10, 31), Activity::Free);
        assert_eq!(state.showing(), None);
        assert_eq!(state.next_check(&settings, monday(10, 31)), None);
    }

    #[test]
    fn night_shift_hours_wrap_past_midnight_and_belong_to_the_day_they_began() {
        let settings = ReminderSettings {
            micro_rest_from: "22:00".to_owned(),
            micro_rest_until: "06:00".to_owned(),
            ..rests_every_30()
        };
        assert!(settings.in_rest_hours(monday(23, 0)));
        assert!(settings.in_rest_hours(date(2026, 11, 24).at(2, 0, 0, 0)));
        assert!(!settings.in_rest_hours(monday(12, 0)));
        // Monday 02:00 is the end of Sunday's night: not a workday's.
        assert!(!settings.in_rest_hours(monday(2, 0)));
        // Saturday 02:00 is the end of Friday's night.
        assert!(settings.in_rest_hours(date(2026, 11, 28).at(2, 0, 0, 0)));
        let all_day = ReminderSettings {
            micro_rest_from: "08:00".to_owned(),
            micro_rest_until: "08:00".to_owned(),
            ..rests_every_30()
        };
        assert!(all_day.in_rest_hours(monday(3, 0)));
    }

    #[test]
    fn on_a_day_off_nothing_wakes_the_app_until_the_next_workday() {
        let settings = transition_at_1730();
        let mut state = ReminderState::default();
        let saturday_evening = date(2026, 11, 28).at(18, 0, 0, 0);
        assert_eq!(
            state.look(&settings, saturday_evening, Activity::Free),
            None
        );
        // Monday 17:30 is 47.5 hours away.
        assert_eq!(
            state.next_check(&settings, saturday_evening),
            Some(SignedDuration::from_mins(47 * 60 + 30))
        );
    }

    #[test]
    fn a_session_answers_a_put_off_reminder_before_it_comes_back() {
        let settings = ReminderSettings {
            micro_rests: true,
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        state.look(&settings, monday(17, 0), Activity::Free);
        assert!(
            state
                .look(&settings, monday(17, 30), Activity::Free)
                .is_some()
        );
        state.later(&settings, monday(17, 30));
        // The ritual is done from 17:32 to 17:38, inside the ten minutes: nothing comes back.
        let shown = run(
            &mut state,
            &settings,
            monday(17, 31),
            monday(19, 0),
            |now| {
                if now >= monday(17, 32) && now < monday(17, 38) {
                    Activity::InSession("Work to home")
                } else {
                    Activity::Free
                }
            },
        );
        assert!(shown.is_empty(), "{shown:?}");
    }

    #[test]
    fn the_transition_is_never_lost_to_another_session_or_a_nudge() {
        let settings = ReminderSettings {
            micro_rests: true,
            micro_rest_minutes: 15,
            micro_rest_until: "20:00".to_owned(),
            later_minutes: 30,
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        state.look(&settings, monday(17, 20), Activity::Free);
        assert!(
            state
                .look(&settings, monday(17, 30), Activity::Free)
                .is_some()
        );
        // A nudge falls due while the transition prompt is up: it does not replace it.
        assert_eq!(state.look(&settings, monday(17, 35), Activity::Free), None);
        assert_eq!(
            state.showing().map(|r| r.kind),
            Some(ReminderKind::Transition)
        );
        // Another practice is started over it: the transition comes back afterwards.
        state.look(
            &settings,
            monday(17, 36),
            Activity::InSession("Box 4-4-4-4"),
        );
        assert_eq!(state.showing(), None);
        let back = state.look(&settings, monday(17, 40), Activity::Free);
        assert_eq!(back.map(|r| r.kind), Some(ReminderKind::Transition));
        // Putting off a nudge does not lose a transition put off before it.
        state.later(&settings, monday(17, 40));
        let nudge = state.look(&settings, monday(17, 55), Activity::Free);
        assert_eq!(nudge.map(|r| r.kind), Some(ReminderKind::MicroRest));
        state.later(&settings, monday(17, 55));
        let back = state.look(&settings, monday(18, 10), Activity::Free);
        assert_eq!(back.map(|r| r.kind), Some(ReminderKind::Transition));
    }

    #[test]
    fn moving_the_time_to_earlier_today_does_not_fire_at_once() {
        let mut settings = transition_at_1730();
        let mut state = ReminderState::default();
        // 17:30 was missed by more than an hour.
        assert_eq!(state.look(&settings, monday(18, 40), Activity::Free), None);
        // Set to 18:00 at 18:41: that time has passed, so nothing pops up as it is typed.
        settings.transition_at = "18:00".to_owned();
        assert_eq!(state.look(&settings, monday(18, 41), Activity::Free), None);
        settings.transition_at = "18:50".to_owned();
        let shown = run(
            &mut state,
            &settings,
            monday(18, 42),
            monday(19, 30),
            |_| Activity::Free,
        );
        assert_eq!(shown, [(monday(18, 50), ReminderKind::Transition)]);
        // A time half typed is not a time.
        assert_eq!(minute_of_day("18:3"), None);
        assert_eq!(minute_of_day("18:30"), Some(18 * 60 + 30));
    }

    #[test]
    fn a_late_evening_transition_is_still_asked_for_just_after_midnight() {
        let settings = ReminderSettings {
            transition_at: "23:45".to_owned(),
            ..transition_at_1730()
        };
        let mut state = ReminderState::default();
        state.look(&settings, monday(23, 40), Activity::Free);
        // A session from 23:40 to 00:10; the reminder waits for it.
        let tuesday = |h, m| date(2026, 11, 24).at(h, m, 0, 0);
        let shown = run(
            &mut state,
            &settings,
            monday(23, 41),
            tuesday(1, 0),
            |now| {
                if now < tuesday(0, 10) {
                    Activity::InSession("Night 3-7")
                } else {
                    Activity::Free
                }
            },
        );
        assert_eq!(shown, [(tuesday(0, 10), ReminderKind::Transition)]);
    }

    #[test]
    fn a_prompt_follows_the_settings() {
        let mut settings = transition_at_1730();
        let mut state = ReminderState::default();
        state.look(&settings, monday(17, 30), Activity::Free);
        settings.transition_practice = "Evening wind-down".to_owned();
        state.look(&settings, monday(17, 31), Activity::Free);
        assert_eq!(
            state.showing().map(|r| r.practice.as_str()),
            Some("Evening wind-down")
        );
        settings.transition = false;
        state.look(&settings, monday(17, 32), Activity::Free);
        assert_eq!(state.showing(), None);
    }
}
