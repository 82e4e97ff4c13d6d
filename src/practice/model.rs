//! What a practice is: breath patterns, steps and practices, exactly as the preset files say.

use serde::{Deserialize, Serialize};

/// The file format version this build writes and understands.
pub const FORMAT_VERSION: u32 = 1;

/// One breath: the four phases plus an optional short top-up inhale after the first inhale
/// (cyclic sighing). Durations are seconds; a hold or top-up of 0 means "none".
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub inhale: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub top_up: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hold_after_inhale: f64,
    pub exhale: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hold_after_exhale: f64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

impl Pattern {
    /// A hold-free pattern: in, out.
    pub const fn in_out(inhale: f64, exhale: f64) -> Self {
        Pattern {
            inhale,
            top_up: 0.0,
            hold_after_inhale: 0.0,
            exhale,
            hold_after_exhale: 0.0,
        }
    }

    /// Seconds for one whole breath.
    pub fn cycle_seconds(&self) -> f64 {
        self.inhale + self.top_up + self.hold_after_inhale + self.exhale + self.hold_after_exhale
    }

    pub fn breaths_per_minute(&self) -> f64 {
        60.0 / self.cycle_seconds()
    }

    pub fn has_holds(&self) -> bool {
        self.hold_after_inhale > 0.0 || self.hold_after_exhale > 0.0
    }

    /// The pattern `fraction` of the way from `self` to `target` (0 = self, 1 = target).
    pub fn lerp(&self, target: &Pattern, fraction: f64) -> Pattern {
        let f = fraction.clamp(0.0, 1.0);
        let mix = |a: f64, b: f64| a + (b - a) * f;
        Pattern {
            inhale: mix(self.inhale, target.inhale),
            top_up: mix(self.top_up, target.top_up),
            hold_after_inhale: mix(self.hold_after_inhale, target.hold_after_inhale),
            exhale: mix(self.exhale, target.exhale),
            hold_after_exhale: mix(self.hold_after_exhale, target.hold_after_exhale),
        }
    }

    /// "4-6", "4-7-8", "4-4-4-4", "4+1-8": how people name patterns.
    pub fn short_name(&self) -> String {
        let n = |s: f64| {
            if (s - s.round()).abs() < 1e-9 {
                format!("{}", s.round() as i64)
            } else {
                format!("{s:.1}")
            }
        };
        let mut text = n(self.inhale);
        if self.top_up > 0.0 {
            text.push('+');
            text.push_str(&n(self.top_up));
        }
        if self.hold_after_inhale > 0.0 || self.hold_after_exhale > 0.0 {
            text.push('-');
            text.push_str(&n(self.hold_after_inhale));
        }
        text.push('-');
        text.push_str(&n(self.exhale));
        if self.hold_after_exhale > 0.0 {
            text.push('-');
            text.push_str(&n(self.hold_after_exhale));
        }
        text
    }
}

/// A step of a practice: a block of paced breathing, or a short instruction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    Breathe(BreatheBlock),
    Prompt(PromptStep),
}

/// Paced breathing for N minutes or N breaths, optionally easing from `pattern` to `ramp_to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreatheBlock {
    pub pattern: Pattern,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp_to: Option<Pattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaths: Option<u32>,
}

/// A short instruction shown (and optionally spoken) for a number of seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptStep {
    pub text: String,
    pub seconds: f64,
}

/// A progressive practice: the exhale starts where the preset says and lengthens, in small steps
/// the person accepts, toward `target_exhale`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progression {
    pub target_exhale: f64,
}

/// Which sounds mark the breath.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CueSet {
    /// Gentle tones: rising for in, falling for out, muted for holds; a chime between steps.
    #[default]
    Tones,
    /// A calm voice: "breathe in", "hold", "breathe out".
    Voice,
}

/// A named sequence of steps. One breathing block is a plain preset; more steps make a ritual.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The cues this practice sounds best with; the person's setting otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cues: Option<CueSet>,
    /// Build the exhale up gradually toward a target, at the person's pace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progression: Option<Progression>,
    pub steps: Vec<Step>,
}

impl BreatheBlock {
    pub fn minutes(pattern: Pattern, minutes: f64) -> Self {
        BreatheBlock {
            pattern,
            ramp_to: None,
            minutes: Some(minutes),
            breaths: None,
        }
    }

    pub fn breaths(pattern: Pattern, breaths: u32) -> Self {
        BreatheBlock {
            pattern,
            ramp_to: None,
            minutes: None,
            breaths: Some(breaths),
        }
    }

    pub fn ramping_to(mut self, target: Pattern) -> Self {
        self.ramp_to = Some(target);
        self
    }

    /// The pattern at the end of the block (the ramp target, or the pattern itself).
    pub fn final_pattern(&self) -> Pattern {
        self.ramp_to.unwrap_or(self.pattern)
    }
}

/// Whether two practice names are the same name: spaces around them and case do not count.
pub fn same_name(a: &str, b: &str) -> bool {
    fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
        s.trim().chars().flat_map(char::to_lowercase)
    }
    folded(a).eq(folded(b))
}

impl Practice {
    pub fn new(name: impl Into<String>, steps: Vec<Step>) -> Self {
        Practice {
            version: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            notes: String::new(),
            sources: Vec::new(),
            cues: None,
            progression: None,
            steps,
        }
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// More than one step: shown as a ritual.
    pub fn is_ritual(&self) -> bool {
        self.steps.len() > 1
    }

    pub fn has_holds(&self) -> bool {
        self.breathe_blocks()
            .any(|b| b.pattern.has_holds() || b.ramp_to.is_some_and(|p| p.has_holds()))
    }

    pub fn breathe_blocks(&self) -> impl Iterator<Item = &BreatheBlock> {
        self.steps.iter().filter_map(|step| match step {
            Step::Breathe(block) => Some(block),
            Step::Prompt(_) => None,
        })
    }

    /// What the practice does, in a line: "Prompt 30 s; 4-6 easing to 4-8, 9 min; Prompt 30 s".
    pub fn summary(&self) -> String {
        let number = |n: f64| {
            if (n - n.round()).abs() < 1e-9 {
                format!("{}", n.round() as i64)
            } else {
                format!("{n:.1}")
            }
        };
        self.steps
            .iter()
            .map(|step| match step {
                Step::Prompt(prompt) => format!("Prompt {} s", number(prompt.seconds)),
                Step::Breathe(block) => {
                    let mut text = block.pattern.short_name();
                    if let Some(target) = &block.ramp_to {
                        text.push_str(" easing to ");
                        text.push_str(&target.short_name());
                    }
                    match (block.minutes, block.breaths) {
                        (Some(minutes), _) => text.push_str(&format!(", {} min", number(minutes))),
                        (None, Some(breaths)) => text.push_str(&format!(", {breaths} breaths")),
                        (None, None) => {}
                    }
                    text
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The exhale the practice starts from (its first breathing block's).
    pub fn base_exhale(&self) -> Option<f64> {
        self.breathe_blocks().next().map(|b| b.pattern.exhale)
    }

    /// The same practice breathed with `exhale` seconds out in every block that does not ramp.
    pub fn with_exhale(&self, exhale: f64) -> Practice {
        let mut changed = self.clone();
        for step in &mut changed.steps {
            if let Step::Breathe(block) = step
                && block.ramp_to.is_none()
            {
                block.pattern.exhale = exhale;
            }
        }
        changed
    }

    /// The same practice with its breathing stretched or shrunk to `minutes` in all; prompts keep
    /// their length, and every breathing block keeps its share of the breathing time.
    pub fn with_breathing_minutes(&self, minutes: f64, planned_breathing_seconds: f64) -> Practice {
        let mut scaled = self.clone();
        if planned_breathing_seconds <= 0.0 || !minutes.is_finite() || minutes <= 0.0 {
            return scaled;
        }
        let factor = minutes * 60.0 / planned_breathing_seconds;
        for step in &mut scaled.steps {
            if let Step::Breathe(block) = step {
                if let Some(m) = block.minutes.as_mut() {
                    *m *= factor;
                } else if let Some(n) = block.breaths.as_mut() {
                    *n = ((*n as f64) * factor).round().max(1.0) as u32;
                }
            }
        }
        scaled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_read_like_people_say_them() {
        assert_eq!(Pattern::in_out(4.0, 6.0).short_name(), "4-6");
        let four_seven_eight = Pattern {
            hold_after_inhale: 7.0,
            ..Pattern::in_out(4.0, 8.0)
        };
        assert_eq!(four_seven_eight.short_name(), "4-7-8");
        let boxed = Pattern {
            hold_after_inhale: 4.0,
            hold_after_exhale: 4.0,
            ..Pattern::in_out(4.0, 4.0)
        };
        assert_eq!(boxed.short_name(), "4-4-4-4");
        let sigh = Pattern {
            top_up: 1.5,
            ..Pattern::in_out(3.0, 7.0)
        };
        assert_eq!(sigh.short_name(), "3+1.5-7");
    }

    #[test]
    fn a_summary_says_what_was_practised() {
        let practice = Practice::new(
            "r",
            vec![
                Step::Prompt(PromptStep {
                    text: "settle".into(),
                    seconds: 30.0,
                }),
                Step::Breathe(
                    BreatheBlock::minutes(Pattern::in_out(4.0, 6.0), 9.0)
                        .ramping_to(Pattern::in_out(4.0, 8.0)),
                ),
                Step::Breathe(BreatheBlock::breaths(Pattern::in_out(4.0, 7.5), 4)),
            ],
        );
        assert_eq!(
            practice.summary(),
            "Prompt 30 s; 4-6 easing to 4-8, 9 min; 4-7.5, 4 breaths"
        );
    }

    #[test]
    fn scaling_keeps_each_block_share_and_leaves_prompts_alone() {
        let practice = Practice::new(
            "r",
            vec![
                Step::Prompt(PromptStep {
                    text: "settle".into(),
                    seconds: 30.0,
                }),
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(4.0, 6.0), 3.0)),
                Step::Breathe(BreatheBlock::minutes(Pattern::in_out(4.0, 8.0), 1.0)),
            ],
        );
        let scaled = practice.with_breathing_minutes(2.0, 240.0);
        let minutes: Vec<f64> = scaled.breathe_blocks().filter_map(|b| b.minutes).collect();
        assert_eq!(minutes, vec![1.5, 0.5]);
        assert_eq!(scaled.steps[0], practice.steps[0]);
    }
}
