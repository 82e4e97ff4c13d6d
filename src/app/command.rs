//! What the person asks for: pushed by the screens and the keymap during a frame, applied by
//! `update` after it.

use std::path::PathBuf;

use super::screen::{ExportFormat, HomeQuestion, RatingKey, StepEdit};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Home: pick a practice (an index into the library).
    Select(usize),
    /// Home: the next or previous practice in the list.
    SelectNext,
    SelectPrevious,
    /// Home: start the selected practice (asking first how tense the person feels, if wanted).
    Start,
    TogglePause,
    SkipStep,
    EndSession,
    ToggleMute,
    /// Session: the cues a step louder (true) or softer (false).
    StepVolume(bool),
    ToggleFullscreen,
    /// Summary: back to the home screen.
    Dismiss,
    OpenSettings,
    /// Settings: the form changed.
    SettingsEdited,
    OpenHistory,
    /// Show one practice's sessions (an index into the history's practice list), or all.
    HistoryFilter(Option<usize>),
    HistoryDays(usize),
    HistorySelect(usize),
    /// Ask (true) or stop asking (false) whether to delete the selected session.
    AskDeleteSession(bool),
    DeleteSession,
    ExportHistory(ExportFormat),
    /// A tension rating, or `None` to skip it.
    Rate(Option<u8>),
    /// A key typed on the tension question (a digit, or Enter/Space).
    RatingKey(RatingKey),
    /// Yes or no to the progression step on the summary.
    AnswerOffer(bool),
    /// Yes or no to paced sitting's change of the micro-rest interval on the summary.
    AnswerPacing(bool),
    NewPreset,
    EditPreset,
    DuplicatePreset,
    /// Ask before deleting the selected preset of one's own (or restoring a built-in).
    AskHome(HomeQuestion),
    AnswerHome(bool),
    /// Import the preset file typed on the home screen.
    ImportPreset,
    /// Import preset files dropped on the window.
    ImportFiles(Vec<PathBuf>),
    /// Export the selected practice to the file typed on the home screen.
    ExportPreset,
    EditSteps(StepEdit),
    /// Editor: the form changed; check it again.
    DraftEdited,
    SavePreset,
    LeaveEditor,
    DiscardEdits,
    KeepEditing,
    /// Begin the practice a reminder suggests.
    ReminderStart,
    /// Put the reminder off for a few minutes.
    ReminderLater,
    /// Pause every reminder until this local time (the tray's choices are
    /// `practice::reminders::pause_choices`), or, with `None`, resume them now.
    PauseReminders(Option<jiff::civil::DateTime>),
    /// Back from a secondary screen to the home screen.
    CloseScreen,
    /// Open the safety note (from home or the summary).
    OpenSafety,
    /// The safety note was read: begin the practice waiting for it, if any.
    SafetyRead,
    /// Home: notes, sources and gentle-mode fit of the selected practice.
    OpenAbout,
    /// Settings: write or remove the entry that starts downshift (in the tray) with the
    /// desktop session.
    SetAutostart(bool),
    /// Settings: look for heart rate straps nearby (true), or stop looking.
    LookForStraps(bool),
    /// Settings: use the strap found (its index in what the look found).
    PickStrap(usize),
    /// Settings: forget the chosen strap.
    ForgetStrap,
    /// Begin the resonance test (after the safety note's words).
    StartResonanceTest,
    /// The resonance test's result: set the resonance practice to the best rate.
    SetResonanceRate,
    /// The resonance test's result: leave the resonance practice as it is.
    KeepResonanceRate,
    /// Open the daily check-in, about today or (a missed day) an earlier one.
    OpenCheckIn(Option<jiff::civil::Date>),
    /// A key typed on the check-in's question (a digit, or Enter/Space).
    CheckInKey(RatingKey),
    /// A click on an answer of the check-in's question.
    CheckInAnswer(u8),
    /// Back to the check-in's question before.
    CheckInBack,
    /// The check-in's day, this many days earlier (negative) or later.
    CheckInDate(i32),
    /// Tick or untick the check-in's mark (its index).
    CheckInMark(usize),
    /// The check-in's mark (its index) is wholly on the screen: it counts as offered.
    CheckInMarkShown(usize),
    /// Your days: ready a small test of this change (a finding's), or of one to type: the
    /// form's field gets the keyboard, or the screen says why a test cannot start now.
    TestChange(Option<String>),
    /// Enter on the check-in: confirm a pending 1 on a question, or be done after them.
    CheckInConfirm,
    /// The page after the questions is done: what was different and the note are added.
    CheckInDone,
    /// "Not today": no check-in today, nothing written.
    NotToday,
    /// The once-asked question after three "Not today"s: keep offering (true) or stop.
    KeepOffering(bool),
    /// Open "Your days".
    OpenYourDays,
    /// Your days: how many days the chart shows (0: all).
    YourDaysSpan(usize),
    /// Your days: start a small test of the change typed there.
    StartSmallTest,
    /// Ask (true) or stop asking whether to stop the running small test.
    AskStopSmallTest(bool),
    StopSmallTest,
    /// Take a notice away (its id).
    DismissNotice(u64),
    /// Ctrl+Q: leave, saving what is in flight (after asking about unsaved edits).
    Quit,
    /// The window's close button, or the desktop closing it.
    CloseRequested,
    /// Leave now, asking nothing: a signal (logout, shutdown, the terminal closed). What is in
    /// flight is saved; unsaved edits in the editor are not.
    Leave,
}
