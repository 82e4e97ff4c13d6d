//! "How tense do you feel?" — a quick 0–10 before and after a session. One key press (0–9; 1 then
//! 0 for 10) or a click; always skippable.

use egui::RichText;

use super::Action;
use super::theme::Palette;
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
        record: Option<Box<SessionRecord>>,
    },
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

    /// Turns a key press into a rating, if it completes one.
    pub fn key(&mut self, key: egui::Key) -> Option<u8> {
        use egui::Key;
        let digit = match key {
            Key::Num0 => Some(0),
            Key::Num1 => Some(1),
            Key::Num2 => Some(2),
            Key::Num3 => Some(3),
            Key::Num4 => Some(4),
            Key::Num5 => Some(5),
            Key::Num6 => Some(6),
            Key::Num7 => Some(7),
            Key::Num8 => Some(8),
            Key::Num9 => Some(9),
            _ => None,
        };
        match (self.pending_one, digit, key) {
            (true, Some(0), _) => {
                self.pending_one = false;
                Some(10)
            }
            (true, _, Key::Enter | Key::Space) => {
                self.pending_one = false;
                Some(1)
            }
            (_, Some(1), _) => {
                self.pending_one = true;
                None
            }
            (_, Some(value), _) => {
                self.pending_one = false;
                Some(value)
            }
            _ => None,
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    screen: &RatingScreen,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let (question, context) = match &screen.stage {
        RatingStage::Before { practice } => (
            "How tense do you feel right now?",
            format!("Before {}", practice.name),
        ),
        RatingStage::After { practice, .. } => (
            "And how tense do you feel now?",
            format!("After {}", practice.name),
        ),
    };
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.15);
        ui.label(RichText::new(context).color(palette.quiet_text));
        ui.label(RichText::new(question).size(34.0));
        ui.label(
            RichText::new("0 is completely relaxed, 10 the most tense you can imagine.")
                .color(palette.quiet_text),
        );
        ui.add_space(16.0);
        ui.horizontal_wrapped(|ui| {
            for value in 0..=10u8 {
                let button = egui::Button::new(RichText::new(value.to_string()).size(24.0))
                    .min_size(egui::vec2(48.0, 48.0));
                if ui.add(button).clicked() {
                    actions.push(Action::Rate(Some(value)));
                }
            }
        });
        ui.add_space(8.0);
        if screen.pending_one {
            ui.label("1 — press 0 for 10, or Enter for 1");
        } else {
            ui.label(
                RichText::new("Press a number key (1 then 0 for 10).").color(palette.quiet_text),
            );
        }
        ui.add_space(16.0);
        if ui.button("Skip").on_hover_text("Key: S").clicked() {
            actions.push(Action::Rate(None));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Key;

    fn screen() -> RatingScreen {
        RatingScreen::new(RatingStage::Before {
            practice: Practice::new("p", vec![]),
        })
    }

    #[test]
    fn one_key_rates_and_one_then_zero_makes_ten() {
        let mut rating = screen();
        assert_eq!(rating.key(Key::Num7), Some(7));
        assert_eq!(rating.key(Key::Num1), None);
        assert!(rating.pending_one);
        assert_eq!(rating.key(Key::Num0), Some(10));
        assert_eq!(rating.key(Key::Num1), None);
        assert_eq!(rating.key(Key::Enter), Some(1));
        assert_eq!(rating.key(Key::Num0), Some(0));
        assert_eq!(rating.key(Key::A), None);
    }
}
