//! A reminder: a small card at the top of the window that fades in, says why, and offers
//! "Start" and "Later". It never shows over a session, and never covers a control: the screen
//! makes room for it.

use egui::RichText;

use super::theme::{BODY_SIZE, Palette};
use crate::app::Command;
use crate::practice::reminders::Reminder;

pub fn show(
    ui: &mut egui::Ui,
    reminder: &Reminder,
    reduced_motion: bool,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    // Fades in over 0.6 s rather than appearing at once (with reduced motion, at once): from
    // when this prompt was first drawn (egui's own animations start at their target the first
    // time they are seen).
    let ctx = ui.ctx().clone();
    let id = egui::Id::unique("reminder").with(&reminder.message);
    let now = ctx.input(|i| i.time);
    let first_drawn = ctx.data_mut(|d| *d.get_temp_mut_or_insert_with(id, || now));
    let opacity = if reduced_motion {
        1.0
    } else {
        ((now - first_drawn) as f32 / 0.6).clamp(0.0, 1.0)
    };
    if opacity < 1.0 {
        ctx.request_repaint();
    }
    ui.vertical_centered(|ui| {
        ui.set_opacity(opacity);
        egui::Frame::new()
            .fill(palette.track)
            .stroke(egui::Stroke::new(1.0, palette.breath.gamma_multiply(0.5)))
            .corner_radius(12)
            .inner_margin(10)
            .show(ui, |ui| {
                ui.set_max_width(560.0);
                // Announced when it comes (`announce`).
                ui.label(
                    RichText::new(&reminder.message)
                        .size(BODY_SIZE)
                        .color(palette.text),
                );
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    // Compact: on home the card takes the header's room.
                    ui.spacing_mut().button_padding = egui::vec2(14.0, 6.0);
                    let start = egui::Button::new(
                        RichText::new(format!("Start {}", reminder.practice)).size(BODY_SIZE),
                    )
                    .fill(palette.background);
                    if ui.add(start).clicked() {
                        commands.push(Command::ReminderStart);
                    }
                    let later = egui::Button::new(RichText::new("Later").size(BODY_SIZE))
                        .fill(palette.background);
                    if ui.add(later).clicked() {
                        commands.push(Command::ReminderLater);
                    }
                });
            });
        ui.add_space(6.0);
    });
}
