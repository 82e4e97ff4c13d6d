//! Pacing: the right practice for the time of day, and gentle progression. Pure rules: the time
//! and the sessions are passed in.

use serde::{Deserialize, Serialize};

/// From `from` (minutes after midnight) until the next slot, suggest `practice`, saying why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeSlot {
    /// "HH:MM", local time.
    pub from: String,
    pub practice: String,
    /// Shown after the time, e.g. "time to leave work behind".
    pub reason: String,
}

impl TimeSlot {
    fn new(from: &str, practice: &str, reason: &str) -> Self {
        TimeSlot {
            from: from.to_owned(),
            practice: practice.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// Minutes after midnight, if `from` reads as "HH:MM".
    pub fn starts_at(&self) -> Option<u32> {
        minute_of_day(&self.from)
    }
}

/// The minutes after midnight of a local time.
pub fn minute_of(time: jiff::civil::DateTime) -> u32 {
    time.hour() as u32 * 60 + time.minute() as u32
}

/// "HH:MM" as minutes after midnight, if it reads.
pub fn minute_of_day(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    // Whole: "18:3" is a time still being typed, not 18:03.
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

/// The day as most people live it: resets at work, a transition, then the bridge to sleep.
pub fn default_time_slots() -> Vec<TimeSlot> {
    vec![
        TimeSlot::new("06:00", "Cyclic sighing", "a calm start to the day"),
        TimeSlot::new("09:00", "Micro-rest reset", "a short reset between tasks"),
        TimeSlot::new("16:30", "Work to home", "time to leave work behind"),
        TimeSlot::new("19:30", "Evening wind-down", "the bridge to bed"),
        TimeSlot::new("23:00", "Night 3-7", "slow breathing for sleep"),
    ]
}

/// The slot in force at `minute_of_day`: the latest one starting at or before it, wrapping
/// round from the day before. Slots whose time does not read are ignored.
pub fn slot_at(slots: &[TimeSlot], minute_of_day: u32) -> Option<&TimeSlot> {
    let timed = slots.iter().filter_map(|s| s.starts_at().map(|at| (at, s)));
    let earlier = timed
        .clone()
        .filter(|(at, _)| *at <= minute_of_day)
        .max_by_key(|(at, _)| *at);
    earlier
        .or_else(|| timed.max_by_key(|(at, _)| *at))
        .map(|(_, slot)| slot)
}

/// How a session went, as far as progression cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgressionFacts {
    pub completed: bool,
    pub tension_before: Option<u8>,
    pub tension_after: Option<u8>,
}

impl ProgressionFacts {
    fn tension_rose(&self) -> bool {
        matches!((self.tension_before, self.tension_after), (Some(b), Some(a)) if a > b)
    }
}

/// Where a progressive practice stands for this person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The exhale, in seconds, that is comfortable now.
    pub exhale: f64,
    /// Completed sessions in a row, since the last offer, in which tension did not rise.
    #[serde(default)]
    pub calm_in_a_row: u32,
}

/// A suggested change, with its reason; nothing changes until the person accepts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub from: f64,
    pub to: f64,
    pub reason: String,
}

impl Offer {
    pub fn lengthens(&self) -> bool {
        self.to > self.from
    }
}

/// Calm sessions in a row before lengthening is offered.
pub const CALM_SESSIONS_TO_PROGRESS: u32 = 3;
/// Lengthen by this fraction, at most `MAX_STEP_SECONDS`.
pub const LENGTHEN_FRACTION: f64 = 0.10;
pub const MAX_STEP_SECONDS: f64 = 1.0;
/// Step back by this fraction after a hard session.
pub const STEP_BACK_FRACTION: f64 = 0.15;

fn tenths(seconds: f64) -> f64 {
    (seconds * 10.0).round() / 10.0
}

/// After a session of a progressive practice: the new standing, and an offer if one is due.
/// `target` is the exhale to build toward; `floor` the shortest exhale to step back to.
pub fn after_session(
    progress: &Progress,
    session: ProgressionFacts,
    target: f64,
    floor: f64,
) -> (Progress, Option<Offer>) {
    let level = progress.exhale;
    if !session.completed || session.tension_rose() {
        let back = tenths((level * (1.0 - STEP_BACK_FRACTION)).max(floor));
        let reason = if session.completed {
            "Tension rose during the last session. A step back is part of pacing, not a failure."
        } else {
            "The last session ended early. A shorter exhale may be more comfortable for now."
        };
        let offer = (back < level).then(|| Offer {
            from: level,
            to: back,
            reason: reason.to_owned(),
        });
        let reset = Progress {
            exhale: level,
            calm_in_a_row: 0,
        };
        return (reset, offer);
    }
    let calm = Progress {
        exhale: level,
        calm_in_a_row: progress.calm_in_a_row + 1,
    };
    if calm.calm_in_a_row < CALM_SESSIONS_TO_PROGRESS || level >= target {
        return (calm, None);
    }
    let step = (level * LENGTHEN_FRACTION).clamp(0.1, MAX_STEP_SECONDS);
    let longer = tenths((level + step).min(target));
    let offer = (longer > level).then(|| Offer {
        from: level,
        to: longer,
        reason: format!(
            "{CALM_SESSIONS_TO_PROGRESS} calm sessions in a row, with tension never rising."
        ),
    });
    (calm, offer)
}

/// The standing once an offer is answered: accepted, the new exhale; either way the count of calm
/// sessions starts again, so an offer is not repeated at once.
pub fn answer(progress: &Progress, offer: &Offer, accepted: bool) -> Progress {
    Progress {
        exhale: if accepted { offer.to } else { progress.exhale },
        calm_in_a_row: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calm() -> ProgressionFacts {
        ProgressionFacts {
            completed: true,
            tension_before: Some(6),
            tension_after: Some(4),
        }
    }

    fn at(exhale: f64, calm_in_a_row: u32) -> Progress {
        Progress {
            exhale,
            calm_in_a_row,
        }
    }

    #[test]
    fn the_time_of_day_picks_a_practice() {
        let slots = default_time_slots();
        let practice = |h: u32, m: u32| slot_at(&slots, h * 60 + m).map(|s| s.practice.as_str());
        assert_eq!(practice(10, 15), Some("Micro-rest reset"));
        assert_eq!(practice(16, 30), Some("Work to home"));
        assert_eq!(practice(18, 10), Some("Work to home"));
        assert_eq!(practice(21, 0), Some("Evening wind-down"));
        assert_eq!(practice(23, 30), Some("Night 3-7"));
        // After midnight it is still night.
        assert_eq!(practice(2, 0), Some("Night 3-7"));
        let broken = vec![
            TimeSlot::new("25:00", "x", "y"),
            TimeSlot::new("soon", "x", "y"),
        ];
        assert_eq!(slot_at(&broken, 600), None);
    }

    #[test]
    fn progression_rules() {
        // (standing, session, target, expected offer as (from, to), calm count after)
        let rose = ProgressionFacts {
            completed: true,
            tension_before: Some(3),
            tension_after: Some(5),
        };
        let ended_early = ProgressionFacts {
            completed: false,
            ..calm()
        };
        let unrated = ProgressionFacts {
            completed: true,
            tension_before: None,
            tension_after: None,
        };
        type Case = (Progress, ProgressionFacts, f64, Option<(f64, f64)>, u32);
        let cases: Vec<Case> = vec![
            // Two calm sessions so far: a third brings an offer of 10 %.
            (at(6.0, 2), calm(), 8.0, Some((6.0, 6.6)), 3),
            (at(6.0, 1), calm(), 8.0, None, 2),
            // Unrated but completed sessions count as calm.
            (at(6.0, 2), unrated, 8.0, Some((6.0, 6.6)), 3),
            // Never past the target.
            (at(7.8, 2), calm(), 8.0, Some((7.8, 8.0)), 3),
            (at(8.0, 5), calm(), 8.0, None, 6),
            // Never more than 1 s a step.
            (at(12.0, 2), calm(), 20.0, Some((12.0, 13.0)), 3),
            // A rise in tension, or ending early: step back 15 %, and start counting again.
            (at(8.0, 2), rose, 10.0, Some((8.0, 6.8)), 0),
            (at(8.0, 0), ended_early, 10.0, Some((8.0, 6.8)), 0),
            // Not below the floor.
            (at(4.4, 0), ended_early, 10.0, Some((4.4, 4.0)), 0),
            (at(4.0, 0), ended_early, 10.0, None, 0),
        ];
        for (standing, session, target, expected, calm_after) in cases {
            let (after, offer) = after_session(&standing, session, target, 4.0);
            assert_eq!(
                offer.as_ref().map(|o| (o.from, o.to)),
                expected,
                "{standing:?} after {session:?}"
            );
            assert_eq!(
                after.calm_in_a_row, calm_after,
                "{standing:?} after {session:?}"
            );
            assert_eq!(
                after.exhale, standing.exhale,
                "nothing changes without an answer"
            );
        }
    }

    #[test]
    fn answering_applies_only_what_was_accepted() {
        let standing = at(6.0, 3);
        let offer = Offer {
            from: 6.0,
            to: 6.6,
            reason: String::new(),
        };
        assert_eq!(answer(&standing, &offer, true), at(6.6, 0));
        assert_eq!(answer(&standing, &offer, false), at(6.0, 0));
    }
}
