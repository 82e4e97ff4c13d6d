//! The history screen: what was practised, a streak and this week at a glance, what works, and
//! minutes and tension over time. The list shows only the rows in view, so 100,000 sessions
//! scroll as smoothly as ten.

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use super::Action;
use super::theme::Palette;
use crate::store::insights::{CHART_DAYS, Insights};
use crate::store::{History, SessionEnd, SessionRecord};

/// How to export the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

pub struct HistoryScreen {
    records: Vec<SessionRecord>,
    problems: Vec<String>,
    practices: Vec<String>,
    /// An index into `practices`, or every practice.
    filter: Option<usize>,
    /// Indices into `records` that pass the filter, newest first.
    shown: Vec<usize>,
    insights: Insights,
    today: jiff::civil::Date,
    chart_days: usize,
    pub message: Option<String>,
    /// The session picked in the list (an index into `records`), and whether its deletion
    /// waits for a yes.
    selected: Option<usize>,
    confirming_delete: bool,
}

impl HistoryScreen {
    pub fn new(history: History, today: jiff::civil::Date) -> Self {
        let mut practices: Vec<String> =
            history.records.iter().map(|r| r.practice.clone()).collect();
        practices.sort();
        practices.dedup();
        let mut screen = HistoryScreen {
            records: history.records,
            problems: history.problems,
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

    pub fn records(&self) -> &[SessionRecord] {
        &self.records
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
            .map(|i| self.records[i].id.as_str())
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
            .filter(|&i| wanted.is_none_or(|name| self.records[i].practice == name))
            .collect();
        let records = &self.records;
        self.insights = Insights::of(self.shown.iter().map(|&i| &records[i]), self.today);
    }
}

fn row_text(record: &SessionRecord) -> String {
    let outcome = match record.end {
        SessionEnd::Completed => "completed".to_owned(),
        SessionEnd::EndedEarly { step } => format!("ended at step {step}"),
        SessionEnd::Interrupted { step } => format!("interrupted at step {step}"),
    };
    let tension = match (record.tension_before, record.tension_after) {
        (Some(before), Some(after)) => format!("  ·  tension {before} to {after}"),
        _ => String::new(),
    };
    format!(
        "{}   {}  ·  {:.1} min  ·  {outcome}{tension}",
        record.started.local.strftime("%a %d %b %Y, %H:%M"),
        record.practice,
        record.breathed_seconds / 60.0
    )
}

pub fn show(
    ui: &mut egui::Ui,
    screen: &HistoryScreen,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading("Your sessions");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Back").clicked() {
                actions.push(Action::CloseScreen);
            }
        });
    });
    for problem in &screen.problems {
        ui.label(RichText::new(problem).size(15.0).color(palette.warning));
    }
    if screen.records.is_empty() {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No sessions yet.").size(30.0));
            ui.label(
                "Every session you finish or end early appears here, with how tense you felt \
                 before and after. Over a few weeks it shows what helps you.",
            );
        });
        return;
    }
    let insights = &screen.insights;
    ui.label(format!(
        "Streak: {} day{}   ·   This week: {} session{}, {:.0} minutes",
        insights.streak_days,
        if insights.streak_days == 1 { "" } else { "s" },
        insights.week_sessions,
        if insights.week_sessions == 1 { "" } else { "s" },
        insights.week_minutes
    ));
    ui.horizontal_wrapped(|ui| {
        let current = screen
            .filter
            .map_or("All practices", |i| screen.practices[i].as_str());
        egui::ComboBox::from_label("Practice")
            .selected_text(current)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(screen.filter.is_none(), "All practices")
                    .clicked()
                {
                    actions.push(Action::HistoryFilter(None));
                }
                for (i, name) in screen.practices.iter().enumerate() {
                    if ui
                        .selectable_label(screen.filter == Some(i), name)
                        .clicked()
                    {
                        actions.push(Action::HistoryFilter(Some(i)));
                    }
                }
            });
        for days in [30, 90] {
            if ui
                .selectable_label(screen.chart_days == days, format!("{days} days"))
                .clicked()
            {
                actions.push(Action::HistoryDays(days));
            }
        }
        if ui.button("Export CSV").clicked() {
            actions.push(Action::ExportHistory(ExportFormat::Csv));
        }
        if ui.button("Export JSON").clicked() {
            actions.push(Action::ExportHistory(ExportFormat::Json));
        }
    });
    if let Some(message) = &screen.message {
        ui.label(RichText::new(message).size(15.0).color(palette.quiet_text));
    }
    charts(ui, screen, palette);
    what_works(ui, insights, palette);
    ui.add_space(6.0);
    if let Some(index) = screen.selected {
        ui.horizontal_wrapped(|ui| {
            let when = screen.records[index]
                .started
                .local
                .strftime("%a %d %b %Y, %H:%M");
            if screen.confirming_delete {
                ui.label(format!(
                    "Delete the session of {when}? This cannot be undone."
                ));
                if ui.button("Delete").clicked() {
                    actions.push(Action::DeleteSession);
                }
                if ui.button("Keep").clicked() {
                    actions.push(Action::AskDeleteSession(false));
                }
            } else if ui.button("Delete this session…").clicked() {
                actions.push(Action::AskDeleteSession(true));
            }
        });
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("sessions")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, screen.shown.len(), |ui, rows| {
            for &index in &screen.shown[rows] {
                let text = RichText::new(row_text(&screen.records[index])).size(17.0);
                if ui
                    .selectable_label(screen.selected == Some(index), text)
                    .clicked()
                {
                    actions.push(Action::HistorySelect(index));
                }
            }
        });
}

fn charts(ui: &mut egui::Ui, screen: &HistoryScreen, palette: &Palette) {
    let days = screen.chart_days;
    let insights = &screen.insights;
    let width = (ui.available_width() / 2.0 - 8.0).max(200.0);
    ui.horizontal(|ui| {
        let bars: Vec<Bar> = insights.minutes_by_day[CHART_DAYS - days..]
            .iter()
            .enumerate()
            .map(|(i, &minutes)| Bar::new(i as f64 - (days - 1) as f64, minutes).width(0.8))
            .collect();
        let minutes = BarChart::new("Minutes a day", bars).color(palette.breath);
        ui.vertical(|ui| {
            ui.label(RichText::new("Minutes a day").size(16.0));
            Plot::new("minutes_by_day")
                .height(130.0)
                .width(width)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .show_grid(false)
                .show(ui, |plot| plot.bar_chart(minutes));
        });
        let recent: Vec<_> = insights
            .tension
            .iter()
            .filter(|t| (t.days_ago as usize) < days)
            .collect();
        let points = |pick: fn(&crate::store::insights::TensionPoint) -> u8| -> PlotPoints {
            recent
                .iter()
                .map(|t| [-(t.days_ago as f64), pick(t) as f64])
                .collect()
        };
        ui.vertical(|ui| {
            ui.label(RichText::new("Tension before and after").size(16.0));
            Plot::new("tension")
                .height(130.0)
                .width(width)
                .include_y(0.0)
                .include_y(10.0)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .legend(Legend::default())
                .show(ui, |plot| {
                    plot.line(Line::new("before", points(|t| t.before)).color(palette.quiet_text));
                    plot.line(Line::new("after", points(|t| t.after)).color(palette.breath));
                });
        });
    });
}

fn what_works(ui: &mut egui::Ui, insights: &Insights, palette: &Palette) {
    ui.label(
        RichText::new("What works for me")
            .size(20.0)
            .color(palette.breath),
    );
    egui::Grid::new("what_works")
        .num_columns(4)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            for heading in ["practice", "sessions", "minutes", "tension change"] {
                ui.label(RichText::new(heading).size(16.0).color(palette.quiet_text));
            }
            ui.end_row();
            for stats in insights.per_practice.iter().take(8) {
                ui.label(RichText::new(&stats.practice).size(17.0));
                ui.label(RichText::new(stats.sessions.to_string()).size(17.0));
                ui.label(RichText::new(format!("{:.0}", stats.minutes)).size(17.0));
                let change = stats
                    .average_change
                    .map_or("not rated".to_owned(), |c| format!("{c:+.1}"));
                ui.label(RichText::new(change).size(17.0));
                ui.end_row();
            }
        });
}
