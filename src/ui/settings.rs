//! Settings: how it looks, how it sounds, what it asks. Changes show at once and are saved when
//! the screen is left.

use egui::{RichText, Slider};

use super::Action;
use super::theme::Palette;
use crate::practice::CueSet;
use crate::store::Settings;
use crate::store::settings::Theme;

pub fn show(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.heading("Settings");
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 90.0)
        .show(ui, |ui| {
            section(ui, "Look", palette);
            ui.horizontal(|ui| {
                ui.radio_value(&mut settings.theme, Theme::Evening, "Evening (dim, warm)");
                ui.radio_value(&mut settings.theme, Theme::Light, "Light");
            });
            ui.checkbox(
                &mut settings.reduced_motion,
                "Reduced motion: the orb brightens and dims instead of growing",
            );
            ui.checkbox(
                &mut settings.show_numbers,
                "Show the seconds left in each phase",
            );
            ui.add(
                Slider::new(&mut settings.frame_rate_cap, 10..=60)
                    .text("Highest frame rate during a session")
                    .suffix(" fps"),
            );

            section(ui, "Sound", palette);
            ui.checkbox(&mut settings.muted, "Mute all sound (M)");
            ui.add(Slider::new(&mut settings.master_volume, 0.0..=1.0).text("Volume"));
            ui.horizontal(|ui| {
                ui.label("Cues:");
                ui.radio_value(&mut settings.cue_set, CueSet::Tones, "Soft tones");
                ui.radio_value(&mut settings.cue_set, CueSet::Voice, "Voice");
            });
            ui.add(Slider::new(&mut settings.tones_volume, 0.0..=1.0).text("Tones volume"));
            ui.add(Slider::new(&mut settings.voice_volume, 0.0..=1.0).text("Voice volume"));
            ui.checkbox(
                &mut settings.breath_tone,
                "Breath tone: a soft hum that rises and swells with each breath",
            );
            ui.add_enabled(
                settings.breath_tone,
                Slider::new(&mut settings.breath_tone_volume, 0.0..=1.0).text("Breath tone volume"),
            );

            section(ui, "Record", palette);
            ui.checkbox(
                &mut settings.ask_tension,
                "Ask how tense I feel before and after a session",
            );
        });
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        if ui.button("Back").clicked() {
            actions.push(Action::CloseScreen);
        }
        ui.label(RichText::new("Esc goes back. Changes are saved.").color(palette.quiet_text));
    });
}

fn section(ui: &mut egui::Ui, title: &str, palette: &Palette) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).size(24.0).color(palette.breath));
}
