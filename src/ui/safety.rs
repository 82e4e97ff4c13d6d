//! The safety note: before the first session, and from the "Safety" links on home and the
//! summary. Large, calm text; one clear action.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{SAFETY_NOTE, SAFETY_TITLE, SafetyScreen};

pub fn show(
    ui: &mut egui::Ui,
    screen: &SafetyScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(12.0);
                ui.heading(SAFETY_TITLE);
            });
            ui.add_space(12.0);
            for paragraph in SAFETY_NOTE {
                ui.label(RichText::new(paragraph).size(20.0));
                ui.add_space(12.0);
            }
            ui.add_space(8.0);
            ui.vertical_centered(|ui| {
                let (label, hint) = match &screen.then {
                    Some(practice) => (
                        format!("Begin {}", practice.name),
                        "Esc goes back without beginning.",
                    ),
                    None => ("Back".to_owned(), ""),
                };
                let go = ui.add(
                    egui::Button::new(RichText::new(label).size(24.0))
                        .min_size(egui::vec2(220.0, 52.0)),
                );
                if go.clicked() {
                    commands.push(Command::SafetyRead);
                }
                if !hint.is_empty() {
                    ui.label(RichText::new(hint).size(16.0).color(palette.quiet_text));
                }
            });
        });
}
