//! The preset editor: name and description, steps to add, remove and reorder, each field a
//! slider with its exact number, problems shown beside the field as you type, a live preview of
//! the breath, and Save only when everything is sound.

use egui::{RichText, Slider};

use super::theme::Palette;
use super::widgets::{OrbLook, breath_orb};
use crate::app::Command;
use crate::app::screen::{Editor, StepEdit};
use crate::practice::{BreatheBlock, Micros, Pattern, Problem, Step};

/// The problems for one field, as short lines.
fn field_problems(problems: &[Problem], step: Option<usize>, field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.step == step && p.field == field)
        .map(|p| p.message.clone())
        .collect()
}

fn show_problems(ui: &mut egui::Ui, messages: &[String], palette: &Palette) {
    for message in messages {
        ui.label(RichText::new(message).size(15.0).color(palette.warning));
    }
}

/// A phase length: a slider with its exact number; `optional` phases may be 0 (none).
fn seconds_field(ui: &mut egui::Ui, label: &str, value: &mut f64, optional: bool) {
    let low = if optional { 0.0 } else { 0.5 };
    ui.add(
        Slider::new(value, low..=20.0)
            .step_by(0.1)
            // Kept to a tenth of a second, so shown to one.
            .fixed_decimals(1)
            .clamping(egui::SliderClamping::Never)
            .suffix(" s")
            .text(label),
    );
}

fn pattern_fields(
    ui: &mut egui::Ui,
    pattern: &mut Pattern,
    step: usize,
    prefix: &str,
    problems: &[Problem],
    palette: &Palette,
) {
    let fields: [(&str, &str, bool); 5] = [
        ("inhale", "Breathe in", false),
        ("top_up", "Top-up inhale", true),
        ("hold_after_inhale", "Hold after breathing in", true),
        ("exhale", "Breathe out", false),
        ("hold_after_exhale", "Hold after breathing out", true),
    ];
    for (field, label, optional) in fields {
        let value = match field {
            "inhale" => &mut pattern.inhale,
            "top_up" => &mut pattern.top_up,
            "hold_after_inhale" => &mut pattern.hold_after_inhale,
            "exhale" => &mut pattern.exhale,
            _ => &mut pattern.hold_after_exhale,
        };
        let name = if prefix == "ramp_to" {
            format!("{label} (at the end)")
        } else {
            label.to_owned()
        };
        seconds_field(ui, &name, value, optional);
        show_problems(
            ui,
            &field_problems(problems, Some(step), &format!("{prefix}.{field}")),
            palette,
        );
    }
    show_problems(ui, &field_problems(problems, Some(step), prefix), palette);
}

pub fn show(
    ui: &mut egui::Ui,
    editor: &mut Editor,
    now: Micros,
    reduced_motion: bool,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading(if editor.path.is_some() {
            "Edit practice"
        } else {
            "New practice"
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Back").clicked() {
                commands.push(Command::LeaveEditor);
            }
            let save = ui.add_enabled(editor.can_save(), egui::Button::new("Save"));
            if save.clicked() {
                commands.push(Command::SavePreset);
            }
        });
    });
    if editor.confirming_leave {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("You have unsaved changes.").color(palette.warning));
            if ui.button("Discard changes").clicked() {
                commands.push(Command::DiscardEdits);
            }
            if ui.button("Keep editing").clicked() {
                commands.push(Command::KeepEditing);
            }
        });
    }
    ui.horizontal(|ui| {
        if let Some((level, phase)) = editor.preview_at(now.saturating_sub(editor.preview_since)) {
            breath_orb(
                ui,
                110.0,
                &OrbLook {
                    level: level as f32,
                    paused: false,
                    reduced_motion,
                    hold_progress: None,
                    description: format!("Preview: {phase}"),
                },
                palette,
            );
        }
        // In a column of its own, so the summary wraps beside the orb.
        ui.vertical(|ui| {
            ui.label(
                RichText::new(editor.summary())
                    .size(17.0)
                    .color(palette.quiet_text),
            );
        });
    });
    // The fields edit the draft in place, as a form does; the problems shown are those found
    // when it last changed.
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let (draft, problems) = editor.form();
            let name = ui.label("Name");
            ui.add(egui::TextEdit::singleline(&mut draft.name).desired_width(400.0))
                .labelled_by(name.id);
            show_problems(ui, &field_problems(problems, None, "name"), palette);
            let description = ui.label("Description");
            ui.add(egui::TextEdit::multiline(&mut draft.description).desired_rows(2))
                .labelled_by(description.id);
            show_problems(ui, &field_problems(problems, None, "description"), palette);
            show_problems(ui, &field_problems(problems, None, "steps"), palette);
            let count = draft.steps.len();
            for (index, step) in draft.steps.iter_mut().enumerate() {
                ui.add_space(8.0);
                ui.group(|ui| {
                    ui.horizontal(|ui| {
                        let kind = match step {
                            Step::Breathe(_) => "breathing",
                            Step::Prompt(_) => "prompt",
                        };
                        ui.label(
                            RichText::new(format!("Step {}: {kind}", index + 1))
                                .color(palette.breath),
                        );
                        if index > 0 && ui.button(format!("Move step {} up", index + 1)).clicked() {
                            commands.push(Command::EditSteps(StepEdit::MoveUp(index)));
                        }
                        if count > 1 && ui.button(format!("Remove step {}", index + 1)).clicked() {
                            commands.push(Command::EditSteps(StepEdit::Remove(index)));
                        }
                    });
                    match step {
                        Step::Breathe(block) => {
                            breathing_fields(ui, block, index, problems, palette);
                        }
                        Step::Prompt(prompt) => {
                            let label = ui.label(format!("Step {} instruction", index + 1));
                            ui.add(
                                egui::TextEdit::multiline(&mut prompt.text)
                                    .desired_rows(2)
                                    .hint_text("What to do, in a few words"),
                            )
                            .labelled_by(label.id);
                            show_problems(
                                ui,
                                &field_problems(problems, Some(index), "text"),
                                palette,
                            );
                            ui.add(
                                Slider::new(&mut prompt.seconds, 1.0..=600.0)
                                    .step_by(1.0)
                                    .fixed_decimals(0)
                                    .clamping(egui::SliderClamping::Never)
                                    .suffix(" s")
                                    .text("Prompt length"),
                            );
                            show_problems(
                                ui,
                                &field_problems(problems, Some(index), "seconds"),
                                palette,
                            );
                        }
                    }
                });
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Add breathing").clicked() {
                    commands.push(Command::EditSteps(StepEdit::AddBreathing));
                }
                if ui.button("Add prompt").clicked() {
                    commands.push(Command::EditSteps(StepEdit::AddPrompt));
                }
            });
        });
    if editor.is_unchecked() {
        commands.push(Command::DraftEdited);
    }
}

fn breathing_fields(
    ui: &mut egui::Ui,
    block: &mut BreatheBlock,
    index: usize,
    problems: &[Problem],
    palette: &Palette,
) {
    pattern_fields(ui, &mut block.pattern, index, "pattern", problems, palette);
    let mut by_breaths = block.breaths.is_some();
    ui.horizontal(|ui| {
        ui.radio_value(&mut by_breaths, false, "For minutes");
        ui.radio_value(&mut by_breaths, true, "For breaths");
    });
    if by_breaths {
        let mut breaths = block.breaths.unwrap_or(10);
        ui.add(Slider::new(&mut breaths, 1..=200).text("Breaths"));
        block.breaths = Some(breaths);
        block.minutes = None;
    } else {
        let mut minutes = block.minutes.unwrap_or(5.0);
        ui.add(
            Slider::new(&mut minutes, 0.5..=60.0)
                .step_by(0.5)
                .fixed_decimals(1)
                .clamping(egui::SliderClamping::Never)
                .text("Minutes"),
        );
        block.minutes = Some(minutes);
        block.breaths = None;
    }
    show_problems(
        ui,
        &field_problems(problems, Some(index), "minutes"),
        palette,
    );
    show_problems(
        ui,
        &field_problems(problems, Some(index), "breaths"),
        palette,
    );
    let mut ramps = block.ramp_to.is_some();
    ui.checkbox(&mut ramps, "Ease gradually toward another pattern");
    match (ramps, block.ramp_to.as_mut()) {
        (true, Some(target)) => {
            pattern_fields(ui, target, index, "ramp_to", problems, palette);
        }
        (true, None) => block.ramp_to = Some(block.pattern),
        (false, _) => block.ramp_to = None,
    }
}
