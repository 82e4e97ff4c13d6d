//! About a practice, from home: what it is, whether it is fine in gentle mode, its notes and the
//! sources it rests on.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::AboutPractice;

pub fn show(
    ui: &mut egui::Ui,
    about: &AboutPractice,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let practice = &about.practice;
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 80.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.heading(&practice.name);
            ui.label(RichText::new(&about.summary).color(palette.quiet_text));
            ui.add_space(8.0);
            ui.label(RichText::new(&practice.description).size(19.0));
            ui.add_space(12.0);
            let colour = if about.fine_in_gentle_mode {
                palette.quiet_text
            } else {
                palette.warning
            };
            ui.label(RichText::new(about.gentle_line()).color(colour));
            if !practice.notes.is_empty() {
                ui.add_space(12.0);
                ui.label(RichText::new("Notes").strong());
                ui.label(&practice.notes);
            }
            ui.add_space(12.0);
            ui.label(RichText::new("Sources").strong());
            if practice.sources.is_empty() {
                ui.label(RichText::new("None given.").color(palette.quiet_text));
            }
            for source in &practice.sources {
                ui.label(format!("·  {source}"));
            }
        });
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        let back = ui.add(
            egui::Button::new(RichText::new("Back").size(22.0)).min_size(egui::vec2(160.0, 48.0)),
        );
        if back.clicked() {
            commands.push(Command::CloseScreen);
        }
    });
}
