//! The safety note: before the first session, and from the "Safety" links on home and the
//! summary. Large, calm text; one clear action.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{RESONANCE_TEST_NOTE, SAFETY_NOTE, SAFETY_TITLE, SafetyScreen};

pub fn show(
    ui: &mut egui::Ui,
    screen: &SafetyScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    // The one action at the foot, laid out first: on a small screen it is never below the fold.
    super::widgets::foot_panel("safety_foot").show(ui, |ui| {
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
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(12.0);
                ui.heading(SAFETY_TITLE);
            });
            ui.add_space(12.0);
            if screen.resonance_test {
                ui.label(
                    RichText::new(RESONANCE_TEST_NOTE)
                        .size(20.0)
                        .color(palette.breath),
                );
                ui.add_space(12.0);
            }
            for paragraph in SAFETY_NOTE {
                ui.label(RichText::new(paragraph).size(20.0));
                ui.add_space(12.0);
            }
            if let Some(why) = &screen.red_flag {
                egui::Frame::group(ui.style())
                    .stroke(egui::Stroke::new(1.0, palette.quiet_text))
                    .inner_margin(12)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new("From your check-ins").heading());
                        ui.label(RichText::new(why).size(20.0));
                    });
                ui.add_space(12.0);
            }
            if screen.then.is_none()
                && ui
                    .link(
                        RichText::new("Your days: how your pain has gone over the weeks")
                            .color(palette.quiet_text),
                    )
                    .clicked()
            {
                commands.push(Command::OpenYourDays);
            }
        });
}
