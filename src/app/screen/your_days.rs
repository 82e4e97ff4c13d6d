//! "Your days": the course of pain, sleep and stress from the check-ins, the small test running
//! (its schedule and today's side), what the patterns say, and a calm word when pain has not
//! eased. Worked out once when the screen opens.

use crate::practice::pain::Day;
use crate::practice::pain::patterns::Scan;
use crate::practice::pain::red_flags::RedFlag;
use crate::practice::pain::small_test::{Analysis, TodaySide};
use crate::store::small_tests::SmallTest;

/// The small test as the screen shows it.
#[derive(Clone, Debug)]
pub struct TestView {
    pub test: SmallTest,
    /// The result (at its end), or what it has so far.
    pub analysis: Analysis,
    /// Today's block, while it runs.
    pub today: Option<TodaySide>,
    /// Past its last day.
    pub over: bool,
}

pub struct YourDaysScreen {
    /// Every day from the first check-in to today, oldest first.
    pub days: Vec<Day>,
    pub checkin_count: usize,
    pub scan: Scan,
    pub test: Option<TestView>,
    /// The last test stopped or finished, for its result.
    pub last_test: Option<TestView>,
    pub red_flag: Option<RedFlag>,
    /// How many days the chart shows (0: all).
    pub chart_days: usize,
    /// The change typed for a new small test.
    pub change: String,
    /// "Stop the test?" is being asked.
    pub confirming_stop: bool,
    /// The change's field is to take the keyboard (and come into view) at the next frame.
    pub focus_change: bool,
    pub message: Option<String>,
}

/// The chart's choices of span, in days (0: all).
pub const CHART_SPANS: [(usize, &str); 4] = [
    (30, "30 days"),
    (90, "90 days"),
    (365, "A year"),
    (0, "All"),
];

impl YourDaysScreen {
    /// The days the chart shows.
    pub fn chart(&self) -> &[Day] {
        if self.chart_days == 0 || self.days.len() <= self.chart_days {
            &self.days
        } else {
            &self.days[self.days.len() - self.chart_days..]
        }
    }
}
