//! The daily check-in: four questions answered with one key each (the three PEG items about the
//! past week follow on the weekly day), written as soon as the last is answered; then what was
//! different in the last day or two, a note, and, when today's pain stands out, what changed.

use jiff::civil::Date;

use super::RatingKey;
use crate::store::checkins::{CheckIn, Peg};

/// One question of the check-in, with its scale's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub text: &'static str,
    pub lowest: u8,
    pub highest: u8,
    /// What the ends of the scale mean, read with the question.
    pub scale: &'static str,
}

pub const PAIN: Question = Question {
    text: "Pain today, on average?",
    lowest: 0,
    highest: 10,
    scale: "0 no pain, 10 as bad as you can imagine",
};
pub const INTERFERENCE: Question = Question {
    text: "How much did pain get in the way of what you did today?",
    lowest: 0,
    highest: 10,
    scale: "0 not at all, 10 completely",
};
pub const SLEEP: Question = Question {
    text: "Sleep last night?",
    lowest: 0,
    highest: 10,
    scale: "0 terrible, 10 excellent",
};
pub const STRESS: Question = Question {
    text: "Stress today?",
    lowest: 1,
    highest: 5,
    scale: "1 not at all, 5 very much",
};
/// The PEG items in their past-week wording (Krebs et al. 2009).
pub const PEG_PAIN: Question = Question {
    text: "What number best describes your pain on average in the past week?",
    lowest: 0,
    highest: 10,
    scale: "0 no pain, 10 pain as bad as you can imagine",
};
pub const PEG_ENJOYMENT: Question = Question {
    text: "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
    lowest: 0,
    highest: 10,
    scale: "0 does not interfere, 10 completely interferes",
};
pub const PEG_ACTIVITY: Question = Question {
    text: "What number best describes how, during the past week, pain has interfered with your general activity?",
    lowest: 0,
    highest: 10,
    scale: "0 does not interfere, 10 completely interferes",
};

/// The questions of every check-in.
const DAILY: [Question; 4] = [PAIN, INTERFERENCE, SLEEP, STRESS];
/// The weekly PEG items, after the daily ones.
const PEG: [Question; 3] = [PEG_PAIN, PEG_ENJOYMENT, PEG_ACTIVITY];

/// Where the check-in is.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckInStage {
    /// Answering the questions; nothing is written yet (Esc or "Not today" leaves no trace).
    Questions,
    /// Written (or on its way): what was different, a note, and what changed.
    Answered {
        /// The check-in as written.
        written: Box<CheckIn>,
        /// Written to the log (false while on its way, or when it could not be).
        saved: Option<Result<(), String>>,
        /// "What changed?" lines, when today's pain stood out.
        changes: Vec<String>,
    },
}

/// A mark offered on the page after the questions ("travel").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkChoice {
    pub name: String,
    pub ticked: bool,
    /// It has been wholly on the screen: only such marks count as offered (one below the fold
    /// of a small window, never scrolled to, was not asked).
    pub shown: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckInScreen {
    /// The day it is about (earlier for a missed day filled in later).
    pub date: Date,
    pub today: Date,
    pub questions: Vec<Question>,
    pub answers: Vec<Option<u8>>,
    /// The question the keys answer.
    pub current: usize,
    /// "1" was typed on a 0-10 question: "0" makes it 10, Enter keeps 1.
    pub pending_one: bool,
    /// The marks on offer, whether each is ticked, and whether it has been on the screen.
    pub marks: Vec<MarkChoice>,
    pub note: String,
    pub stage: CheckInStage,
}

impl CheckInScreen {
    /// A check-in about `date`; the PEG items come too when `weekly`.
    pub fn new(date: Date, today: Date, weekly: bool, marks: Vec<String>) -> Self {
        let mut screen = CheckInScreen {
            date,
            today,
            answers: vec![None; DAILY.len()],
            questions: DAILY.to_vec(),
            current: 0,
            pending_one: false,
            marks: marks
                .into_iter()
                .map(|name| MarkChoice {
                    name,
                    ticked: false,
                    shown: false,
                })
                .collect(),
            note: String::new(),
            stage: CheckInStage::Questions,
        };
        screen.set_weekly(weekly);
        screen
    }

    /// Whether the three PEG items follow the daily four: set again when the day moves (a
    /// missed Sunday filled in on Monday asks them; Saturday filled in on Sunday does not).
    /// Taken away mid-way, the last daily question is asked again, so its answer writes it.
    pub fn set_weekly(&mut self, weekly: bool) {
        if weekly == (self.questions.len() > DAILY.len()) {
            return;
        }
        if weekly {
            self.questions.extend(PEG);
        } else {
            self.questions.truncate(DAILY.len());
        }
        self.answers.resize(self.questions.len(), None);
        if self.current >= self.questions.len() {
            self.current = self.questions.len() - 1;
            self.pending_one = false;
        }
    }

    pub fn question(&self) -> Option<&Question> {
        match self.stage {
            CheckInStage::Questions => self.questions.get(self.current),
            CheckInStage::Answered { .. } => None,
        }
    }

    /// A key typed on the current question; true when that answered it.
    pub fn key(&mut self, key: RatingKey) -> bool {
        let Some(question) = self.question().copied() else {
            return false;
        };
        let value = match (self.pending_one, key) {
            (true, RatingKey::Digit(0)) => Some(10),
            (true, RatingKey::Confirm) => Some(1),
            // A 0-10 scale waits to see whether "1" begins "10".
            (_, RatingKey::Digit(1)) if question.highest >= 10 => {
                self.pending_one = true;
                return false;
            }
            (_, RatingKey::Digit(value)) => Some(value),
            (false, RatingKey::Confirm) => None,
        };
        self.pending_one = false;
        match value {
            Some(value) if (question.lowest..=question.highest).contains(&value) => {
                self.answer(value);
                true
            }
            _ => false,
        }
    }

    /// Answers the current question and moves to the next.
    pub fn answer(&mut self, value: u8) {
        if let Some(slot) = self.answers.get_mut(self.current) {
            *slot = Some(value);
            self.current += 1;
            self.pending_one = false;
        }
    }

    /// Back to the question before (to change an answer).
    pub fn back(&mut self) {
        self.current = self.current.saturating_sub(1);
        self.pending_one = false;
    }

    /// Every question has its answer: it is time to write it.
    pub fn is_complete(&self) -> bool {
        self.current >= self.questions.len()
    }

    /// The day a step earlier or later (never after today, at most a year back).
    pub fn move_date(&mut self, days: i32) {
        let moved = self.date.checked_add(jiff::Span::new().days(days)).ok();
        let earliest = self.today.checked_sub(jiff::Span::new().days(366)).ok();
        if let Some(moved) = moved
            && moved <= self.today
            && earliest.is_none_or(|e| moved >= e)
        {
            self.date = moved;
        }
    }

    /// The check-in as it is to be written.
    pub fn checkin(&self, written: crate::store::history::StartTime) -> CheckIn {
        let mut checkin = CheckIn::new(self.date, written);
        let answer = |n: usize| self.answers.get(n).copied().flatten();
        checkin.pain = answer(0);
        checkin.interference = answer(1);
        checkin.sleep = answer(2);
        checkin.stress = answer(3);
        if let (Some(pain), Some(enjoyment), Some(activity)) = (answer(4), answer(5), answer(6)) {
            checkin.peg = Some(Peg {
                pain,
                enjoyment,
                activity,
            });
        }
        checkin
    }

    /// What was different and the note, as an addition to the written check-in: every mark
    /// that was on the screen counts as offered, so "not ticked" is kept apart from "not
    /// asked", and a mark never seen is not asked.
    pub fn addition(&self, written: crate::store::history::StartTime) -> Option<CheckIn> {
        let CheckInStage::Answered { written: first, .. } = &self.stage else {
            return None;
        };
        let mut addition = CheckIn::new(first.date, written);
        addition.adds_to = Some(first.id.clone());
        let names = |keep: fn(&MarkChoice) -> bool| -> Vec<String> {
            self.marks
                .iter()
                .filter(|m| keep(m))
                .map(|m| m.name.clone())
                .collect()
        };
        addition.offered = names(|m| m.shown || m.ticked);
        addition.marked = names(|m| m.ticked);
        addition.note = self.note.trim().to_owned();
        Some(addition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(weekly: bool) -> CheckInScreen {
        let today = jiff::civil::date(2026, 11, 23);
        CheckInScreen::new(today, today, weekly, vec!["travel".into()])
    }

    #[test]
    fn four_keys_answer_four_questions_and_ten_takes_two() {
        let mut s = screen(false);
        assert!(s.key(RatingKey::Digit(6)));
        assert!(!s.key(RatingKey::Digit(1)), "waits for a 0");
        assert!(s.key(RatingKey::Digit(0)));
        assert!(s.key(RatingKey::Digit(7)));
        assert!(!s.key(RatingKey::Digit(7)), "stress is 1-5");
        assert!(!s.key(RatingKey::Digit(0)), "stress is 1-5");
        assert!(
            s.key(RatingKey::Digit(1)),
            "1 is at once an answer on a 1-5 scale"
        );
        assert!(s.is_complete());
        assert_eq!(s.answers, vec![Some(6), Some(10), Some(7), Some(1)]);
    }

    #[test]
    fn on_the_weekly_day_the_three_peg_items_follow_and_are_kept_together() {
        let mut s = screen(true);
        for digit in [5, 4, 6, 2, 6, 7, 5] {
            s.key(RatingKey::Digit(digit));
        }
        assert!(s.is_complete());
        let written = "2026-11-23T21:00:00+00:00".parse().expect("time");
        let checkin = s.checkin(written);
        assert_eq!(checkin.pain, Some(5));
        assert_eq!(checkin.stress, Some(2));
        let peg = checkin.peg.expect("the PEG items");
        assert_eq!((peg.pain, peg.enjoyment, peg.activity), (6, 7, 5));
        assert!((peg.score() - 6.0).abs() < 1e-9);
        assert_eq!(screen(false).questions.len(), 4);
    }

    #[test]
    fn the_peg_items_come_and_go_with_the_day_and_never_leave_a_checkin_unwritable() {
        let mut s = screen(false);
        s.set_weekly(true);
        assert_eq!(s.questions.len(), 7);
        for digit in [5, 4, 6, 2, 6] {
            s.key(RatingKey::Digit(digit));
        }
        assert_eq!(s.current, 5, "on the second PEG item");
        s.set_weekly(false);
        assert_eq!(s.questions.len(), 4);
        assert_eq!(s.answers, vec![Some(5), Some(4), Some(6), Some(2)]);
        assert_eq!(s.current, 3, "stress again: its answer writes it");
        assert!(!s.is_complete());
        assert!(s.key(RatingKey::Digit(3)));
        assert!(s.is_complete());
        assert_eq!(
            s.checkin("2026-11-23T21:00:00+00:00".parse().expect("time"))
                .peg,
            None
        );
    }

    #[test]
    fn a_missed_day_is_never_after_today() {
        let mut s = screen(true);
        assert_eq!(s.questions.len(), 7);
        s.move_date(1);
        assert_eq!(s.date, s.today);
        s.move_date(-3);
        assert_eq!(s.date, jiff::civil::date(2026, 11, 20));
    }
}
