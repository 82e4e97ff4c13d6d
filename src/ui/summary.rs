//! The end of a session: what was done, which stays until dismissed.

use egui::RichText;

use super::theme::Palette;
use super::widgets::text_width;
use crate::app::Command;
use crate::app::screen::{SaveStatus, SessionSummary};

/// `checkin`: the evening wind-down's summary offers the day's check-in.
pub fn show(
    ui: &mut egui::Ui,
    summary: &SessionSummary,
    checkin: bool,
    palette: &Palette,
    actions: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.2);
        ui.label(RichText::new(&summary.title).size(40.0));
        ui.add_space(8.0);
        ui.label(RichText::new(&summary.practice).heading());
        ui.label(&summary.details);
        if let Some(tension) = &summary.tension {
            ui.label(tension);
        }
        if let Some(heart) = &summary.heart {
            ui.label(RichText::new(heart).size(17.0).color(palette.quiet_text));
        }
        ui.add_space(8.0);
        // The same height whatever it says, so nothing below moves when the save lands.
        match &summary.saved {
            SaveStatus::Saving(_) => {
                ui.label(RichText::new("Saving to your history…").color(palette.quiet_text))
            }
            SaveStatus::Saved => {
                ui.label(RichText::new("Saved to your history.").color(palette.quiet_text))
            }
            SaveStatus::Failed(reason) => ui.label(RichText::new(reason).color(palette.warning)),
        };
        // The offer's room stays when it is answered, so Done does not move under the hand.
        let offer_room = egui::Id::unique("summary_offer_room");
        let kept: f32 = ui.data(|d| d.get_temp(offer_room)).unwrap_or(0.0);
        let top = ui.cursor().top();
        if let Some(offer) = &summary.offer {
            let question = if offer.lengthens() {
                format!(
                    "Lengthen the exhale from {:.1} s to {:.1} s?",
                    offer.from, offer.to
                )
            } else {
                format!(
                    "Step the exhale back from {:.1} s to {:.1} s?",
                    offer.from, offer.to
                )
            };
            let yes = offer_question(ui, &offer.reason, &question, offer.lengthens(), palette);
            actions.extend(yes.map(Command::AnswerOffer));
        }
        if let Some(offer) = &summary.pacing_offer {
            let question = format!(
                "Nudge every {} minutes instead of {}?",
                offer.to, offer.from
            );
            let yes = offer_question(ui, &offer.reason, &question, offer.lengthens(), palette);
            actions.extend(yes.map(Command::AnswerPacing));
        }
        if let Some(answer) = &summary.offer_answer {
            ui.add_space(16.0);
            ui.label(RichText::new(answer).color(palette.quiet_text));
        }
        let used = ui.cursor().top() - top;
        if summary.offer.is_some() || summary.pacing_offer.is_some() {
            ui.data_mut(|d| d.insert_temp(offer_room, used));
        } else if summary.offer_answer.is_some() && used < kept {
            // Only this summary's answered offer keeps its room (the room is remembered in
            // egui's memory, which outlives the summary).
            ui.add_space(kept - used);
        }
        ui.add_space(24.0);
        let done = ui.add(
            egui::Button::new(RichText::new("Done").size(24.0)).min_size(egui::vec2(160.0, 52.0)),
        );
        if done.clicked() {
            actions.push(Command::Dismiss);
        }
        if checkin {
            ui.add_space(12.0);
            if ui
                .button("A ten-second check-in for today")
                .on_hover_text("Pain, sleep and stress: four keys")
                .clicked()
            {
                actions.push(Command::Dismiss);
                actions.push(Command::OpenCheckIn(None));
            }
        }
        ui.add_space(12.0);
        if ui
            .link(RichText::new("Safety").color(palette.quiet_text))
            .clicked()
        {
            actions.push(Command::OpenSafety);
        }
    });
}

/// An offer's reason, its question, and "Lengthen" or "Step back" beside "Not now"; the answer,
/// if one was clicked.
fn offer_question(
    ui: &mut egui::Ui,
    reason: &str,
    question: &str,
    lengthens: bool,
    palette: &Palette,
) -> Option<bool> {
    ui.add_space(16.0);
    ui.label(RichText::new(reason).color(palette.quiet_text));
    ui.label(question);
    let yes = if lengthens { "Lengthen" } else { "Step back" };
    // Centred under the question: the row's width is known from its words.
    let padding = 2.0 * ui.spacing().button_padding.x;
    let width = text_width(ui, yes, egui::TextStyle::Button)
        + text_width(ui, "Not now", egui::TextStyle::Button)
        + 2.0 * padding
        + ui.spacing().item_spacing.x;
    let height =
        ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    let mut answer = None;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            if ui.button(yes).clicked() {
                answer = Some(true);
            }
            if ui.button("Not now").clicked() {
                answer = Some(false);
            }
        },
    );
    answer
}
