//! The history screen: the three questions at a glance (see `history_charts`), then every
//! session. The list shows only the rows in view, so 100,000 sessions scroll as smoothly as ten.

use egui::RichText;

use super::theme::Palette;
use super::widgets::reserved_line;
use crate::app::Command;
use crate::app::kept::KeptSession;
use crate::app::screen::{ExportFormat, HistoryScreen};
use crate::store::SessionEnd;

fn row_text(record: &KeptSession) -> String {
    let outcome = match record.end {
        SessionEnd::Completed => "completed".to_owned(),
        SessionEnd::EndedEarly { step } => format!("ended at step {step}"),
        SessionEnd::Interrupted { step } => format!("interrupted at step {step}"),
    };
    let tension = match (record.tension_before, record.tension_after) {
        (Some(before), Some(after)) => format!("  ·  tension {before} to {after}"),
        _ => String::new(),
    };
    format!(
        "{}   {}  ·  {:.1} min  ·  {outcome}{tension}",
        record.started.local.strftime("%a %d %b %Y, %H:%M"),
        record.practice,
        record.breathed_seconds as f64 / 60.0
    )
}

pub fn show(
    ui: &mut egui::Ui,
    screen: &HistoryScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Your sessions");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Back").clicked() {
                commands.push(Command::CloseScreen);
            }
            if !screen.records.is_empty() {
                // Right to left: CSV ends up before JSON.
                if ui.button("Export JSON").clicked() {
                    commands.push(Command::ExportHistory(ExportFormat::Json));
                }
                if ui.button("Export CSV").clicked() {
                    commands.push(Command::ExportHistory(ExportFormat::Csv));
                }
            }
        });
    });
    for problem in &screen.problems {
        ui.label(RichText::new(problem).size(15.0).color(palette.warning));
    }
    if screen.records.is_empty() {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No sessions yet.").size(30.0));
            ui.label(
                "Every session you finish or end early appears here, with how tense you felt \
                 before and after. Over a few weeks it shows what helps you.",
            );
        });
        return;
    }
    ui.spacing_mut().item_spacing.y = 6.0;
    ui.horizontal(|ui| {
        // As tall as a button from the start, so the label is centred beside the dropdown.
        ui.set_min_height(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
        let current = screen
            .filter
            .map_or("All practices", |i| screen.practices[i].as_str());
        let label = ui.label("Practice");
        egui::ComboBox::from_id_salt("practice_filter")
            .selected_text(current)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(screen.filter.is_none(), "All practices")
                    .clicked()
                {
                    commands.push(Command::HistoryFilter(None));
                }
                for (i, name) in screen.practices.iter().enumerate() {
                    if ui
                        .selectable_label(screen.filter == Some(i), name)
                        .clicked()
                    {
                        commands.push(Command::HistoryFilter(Some(i)));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        for days in [30, 90] {
            if ui
                .selectable_label(screen.chart_days == days, format!("{days} days"))
                .clicked()
            {
                commands.push(Command::HistoryDays(days));
            }
        }
    });
    // The export's result has its line kept, so nothing moves when it comes.
    reserved_line(
        ui,
        RichText::new(screen.message.as_deref().unwrap_or(" "))
            .size(15.0)
            .color(palette.quiet_text),
        if screen.message.is_some() { 1.0 } else { 0.0 },
    );
    super::history_charts::show(ui, screen, palette);
    // The line for deleting the session picked is always there, so picking one moves no row.
    ui.horizontal(|ui| {
        ui.set_min_height(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
        let Some(index) = screen.selected else {
            ui.label(
                RichText::new("Pick a session to delete it.")
                    .size(15.0)
                    .color(palette.quiet_text),
            );
            return;
        };
        {
            let when = screen.records[index]
                .started
                .local
                .strftime("%a %d %b %Y, %H:%M");
            if screen.confirming_delete {
                ui.label(
                    RichText::new(format!(
                        "Delete the session of {when}? It cannot be undone."
                    ))
                    .size(16.0),
                );
                if ui.button("Delete").clicked() {
                    commands.push(Command::DeleteSession);
                }
                if ui.button("Keep").clicked() {
                    commands.push(Command::AskDeleteSession(false));
                }
            } else if ui.button("Delete this session…").clicked() {
                commands.push(Command::AskDeleteSession(true));
            }
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("sessions")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, screen.shown.len(), |ui, rows| {
            // One line each: the rows are laid out by their fixed height.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for &index in &screen.shown[rows] {
                let text = RichText::new(row_text(&screen.records[index])).size(17.0);
                if ui
                    .selectable_label(screen.selected == Some(index), text)
                    .clicked()
                {
                    commands.push(Command::HistorySelect(index));
                }
            }
        });
}
