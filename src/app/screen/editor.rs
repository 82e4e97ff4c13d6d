//! The preset editor's state: the draft, what it was when last saved, and what the draft's
//! problems, summary and preview are. Those three are worked out when the draft changes, never
//! per frame.

use std::path::PathBuf;

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
    /// Never saved: Save is offered even before anything is changed.
    new: bool,
    pub confirming_leave: bool,
    /// When the preview's breath began, on the app's clock.
    pub preview_since: Micros,
    /// The draft these were worked out for.
    checked: Practice,
    problems: Vec<Problem>,
    summary: String,
    /// One breath of the first breathing block, for the preview.
    preview: Option<Timeline>,
    /// Gentle mode is on: its rules are problems too.
    gentle_mode: bool,
}

impl Editor {
    pub fn new(
        practice: Practice,
        path: Option<PathBuf>,
        original_name: Option<String>,
        taken_names: Vec<String>,
        now: Micros,
    ) -> Self {
        let mut editor = Editor {
            // What it opened with: leaving untouched loses nothing, so nothing is asked.
            saved: practice.clone(),
            new: path.is_none() && original_name.is_none(),
            checked: practice.clone(),
            draft: practice,
            path,
            original_name,
            taken_names,
            confirming_leave: false,
            preview_since: now,
            problems: Vec::new(),
            summary: String::new(),
            preview: None,
            gentle_mode: false,
        };
        editor.check();
        editor
    }

    /// With gentle mode on, its rules (no holds, breaths of at least 8 s) are named as problems.
    pub fn in_gentle_mode(mut self, on: bool) -> Self {
        self.gentle_mode = on;
        self.check();
        self
    }

    /// The draft changed since it was last checked (the form edits it in place).
    pub fn is_unchecked(&self) -> bool {
        self.draft != self.checked
    }

    /// Works out the draft's problems, summary and preview again.
    pub fn check(&mut self) {
        self.problems = self.find_problems();
        self.summary = summary_line(&self.draft);
        self.preview = preview_timeline(&self.draft);
        self.checked.clone_from(&self.draft);
    }

    /// Every problem with the draft as last checked.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The draft to edit in place, and the problems found when it was last checked.
    pub fn form(&mut self) -> (&mut Practice, &[Problem]) {
        (&mut self.draft, &self.problems)
    }

    /// "6.0 breaths a minute · in:out 1:1.5 · 5:00 in all · no holds" for the draft.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The preview's breath level (0..1) and phase `since` it began.
    pub fn preview_at(&self, since: Micros) -> Option<(f64, &'static str)> {
        let timeline = self.preview.as_ref()?;
        let moment = timeline.moment_at(since % timeline.total().max(1));
        Some((moment.level, moment.phase.label()))
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

    /// The draft differs from what it opened with or was last saved as: leaving asks first.
    pub fn has_changes(&self) -> bool {
        self.draft != self.saved
    }

    /// Every problem with the draft, the name's uniqueness included.
    fn find_problems(&self) -> Vec<Problem> {
        let profile = if self.gentle_mode {
            Profile::Gentle
        } else {
            Profile::Standard
        };
        let mut problems = validate(&self.draft, profile);
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
        (self.new || self.has_changes()) && !self.is_unchecked() && self.problems.is_empty()
    }

    /// The draft has been written to `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.draft.clone();
        self.new = false;
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
        self.check();
    }
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
    parts.push(if crate::practice::fits_gentle_mode(practice) {
        "no holds: fine for gentle mode".to_owned()
    } else if practice.has_holds() {
        "contains breath holds".to_owned()
    } else {
        "breaths under 8 s: not for gentle mode".to_owned()
    });
    parts.join("  ·  ")
}

/// The breath the preview shows: the first breathing block's pattern, over and over.
fn preview_timeline(practice: &Practice) -> Option<Timeline> {
    let pattern = practice.breathe_blocks().next()?.pattern;
    let one = Practice::new(
        "preview",
        vec![Step::Breathe(BreatheBlock::breaths(pattern, 1))],
    );
    Timeline::new(&one).ok()
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
        assert!(editor.is_unchecked() && !editor.can_save());
        editor.check();
        assert_eq!(editor.problems()[0].field, "name");
        editor.original_name = Some("box 4-4-4-4".into());
        editor.check();
        assert!(editor.problems().is_empty(), "customising keeps the name");
    }

    #[test]
    fn steps_are_added_removed_and_reordered() {
        let mut editor = Editor::new(Editor::blank_practice(), None, None, vec![], 0);
        editor.edit_steps(StepEdit::AddPrompt);
        editor.edit_steps(StepEdit::MoveUp(1));
        assert!(matches!(editor.draft.steps[0], Step::Prompt(_)));
        assert!(editor.has_changes());
        editor.edit_steps(StepEdit::Remove(0));
        assert_eq!(editor.draft.steps.len(), 1);
        assert!(!editor.has_changes(), "back to what it opened with");
        assert!(editor.can_save(), "a new practice can be saved untouched");
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
