//! A progressive practice's exhale, moved on after each session: the level it is breathed at,
//! the step offered when one is due, and the person's answer. Pure; the window and the
//! terminal both keep the book it changes.

use crate::practice::Practice;
use crate::practice::pacing::{Offer, ProgressionFacts, after_session, answer};
use crate::store::progress::{LevelChange, ProgressBook};
use crate::store::{Library, SessionRecord};

/// The exhale a progressive practice is breathed at now, and its target.
pub fn level_of(progress: &ProgressBook, practice: &Practice) -> Option<(f64, f64)> {
    let progression = practice.progression?;
    let base = practice.base_exhale()?;
    let level = progress.standing(&practice.name, base).exhale;
    Some((level, progression.target_exhale))
}

/// The practice as it is breathed today: a progressive one at the person's level.
pub fn at_current_level(progress: &ProgressBook, practice: Practice) -> Practice {
    match level_of(progress, &practice) {
        Some((level, _)) => practice.with_exhale(level),
        None => practice,
    }
}

/// Why `practice`, breathed at the person's level, is outside gentle mode (nothing when it fits):
/// the window asks "Start anyway?" on it, `downshift play` refuses without --start-anyway.
pub fn outside_gentle_mode(
    progress: &ProgressBook,
    practice: &Practice,
) -> Vec<crate::practice::Problem> {
    crate::practice::gentle_problems(&at_current_level(progress, practice.clone()))
}

/// Moves a progressive practice's standing on after a session. Returns whether the book changed
/// (so it must be saved) and the step to offer, if one is due.
/// In gentle mode no offer is made whose step would take the practice outside it.
pub fn progress_after(
    progress: &mut ProgressBook,
    practice: &Practice,
    record: &SessionRecord,
    gentle_mode: bool,
) -> (bool, Option<Offer>) {
    let (Some((_, target)), Some(base)) = (level_of(progress, practice), practice.base_exhale())
    else {
        return (false, None);
    };
    let standing = progress.standing(&practice.name, base);
    let facts = ProgressionFacts {
        completed: record.completed(),
        tension_before: record.tension_before,
        tension_after: record.tension_after,
    };
    // Never an exhale shorter than the inhale: the out-breath stays the longer one.
    let floor = practice
        .breathe_blocks()
        .next()
        .map_or(2.0, |b| b.pattern.inhale);
    let (next, offer) = after_session(&standing, facts, target, floor);
    progress.set(&practice.name, next, None);
    let offer = offer.filter(|offer| {
        !gentle_mode || crate::practice::fits_gentle_mode(&practice.with_exhale(offer.to))
    });
    (true, offer)
}

/// Applies the person's yes or no to an offer, dated `today`.
pub fn answer_offer(
    progress: &mut ProgressBook,
    library: &Library,
    practice: &str,
    offer: &Offer,
    accepted: bool,
    today: jiff::civil::Date,
) {
    let base = library
        .find(practice)
        .and_then(|e| e.practice.base_exhale())
        .unwrap_or(offer.from);
    let standing = progress.standing(practice, base);
    let next = answer(&standing, offer, accepted);
    let change = accepted.then(|| LevelChange {
        date: today.to_string(),
        from: offer.from,
        to: offer.to,
    });
    progress.set(practice, next, change);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_gentle_mode_no_step_back_is_offered_that_would_leave_it() {
        use crate::practice::{BreatheBlock, Pattern, Progression, Step};
        // 2.5 in, 6 out: 8.5 s a breath. Stepping back 15 % makes it 7.6 s.
        let mut practice = Practice::new(
            "Short in",
            vec![Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(2.5, 6.0),
                5.0,
            ))],
        );
        practice.progression = Some(Progression { target_exhale: 8.0 });
        let started: crate::store::history::StartTime =
            "2026-11-23T21:00:00+01:00".parse().expect("a start time");
        let ended_early = SessionRecord {
            version: 1,
            id: "a".into(),
            started,
            practice: practice.name.clone(),
            practised: practice.summary(),
            planned_seconds: 300.0,
            breathed_seconds: 60.0,
            paused_seconds: 0.0,
            breaths: 7,
            end: crate::store::SessionEnd::EndedEarly { step: 1 },
            tension_before: None,
            tension_after: None,
            heart: None,
            note: String::new(),
            app_version: "test".into(),
        };
        let (_, offer) =
            progress_after(&mut ProgressBook::default(), &practice, &ended_early, false);
        let offer = offer.expect("a step back, outside gentle mode");
        assert_eq!((offer.from, offer.to), (6.0, 5.1));
        let (_, offer) =
            progress_after(&mut ProgressBook::default(), &practice, &ended_early, true);
        assert_eq!(offer, None, "7.6 s a breath would leave gentle mode");
    }
}
