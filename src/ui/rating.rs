//! "How tense do you feel?" — a quick 0–10 before and after a session. One key press (0–9; 1 then
//! 0 for 10) or a click; always skippable.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{RatingScreen, RatingStage};

pub fn show(
    ui: &mut egui::Ui,
    screen: &RatingScreen,
    palette: &Palette,
    actions: &mut Vec<Command>,
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
                    actions.push(Command::Rate(Some(value)));
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
            actions.push(Command::Rate(None));
        }
    });
}
