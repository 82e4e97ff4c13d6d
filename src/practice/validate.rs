//! Validation: every problem in a practice, each naming its step and field in plain words.

use std::collections::HashMap;
use std::fmt;

use super::model::{BreatheBlock, FORMAT_VERSION, Pattern, Practice, PromptStep, Step};

pub const MIN_PHASE_SECONDS: f64 = 0.5;
pub const MAX_PHASE_SECONDS: f64 = 60.0;
pub const MAX_PRACTICE_SECONDS: f64 = 3.0 * 3600.0;
pub const MIN_PROMPT_SECONDS: f64 = 1.0;
pub const MAX_PROMPT_SECONDS: f64 = 600.0;
pub const MAX_BREATHS: u32 = 2_000;
pub const MAX_STEPS: usize = 200;
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_TEXT_CHARS: usize = 300;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
/// Gentle mode: breaths shorter than this drift toward over-breathing.
pub const GENTLE_MIN_CYCLE_SECONDS: f64 = 8.0;

/// How strict to be. Gentle is the safe profile for people told to avoid breath holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Standard,
    Gentle,
}

/// One thing wrong with a practice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Index of the step (0-based), or `None` for the practice as a whole.
    pub step: Option<usize>,
    /// The field as written in the file, e.g. `pattern.exhale`.
    pub field: String,
    pub message: String,
}

impl Problem {
    fn practice(field: &str, message: impl Into<String>) -> Self {
        Problem {
            step: None,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    fn step(index: usize, field: &str, message: impl Into<String>) -> Self {
        Problem {
            step: Some(index),
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(index) => write!(f, "step {}, {}: {}", index + 1, self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

fn seconds(value: f64) -> String {
    if value.is_finite() {
        format!("{} s", readable(value))
    } else {
        readable(value)
    }
}

/// A number as a person reads it: at most three decimals, and huge or tiny ones in short
/// scientific form ("1e308", not three hundred digits).
fn readable(value: f64) -> String {
    if value.is_nan() {
        return "not a number".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "infinite"
        } else {
            "minus infinity"
        }
        .to_owned();
    }
    let size = value.abs();
    if size >= 1e6 || (size > 0.0 && size < 1e-3) {
        let text = format!("{value:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Every problem with `practice` under `profile`; empty means it can be practised.
/// What keeps a practice out of gentle mode (its holds, breaths shorter than
/// [`GENTLE_MIN_CYCLE_SECONDS`]); empty when it is fine in gentle mode. The one rule the window,
/// the editor, progression and the terminal all use.
pub fn gentle_problems(practice: &Practice) -> Vec<Problem> {
    let standard = validate(practice, Profile::Standard);
    validate(practice, Profile::Gentle)
        .into_iter()
        .filter(|problem| !standard.contains(problem))
        .collect()
}

/// Whether a practice is fine in gentle mode: no holds, every breath at least 8 s.
pub fn fits_gentle_mode(practice: &Practice) -> bool {
    gentle_problems(practice).is_empty()
}

pub fn validate(practice: &Practice, profile: Profile) -> Vec<Problem> {
    let mut problems = Vec::new();
    if practice.version > FORMAT_VERSION {
        problems.push(Problem::practice(
            "version",
            format!(
                "this preset was written by a newer downshift (format {}); this one reads format {}. Update downshift to use it",
                practice.version, FORMAT_VERSION
            ),
        ));
    } else if practice.version == 0 {
        problems.push(Problem::practice(
            "version",
            format!("must be {FORMAT_VERSION}"),
        ));
    }
    let name = practice.name.trim();
    if name.is_empty() {
        problems.push(Problem::practice("name", "needs a name"));
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push(Problem::practice(
            "name",
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if practice.description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(Problem::practice(
            "description",
            format!("is longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    if practice.steps.is_empty() {
        problems.push(Problem::practice(
            "steps",
            "has no steps: add a breathing block or a prompt",
        ));
    } else if practice.steps.len() > MAX_STEPS {
        problems.push(Problem::practice(
            "steps",
            format!(
                "has {} steps; at most {MAX_STEPS} are allowed",
                practice.steps.len()
            ),
        ));
    }
    if let Some(progression) = &practice.progression {
        let target = progression.target_exhale;
        if let Some(message) = phase_problem(target, false) {
            problems.push(Problem::practice("progression.target_exhale", message));
        } else if practice.base_exhale().is_some_and(|base| target < base) {
            problems.push(Problem::practice(
                "progression.target_exhale",
                "is shorter than the exhale it starts from",
            ));
        }
    }
    for (index, step) in practice.steps.iter().enumerate() {
        match step {
            Step::Breathe(block) => check_block(index, block, profile, &mut problems),
            Step::Prompt(prompt) => check_prompt(index, prompt, &mut problems),
        }
    }
    if problems.is_empty() {
        let estimate = estimated_seconds(practice);
        if estimate > MAX_PRACTICE_SECONDS {
            problems.push(Problem::practice(
                "steps",
                format!(
                    "add up to about {:.0} minutes; a practice may last at most {:.0} hours",
                    estimate / 60.0,
                    MAX_PRACTICE_SECONDS / 3600.0
                ),
            ));
        }
    }
    problems
}

/// Length of a practice from its fields alone, without laying it out (within one breath a block).
pub fn estimated_seconds(practice: &Practice) -> f64 {
    practice
        .steps
        .iter()
        .map(|step| match step {
            Step::Prompt(prompt) => prompt.seconds,
            Step::Breathe(block) => match (block.minutes, block.breaths) {
                (Some(minutes), _) => minutes * 60.0,
                (None, Some(breaths)) => {
                    let average = (block.pattern.cycle_seconds()
                        + block.final_pattern().cycle_seconds())
                        / 2.0;
                    breaths as f64 * average
                }
                (None, None) => 0.0,
            },
        })
        .sum()
}

fn check_block(index: usize, block: &BreatheBlock, profile: Profile, problems: &mut Vec<Problem>) {
    check_pattern(index, "pattern", &block.pattern, profile, problems);
    if let Some(target) = &block.ramp_to {
        check_pattern(index, "ramp_to", target, profile, problems);
    }
    match (block.minutes, block.breaths) {
        (Some(_), Some(_)) => problems.push(Problem::step(
            index,
            "minutes",
            "give either minutes or breaths, not both",
        )),
        (None, None) => problems.push(Problem::step(
            index,
            "minutes",
            "say how long: minutes (e.g. minutes: 5.0) or breaths (e.g. breaths: 10)",
        )),
        (Some(minutes), None) => {
            if !minutes.is_finite() || minutes <= 0.0 {
                problems.push(Problem::step(
                    index,
                    "minutes",
                    format!("must be more than 0 (it is {})", readable(minutes)),
                ));
            } else if minutes * 60.0 > MAX_PRACTICE_SECONDS {
                problems.push(Problem::step(
                    index,
                    "minutes",
                    format!(
                        "is {} minutes; a practice may last at most {:.0} minutes",
                        readable(minutes),
                        MAX_PRACTICE_SECONDS / 60.0
                    ),
                ));
            }
        }
        (None, Some(breaths)) => {
            if breaths == 0 {
                problems.push(Problem::step(index, "breaths", "must be at least 1"));
            } else if breaths > MAX_BREATHS {
                problems.push(Problem::step(
                    index,
                    "breaths",
                    format!("is {breaths}; at most {MAX_BREATHS} breaths a block"),
                ));
            }
        }
    }
}

fn check_pattern(
    index: usize,
    prefix: &str,
    pattern: &Pattern,
    profile: Profile,
    problems: &mut Vec<Problem>,
) {
    let required = [("inhale", pattern.inhale), ("exhale", pattern.exhale)];
    let optional = [
        ("top_up", pattern.top_up),
        ("hold_after_inhale", pattern.hold_after_inhale),
        ("hold_after_exhale", pattern.hold_after_exhale),
    ];
    let mut all_sane = true;
    for (field, value) in required {
        if let Some(message) = phase_problem(value, false) {
            problems.push(Problem::step(index, &format!("{prefix}.{field}"), message));
            all_sane = false;
        }
    }
    for (field, value) in optional {
        if let Some(message) = phase_problem(value, true) {
            problems.push(Problem::step(index, &format!("{prefix}.{field}"), message));
            all_sane = false;
        }
    }
    if profile == Profile::Gentle && all_sane {
        for (field, value) in &optional[1..] {
            if *value > 0.0 {
                problems.push(Problem::step(
                    index,
                    &format!("{prefix}.{field}"),
                    "gentle mode avoids breath holds: set this to 0",
                ));
            }
        }
        let cycle = pattern.cycle_seconds();
        if cycle < GENTLE_MIN_CYCLE_SECONDS {
            problems.push(Problem::step(
                index,
                prefix,
                format!(
                    "one breath takes {cycle:.1} s; gentle mode asks for at least {GENTLE_MIN_CYCLE_SECONDS:.0} s so breathing stays slow"
                ),
            ));
        }
    }
}

fn phase_problem(value: f64, may_be_zero: bool) -> Option<String> {
    if !value.is_finite() {
        return Some(format!(
            "must be a number of seconds (it is {})",
            seconds(value)
        ));
    }
    if may_be_zero && value == 0.0 {
        return None;
    }
    if value <= 0.0 {
        return Some(format!(
            "must be more than 0 (it is {}){}",
            seconds(value),
            if may_be_zero { "; use 0 for none" } else { "" }
        ));
    }
    if value < MIN_PHASE_SECONDS {
        return Some(format!(
            "is {}; a phase lasts at least {MIN_PHASE_SECONDS} s",
            seconds(value)
        ));
    }
    if value > MAX_PHASE_SECONDS {
        return Some(format!(
            "is {}; a phase lasts at most {MAX_PHASE_SECONDS} s",
            seconds(value)
        ));
    }
    None
}

fn check_prompt(index: usize, prompt: &PromptStep, problems: &mut Vec<Problem>) {
    let text = prompt.text.trim();
    if text.is_empty() {
        problems.push(Problem::step(index, "text", "a prompt needs some words"));
    } else if text.chars().count() > MAX_TEXT_CHARS {
        problems.push(Problem::step(
            index,
            "text",
            format!("is longer than {MAX_TEXT_CHARS} characters; keep prompts short"),
        ));
    }
    let s = prompt.seconds;
    if !(MIN_PROMPT_SECONDS..=MAX_PROMPT_SECONDS).contains(&s) {
        problems.push(Problem::step(
            index,
            "seconds",
            format!(
                "is {}; a prompt lasts from {MIN_PROMPT_SECONDS} to {MAX_PROMPT_SECONDS} s",
                seconds(s)
            ),
        ));
    }
}

/// Names must be unique, ignoring case (that is how `downshift play NAME` finds them).
/// Returns each name that appears more than once, as first written.
pub fn duplicate_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for name in names {
        seen.entry(name.trim().to_lowercase())
            .or_insert_with(|| (name.to_owned(), 0))
            .1 += 1;
    }
    let mut repeated: Vec<String> = seen
        .into_values()
        .filter(|(_, count)| *count > 1)
        .map(|(name, _)| name)
        .collect();
    repeated.sort();
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_block(pattern: Pattern, minutes: f64) -> Practice {
        Practice::new(
            "p",
            vec![Step::Breathe(BreatheBlock::minutes(pattern, minutes))],
        )
    }

    fn fields(problems: &[Problem]) -> Vec<(Option<usize>, &str)> {
        problems
            .iter()
            .map(|p| (p.step, p.field.as_str()))
            .collect()
    }

    #[test]
    fn a_sound_practice_passes() {
        assert!(validate(&one_block(Pattern::in_out(4.0, 6.0), 5.0), Profile::Gentle).is_empty());
    }

    #[test]
    fn every_problem_is_reported_with_its_step_and_field() {
        let practice = Practice::new(
            "",
            vec![
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(-1.0, f64::NAN), 5.0)),
                Step::Prompt(PromptStep {
                    text: " ".into(),
                    seconds: 36_000.0,
                }),
                Step::Breathe(BreatheBlock {
                    minutes: None,
                    ..BreatheBlock::minutes(
                        Pattern {
                            hold_after_inhale: 600.0,
                            ..Pattern::in_out(4.0, 4.0)
                        },
                        1.0,
                    )
                }),
            ],
        );
        let problems = validate(&practice, Profile::Standard);
        assert_eq!(
            fields(&problems),
            vec![
                (None, "name"),
                (Some(0), "pattern.inhale"),
                (Some(0), "pattern.exhale"),
                (Some(1), "text"),
                (Some(1), "seconds"),
                (Some(2), "pattern.hold_after_inhale"),
                (Some(2), "minutes"),
            ]
        );
        assert_eq!(
            problems[2].to_string(),
            "step 1, pattern.exhale: must be a number of seconds (it is not a number)"
        );
        assert!(problems[5].message.contains("at most 60 s"));
    }

    #[test]
    fn an_empty_practice_is_refused() {
        let problems = validate(&Practice::new("nothing", vec![]), Profile::Standard);
        assert_eq!(fields(&problems), vec![(None, "steps")]);
    }

    #[test]
    fn practices_longer_than_three_hours_are_refused() {
        let practice = Practice::new(
            "marathon",
            vec![
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(4.0, 6.0), 120.0)),
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(4.0, 6.0), 61.0)),
            ],
        );
        let problems = validate(&practice, Profile::Standard);
        assert_eq!(fields(&problems), vec![(None, "steps")]);
        assert!(problems[0].message.contains("at most 3 hours"));
    }

    #[test]
    fn the_gentle_rule_names_only_what_gentle_mode_adds() {
        assert!(fits_gentle_mode(&one_block(Pattern::in_out(4.0, 6.0), 5.0)));
        let four_seven_eight = Pattern {
            hold_after_inhale: 7.0,
            ..Pattern::in_out(4.0, 8.0)
        };
        let problems = gentle_problems(&one_block(four_seven_eight, 2.0));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].field.ends_with("hold_after_inhale"),
            "{problems:?}"
        );
        assert!(!fits_gentle_mode(&one_block(
            Pattern::in_out(3.0, 4.0),
            2.0
        )));
        // A practice wrong in other ways is not held against gentle mode twice.
        let mut nameless = one_block(Pattern::in_out(4.0, 6.0), 5.0);
        nameless.name.clear();
        assert!(gentle_problems(&nameless).is_empty());
    }

    #[test]
    fn gentle_mode_refuses_holds_and_fast_breathing() {
        let four_seven_eight = Pattern {
            hold_after_inhale: 7.0,
            ..Pattern::in_out(4.0, 8.0)
        };
        assert!(validate(&one_block(four_seven_eight, 2.0), Profile::Standard).is_empty());
        let problems = validate(&one_block(four_seven_eight, 2.0), Profile::Gentle);
        assert_eq!(
            fields(&problems),
            vec![(Some(0), "pattern.hold_after_inhale")]
        );

        let quick = Pattern::in_out(3.0, 4.0);
        let problems = validate(&one_block(quick, 2.0), Profile::Gentle);
        assert_eq!(fields(&problems), vec![(Some(0), "pattern")]);
        assert!(problems[0].message.contains("7.0 s"));
    }

    #[test]
    fn a_newer_format_is_named_as_such() {
        let mut practice = one_block(Pattern::in_out(4.0, 6.0), 1.0);
        practice.version = FORMAT_VERSION + 1;
        let problems = validate(&practice, Profile::Standard);
        assert!(problems[0].message.contains("newer downshift"));
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        assert_eq!(
            duplicate_names(["Box", "box ", "4-7-8", "Night"]),
            vec!["Box".to_owned()]
        );
        assert!(duplicate_names(["a", "b"]).is_empty());
    }
}
