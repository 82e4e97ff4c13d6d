//! `downshift heart analyze FILE`: a resonance test recorded with another device, read from an
//! RR interval file and ranked as the window's resonance test ranks its steps.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::{CommandResult, Failure};
use crate::practice::heart::{Resonance, StepVerdict, analyse, even_steps, intervals_from};
use crate::practice::micros_to_seconds;
use crate::store::rr_file::read_rr_file;

#[derive(Subcommand, Debug)]
pub enum HeartCommand {
    /// Rank the breathing rates of a resonance test recorded as an RR interval file.
    ///
    /// FILE holds one beat-to-beat interval in milliseconds a line (as Polar and Elite HRV
    /// export them; # starts a comment and blank lines are skipped), recorded while pacing
    /// the --rates in that order for --minutes-each minutes each, from the file's first beat.
    /// Each step is measured by the heart's mean swing per breath (peak-to-trough beats a
    /// minute) and its low-frequency power (0.04-0.15 Hz) over the whole step; missed and extra
    /// beats are dropped and counted. A step whose clean beats cover under 70 % of it is not
    /// ranked.
    Analyze(AnalyzeArgs),
}

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// The RR interval file.
    pub file: PathBuf,
    /// The breathing rates paced, in breaths a minute, in order, comma-separated.
    #[arg(
        long,
        value_name = "RATES",
        value_delimiter = ',',
        value_parser = parse_rate,
        default_value = "6.5,6,5.5,5,4.5"
    )]
    pub rates: Vec<f64>,
    /// Minutes paced at each rate (at least 1: a shorter step cannot tell 5.5 from 6).
    #[arg(long, value_name = "M", value_parser = parse_minutes_each, default_value_t = 2.0)]
    pub minutes_each: f64,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AnalyzeFormat {
    Text,
    Json,
}

/// The slowest and fastest rates a step may pace: the low-frequency band's 0.04 to 0.15 Hz.
const RATES: (f64, f64) = (3.0, 9.0);
const MOST_STEPS: usize = 12;
/// A recording this much shorter or longer than the steps is said to be so.
const SECONDS_SHORT_OF_PLANNED: f64 = 5.0;

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of breaths a minute"))?;
    let (low, high) = RATES;
    if rate.is_finite() && (low..=high).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "{text} breaths a minute: choose rates from {low} to {high}, where slow breathing \
             moves the heart"
        ))
    }
}

fn parse_minutes_each(text: &str) -> Result<f64, String> {
    let minutes: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of minutes"))?;
    if minutes.is_finite() && (1.0..=20.0).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(format!("{text} minutes each: choose from 1 to 20"))
    }
}

pub(super) fn heart(command: HeartCommand) -> CommandResult {
    match command {
        HeartCommand::Analyze(args) => analyze(&args),
    }
}

fn analyze(args: &AnalyzeArgs) -> CommandResult {
    if args.rates.is_empty() || args.rates.len() > MOST_STEPS {
        return Err(Failure::usage(format!(
            "--rates: give 1 to {MOST_STEPS} rates"
        )));
    }
    let rr = read_rr_file(&args.file).map_err(|e| Failure::usage(e.to_string()))?;
    let intervals = intervals_from(0, &rr);
    let plan = even_steps(&args.rates, args.minutes_each, 0);
    let result = analyse(&intervals, &plan);
    let recorded = intervals.last().map_or(0.0, |i| micros_to_seconds(i.at));
    let planned = args.minutes_each * 60.0 * args.rates.len() as f64;
    let text = match args.format {
        AnalyzeFormat::Text => as_text(&args.file, args, &result, recorded, planned),
        AnalyzeFormat::Json => as_json(&args.file, args, &result, recorded, planned),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::runtime(format!("cannot print the analysis: {e}")))
}

fn one_decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

fn minutes_and_seconds(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    format!("{} min {:02} s", whole / 60, whole % 60)
}

fn as_text(
    file: &Path,
    args: &AnalyzeArgs,
    result: &Resonance,
    recorded: f64,
    planned: f64,
) -> String {
    let mut text = format!(
        "{}: {} steps of {} min, {} beats kept, {} dropped as artefacts (missed or extra beats)\n",
        file.display(),
        args.rates.len(),
        args.minutes_each,
        result.clean_beats,
        result.dropped_beats
    );
    // A recording ends with its last beat, so a few seconds short is the whole test.
    if recorded + SECONDS_SHORT_OF_PLANNED < planned {
        text.push_str(&format!(
            "The recording ends {} in, before the {} planned.\n",
            minutes_and_seconds(recorded),
            minutes_and_seconds(planned)
        ));
    } else if recorded > planned + SECONDS_SHORT_OF_PLANNED {
        text.push_str(&format!(
            "The recording runs {} past the last step; that part is not analysed.\n",
            minutes_and_seconds(recorded - planned)
        ));
    }
    text.push_str(
        "\nrate/min  swing bpm  LF power bpm²  LF peak/min  heart rate  RMSSD ms  clean  dropped  rank\n",
    );
    for step in &result.steps {
        let lf = step.low_frequency;
        let rank = match &step.verdict {
            StepVerdict::Ranked(rank) => rank.to_string(),
            StepVerdict::TooFewCleanBeats(_) => "-".to_owned(),
        };
        text.push_str(&format!(
            "{:<8.1}  {:>9}  {:>13}  {:>11}  {:>10}  {:>8}  {:>5}  {:>7}  {:>4}\n",
            step.rate,
            one_decimal(step.swing),
            one_decimal(lf.map(|lf| lf.power)),
            one_decimal(lf.map(|lf| lf.peak_per_minute())),
            one_decimal(step.mean_heart_rate),
            one_decimal(step.rmssd),
            step.clean_beats,
            step.dropped_beats,
            rank
        ));
    }
    for step in &result.steps {
        if let StepVerdict::TooFewCleanBeats(why) = &step.verdict {
            text.push_str(&format!(
                "{:.1} breaths a minute: too few clean beats to rank ({why}).\n",
                step.rate
            ));
        }
    }
    text.push('\n');
    text.push_str(&result.verdict());
    text.push('\n');
    text
}

/// To two decimals: more would be noise.
fn hundredths(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 100.0).round() / 100.0)
}

fn as_json(
    file: &Path,
    args: &AnalyzeArgs,
    result: &Resonance,
    recorded: f64,
    planned: f64,
) -> String {
    let steps: Vec<serde_json::Value> = result
        .steps
        .iter()
        .map(|step| {
            let lf = step.low_frequency;
            serde_json::json!({
                "rate": step.rate,
                "start_seconds": micros_to_seconds(step.span.start),
                "end_seconds": micros_to_seconds(step.span.end),
                "swing_bpm": hundredths(step.swing),
                "swing_sd_bpm": hundredths(step.swing_spread),
                "lf_power_bpm2": hundredths(lf.map(|lf| lf.power)),
                "lf_peak_per_minute": hundredths(lf.map(|lf| lf.peak_per_minute())),
                "follows_pacer": step.follows_pacer(),
                "mean_heart_rate_bpm": hundredths(step.mean_heart_rate),
                "rmssd_ms": hundredths(step.rmssd),
                "clean_beats": step.clean_beats,
                "dropped_beats": step.dropped_beats,
                "coverage": hundredths(Some(step.coverage)),
                "breaths": step.breaths,
                "breaths_with_swing": step.breaths_with_swing,
                "rank": step.rank(),
                "too_few_clean_beats": match &step.verdict {
                    StepVerdict::TooFewCleanBeats(why) => Some(why.as_str()),
                    StepVerdict::Ranked(_) => None,
                },
            })
        })
        .collect();
    let json = serde_json::json!({
        "file": file.display().to_string(),
        "minutes_each": args.minutes_each,
        "recorded_seconds": hundredths(Some(recorded)),
        "planned_seconds": planned,
        "clean_beats": result.clean_beats,
        "dropped_beats": result.dropped_beats,
        "steps": steps,
        "best_rate": result.best_rate(),
        "stands_out": result.stands_out,
        "verdict": result.verdict(),
    });
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}
