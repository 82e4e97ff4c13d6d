//! The history screen's state: the sessions (shared with the app's copy of the log, never read
//! again from disk), the filter, the insights for it, and the session picked.

use std::sync::Arc;

use crate::app::kept::KeptSession;
use crate::store::insights::{CHART_DAYS, Insights};

/// How to export the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

pub struct HistoryScreen {
    pub records: Arc<Vec<KeptSession>>,
    pub problems: Vec<String>,
    pub practices: Vec<String>,
    /// An index into `practices`, or every practice.
    pub filter: Option<usize>,
    /// Indices into `records` that pass the filter, newest first.
    pub shown: Vec<usize>,
    pub insights: Insights,
    pub today: jiff::civil::Date,
    pub chart_days: usize,
    pub message: Option<String>,
    /// The session picked in the list (an index into `records`), and whether its deletion
    /// waits for a yes.
    pub selected: Option<usize>,
    pub confirming_delete: bool,
}

impl HistoryScreen {
    pub fn new(
        records: Arc<Vec<KeptSession>>,
        problems: Vec<String>,
        today: jiff::civil::Date,
    ) -> Self {
        let practices: Vec<String> = records
            .iter()
            .map(|r| &*r.practice)
            .collect::<std::collections::BTreeSet<&str>>()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut screen = HistoryScreen {
            records,
            problems,
            practices,
            filter: None,
            shown: Vec::new(),
            insights: Insights::default(),
            today,
            chart_days: 30,
            message: None,
            selected: None,
            confirming_delete: false,
        };
        screen.refilter();
        screen
    }

    pub fn set_filter(&mut self, filter: Option<usize>) {
        self.filter = filter.filter(|&i| i < self.practices.len());
        self.refilter();
    }

    pub fn select(&mut self, index: usize) {
        self.selected = (index < self.records.len()).then_some(index);
        self.confirming_delete = false;
    }

    pub fn ask_to_delete(&mut self, asking: bool) {
        self.confirming_delete = asking && self.selected.is_some();
    }

    /// The id of the session to delete, once the person has said yes.
    pub fn confirmed_deletion(&self) -> Option<&str> {
        self.selected
            .filter(|_| self.confirming_delete)
            .map(|i| &*self.records[i].id)
    }

    /// The practice the list is filtered to.
    pub fn filter_name(&self) -> Option<&str> {
        self.filter.map(|i| self.practices[i].as_str())
    }

    /// Filters to the practice called `name`, if it is there.
    pub fn filter_to(&mut self, name: Option<&str>) {
        let index = name.and_then(|n| self.practices.iter().position(|p| p == n));
        self.set_filter(index);
    }

    pub fn set_chart_days(&mut self, days: usize) {
        self.chart_days = days.clamp(7, CHART_DAYS);
    }

    fn refilter(&mut self) {
        let wanted = self.filter.map(|i| self.practices[i].as_str());
        self.shown = (0..self.records.len())
            .rev()
            .filter(|&i| wanted.is_none_or(|name| *self.records[i].practice == *name))
            .collect();
        let records = &self.records;
        self.insights = Insights::of(self.shown.iter().map(|&i| &records[i]), self.today);
    }
}
