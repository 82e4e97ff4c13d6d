//! The safety note (before the first session, and whenever asked) and a practice's "About" page
//! (its notes, its sources, and whether it is fine in gentle mode).

use super::SessionSummary;
use crate::practice::{Practice, fits_gentle_mode, gentle_problems};

/// The safety note's title and paragraphs: the window shows them, the terminal prints them.
pub const SAFETY_TITLE: &str = "Before you breathe with downshift";
pub const SAFETY_NOTE: [&str; 3] = [
    "Breathe softly, never forcing. If you feel light-headed, dizzy, tingling in your hands or \
     face, or your heart races, stop and breathe normally: the feeling passes.",
    "Holds are optional: leave out any hold that feels uncomfortable. If you have a heart \
     condition, or were told by a clinician to avoid breath holds, turn on gentle mode in \
     Settings: no holds, and every breath at least 8 seconds long.",
    "downshift is not medical advice. See a doctor or physiotherapist if your symptoms get worse \
     despite changes, do not improve within two to four weeks, if pain keeps on at night, or if \
     you notice numbness, weakness, or changes in bowel or bladder control.",
];

/// The safety note on screen.
pub struct SafetyScreen {
    /// The practice to begin once the person has read it (before their first session).
    pub then: Option<Practice>,
    /// The summary it was opened from, to go back to.
    pub back_to: Option<Box<SessionSummary>>,
    /// What the check-ins say, when pain has not eased over three weeks of them.
    pub red_flag: Option<String>,
    /// `then` is the resonance test: its words come with the note's, and it begins as the test.
    pub resonance_test: bool,
}

/// What the resonance test asks, shown with the safety note before it begins.
pub const RESONANCE_TEST_NOTE: &str = "The resonance test paces five rates, two minutes each,      from 6.5 down to 4.5 breaths a minute, while the strap measures how far your heart swings      with each breath. Breathe softly with the orb, sitting still. Slow breathing can make you      light-headed: stop whenever you want (Esc); the rates breathed whole are still shown.";

/// What home shows about one practice, on request.
#[derive(Clone, Debug)]
pub struct AboutPractice {
    pub practice: Practice,
    /// The practice as it breathes, in words ("4-6, 5 min").
    pub summary: String,
    pub fine_in_gentle_mode: bool,
    /// Why it is not, in words ("breath holds", "breaths under 8 s").
    pub gentle_reasons: Vec<String>,
}

impl AboutPractice {
    pub fn of(practice: &Practice) -> Self {
        AboutPractice {
            summary: practice.summary(),
            fine_in_gentle_mode: fits_gentle_mode(practice),
            gentle_reasons: gentle_reasons(practice),
            practice: practice.clone(),
        }
    }

    /// The gentle-mode line, as the window and `presets show` say it.
    pub fn gentle_line(&self) -> String {
        if self.fine_in_gentle_mode {
            "Fine in gentle mode: no holds, and every breath at least 8 s.".to_owned()
        } else {
            format!(
                "Not for gentle mode: it has {}.",
                self.gentle_reasons.join(" and ")
            )
        }
    }
}

/// What keeps a practice out of gentle mode, in plain words, each said once.
fn gentle_reasons(practice: &Practice) -> Vec<String> {
    let mut reasons = Vec::new();
    for problem in gentle_problems(practice) {
        let reason = if problem.field.contains("hold") {
            "breath holds"
        } else {
            "breaths under 8 s"
        };
        if !reasons.iter().any(|r| r == reason) {
            reasons.push(reason.to_owned());
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::{BreatheBlock, Pattern, Step};

    fn breathing(pattern: Pattern) -> Practice {
        Practice::new(
            "p",
            vec![Step::Breathe(BreatheBlock::minutes(pattern, 2.0))],
        )
    }

    #[test]
    fn about_says_in_plain_words_why_a_practice_is_outside_gentle_mode() {
        let fine = AboutPractice::of(&breathing(Pattern::in_out(4.0, 6.0)));
        assert_eq!(
            fine.gentle_line(),
            "Fine in gentle mode: no holds, and every breath at least 8 s."
        );
        let quick_box = Pattern {
            hold_after_inhale: 1.0,
            hold_after_exhale: 1.0,
            ..Pattern::in_out(2.0, 2.0)
        };
        let about = AboutPractice::of(&breathing(quick_box));
        assert!(!about.fine_in_gentle_mode);
        assert_eq!(
            about.gentle_line(),
            "Not for gentle mode: it has breath holds and breaths under 8 s."
        );
    }
}
