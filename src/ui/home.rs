//! The home screen: the practices on offer, the chosen one's description, and Start.

use egui::{RichText, ScrollArea};

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::HomeQuestion;
use crate::store::{Library, Origin};

/// What the home screen says at a glance.
pub struct Glance<'a> {
    /// Why the preselected practice suits the time of day.
    pub suggestion: Option<&'a str>,
    /// The streak and the last session.
    pub recent: Option<&'a str>,
    /// The selected practice's current exhale and target, if it is progressive.
    pub level: Option<(f64, f64)>,
    /// A question waiting for a yes or a no.
    pub question: Option<HomeQuestion>,
    /// In gentle mode, which practices are outside it (by index); empty when it is off.
    pub outside_gentle_mode: Vec<bool>,
}

pub fn show(
    ui: &mut egui::Ui,
    library: &Library,
    selected: usize,
    glance: &Glance,
    file_path: &mut String,
    palette: &Palette,
    commands: &mut Vec<Command>,
) -> Vec<egui::Id> {
    let mut rows = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(8.0);
        ui.heading("downshift");
        if let Some(recent) = glance.recent {
            ui.label(RichText::new(recent).size(17.0).color(palette.quiet_text));
        }
        if let Some(suggestion) = glance.suggestion {
            ui.label(RichText::new(suggestion).color(palette.breath));
        }
        ui.label(
            RichText::new("Choose a practice, then press Space or Start.")
                .color(palette.quiet_text),
        );
    });
    ui.add_space(12.0);
    let list_height = (ui.available_height() * 0.4).max(140.0);
    ScrollArea::vertical()
        .max_height(list_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (index, entry) in library.entries.iter().enumerate() {
                let practice = &entry.practice;
                let mut label = practice.name.clone();
                if practice.is_ritual() {
                    label.push_str(" · ritual");
                }
                if matches!(
                    entry.origin,
                    Origin::User {
                        customises: true,
                        ..
                    }
                ) {
                    label.push_str(" · customised");
                }
                if glance.outside_gentle_mode.get(index) == Some(&true) {
                    label.push_str(" · not gentle");
                }
                let row = ui.selectable_label(index == selected, label);
                rows.push(row.id);
                if index == selected {
                    row.scroll_to_me(None);
                }
                if row.clicked() {
                    commands.push(Command::Select(index));
                }
                if row.double_clicked() {
                    commands.push(Command::Start);
                }
            }
        });
    ui.add_space(12.0);
    if let Some(entry) = library.entries.get(selected) {
        let practice = &entry.practice;
        ui.label(RichText::new(&practice.name).heading());
        ui.label(&practice.description);
        if let Some((level, target)) = glance.level {
            ui.label(
                RichText::new(format!(
                    "Your exhale: {level:.1} s, building toward {target:.1} s at your pace."
                ))
                .color(palette.quiet_text),
            );
        }
        if glance.outside_gentle_mode.get(selected) == Some(&true) {
            ui.label(
                RichText::new("Outside gentle mode: it has breath holds or quick breaths.")
                    .color(palette.warning),
            );
        } else if practice.has_holds() {
            ui.label(
                RichText::new(
                    "Contains breath holds: skip it if you have been told to avoid them.",
                )
                .color(palette.warning),
            );
        }
        ui.add_space(16.0);
        ui.vertical_centered(|ui| {
            let start = ui.add(
                egui::Button::new(RichText::new("Start").size(26.0))
                    .min_size(egui::vec2(200.0, 56.0)),
            );
            if start.clicked() {
                commands.push(Command::Start);
            }
            ui.horizontal(|ui| {
                if ui
                    .link(RichText::new("About this practice (I)").color(palette.quiet_text))
                    .clicked()
                {
                    commands.push(Command::OpenAbout);
                }
                ui.label(RichText::new("·").color(palette.quiet_text));
                if ui
                    .link(RichText::new("Safety").color(palette.quiet_text))
                    .clicked()
                {
                    commands.push(Command::OpenSafety);
                }
            });
        });
        // Right under Start, where the eyes are: a question must not wait below the fold.
        if let Some(question) = glance.question {
            ui.horizontal_wrapped(|ui| {
                let text = match question {
                    HomeQuestion::Delete => {
                        format!("Delete \"{}\"? Its file is removed.", entry.practice.name)
                    }
                    HomeQuestion::RestoreOriginal => format!(
                        "Restore the original \"{}\"? Your changes to it are removed.",
                        entry.practice.name
                    ),
                    HomeQuestion::StartAnyway => format!(
                        "Gentle mode is on, and \"{}\" has breath holds or breaths under 8 s. \
                         Start it anyway?",
                        entry.practice.name
                    ),
                };
                ui.label(RichText::new(text).color(palette.warning));
                let yes = match question {
                    HomeQuestion::Delete => "Yes, delete",
                    HomeQuestion::RestoreOriginal => "Yes, restore",
                    HomeQuestion::StartAnyway => "Start anyway",
                };
                if ui.button(yes).clicked() {
                    commands.push(Command::AnswerHome(true));
                }
                let no = match question {
                    HomeQuestion::StartAnyway => "Choose another",
                    _ => "No",
                };
                if ui.button(no).clicked() {
                    commands.push(Command::AnswerHome(false));
                }
            });
        }
    } else {
        ui.label("No practices could be loaded.");
    }
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        if ui.button("History").clicked() {
            commands.push(Command::OpenHistory);
        }
        if ui.button("Settings").clicked() {
            commands.push(Command::OpenSettings);
        }
        ui.separator();
        if ui.button("New").clicked() {
            commands.push(Command::NewPreset);
        }
        if ui.button("Edit").clicked() {
            commands.push(Command::EditPreset);
        }
        if ui.button("Duplicate").clicked() {
            commands.push(Command::DuplicatePreset);
        }
        let question = match library.entries.get(selected).map(|e| &e.origin) {
            Some(Origin::User {
                customises: true, ..
            }) => Some(("Restore original", HomeQuestion::RestoreOriginal)),
            Some(Origin::User { .. }) => Some(("Delete", HomeQuestion::Delete)),
            _ => None,
        };
        if let Some((label, question)) = question
            && ui.button(label).clicked()
        {
            commands.push(Command::AskHome(question));
        }
    });
    egui::CollapsingHeader::new("Import or export a preset file")
        .id_salt("import_export")
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("File");
                ui.add(egui::TextEdit::singleline(file_path).desired_width(320.0))
                    .labelled_by(label.id);
                if ui.button("Import").clicked() {
                    commands.push(Command::ImportPreset);
                }
                if ui.button("Export selected").clicked() {
                    commands.push(Command::ExportPreset);
                }
            });
            ui.label(
                RichText::new("Or drop a .ron file on the window to import it.")
                    .size(16.0)
                    .color(palette.quiet_text),
            );
        });
    if !library.problems.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Problems: {} preset file{} could not be used",
            library.problems.len(),
            if library.problems.len() == 1 { "" } else { "s" }
        ))
        .id_salt("problems")
        .show(ui, |ui| {
            for problem in &library.problems {
                ui.label(
                    RichText::new(problem.to_string())
                        .size(15.0)
                        .color(palette.warning),
                );
            }
        });
    }
    rows
}
