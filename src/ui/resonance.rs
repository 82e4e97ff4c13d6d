//! The resonance test's result: the best rate, said in words; each rate's swing and
//! low-frequency power with the beats behind them, or why it is not ranked; and the offer to set
//! the resonance practice to the best rate. One clear action: Set it, or Done.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{ResonanceScreen, SaveStatus, Standing};

const SMALL: f32 = 16.0;

fn one_decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// A rate's place in words: "1st", or why it has none.
fn standing_words(standing: &Standing) -> String {
    match standing {
        Standing::Ranked(1) => "best".to_owned(),
        Standing::Ranked(rank) => format!("{rank}"),
        Standing::TooFewCleanBeats(_) => "too few clean beats".to_owned(),
        Standing::NotWhole => "not breathed whole".to_owned(),
        Standing::Alone => "nothing to compare".to_owned(),
    }
}

pub fn show(
    ui: &mut egui::Ui,
    screen: &ResonanceScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(8.0);
                ui.heading("Your resonance test");
                ui.add_space(4.0);
                if let Some(rate) = screen.best {
                    ui.label(
                        RichText::new(format!("{rate:.1} breaths a minute"))
                            .size(36.0)
                            .color(palette.breath),
                    );
                }
            });
            ui.add_space(6.0);
            ui.label(RichText::new(&screen.verdict).size(19.0));
            ui.add_space(10.0);
            egui::Grid::new("resonance_rates")
                .num_columns(6)
                .spacing([18.0, 4.0])
                .show(ui, |ui| {
                    for heading in [
                        "breaths a minute",
                        "swing a breath",
                        "LF power",
                        "beats kept",
                        "dropped",
                        "rank",
                    ] {
                        ui.label(RichText::new(heading).size(SMALL).color(palette.quiet_text));
                    }
                    ui.end_row();
                    for row in &screen.rows {
                        let best = matches!(row.standing, Standing::Ranked(1));
                        let strong = |text: String| {
                            let text = RichText::new(text).size(18.0);
                            if best {
                                text.color(palette.breath)
                            } else {
                                text
                            }
                        };
                        ui.label(strong(format!("{:.1}", row.rate)));
                        ui.label(strong(one_decimal(row.swing)));
                        ui.label(strong(one_decimal(row.lf_power)));
                        ui.label(strong(row.clean_beats.to_string()));
                        ui.label(strong(row.dropped_beats.to_string()));
                        let standing = ui.label(
                            RichText::new(standing_words(&row.standing))
                                .size(SMALL)
                                .color(if best {
                                    palette.breath
                                } else {
                                    palette.quiet_text
                                }),
                        );
                        if let Standing::TooFewCleanBeats(why) = &row.standing {
                            standing.on_hover_text(why);
                        }
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            for row in &screen.rows {
                if let Standing::TooFewCleanBeats(why) = &row.standing {
                    ui.label(
                        RichText::new(format!("{:.1}: too few clean beats ({why}).", row.rate))
                            .size(SMALL)
                            .color(palette.warning),
                    );
                }
            }
            ui.label(
                RichText::new(
                    "Swing: the highest heart rate less the lowest within a breath, in beats a \
                     minute, the mean over the rate's two minutes. LF power: how much the heart \
                     rate moves at slow-breathing speeds (0.04 to 0.15 Hz), in (beats a \
                     minute)². Each rate is ranked on both; missed and extra beats are dropped.",
                )
                .size(SMALL)
                .color(palette.quiet_text),
            );
            ui.add_space(6.0);
            let saved = match &screen.saved {
                SaveStatus::Saving(_) => "Saving to your history…".to_owned(),
                SaveStatus::Saved => "Saved to your history.".to_owned(),
                SaveStatus::Failed(reason) => reason.clone(),
            };
            ui.label(RichText::new(saved).size(SMALL).color(palette.quiet_text));
            ui.add_space(10.0);
            ui.vertical_centered(|ui| {
                if let Some(offer) = &screen.offer {
                    ui.label(format!(
                        "Set {} to {:.1} breaths a minute (in {:.1} s, out {:.1} s)?",
                        offer.practice, offer.rate, offer.pattern.inhale, offer.pattern.exhale
                    ));
                    ui.horizontal(|ui| {
                        // Centred: the row's width is known from its words.
                        let set = format!("Set {}", offer.practice);
                        let width =
                            super::widgets::text_width(ui, set.as_str(), egui::TextStyle::Button)
                                + super::widgets::text_width(
                                    ui,
                                    "Not now",
                                    egui::TextStyle::Button,
                                )
                                + 4.0 * ui.spacing().button_padding.x
                                + ui.spacing().item_spacing.x;
                        ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                        if ui.button(set).clicked() {
                            commands.push(Command::SetResonanceRate);
                        }
                        if ui.button("Not now").clicked() {
                            commands.push(Command::KeepResonanceRate);
                        }
                    });
                }
                if let Some(answer) = &screen.offer_answer {
                    ui.label(RichText::new(answer).color(palette.quiet_text));
                }
                ui.add_space(10.0);
                let done = ui.add(
                    egui::Button::new(RichText::new("Done").size(24.0))
                        .min_size(egui::vec2(160.0, 52.0)),
                );
                if done.clicked() {
                    commands.push(Command::CloseScreen);
                }
            });
        });
}
