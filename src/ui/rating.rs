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
        // All eleven on one row, centred: the scale reads as one line from 0 to 10.
        let gap = 8.0;
        let side = ((ui.available_width() - 10.0 * gap) / 11.0).clamp(36.0, 56.0);
        let row = egui::vec2(11.0 * side + 10.0 * gap, side);
        ui.allocate_ui_with_layout(
            row,
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.spacing_mut().item_spacing.x = gap;
                ui.spacing_mut().button_padding = egui::vec2(2.0, 2.0);
                for value in 0..=10u8 {
                    let button = egui::Button::new(RichText::new(value.to_string()).size(24.0))
                        .min_size(egui::vec2(side, side));
                    let response = ui.add(button);
                    // Each number read with its question and scale, not as a bare figure.
                    let name = format!("{value} of 10: {question}");
                    ui.ctx()
                        .accesskit_node_builder(response.id, |node| node.set_label(name));
                    if response.clicked() {
                        actions.push(Command::Rate(Some(value)));
                    }
                }
            },
        );
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
