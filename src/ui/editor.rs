//! The preset editor: name and description, steps to add, remove and reorder, each field a
//! slider with its exact number, problems shown beside the field as you type, a live preview of
//! the breath, and Save only when everything is sound.

use std::path::PathBuf;

use egui::{RichText, Slider};

use super::Action;
use super::theme::Palette;
use super::widgets::{OrbLook, breath_orb};
use crate::practice::{
    BreatheBlock, MICROS_PER_SECOND, Micros, Pattern, Practice, Problem, Profile, PromptStep, Step,
    Timeline, validate,
};

/// A change to the steps, asked for by a button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepEdit {
    AddBreathing,
    AddPrompt,
    Remove(usize),
    MoveUp(usize),
}

pub struct Editor {
    pub draft: Practice,
    /// The file this practice is saved in; `None` until it is first saved.
    pub path: Option<PathBuf>,
    /// The name the practice had when the editor opened (a built-in keeps its name when
    /// customised).
    pub original_name: Option<String>,
    /// Names already taken by other practices (lower case).
    pub taken_names: Vec<String>,
    saved: Practice,
    pub confirming_leave: bool,
    /// When the preview's breath began, on the app's clock.
    pub preview_since: Micros,
}

impl Editor {
    pub fn new(
        practice: Practice,
        path: Option<PathBuf>,
        original_name: Option<String>,
        taken_names: Vec<String>,
        now: Micros,
    ) -> Self {
        Editor {
            saved: if path.is_some() || original_name.is_some() {
                practice.clone()
            } else {
                Practice::new("", Vec::new())
            },
            draft: practice,
            path,
            original_name,
            taken_names,
            confirming_leave: false,
            preview_since: now,
        }
    }

    /// A fresh practice: one block of 4-6 breathing for 5 minutes.
    pub fn blank_practice() -> Practice {
        Practice::new(
            "My practice",
            vec![Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(4.0, 6.0),
                5.0,
            ))],
        )
        .with_description("My own breathing.")
    }

    pub fn has_changes(&self) -> bool {
        self.draft != self.saved
    }

    /// Every problem with the draft, the name's uniqueness included.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = validate(&self.draft, Profile::Standard);
        let name = self.draft.name.trim().to_lowercase();
        let keeps_own_name = self
            .original_name
            .as_ref()
            .is_some_and(|n| n.trim().to_lowercase() == name);
        if !keeps_own_name && self.taken_names.contains(&name) {
            problems.push(Problem {
                step: None,
                field: "name".to_owned(),
                message: "another practice already has this name".to_owned(),
            });
        }
        problems
    }

    pub fn can_save(&self) -> bool {
        self.can_save_with(&self.problems())
    }

    /// `can_save` for problems already worked out this frame.
    fn can_save_with(&self, problems: &[Problem]) -> bool {
        self.has_changes() && problems.is_empty()
    }

    /// The draft has been written to `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.draft.clone();
        self.original_name = Some(self.draft.name.clone());
        self.path = Some(path);
    }

    pub fn edit_steps(&mut self, edit: StepEdit) {
        let steps = &mut self.draft.steps;
        match edit {
            StepEdit::AddBreathing => steps.push(Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(4.0, 6.0),
                3.0,
            ))),
            StepEdit::AddPrompt => steps.push(Step::Prompt(PromptStep {
                text: "Let your shoulders drop.".to_owned(),
                seconds: 30.0,
            })),
            StepEdit::Remove(i) if i < steps.len() => {
                steps.remove(i);
            }
            StepEdit::MoveUp(i) if i > 0 && i < steps.len() => steps.swap(i - 1, i),
            _ => {}
        }
    }
}

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

/// "6.0 breaths a minute · in:out 1:1.5 · 5:00 · no holds"
pub fn summary_line(practice: &Practice) -> String {
    let mut parts = Vec::new();
    if let Some(block) = practice.breathe_blocks().next() {
        let p = block.pattern;
        parts.push(format!("{:.1} breaths a minute", p.breaths_per_minute()));
        parts.push(format!("in:out 1:{:.1}", p.exhale / p.inhale.max(0.1)));
    }
    if let Ok(timeline) = Timeline::new(practice) {
        let seconds = timeline.total() / MICROS_PER_SECOND;
        parts.push(format!("{}:{:02} in all", seconds / 60, seconds % 60));
    }
    parts.push(if practice.has_holds() {
        "contains breath holds".to_owned()
    } else {
        "no holds: fine for gentle mode".to_owned()
    });
    parts.join("  ·  ")
}

/// The breath the preview shows: the first breathing block's pattern, over and over.
fn preview_level(practice: &Practice, since: Micros) -> Option<(f64, &'static str)> {
    let pattern = practice.breathe_blocks().next()?.pattern;
    let one = Practice::new(
        "preview",
        vec![Step::Breathe(BreatheBlock::breaths(pattern, 1))],
    );
    let timeline = Timeline::new(&one).ok()?;
    let moment = timeline.moment_at(since % timeline.total().max(1));
    Some((moment.level, moment.phase.label()))
}

pub fn show(
    ui: &mut egui::Ui,
    editor: &mut Editor,
    now: Micros,
    reduced_motion: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let problems = editor.problems();
    ui.horizontal(|ui| {
        ui.heading(if editor.path.is_some() {
            "Edit practice"
        } else {
            "New practice"
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Back").clicked() {
                actions.push(Action::LeaveEditor);
            }
            let save = ui.add_enabled(editor.can_save_with(&problems), egui::Button::new("Save"));
            if save.clicked() {
                actions.push(Action::SavePreset);
            }
        });
    });
    if editor.confirming_leave {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("You have unsaved changes.").color(palette.warning));
            if ui.button("Discard changes").clicked() {
                actions.push(Action::DiscardEdits);
            }
            if ui.button("Keep editing").clicked() {
                actions.push(Action::KeepEditing);
            }
        });
    }
    ui.horizontal(|ui| {
        if let Some((level, phase)) =
            preview_level(&editor.draft, now.saturating_sub(editor.preview_since))
        {
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
                RichText::new(summary_line(&editor.draft))
                    .size(17.0)
                    .color(palette.quiet_text),
            );
        });
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let draft = &mut editor.draft;
            let name = ui.label("Name");
            ui.add(egui::TextEdit::singleline(&mut draft.name).desired_width(400.0))
                .labelled_by(name.id);
            show_problems(ui, &field_problems(&problems, None, "name"), palette);
            let description = ui.label("Description");
            ui.add(egui::TextEdit::multiline(&mut draft.description).desired_rows(2))
                .labelled_by(description.id);
            show_problems(ui, &field_problems(&problems, None, "description"), palette);
            show_problems(ui, &field_problems(&problems, None, "steps"), palette);
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
                            actions.push(Action::EditSteps(StepEdit::MoveUp(index)));
                        }
                        if count > 1 && ui.button(format!("Remove step {}", index + 1)).clicked() {
                            actions.push(Action::EditSteps(StepEdit::Remove(index)));
                        }
                    });
                    match step {
                        Step::Breathe(block) => {
                            breathing_fields(ui, block, index, &problems, palette);
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
                                &field_problems(&problems, Some(index), "text"),
                                palette,
                            );
                            ui.add(
                                Slider::new(&mut prompt.seconds, 1.0..=600.0)
                                    .step_by(1.0)
                                    .clamping(egui::SliderClamping::Never)
                                    .suffix(" s")
                                    .text("Prompt length"),
                            );
                            show_problems(
                                ui,
                                &field_problems(&problems, Some(index), "seconds"),
                                palette,
                            );
                        }
                    }
                });
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Add breathing").clicked() {
                    actions.push(Action::EditSteps(StepEdit::AddBreathing));
                }
                if ui.button("Add prompt").clicked() {
                    actions.push(Action::EditSteps(StepEdit::AddPrompt));
                }
            });
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_include_a_taken_name_but_not_ones_own() {
        let mut editor = Editor::new(
            Editor::blank_practice(),
            None,
            None,
            vec!["box 4-4-4-4".into()],
            0,
        );
        assert!(editor.problems().is_empty());
        editor.draft.name = "Box 4-4-4-4".into();
        assert_eq!(editor.problems()[0].field, "name");
        editor.original_name = Some("box 4-4-4-4".into());
        assert!(editor.problems().is_empty(), "customising keeps the name");
    }

    #[test]
    fn steps_are_added_removed_and_reordered() {
        let mut editor = Editor::new(Editor::blank_practice(), None, None, vec![], 0);
        editor.edit_steps(StepEdit::AddPrompt);
        editor.edit_steps(StepEdit::MoveUp(1));
        assert!(matches!(editor.draft.steps[0], Step::Prompt(_)));
        editor.edit_steps(StepEdit::Remove(0));
        assert_eq!(editor.draft.steps.len(), 1);
        assert!(editor.has_changes());
    }

    #[test]
    fn the_summary_says_pace_ratio_length_and_holds() {
        let practice = Editor::blank_practice();
        assert_eq!(
            summary_line(&practice),
            "6.0 breaths a minute  ·  in:out 1:1.5  ·  5:00 in all  ·  no holds: fine for gentle mode"
        );
    }
}
