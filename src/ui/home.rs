//! The home screen: the practices on offer, the chosen one's description, and Start.

use egui::{RichText, ScrollArea};

use super::theme::Palette;
use super::widgets::text_width;
use crate::app::Command;
use crate::app::pain_days::CheckInOffer;
use crate::app::screen::HomeQuestion;
use crate::practice::reminders::Reminder;
use crate::store::{Library, Origin};

/// What the home screen says at a glance.
pub struct Glance<'a> {
    /// Why the preselected practice suits the time of day.
    pub suggestion: Option<&'a str>,
    /// The practice suggested for the time of day (an index into the library).
    pub suggested: Option<usize>,
    /// The streak and the last session.
    pub recent: Option<&'a str>,
    /// The selected practice's current exhale and target, if it is progressive.
    pub level: Option<(f64, f64)>,
    /// A question waiting for a yes or a no.
    pub question: Option<HomeQuestion>,
    /// In gentle mode, which practices are outside it (by index); empty when it is off.
    pub outside_gentle_mode: Vec<bool>,
    /// The library in the order home lists it: rituals, then breathing.
    pub order: Vec<usize>,
    /// A reminder waiting: it takes the header's place, so nothing below moves.
    pub reminder: Option<&'a Reminder>,
    pub reduced_motion: bool,
    /// The daily check-in, when it is offered now.
    pub checkin: Option<CheckInOffer>,
    /// Today's side of the small test running.
    pub test_side: Option<&'a str>,
    /// Nothing had the keyboard when the frame began (read then: a focused button drawn
    /// earlier in the frame, a notice's, lets go of it while handing Tab on).
    pub nothing_focused: bool,
}

/// The header's room: the heading, the suggestion and the last session, or a reminder card.
const HEADER_HEIGHT: f32 = 118.0;
/// And a line more when the check-in's card and the small test's day both show.
const HEADER_LINE: f32 = 25.0;

/// The home screen: the practices in two groups on the left, the chosen one on the right,
/// and at the foot what else there is to do. The foot is laid out first, so it is always in
/// view; the list takes the room left and says when there is more of it below.
pub fn show(
    ui: &mut egui::Ui,
    library: &Library,
    selected: usize,
    glance: &Glance,
    file_path: &mut String,
    palette: &Palette,
    commands: &mut Vec<Command>,
) -> Vec<egui::Id> {
    // The first Tab goes to the chosen practice, not to the foot (laid out first); while a
    // reminder waits, it goes to the reminder's Start, what the person is being asked about.
    let tab_into_list = glance.reminder.is_none()
        && glance.nothing_focused
        && ui.input(|i| i.key_pressed(egui::Key::Tab) && i.modifiers.is_none());
    let width = ui.available_width();
    let centred = egui::Layout::top_down(egui::Align::Center);
    // Decided from what is offered, not from whether a reminder shows: a reminder coming
    // moves nothing.
    let header_height = if glance.checkin.is_some() && glance.test_side.is_some() {
        HEADER_HEIGHT + HEADER_LINE
    } else {
        HEADER_HEIGHT
    };
    ui.allocate_ui_with_layout(egui::vec2(width, header_height), centred, |ui| {
        ui.set_min_size(egui::vec2(width, header_height));
        if let Some(reminder) = glance.reminder {
            super::reminder::show(ui, reminder, glance.reduced_motion, palette, commands);
            return;
        }
        ui.spacing_mut().item_spacing.y = 4.0;
        ui.label(RichText::new("downshift").size(28.0));
        if let Some(suggestion) = glance.suggestion {
            ui.label(RichText::new(suggestion).color(palette.breath));
        }
        // The check-in, when offered, takes the last session's line: one quiet row. The small
        // test's day is said too: the evening, when the card shows, is when people check in.
        if let Some(offer) = glance.checkin {
            checkin_card(ui, offer, palette, commands);
        }
        if let Some(side) = glance.test_side {
            ui.label(RichText::new(side).size(17.0).color(palette.quiet_text));
        } else if glance.checkin.is_none()
            && let Some(recent) = glance.recent
        {
            ui.label(RichText::new(recent).size(17.0).color(palette.quiet_text));
        }
    });
    super::widgets::foot_panel("home_foot").show(ui, |ui| {
        foot(ui, library, selected, file_path, palette, commands)
    });
    let mut rows = Vec::new();
    let height = ui.available_height();
    let list_width = (ui.available_width() * 0.52).clamp(240.0, 400.0);
    ui.horizontal_top(|ui| {
        let top_down = egui::Layout::top_down(egui::Align::Min);
        ui.allocate_ui_with_layout(egui::vec2(list_width, height), top_down, |ui| {
            ui.set_min_size(egui::vec2(list_width, height));
            rows = practice_list(ui, library, selected, glance, palette, commands);
        });
        if tab_into_list
            && let Some(&row) = glance
                .order
                .iter()
                .position(|&i| i == selected)
                .and_then(|at| rows.get(at))
        {
            ui.memory_mut(|m| m.request_focus(row));
        }
        ui.add_space(8.0);
        let width = ui.available_width();
        ui.allocate_ui_with_layout(egui::vec2(width, height), top_down, |ui| {
            ui.set_width(width);
            details(ui, library, selected, glance, palette, commands);
        });
    });
    rows
}

/// The daily check-in's card, in the last session's place: a line and two quiet buttons on one
/// row, or the once-asked question after three "Not today"s.
fn checkin_card(
    ui: &mut egui::Ui,
    offer: CheckInOffer,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let (line, yes, no, yes_command, no_command) = match offer {
        CheckInOffer::Offer => (
            "A ten-second check-in?",
            "Check in",
            "Not today",
            Command::OpenCheckIn(None),
            Command::NotToday,
        ),
        CheckInOffer::AskToKeepOffering => (
            "Keep offering a daily check-in?",
            "Keep offering",
            "Stop offering",
            Command::KeepOffering(true),
            Command::KeepOffering(false),
        ),
    };
    let text = RichText::new(line).size(17.0).color(palette.quiet_text);
    let spacing = ui.spacing().item_spacing.x;
    let padding = 2.0 * ui.spacing().button_padding.x;
    let width = text_width(ui, text.clone(), egui::TextStyle::Body)
        + text_width(ui, yes, egui::TextStyle::Button)
        + text_width(ui, no, egui::TextStyle::Button)
        + 2.0 * padding
        + 2.0 * spacing;
    let height =
        ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.label(text);
            if ui.button(yes).clicked() {
                commands.push(yes_command);
            }
            if ui.button(no).clicked() {
                commands.push(no_command);
            }
        },
    );
}

/// A row's words: the name, then quieter marks (customised, not gentle, suggested now).
fn row_text(
    library: &Library,
    index: usize,
    selected: bool,
    glance: &Glance,
    palette: &Palette,
) -> egui::text::LayoutJob {
    let entry = &library.entries[index];
    let mut marks = String::new();
    if matches!(
        entry.origin,
        Origin::User {
            customises: true,
            ..
        }
    ) {
        marks.push_str(" · customised");
    }
    if glance.outside_gentle_mode.get(index) == Some(&true) {
        marks.push_str(" · not gentle");
    }
    if glance.suggested == Some(index) {
        marks.push_str(" · suggested now");
    }
    let mut job = egui::text::LayoutJob::default();
    let body = egui::TextFormat {
        font_id: egui::FontId::proportional(super::theme::BODY_SIZE - 1.0),
        color: palette.text,
        ..Default::default()
    };
    job.append(&entry.practice.name, 0.0, body.clone());
    if !marks.is_empty() {
        // On the selected row's fill, the marks take the text's colour to stay readable.
        let colour = if selected {
            palette.text
        } else if glance.suggested == Some(index) {
            palette.breath
        } else {
            palette.quiet_text
        };
        job.append(
            &marks,
            0.0,
            egui::TextFormat {
                font_id: egui::FontId::proportional(15.0),
                color: colour,
                valign: egui::Align::Center,
                ..body
            },
        );
    }
    job.wrap.max_width = f32::INFINITY;
    job
}

/// The practices, rituals first, as rows to click (double-click starts) or move through with
/// the arrows. Returns the rows' ids (Space on a focused row starts it).
fn practice_list(
    ui: &mut egui::Ui,
    library: &Library,
    selected: usize,
    glance: &Glance,
    palette: &Palette,
    commands: &mut Vec<Command>,
) -> Vec<egui::Id> {
    let mut rows = Vec::new();
    let groups: [(&str, Vec<usize>); 2] = [
        (
            "Rituals",
            glance
                .order
                .iter()
                .copied()
                .filter(|&i| library.entries[i].practice.is_ritual())
                .collect(),
        ),
        (
            "Breathing",
            glance
                .order
                .iter()
                .copied()
                .filter(|&i| !library.entries[i].practice.is_ritual())
                .collect(),
        ),
    ];
    ui.spacing_mut().button_padding = egui::vec2(10.0, 3.0);
    ui.spacing_mut().item_spacing.y = 1.0;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0 + 1.0;
    let heading_height = 16.0 + 14.0;
    let needed: f32 = groups
        .iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(_, members)| heading_height + members.len() as f32 * row_height)
        .sum();
    let hint_height = 24.0;
    let overflows = needed > ui.available_height();
    let area_height = if overflows {
        ui.available_height() - hint_height
    } else {
        ui.available_height()
    };
    let output = ScrollArea::vertical()
        .id_salt("practices")
        .max_height(area_height)
        .auto_shrink([false, true])
        // Always there, so the list keeps its width when the foot below grows and the bar
        // comes (nothing on home moves); its handle says how much of the list is in view.
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            for (title, members) in &groups {
                if members.is_empty() {
                    continue;
                }
                ui.add_space(6.0);
                ui.label(
                    RichText::new(*title)
                        .size(16.0)
                        .strong()
                        .color(palette.quiet_text),
                );
                // A list box of options, the chosen one selected: a reader says "list", the
                // position, and which one is chosen (not "toggle button not pressed").
                let list = egui::UiBuilder::new()
                    .accessibility_role(egui::accesskit::Role::ListBox)
                    .accessibility_label(format!("{title}, {} practices", members.len()));
                ui.scope_builder(list, |ui| {
                    for (position, &index) in members.iter().enumerate() {
                        let text = row_text(library, index, index == selected, glance, palette);
                        let row = ui.add(egui::Button::selectable(index == selected, text));
                        let description = library.entries[index].practice.description.clone();
                        ui.ctx().accesskit_node_builder(row.id, |node| {
                            node.set_role(egui::accesskit::Role::ListBoxOption);
                            node.clear_toggled();
                            node.set_selected(index == selected);
                            node.set_position_in_set(position + 1);
                            node.set_size_of_set(members.len());
                            node.set_description(description);
                        });
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
            }
        });
    if overflows {
        let hidden =
            output.content_size.y - output.state.clamped_offset().y - output.inner_rect.height();
        let below = (hidden / row_height).ceil().max(0.0) as usize;
        let text = if below > 0 {
            format!("{below} more below: scroll, or press the down arrow")
        } else {
            "That is all of them.".to_owned()
        };
        ui.label(RichText::new(text).size(16.0).color(palette.breath));
    }
    rows
}

/// The chosen practice: its name and description, warnings, Start, and a question waiting
/// for an answer right under Start.
fn details(
    ui: &mut egui::Ui,
    library: &Library,
    selected: usize,
    glance: &Glance,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let Some(entry) = library.entries.get(selected) else {
        ui.label("No practices could be loaded.");
        return;
    };
    let practice = &entry.practice;
    ui.add_space(6.0);
    ui.label(RichText::new(&practice.name).size(28.0));
    ui.label(RichText::new(&practice.description).size(19.0));
    if let Some((level, target)) = glance.level {
        ui.label(
            RichText::new(format!(
                "Your exhale: {level:.1} s, building toward {target:.1} s at your pace."
            ))
            .size(17.0)
            .color(palette.quiet_text),
        );
    }
    if glance.outside_gentle_mode.get(selected) == Some(&true) {
        ui.label(
            RichText::new("Outside gentle mode: it has breath holds or quick breaths.")
                .size(17.0)
                .color(palette.warning),
        );
    } else if practice.has_holds() {
        ui.label(
            RichText::new("Contains breath holds: skip it if you have been told to avoid them.")
                .size(17.0)
                .color(palette.warning),
        );
    }
    ui.add_space(8.0);
    ui.vertical_centered(|ui| {
        let start = ui.add(
            egui::Button::new(RichText::new("Start").size(26.0)).min_size(egui::vec2(200.0, 56.0)),
        );
        if start.clicked() {
            commands.push(Command::Start);
        }
        ui.label(
            RichText::new("Space starts it; the arrow keys choose.")
                .size(15.0)
                .color(palette.quiet_text),
        );
        let about = "About this practice (I)";
        let links_width = [about, "·", "Safety"]
            .into_iter()
            .map(|text| text_width(ui, RichText::new(text).size(17.0), egui::TextStyle::Body))
            .sum::<f32>()
            + 2.0 * ui.spacing().item_spacing.x;
        let row = egui::vec2(links_width, ui.text_style_height(&egui::TextStyle::Body));
        ui.allocate_ui_with_layout(
            row,
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                let link = |text: &str| RichText::new(text).size(17.0).color(palette.quiet_text);
                if ui.link(link(about)).clicked() {
                    commands.push(Command::OpenAbout);
                }
                ui.label(link("·"));
                if ui.link(link("Safety")).clicked() {
                    commands.push(Command::OpenSafety);
                }
            },
        );
    });
    // Right under Start, where the eyes are: a question must not wait below the fold.
    if let Some(question) = glance.question {
        ui.horizontal_wrapped(|ui| {
            let text = match question {
                HomeQuestion::Delete => {
                    format!("Delete \"{}\"? Its file is removed.", practice.name)
                }
                HomeQuestion::RestoreOriginal => format!(
                    "Restore the original \"{}\"? Your changes to it are removed.",
                    practice.name
                ),
                HomeQuestion::StartAnyway => format!(
                    "Gentle mode is on, and \"{}\" has breath holds or breaths under 8 s. \
                     Start it anyway?",
                    practice.name
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
}

/// What else there is to do: the other screens, one's own presets, files, and problems.
fn foot(
    ui: &mut egui::Ui,
    library: &Library,
    selected: usize,
    file_path: &mut String,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("History").clicked() {
            commands.push(Command::OpenHistory);
        }
        if ui
            .button("Your days")
            .on_hover_text("Pain, sleep and stress over time, small tests, patterns")
            .clicked()
        {
            commands.push(Command::OpenYourDays);
        }
        if ui.button("Settings").clicked() {
            commands.push(Command::OpenSettings);
        }
    });
    // The presets' own row: two rows of their own never re-wrap as a window narrows, so the
    // foot keeps its height from one frame to the next.
    ui.horizontal_wrapped(|ui| {
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
}
