//! What each screen shows, as state: no egui, no files. The drawing is in `ui/`.

mod checkin;
mod editor;
mod history;
mod rating;
mod resonance;
mod safety;
mod summary;
mod your_days;

pub use checkin::{CheckInScreen, CheckInStage, MarkChoice, Question};
pub use editor::{Editor, StepEdit, summary_line};
pub use history::{ExportFormat, HistoryScreen};
pub use rating::{RatingKey, RatingScreen, RatingStage};
pub use resonance::{RATES_TO_RANK, RateOffer, RateRow, ResonanceScreen, Standing};
pub use safety::{AboutPractice, RESONANCE_TEST_NOTE, SAFETY_NOTE, SAFETY_TITLE, SafetyScreen};
pub use summary::{SaveStatus, SessionSummary};
pub use your_days::{CHART_SPANS, TestView, YourDaysScreen};

use crate::practice::pacing::TimeSlot;
use crate::session::LiveSession;
use crate::store::Settings;

/// A question the home screen asks before changing files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeQuestion {
    /// Delete the selected preset of one's own.
    Delete,
    /// Remove one's customisation of the selected built-in.
    RestoreOriginal,
    /// Gentle mode is on and the selected practice has holds or quick breaths: start anyway?
    StartAnyway,
}

/// The home screen's own form: the file path typed for importing or exporting, and a question
/// waiting for a yes or a no.
#[derive(Clone, Debug, Default)]
pub struct HomeForm {
    pub file_path: String,
    pub question: Option<HomeQuestion>,
}

/// The settings screen's form: edited in place, applied by `update` when it changes.
#[derive(Clone, Debug)]
pub struct SettingsForm {
    pub draft: Settings,
    /// The practices to choose from, as they were when the screen opened.
    pub practices: Vec<String>,
    /// The suggestions as they were when the screen opened, to see whether they changed.
    pub slots_when_opened: Vec<TimeSlot>,
    /// The sitting baseline as typed (minutes, or nothing).
    pub sit_text: String,
    /// The check-in's marks of one's own as typed, separated by commas.
    pub marks_text: String,
}

pub enum Screen {
    Home,
    Session(Box<LiveSession>),
    Summary(Box<SessionSummary>),
    Settings(Box<SettingsForm>),
    Rating(Box<RatingScreen>),
    History(Box<HistoryScreen>),
    Editor(Box<Editor>),
    Safety(Box<SafetyScreen>),
    About(Box<AboutPractice>),
    CheckIn(Box<CheckInScreen>),
    YourDays(Box<YourDaysScreen>),
    /// The resonance test's result.
    Resonance(Box<ResonanceScreen>),
}

/// Which screen, without what it holds: for the keymap and for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenKind {
    Home,
    Session,
    Summary,
    Settings,
    Rating,
    History,
    Editor,
    Safety,
    About,
    CheckIn,
    YourDays,
    Resonance,
}

impl Screen {
    pub fn kind(&self) -> ScreenKind {
        match self {
            Screen::Home => ScreenKind::Home,
            Screen::Session(_) => ScreenKind::Session,
            Screen::Summary(_) => ScreenKind::Summary,
            Screen::Settings(_) => ScreenKind::Settings,
            Screen::Rating(_) => ScreenKind::Rating,
            Screen::History(_) => ScreenKind::History,
            Screen::Editor(_) => ScreenKind::Editor,
            Screen::Safety(_) => ScreenKind::Safety,
            Screen::About(_) => ScreenKind::About,
            Screen::CheckIn(_) => ScreenKind::CheckIn,
            Screen::YourDays(_) => ScreenKind::YourDays,
            Screen::Resonance(_) => ScreenKind::Resonance,
        }
    }
}
