//! "How tense do you feel?" — a quick 0–10 before and after a session. One key press (0–9; 1 then
//! 0 for 10) or a click; always skippable.

use crate::practice::{Outcome, Practice};
use crate::store::SessionRecord;

/// Which rating is being asked for, and what it belongs to.
pub enum RatingStage {
    /// Before `practice` begins.
    Before { practice: Practice },
    /// After a session: its record waits for the rating before it is saved.
    After {
        practice: Practice,
        outcome: Outcome,
        record: Box<SessionRecord>,
    },
}

/// A key that answers the tension question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatingKey {
    Digit(u8),
    /// Enter or Space: keeps a pending 1.
    Confirm,
}

pub struct RatingScreen {
    pub stage: RatingStage,
    /// "1" was pressed: a following "0" makes it 10, Enter or Space keeps 1.
    pub pending_one: bool,
}

impl RatingScreen {
    /// The practice about to begin, or just ended.
    pub fn practice(&self) -> &Practice {
        match &self.stage {
            RatingStage::Before { practice } | RatingStage::After { practice, .. } => practice,
        }
    }

    pub fn new(stage: RatingStage) -> Self {
        RatingScreen {
            stage,
            pending_one: false,
        }
    }

    /// Turns a typed digit or a confirmation (Enter, Space) into a rating, if it completes one.
    pub fn key(&mut self, key: RatingKey) -> Option<u8> {
        match (self.pending_one, key) {
            (true, RatingKey::Digit(0)) => {
                self.pending_one = false;
                Some(10)
            }
            (true, RatingKey::Confirm) => {
                self.pending_one = false;
                Some(1)
            }
            (_, RatingKey::Digit(1)) => {
                self.pending_one = true;
                None
            }
            (_, RatingKey::Digit(value)) if value <= 9 => {
                self.pending_one = false;
                Some(value)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen() -> RatingScreen {
        RatingScreen::new(RatingStage::Before {
            practice: Practice::new("p", vec![]),
        })
    }

    #[test]
    fn one_key_rates_and_one_then_zero_makes_ten() {
        let mut rating = screen();
        assert_eq!(rating.key(RatingKey::Digit(7)), Some(7));
        assert_eq!(rating.key(RatingKey::Digit(1)), None);
        assert!(rating.pending_one);
        assert_eq!(rating.key(RatingKey::Digit(0)), Some(10));
        assert_eq!(rating.key(RatingKey::Digit(1)), None);
        assert_eq!(rating.key(RatingKey::Confirm), Some(1));
        assert_eq!(rating.key(RatingKey::Digit(0)), Some(0));
        assert_eq!(rating.key(RatingKey::Digit(11)), None);
    }
}
