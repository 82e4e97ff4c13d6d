//! The session clock: where on the timeline a session is, given the time now from whatever
//! monotonic source the caller trusts (a wall clock, or the audio device's sample count).

use super::timeline::{Micros, Timeline};

/// How a session ended, as the history records it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub completed: bool,
    /// The step the person was on when they stopped (the last step when completed).
    pub last_step_index: usize,
    /// Where on the timeline the session stopped.
    pub position: Micros,
    /// Time actually spent practising: paused and skipped time excluded.
    pub practised: Micros,
    pub paused: Micros,
    pub breaths: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Running {
        since: Micros,
        position_then: Micros,
    },
    Paused {
        position: Micros,
        since: Micros,
    },
    Ended {
        position: Micros,
    },
}

/// Start, pause, resume, skip and end, over time passed in by the caller.
#[derive(Clone, Debug)]
pub struct SessionClock {
    state: State,
    total: Micros,
    paused: Micros,
    skipped: Micros,
    skipped_breaths: u32,
}

impl SessionClock {
    /// A session starting at `now`.
    pub fn start(timeline: &Timeline, now: Micros) -> Self {
        SessionClock {
            state: State::Running {
                since: now,
                position_then: 0,
            },
            total: timeline.total(),
            paused: 0,
            skipped: 0,
            skipped_breaths: 0,
        }
    }

    /// Where on the timeline the session is at `now`.
    pub fn position(&self, now: Micros) -> Micros {
        match self.state {
            State::Running {
                since,
                position_then,
            } => (position_then + now.saturating_sub(since)).min(self.total),
            State::Paused { position, .. } | State::Ended { position } => position,
        }
    }

    pub fn is_paused(&self) -> bool {
        matches!(self.state, State::Paused { .. })
    }

    pub fn is_ended(&self) -> bool {
        matches!(self.state, State::Ended { .. })
    }

    /// The practice has run to its end (the session may still be open).
    pub fn is_finished(&self, now: Micros) -> bool {
        self.position(now) >= self.total
    }

    /// Time paused so far, including a pause still going on.
    pub fn paused_time(&self, now: Micros) -> Micros {
        match self.state {
            State::Paused { since, .. } => self.paused + now.saturating_sub(since),
            _ => self.paused,
        }
    }

    pub fn pause(&mut self, now: Micros) {
        if let State::Running { .. } = self.state {
            self.state = State::Paused {
                position: self.position(now),
                since: now,
            };
        }
    }

    pub fn resume(&mut self, now: Micros) {
        if let State::Paused { position, since } = self.state {
            self.paused += now.saturating_sub(since);
            self.state = State::Running {
                since: now,
                position_then: position,
            };
        }
    }

    pub fn toggle_pause(&mut self, now: Micros) {
        if self.is_paused() {
            self.resume(now);
        } else {
            self.pause(now);
        }
    }

    /// Moves to the start of the next step (or the end); the skipped time is not counted as
    /// practised.
    pub fn skip_step(&mut self, timeline: &Timeline, now: Micros) {
        if self.is_ended() {
            return;
        }
        let from = self.position(now);
        let to = timeline.next_step_start(from);
        self.skipped += to - from;
        self.skipped_breaths +=
            timeline.breaths_completed_at(to) - timeline.breaths_completed_at(from);
        self.jump_to(to, now);
    }

    /// Follows a more trustworthy clock (the audio device) that says the session is at
    /// `position` now. The clock carries on from there if that source goes away.
    pub fn follow(&mut self, position: Micros, now: Micros) {
        if let State::Running { .. } = self.state {
            self.jump_to(position.min(self.total), now);
        }
    }

    fn jump_to(&mut self, position: Micros, now: Micros) {
        self.state = match self.state {
            State::Running { .. } => State::Running {
                since: now,
                position_then: position,
            },
            State::Paused { since, .. } => State::Paused { position, since },
            ended @ State::Ended { .. } => ended,
        };
    }

    /// Ends the session at `now` and says how it went. Ending twice gives the same outcome.
    pub fn end(&mut self, timeline: &Timeline, now: Micros) -> Outcome {
        self.paused = self.paused_time(now);
        let position = self.position(now);
        self.state = State::Ended { position };
        let completed = position >= self.total;
        Outcome {
            completed,
            last_step_index: timeline.step_index_at(position.min(self.total.saturating_sub(1))),
            position,
            practised: position - self.skipped.min(position),
            paused: self.paused,
            breaths: timeline
                .breaths_completed_at(position)
                .saturating_sub(self.skipped_breaths),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::model::{BreatheBlock, Pattern, Practice, PromptStep, Step};
    use crate::practice::timeline::{MICROS_PER_SECOND as S, Phase};

    fn ritual() -> Timeline {
        Timeline::new(&Practice::new(
            "ritual",
            vec![
                Step::Prompt(PromptStep {
                    text: "Settle in.".into(),
                    seconds: 20.0,
                }),
                Step::Breathe(BreatheBlock::breaths(Pattern::in_out(4.0, 6.0), 6)),
            ],
        ))
        .expect("valid")
    }

    #[test]
    fn paused_time_is_not_breathing_time() {
        let timeline = ritual();
        let mut clock = SessionClock::start(&timeline, 1_000 * S);
        clock.pause(1_030 * S);
        assert_eq!(clock.position(1_100 * S), 30 * S);
        clock.resume(1_100 * S);
        assert_eq!(clock.position(1_105 * S), 35 * S);
        assert_eq!(
            timeline.moment_at(clock.position(1_105 * S)).phase,
            Phase::Exhale
        );
        let outcome = clock.end(&timeline, 1_110 * S);
        assert!(!outcome.completed);
        assert_eq!(outcome.last_step_index, 1);
        assert_eq!(outcome.practised, 40 * S);
        assert_eq!(outcome.paused, 70 * S);
        assert_eq!(outcome.breaths, 2);
    }

    #[test]
    fn skipping_moves_to_the_next_step_and_is_not_counted() {
        let timeline = ritual();
        let mut clock = SessionClock::start(&timeline, 0);
        clock.skip_step(&timeline, 5 * S);
        assert_eq!(clock.position(5 * S), 20 * S);
        clock.skip_step(&timeline, 25 * S);
        assert!(clock.is_finished(25 * S));
        let outcome = clock.end(&timeline, 30 * S);
        assert!(outcome.completed);
        // 5 s of the prompt, then 20 s (two breaths) of breathing.
        assert_eq!(outcome.practised, 25 * S);
        assert_eq!(outcome.breaths, 2);
    }

    #[test]
    fn a_session_that_runs_out_is_complete() {
        let timeline = ritual();
        let mut clock = SessionClock::start(&timeline, 0);
        assert!(clock.is_finished(80 * S));
        let outcome = clock.end(&timeline, 500 * S);
        assert!(outcome.completed);
        assert_eq!(outcome.position, 80 * S);
        assert_eq!(outcome.practised, 80 * S);
        assert_eq!(outcome.breaths, 6);
        assert_eq!(clock.end(&timeline, 900 * S), outcome);
    }

    #[test]
    fn following_the_audio_clock_then_losing_it_carries_on() {
        let timeline = ritual();
        let mut clock = SessionClock::start(&timeline, 0);
        clock.follow(10 * S + 250, 10 * S);
        assert_eq!(clock.position(10 * S), 10 * S + 250);
        assert_eq!(clock.position(12 * S), 12 * S + 250);
    }
}
