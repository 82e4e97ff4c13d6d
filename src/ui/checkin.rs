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
        // Its hint beside it, on one row, leaves the page above the room for every mark.
        super::widgets::foot_panel("checkin_foot").show(ui, |ui| {
            let done_text = RichText::new("Done").size(24.0);
            let hint = RichText::new("Enter: done. Esc: leave the marks unasked.")
                .color(palette.quiet_text);
            let done_size = egui::vec2(150.0, 48.0);
            let spacing = ui.spacing().item_spacing.x;
            let width = done_size.x
                + spacing
                + super::widgets::text_width(ui, hint.clone(), egui::TextStyle::Body);
            ui.horizontal(|ui| {
                ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                let done = ui.add(egui::Button::new(done_text).min_size(done_size));
                if done.clicked() {
                    commands.push(Command::CheckInDone);
                }
                ui.label(hint);
            });
        });
    }
    // The room a scroll bar takes is kept free from the first frame: the marks are laid out
    // the same before and after a bar comes, so the ones found on the screen stay there.
    let width = ui.available_width() - ui.spacing().scroll.allocated_width();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| match &screen.stage {
            CheckInStage::Questions => questions(ui, screen, palette, commands),
            CheckInStage::Answered { .. } => {
                ui.set_max_width(width);
                answered(ui, screen, palette, commands)
            }
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
            // Centred whether or not Back is there: the row's width from its buttons' text.
            let button_width = |text: &str| {
                let font = egui::TextStyle::Button.resolve(ui.style());
                let galley =
                    ui.painter()
                        .layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER);
                galley.size().x + 2.0 * ui.spacing().button_padding.x
            };
            let mut row = button_width("Not today");
            if screen.current > 0 {
                row += button_width("Back") + ui.spacing().item_spacing.x;
            }
            ui.add_space(((ui.available_width() - row) / 2.0).max(0.0));
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
    let CheckInStage::Answered {
        written,
        saved,
        changes,
    } = &screen.stage
    else {
        return;
    };
    let in_view_id = egui::Id::unique(("checkin marks in view", &written.id));
    let saved = saved.clone();
    let changes = changes.clone();
    ui.vertical_centered(|ui| {
        ui.add_space(4.0);
        ui.label(RichText::new("Thank you.").size(30.0));
        // The day and whether it is saved on one line: the marks below need the room.
        let day = RichText::new(format!("{} ·", day_words(screen))).color(palette.quiet_text);
        let status = match &saved {
            None => RichText::new("Saving…").color(palette.quiet_text),
            Some(Ok(())) => RichText::new("Saved.").color(palette.quiet_text),
            Some(Err(_)) => RichText::new("Not saved.").color(palette.warning),
        };
        let gap = 6.0;
        let width = super::widgets::text_width(ui, day.clone(), egui::TextStyle::Body)
            + gap
            + super::widgets::text_width(ui, status.clone(), egui::TextStyle::Body);
        ui.allocate_ui_with_layout(
            egui::vec2(width, ui.text_style_height(&egui::TextStyle::Body)),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.spacing_mut().item_spacing.x = gap;
                ui.label(day);
                ui.label(status);
            },
        );
        if let Some(Err(reason)) = &saved {
            ui.label(RichText::new(reason).color(palette.warning));
        }
    });
    if !changes.is_empty() {
        ui.add_space(4.0);
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, palette.quiet_text))
            .inner_margin(10)
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.y = 8.0;
                ui.label(RichText::new("What changed in the last 3 days").size(24.0));
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
                    commands.push(Command::TestChange(None));
                }
            });
    }
    ui.add_space(4.0);
    let heading =
        ui.label(RichText::new("Different in the last day or two? (optional)").size(22.0));
    // Only a mark wholly on the screen two frames running counts as asked: at a page's first
    // frame the panels are not yet in place, and more seems to fit than does.
    let before: Vec<bool> = ui.data(|d| d.get_temp(in_view_id)).unwrap_or_default();
    let mut in_view = vec![false; screen.marks.len()];
    ui.horizontal_wrapped(|ui| {
        let visible = ui.clip_rect();
        for (index, mark) in screen.marks.iter().enumerate() {
            let mut on = mark.ticked;
            let response = ui.checkbox(&mut on, mark.name.as_str());
            if response.changed() {
                commands.push(Command::CheckInMark(index));
            }
            in_view[index] = visible.contains_rect(response.rect);
            if !mark.shown && in_view[index] && before.get(index) == Some(&true) {
                commands.push(Command::CheckInMarkShown(index));
            }
        }
    })
    .response
    .labelled_by(heading.id);
    ui.data_mut(|d| d.insert_temp(in_view_id, in_view));
    ui.horizontal(|ui| {
        let note = ui.label("A note (optional)");
        ui.add(
            egui::TextEdit::multiline(&mut screen.note)
                .desired_rows(1)
                .desired_width(f32::INFINITY)
                .char_limit(crate::store::checkins::NOTE_MAX),
        )
        .labelled_by(note.id);
    });
}
