//! What comes next, from the reminders' state: how long a sleeping window may sleep, what the
//! tray's tooltip says, and the choices of a pause.

use jiff::SignedDuration;
use jiff::civil::DateTime;

use super::{ReminderSettings, ReminderState, add, clock};
use crate::practice::pacing::minute_of_day;

/// Something that may fall due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coming {
    MicroRest,
    Transition,
    PauseEnds,
}

/// The pause choices of the tray menu at `now`: half an hour, an hour, and until midnight (the
/// start of tomorrow, so tomorrow's reminders come as usual, whatever their hours).
pub fn pause_choices(now: DateTime) -> [(String, DateTime); 3] {
    let tomorrow = now.date().tomorrow().map_or(DateTime::MAX, |day| {
        day.to_datetime(jiff::civil::Time::midnight())
    });
    [
        (
            "30 minutes".to_owned(),
            add(now, SignedDuration::from_mins(30)),
        ),
        ("1 hour".to_owned(), add(now, SignedDuration::from_hours(1))),
        ("until tomorrow".to_owned(), tomorrow),
    ]
}

impl ReminderState {
    /// Everything that may fall due, and when.
    fn coming(&self, settings: &ReminderSettings, now: DateTime) -> Vec<(DateTime, Coming)> {
        if let Some(until) = self.paused_until {
            return vec![(until, Coming::PauseEnds)];
        }
        let mut coming = Vec::new();
        if settings.micro_rests && !self.away {
            // While the person is away, their return (a new look at the surroundings) is what
            // matters to the count. Without a count yet, it starts at the next look.
            let rest = self.rest_again.into_iter();
            coming.extend(
                rest.chain([self.next_rest.unwrap_or(now)])
                    .map(|at| (at, Coming::MicroRest)),
            );
        }
        if settings.transition {
            // The next transition time still to come on a day that counts, within a week.
            let next = std::iter::successors(Some(now.date()), |day| day.tomorrow().ok())
                .take(8)
                .filter(|day| settings.counts_on(*day))
                .filter_map(|day| settings.transition_on(day))
                .find(|at| *at > now);
            let times = self.transition_again.into_iter().chain(next);
            coming.extend(times.map(|at| (at, Coming::Transition)));
        }
        coming
    }

    /// How long until something may fall due, for waking a sleeping window; `None` when every
    /// reminder is off and nothing is pending.
    pub fn next_check(&self, settings: &ReminderSettings, now: DateTime) -> Option<SignedDuration> {
        self.coming(settings, now)
            .into_iter()
            .map(|(at, _)| at.duration_since(now).max(SignedDuration::ZERO))
            .min()
    }

    /// What comes next, in a few words for the tray's tooltip: "Micro-rest in 23 min", "Work to
    /// home at 17:30", "Reminders paused until 15:30", "Reminders are off". `None` when reminders
    /// are on but nothing is to come within a week (their times do not read).
    pub fn next_up(&self, settings: &ReminderSettings, now: DateTime) -> Option<String> {
        if let Some(until) = self.paused_until.filter(|until| *until > now) {
            let until = if until == pause_choices(now)[2].1 {
                "tomorrow".to_owned()
            } else {
                on_day(until, now).trim_start_matches("at ").to_owned()
            };
            return Some(format!("Reminders paused until {until}"));
        }
        if !settings.any() {
            return Some("Reminders are off".to_owned());
        }
        let interval = settings.rest_interval();
        let said = self
            .coming(settings, now)
            .into_iter()
            .filter_map(|(at, coming)| match coming {
                Coming::MicroRest => {
                    // Without a count yet, it starts at the next look.
                    let at = if self.next_rest.is_none() && at == now {
                        add(now, interval)
                    } else {
                        at
                    };
                    if settings.in_rest_hours(at) {
                        Some((at, format!("Micro-rest {}", within(at, now))))
                    } else {
                        let from = next_hours_start(settings, now)?;
                        Some((
                            from,
                            format!(
                                "Micro-rests from {}",
                                on_day(from, now).trim_start_matches("at ")
                            ),
                        ))
                    }
                }
                Coming::Transition => Some((
                    at,
                    format!(
                        "{} {}",
                        settings.transition_practice.trim(),
                        on_day(at, now)
                    ),
                )),
                Coming::PauseEnds => None,
            })
            .min_by_key(|(at, _)| *at);
        said.map(|(_, text)| text)
    }
}

/// "in 23 min", "in 1 h 5 min", "now".
fn within(at: DateTime, now: DateTime) -> String {
    let seconds = at.duration_since(now).as_secs();
    if seconds <= 0 {
        return "now".to_owned();
    }
    let minutes = (seconds + 59) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("in {m} min"),
        (h, 0) => format!("in {h} h"),
        (h, m) => format!("in {h} h {m} min"),
    }
}

/// "at 17:30" today, "tomorrow at 17:30", "on Mon at 17:30" within the week.
fn on_day(at: DateTime, now: DateTime) -> String {
    let time = clock(at);
    if at.date() == now.date() {
        format!("at {time}")
    } else if now.date().tomorrow().is_ok_and(|day| day == at.date()) {
        format!("tomorrow at {time}")
    } else {
        format!("on {} at {time}", at.strftime("%a"))
    }
}

/// When the nudge hours next begin on a day that counts, within a week.
fn next_hours_start(settings: &ReminderSettings, now: DateTime) -> Option<DateTime> {
    let from = minute_of_day(&settings.micro_rest_from)?;
    std::iter::successors(Some(now.date()), |day| day.tomorrow().ok())
        .take(8)
        .filter(|day| settings.counts_on(*day))
        .map(|day| day.at((from / 60) as i8, (from % 60) as i8, 0, 0))
        .find(|at| *at > now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::reminders::{Activity, Surroundings};
    use jiff::civil::date;

    /// Monday 23 November 2026.
    fn monday(hour: i8, minute: i8) -> DateTime {
        date(2026, 11, 23).at(hour, minute, 0, 0)
    }

    fn looked_at(settings: &ReminderSettings, at: DateTime) -> ReminderState {
        let mut state = ReminderState::default();
        let rest = SignedDuration::from_mins(2);
        state.tick(settings, at, Activity::Free, Surroundings::default(), rest);
        state
    }

    #[test]
    fn what_comes_next_in_a_few_words() {
        let rests = ReminderSettings {
            micro_rests: true,
            micro_rest_minutes: 30,
            ..ReminderSettings::default()
        };
        let transition = ReminderSettings {
            transition: true,
            ..ReminderSettings::default()
        };
        let both = ReminderSettings {
            transition: true,
            ..rests.clone()
        };
        let friday = |h, m| date(2026, 11, 27).at(h, m, 0, 0);
        // (settings, first look, asked at, expected)
        let cases = [
            (
                &ReminderSettings::default(),
                monday(10, 0),
                monday(10, 7),
                Some("Reminders are off"),
            ),
            (
                &rests,
                monday(10, 0),
                monday(10, 7),
                Some("Micro-rest in 23 min"),
            ),
            (
                &rests,
                monday(10, 0),
                monday(10, 29),
                Some("Micro-rest in 1 min"),
            ),
            (
                &ReminderSettings {
                    micro_rest_minutes: 90,
                    ..rests.clone()
                },
                monday(10, 0),
                monday(10, 0),
                Some("Micro-rest in 1 h 30 min"),
            ),
            // Past the nudge hours: when they begin again.
            (
                &rests,
                monday(16, 50),
                monday(16, 50),
                Some("Micro-rests from tomorrow at 09:00"),
            ),
            (
                &rests,
                monday(7, 0),
                monday(7, 0),
                Some("Micro-rests from 09:00"),
            ),
            (
                &transition,
                monday(16, 0),
                monday(16, 0),
                Some("Work to home at 17:30"),
            ),
            (
                &transition,
                monday(18, 0),
                monday(18, 0),
                Some("Work to home tomorrow at 17:30"),
            ),
            (
                &transition,
                friday(18, 0),
                friday(18, 0),
                Some("Work to home on Mon at 17:30"),
            ),
            // The sooner of the two.
            (
                &both,
                monday(17, 10),
                monday(17, 10),
                Some("Work to home at 17:30"),
            ),
            (
                &both,
                monday(16, 0),
                monday(16, 5),
                Some("Micro-rest in 25 min"),
            ),
            (
                &ReminderSettings {
                    transition_at: "half past five".into(),
                    ..transition.clone()
                },
                monday(16, 0),
                monday(16, 0),
                None,
            ),
        ];
        for (settings, first, asked, expected) in cases {
            let state = looked_at(settings, first);
            assert_eq!(
                state.next_up(settings, asked).as_deref(),
                expected,
                "{asked} after a look at {first}"
            );
        }
    }

    #[test]
    fn a_pause_says_until_when_and_wakes_the_window_when_it_ends() {
        let settings = ReminderSettings {
            micro_rests: true,
            ..ReminderSettings::default()
        };
        let mut state = looked_at(&settings, monday(15, 0));
        state.pause_until(monday(15, 30));
        assert_eq!(
            state.next_up(&settings, monday(15, 0)).as_deref(),
            Some("Reminders paused until 15:30")
        );
        assert_eq!(
            state.next_check(&settings, monday(15, 0)),
            Some(SignedDuration::from_mins(30))
        );
        let [half_hour, hour, tomorrow] = pause_choices(monday(15, 10));
        assert_eq!(half_hour, ("30 minutes".to_owned(), monday(15, 40)));
        assert_eq!(hour, ("1 hour".to_owned(), monday(16, 10)));
        assert_eq!(
            tomorrow,
            (
                "until tomorrow".to_owned(),
                date(2026, 11, 24).at(0, 0, 0, 0)
            )
        );
        state.pause_until(tomorrow.1);
        assert_eq!(
            state.next_up(&settings, monday(15, 10)).as_deref(),
            Some("Reminders paused until tomorrow")
        );
        assert_eq!(
            state.next_check(&settings, monday(15, 10)),
            Some(SignedDuration::from_mins(8 * 60 + 50))
        );
    }
}
