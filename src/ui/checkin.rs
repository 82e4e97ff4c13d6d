//! The daily check-in: one question at a time, answered with one key (or a click), like the
//! tension question; then what was different in the last day or two, a note, and what changed.

use egui::RichText;

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{CheckInScreen, CheckInStage};

pub fn show(
    ui: &mut egui::Ui,
    screen: &mut CheckInScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    if matches!(screen.stage, CheckInStage::Answered { .. }) {
        // Done is laid out first, at the foot: on a small screen it is never below the fold.
        super::widgets::foot_panel("checkin_foot").show(ui, |ui| {
            ui.vertical_centered(|ui| {
                let done = ui.add(
                    egui::Button::new(RichText::new("Done").size(24.0))
                        .min_size(egui::vec2(160.0, 52.0)),
                );
                if done.clicked() {
                    commands.push(Command::CheckInDone);
                }
                ui.label(
                    RichText::new("Enter: done. Esc: leave the marks unasked.")
                        .color(palette.quiet_text),
                );
            });
        });
    }
    egui::ScrollArea::vertical()
        // The bar always shows: on a small screen it says there is more below.
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .auto_shrink([false, false])
        .show(ui, |ui| match &screen.stage {
            CheckInStage::Questions => questions(ui, screen, palette, commands),
            CheckInStage::Answered { .. } => answered(ui, screen, palette, commands),
        });
}

fn day_words(screen: &CheckInScreen) -> String {
    let days_back = screen
        .date
        .until(screen.today)
        .map_or(0, |span| span.get_days());
    match days_back {
        0 => format!("Today, {}", screen.date.strftime("%A %-d %B")),
        1 => format!("Yesterday, {}", screen.date.strftime("%A %-d %B")),
        _ => screen.date.strftime("%A %-d %B").to_string(),
    }
}

fn questions(
    ui: &mut egui::Ui,
    screen: &CheckInScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let Some(question) = screen.question() else {
        return;
    };
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.08);
        // The day, a step earlier or later: a missed day can be filled in.
        ui.horizontal(|ui| {
            let width = ui.available_width();
            ui.add_space((width / 2.0 - 190.0).max(0.0));
            if ui
                .button("‹ Day before")
                .on_hover_text("Fill in a missed day (key: ←)")
                .clicked()
            {
                commands.push(Command::CheckInDate(-1));
            }
            ui.label(RichText::new(day_words(screen)).color(palette.quiet_text));
            if screen.date < screen.today && ui.button("Day after ›").clicked() {
                commands.push(Command::CheckInDate(1));
            }
        });
        ui.label(
            RichText::new(format!(
                "Question {} of {}",
                screen.current + 1,
                screen.questions.len()
            ))
            .color(palette.quiet_text),
        );
        ui.add_space(8.0);
        let heading = ui.label(RichText::new(question.text).size(30.0));
        ui.label(RichText::new(question.scale).color(palette.quiet_text));
        ui.add_space(16.0);
        let count = f32::from(question.highest - question.lowest + 1);
        let gap = 8.0;
        let side = ((ui.available_width() - (count - 1.0) * gap) / count).clamp(36.0, 56.0);
        let row = egui::vec2(count * side + (count - 1.0) * gap, side);
        let previous = screen.answers.get(screen.current).copied().flatten();
        ui.allocate_ui_with_layout(
            row,
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.spacing_mut().item_spacing.x = gap;
                ui.spacing_mut().button_padding = egui::vec2(2.0, 2.0);
                for value in question.lowest..=question.highest {
                    // An earlier answer (after Back) shows as the chosen one.
                    let chosen = previous == Some(value);
                    let button = egui::Button::new(RichText::new(value.to_string()).size(24.0))
                        .selected(chosen)
                        .min_size(egui::vec2(side, side));
                    let response = ui.add(button);
                    // Each number read with its question and scale, not as a bare figure, and
                    // as a plain button (not a toggle).
                    let name = format!(
                        "{value} of {}: {}{}",
                        question.highest,
                        question.text,
                        if chosen { " (your answer)" } else { "" }
                    );
                    ui.ctx().accesskit_node_builder(response.id, |node| {
                        node.clear_toggled();
                        node.set_label(name);
                    });
                    if response.clicked() {
                        commands.push(Command::CheckInAnswer(value));
                    }
                }
            },
        );
        let _ = heading;
        ui.add_space(8.0);
        let hint = if screen.pending_one {
            "1 — press 0 for 10, or Enter for 1".to_owned()
        } else if question.highest >= 10 {
            "Press a number key (1 then 0 for 10).".to_owned()
        } else {
            format!(
                "Press a number key, {} to {}.",
                question.lowest, question.highest
            )
        };
        ui.label(RichText::new(hint).color(palette.quiet_text));
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let width = ui.available_width();
            ui.add_space((width / 2.0 - 140.0).max(0.0));
            if screen.current > 0
                && ui
                    .button("Back")
                    .on_hover_text("The question before (key: Backspace)")
                    .clicked()
            {
                commands.push(Command::CheckInBack);
            }
            if ui
                .button("Not today")
                .on_hover_text("Nothing is kept (key: Esc leaves too)")
                .clicked()
            {
                commands.push(Command::NotToday);
            }
        });
    });
}

fn answered(
    ui: &mut egui::Ui,
    screen: &mut CheckInScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let CheckInStage::Answered { saved, changes, .. } = &screen.stage else {
        return;
    };
    let saved = saved.clone();
    let changes = changes.clone();
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(RichText::new("Thank you.").size(34.0));
        ui.label(RichText::new(day_words(screen)).color(palette.quiet_text));
        match &saved {
            None => ui.label(RichText::new("Saving…").color(palette.quiet_text)),
            Some(Ok(())) => ui.label(RichText::new("Saved.").color(palette.quiet_text)),
            Some(Err(reason)) => {
                ui.label(RichText::new(format!("Not saved: {reason}")).color(palette.warning))
            }
        };
    });
    if !changes.is_empty() {
        ui.add_space(12.0);
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, palette.quiet_text))
            .inner_margin(12)
            .show(ui, |ui| {
                ui.label(RichText::new("What changed in the last 3 days").heading());
                for line in &changes {
                    ui.label(line);
                }
                ui.label(
                    RichText::new(crate::practice::pain::what_changed::CAVEAT)
                        .color(palette.quiet_text),
                );
                if ui
                    .button("Test a small change?")
                    .on_hover_text("Try one change on some days and not on others, drawn at random")
                    .clicked()
                {
                    commands.push(Command::CheckInDone);
                    commands.push(Command::OpenYourDays);
                }
            });
    }
    ui.add_space(12.0);
    let heading =
        ui.label(RichText::new("Different in the last day or two? (optional)").size(22.0));
    ui.horizontal_wrapped(|ui| {
        for (index, (mark, ticked)) in screen.marks.iter().enumerate() {
            let mut on = *ticked;
            if ui.checkbox(&mut on, mark.as_str()).changed() {
                commands.push(Command::CheckInMark(index));
            }
        }
    })
    .response
    .labelled_by(heading.id);
    ui.add_space(8.0);
    let note = ui.label("A note (optional)");
    ui.add(
        egui::TextEdit::multiline(&mut screen.note)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .char_limit(crate::store::checkins::NOTE_MAX),
    )
    .labelled_by(note.id);
}
