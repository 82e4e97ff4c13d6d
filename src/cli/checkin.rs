//! `downshift checkin`, `downshift checkins` and `downshift patterns`: the daily check-in from
//! the terminal, the check-ins listed, and what the patterns say (or why nothing yet).

use std::io::Write;

use super::{CommandResult, Failure};
use crate::app::pain_days;
use crate::practice::pain::patterns;
use crate::store::checkins::{CheckIn, NOTE_MAX, append_checkin, load_checkins};
use crate::store::history::StartTime;
use crate::store::reminder_days::ReminderDays;
use crate::store::{DataDir, Settings};

#[derive(clap::Args, Debug)]
pub struct CheckInArgs {
    /// The day it is about (YYYY-MM-DD), for a missed day; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Pain today, on average: 0 no pain - 10 as bad as you can imagine.
    #[arg(long, value_name = "N")]
    pub pain: String,
    /// How much pain got in the way of what you did today: 0-10.
    #[arg(long, value_name = "N")]
    pub interference: String,
    /// Sleep last night: 0 terrible - 10 excellent.
    #[arg(long, value_name = "N")]
    pub sleep: String,
    /// Stress today: 1 not at all - 5 very much.
    #[arg(long, value_name = "N")]
    pub stress: String,
    /// What was different in the last day or two (repeatable): one of the marks in Settings,
    /// e.g. "long sitting", "travel".
    #[arg(long = "mark", value_name = "NAME")]
    pub marks: Vec<String>,
    /// A note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum PatternsFormat {
    Text,
    Json,
}

/// A number on a scale, or a usage failure naming the field.
fn answer(field: &str, text: &str, low: u8, high: u8) -> Result<u8, Failure> {
    let value: i64 = text.trim().parse().map_err(|_| {
        Failure::usage(format!(
            "--{field}: '{text}' is not a whole number ({low}-{high})"
        ))
    })?;
    u8::try_from(value)
        .ok()
        .filter(|v| (low..=high).contains(v))
        .ok_or_else(|| Failure::usage(format!("--{field}: {value} is outside {low}-{high}")))
}

pub(super) fn checkin(data_dir: &DataDir, args: CheckInArgs) -> CommandResult {
    let clocks = crate::clock::Clocks::system();
    let wall = clocks.wall();
    let today = wall.date();
    let date = match &args.date {
        None => today,
        Some(text) => {
            let date: jiff::civil::Date = text.parse().map_err(|_| {
                Failure::usage(format!("--date: '{text}' is not a date (YYYY-MM-DD)"))
            })?;
            if date > today {
                return Err(Failure::usage(format!(
                    "--date: {date} is after today: a check-in tells of a day that has been"
                )));
            }
            date
        }
    };
    let (settings, problem) = Settings::load(&data_dir.settings_path());
    if let Some(problem) = problem {
        eprintln!("downshift: {problem}");
    }
    let offered = settings.checkin.marks();
    let mut marked = Vec::new();
    for mark in &args.marks {
        let known = offered
            .iter()
            .find(|m| m.eq_ignore_ascii_case(mark.trim()))
            .ok_or_else(|| {
                Failure::usage(format!(
                    "--mark: \"{mark}\" is not one of the marks ({})",
                    offered
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        if !marked.contains(known) {
            marked.push(known.clone());
        }
    }
    let note = args.note.unwrap_or_default();
    if note.chars().count() > NOTE_MAX {
        return Err(Failure::usage(format!(
            "--note: longer than {NOTE_MAX} characters"
        )));
    }
    let mut checkin = CheckIn::new(date, StartTime::of(&wall));
    checkin.pain = Some(answer("pain", &args.pain, 0, 10)?);
    checkin.interference = Some(answer("interference", &args.interference, 0, 10)?);
    checkin.sleep = Some(answer("sleep", &args.sleep, 0, 10)?);
    checkin.stress = Some(answer("stress", &args.stress, 1, 5)?);
    // Every mark could have been given on the command line: none given is "not marked".
    checkin.offered = offered;
    checkin.marked = marked;
    checkin.note = note.trim().to_owned();
    let path = data_dir.checkins_path();
    let read = load_checkins(&path)
        .map_err(|e| Failure::runtime(format!("{} cannot be read: {e}", path.display())))?;
    for problem in &read.problems {
        eprintln!("downshift: {problem}");
    }
    append_checkin(&path, &checkin)
        .map_err(|e| Failure::runtime(format!("{} could not be written: {e}", path.display())))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Checked in for {date}: pain {}, interference {}, sleep {}, stress {}.",
        args.pain.trim(),
        args.interference.trim(),
        args.sleep.trim(),
        args.stress.trim()
    );
    if date == today {
        let mut entries = read.entries;
        entries.push(checkin);
        let sessions = sessions(data_dir);
        let (reminders, _) = ReminderDays::load(&data_dir.reminder_days_path());
        let days = pain_days::days_of(
            &entries,
            &sessions,
            &reminders,
            &settings.reminders.micro_rest_practice,
            today,
        );
        if let Some(changes) = crate::practice::pain::what_changed::compare(&days, today) {
            let _ = writeln!(out, "What changed in the last 3 days:");
            let _ = writeln!(
                out,
                "  Pain today {:.0}, usually {:.0}.",
                changes.pain, changes.usual_pain
            );
            for line in &changes.lines {
                let _ = writeln!(out, "  {line}");
            }
            let _ = writeln!(out, "{}", crate::practice::pain::what_changed::CAVEAT);
        }
    }
    Ok(())
}

/// The sessions of the history, as the app keeps them (a history that cannot be read is said
/// and left out).
fn sessions(data_dir: &DataDir) -> Vec<crate::app::kept::KeptSession> {
    match crate::app::kept::read_kept(&data_dir.history_path()) {
        Ok(kept) => kept.sessions,
        Err(e) => {
            eprintln!(
                "downshift: {} cannot be read ({e}); sessions are left out",
                data_dir.history_path().display()
            );
            Vec::new()
        }
    }
}

const COLUMNS: [&str; 11] = [
    "id",
    "date",
    "pain",
    "interference",
    "sleep",
    "stress",
    "peg",
    "offered",
    "marked",
    "note",
    "written",
];

fn cells(checkin: &CheckIn) -> [String; 11] {
    let number = |v: Option<u8>| v.map_or_else(String::new, |v| v.to_string());
    [
        checkin.id.clone(),
        checkin.date.to_string(),
        number(checkin.pain),
        number(checkin.interference),
        number(checkin.sleep),
        number(checkin.stress),
        checkin
            .peg
            .map_or_else(String::new, |p| format!("{:.1}", p.score())),
        checkin.offered.join("; "),
        checkin.marked.join("; "),
        checkin.note.clone(),
        checkin.written.to_string(),
    ]
}

pub(super) fn checkins(data_dir: &DataDir, format: super::HistoryFormat) -> CommandResult {
    let path = data_dir.checkins_path();
    let read = load_checkins(&path)
        .map_err(|e| Failure::runtime(format!("{} cannot be read: {e}", path.display())))?;
    for problem in &read.problems {
        eprintln!("downshift: {problem}");
    }
    let mut out = std::io::stdout().lock();
    let failed =
        |e: std::io::Error| Failure::runtime(format!("could not print the check-ins: {e}"));
    match format {
        super::HistoryFormat::Table => {
            writeln!(
                out,
                "date        pain  interference  sleep  stress  PEG   marked"
            )
            .map_err(failed)?;
            for checkin in &read.entries {
                let c = cells(checkin);
                let or_dash = |s: &str| {
                    if s.is_empty() {
                        "-".to_owned()
                    } else {
                        s.to_owned()
                    }
                };
                writeln!(
                    out,
                    "{:<10}  {:>4}  {:>12}  {:>5}  {:>6}  {:>4}  {}",
                    c[1],
                    or_dash(&c[2]),
                    or_dash(&c[3]),
                    or_dash(&c[4]),
                    or_dash(&c[5]),
                    or_dash(&c[6]),
                    c[8]
                )
                .map_err(failed)?;
            }
        }
        super::HistoryFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            let csv_failed =
                |e: csv::Error| Failure::runtime(format!("could not print the check-ins: {e}"));
            writer.write_record(COLUMNS).map_err(csv_failed)?;
            for checkin in &read.entries {
                writer.write_record(cells(checkin)).map_err(csv_failed)?;
            }
            writer.flush().map_err(failed)?;
        }
        super::HistoryFormat::Json => {
            let json = serde_json::to_string_pretty(&read.entries)
                .map_err(|e| Failure::runtime(format!("could not print the check-ins: {e}")))?;
            writeln!(out, "{json}").map_err(failed)?;
        }
    }
    Ok(())
}

pub(super) fn delete(data_dir: &DataDir, id: &str) -> CommandResult {
    let path = data_dir.checkins_path();
    match crate::store::checkins::delete_checkin(&path, id) {
        Ok(true) => {
            println!("Deleted the check-in {id}.");
            Ok(())
        }
        Ok(false) => Err(Failure::usage(format!(
            "no check-in has the id {id} (see: downshift checkins --format csv)"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Failure::usage(format!(
            "no check-in has the id {id}: {} is not there",
            path.display()
        ))),
        Err(e) => Err(Failure::runtime(format!(
            "{} could not be changed: {e}",
            path.display()
        ))),
    }
}

pub(super) fn patterns(data_dir: &DataDir, format: PatternsFormat) -> CommandResult {
    let path = data_dir.checkins_path();
    let read = load_checkins(&path)
        .map_err(|e| Failure::runtime(format!("{} cannot be read: {e}", path.display())))?;
    for problem in &read.problems {
        eprintln!("downshift: {problem}");
    }
    let (settings, _) = Settings::load(&data_dir.settings_path());
    let today = crate::clock::Clocks::system().wall().date();
    let (reminders, _) = ReminderDays::load(&data_dir.reminder_days_path());
    let days = pain_days::days_of(
        &read.entries,
        &sessions(data_dir),
        &reminders,
        &settings.reminders.micro_rest_practice,
        today,
    );
    let scan = patterns::scan(&days, &patterns::ScanOptions::default());
    let mut out = std::io::stdout().lock();
    let failed = |e: std::io::Error| Failure::runtime(format!("could not print the patterns: {e}"));
    match format {
        PatternsFormat::Text => {
            writeln!(out, "{}", scan.summary()).map_err(failed)?;
            for finding in &scan.findings {
                writeln!(out, "{}", finding.sentence()).map_err(failed)?;
            }
            for factor in &scan.factors {
                let what = match (&factor.refused, factor.effect) {
                    (Some(why), _) => format!("not checked: {why}"),
                    (None, Some(effect)) => format!(
                        "{effect:+.1} points over {} days{}",
                        factor.days,
                        if factor.stood_out { ", stood out" } else { "" }
                    ),
                    (None, None) => "not checked".to_owned(),
                };
                writeln!(out, "  {}: {what}", factor.name).map_err(failed)?;
            }
        }
        PatternsFormat::Json => {
            let factors: Vec<serde_json::Value> = scan
                .factors
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "key": f.key,
                        "name": f.name,
                        "checked": f.checked(),
                        "effect_points": f.effect,
                        "days": f.days,
                        "exposed_days": f.exposed_days,
                        "p": f.p,
                        "stood_out": f.stood_out,
                        "refused": f.refused,
                    })
                })
                .collect();
            let json = serde_json::json!({
                "paired_days": scan.paired_days,
                "needed_days": scan.needed_days,
                "summary": scan.summary(),
                "findings": scan.findings.iter().map(|f| f.sentence()).collect::<Vec<_>>(),
                "factors": factors,
            });
            let text = serde_json::to_string_pretty(&json)
                .map_err(|e| Failure::runtime(format!("could not print the patterns: {e}")))?;
            writeln!(out, "{text}").map_err(failed)?;
        }
    }
    Ok(())
}
