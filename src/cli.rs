//! The command line: parse, then open the window, play in the terminal, manage presets or show
//! the history. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::audio::{AudioOutput, SoundBank};
use crate::practice::{Micros, Moment, Phase, Practice, Step, StepKind, Timeline};
use crate::session::{LiveSession, SoundChoice};
use crate::store::presets::{file_name_for, free_path, read_preset_file, to_ron, write_preset};
use crate::store::{DataDir, Library, Origin, Settings, append_record, load_history};

#[derive(Parser, Debug)]
#[command(
    name = "downshift",
    version,
    about = "Paced slow breathing, calm transition rituals and micro-rests.",
    long_about = "Paced slow breathing, calm transition rituals and micro-rests, with a private \
                  record of what helps. With no command, opens the window."
)]
pub struct Cli {
    /// Keep presets, sounds, history and settings in DIR (default: $DOWNSHIFT_DATA_DIR, else
    /// the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a practice: in the window, or audio-only in the terminal with --no-window.
    Play(PlayArgs),
    /// List, show, check, import and export presets.
    #[command(subcommand)]
    Presets(PresetsCommand),
    /// Show every recorded session.
    History {
        /// How to print it.
        #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
        format: HistoryFormat,
    },
}

#[derive(clap::Args, Debug)]
pub struct PlayArgs {
    /// The practice's name, as `downshift presets list` prints it (any case). Left out, the one
    /// suggested for this time of day (as on the home screen).
    pub preset: Option<String>,
    /// Length of the breathing in minutes (fractions allowed, e.g. 0.5); a ritual's breathing
    /// blocks are scaled to fit.
    #[arg(long, value_name = "M", value_parser = parse_minutes)]
    pub minutes: Option<f64>,
    /// No window: play the cues and print one line per step and phase change. Ctrl-C ends it.
    #[arg(long)]
    pub no_window: bool,
    /// No sound.
    #[arg(long)]
    pub mute: bool,
}

fn parse_minutes(text: &str) -> Result<f64, String> {
    let minutes: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of minutes"))?;
    if minutes.is_finite() && minutes > 0.0 && minutes <= 180.0 {
        Ok(minutes)
    } else {
        Err(format!(
            "{text} minutes: choose more than 0 and at most 180"
        ))
    }
}

#[derive(Subcommand, Debug)]
pub enum PresetsCommand {
    /// Every practice, one a line: its name, a tab, its description.
    List,
    /// Print a practice as a preset file.
    Show { name: String },
    /// Check preset files; each problem is printed with its file, line, column and field.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Add a preset file to your presets (checked first).
    Import {
        file: PathBuf,
        /// Replace a preset of yours with the same name.
        #[arg(long)]
        force: bool,
    },
    /// Write a practice to a preset file.
    Export {
        name: String,
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum HistoryFormat {
    Table,
    Csv,
    Json,
}

/// A failure with its exit code and a one-line reason.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    fn runtime(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

pub type Outcome = Result<(), Failure>;

/// Runs the program with the process's arguments.
pub fn main() -> ExitCode {
    // Everything downshift writes is the person's own: readable by them only.
    #[cfg(unix)]
    // SAFETY: umask only sets this process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("error")).init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_exit(error),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("downshift: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Help and version go to stdout with 0; any other parse error is one line on stderr with 2.
fn clap_exit(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            let rendered = error.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            eprintln!("downshift: {first} (try --help)");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> Outcome {
    let data_dir = DataDir::resolve(cli.data_dir.as_deref()).ok_or_else(|| {
        Failure::runtime(
            "no data folder could be found: pass --data-dir DIR or set DOWNSHIFT_DATA_DIR",
        )
    })?;
    match cli.command {
        None => crate::ui::run(data_dir, None).map_err(Failure::runtime),
        Some(Command::Play(args)) => play(&data_dir, args),
        Some(Command::Presets(command)) => presets(&data_dir, command),
        Some(Command::History { format }) => history(&data_dir, format),
    }
}

fn library(data_dir: &DataDir) -> Library {
    let library = Library::load(Some(&data_dir.presets_dir()));
    for problem in &library.problems {
        eprintln!("downshift: skipped {problem}");
    }
    library
}

fn no_such_practice(name: &str) -> Failure {
    Failure::usage(format!(
        "no practice is called \"{name}\" (see: downshift presets list)"
    ))
}

/// The practice to play, with its breathing scaled to `minutes` if asked.
pub fn practice_to_play(
    library: &Library,
    name: &str,
    minutes: Option<f64>,
) -> Result<Practice, Failure> {
    let practice = library
        .find(name)
        .map(|e| e.practice.clone())
        .ok_or_else(|| no_such_practice(name))?;
    let Some(minutes) = minutes else {
        return Ok(practice);
    };
    let timeline =
        Timeline::new(&practice).map_err(|p| Failure::usage(format!("{name}: {}", p[0])))?;
    let breathing = timeline.breathing_total() as f64 / 1e6;
    if breathing <= 0.0 {
        return Err(Failure::usage(format!(
            "\"{}\" has no breathing to set the length of",
            practice.name
        )));
    }
    Ok(practice.with_breathing_minutes(minutes, breathing))
}

fn play(data_dir: &DataDir, args: PlayArgs) -> Outcome {
    let library = library(data_dir);
    let name = match &args.preset {
        Some(name) => name.clone(),
        None => {
            let (settings, _) = Settings::load(&data_dir.settings_path());
            let minute = crate::ui::local_minute_of_day();
            let (index, why) = crate::ui::suggestion(&library, &settings, minute)
                .ok_or_else(|| Failure::usage("no practice is suggested for now: name one"))?;
            println!("{why}");
            library.entries[index].practice.name.clone()
        }
    };
    let practice = practice_to_play(&library, &name, args.minutes)?;
    if !args.no_window {
        return crate::ui::run(
            data_dir.clone(),
            Some(crate::ui::StartRequest {
                practice,
                muted: args.mute,
            }),
        )
        .map_err(Failure::runtime);
    }
    play_in_terminal(data_dir, practice, args.mute)
}

fn clock_text(micros: Micros) -> String {
    let seconds = micros / 1_000_000;
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

fn step_line(practice: &Practice, moment: &Moment) -> String {
    let count = practice.steps.len();
    let what = match practice.steps.get(moment.step_index) {
        Some(Step::Prompt(prompt)) => prompt.text.clone(),
        Some(Step::Breathe(block)) => {
            let mut text = format!("breathe {}", block.pattern.short_name());
            if let Some(target) = &block.ramp_to {
                text.push_str(&format!(" easing to {}", target.short_name()));
            }
            text
        }
        None => String::new(),
    };
    format!(
        "{}  step {} of {count}: {what}",
        clock_text(moment.elapsed),
        moment.step_index + 1
    )
}

fn phase_line(moment: &Moment) -> String {
    format!(
        "{}  {:<12} {:.1} s",
        clock_text(moment.elapsed),
        moment.phase.label(),
        moment.phase_remaining as f64 / 1e6
    )
}

/// An audio-only session: cues on the device, a line per change on the terminal.
fn play_in_terminal(data_dir: &DataDir, practice: Practice, mute: bool) -> Outcome {
    let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
    if let Some(problem) = settings_problem {
        eprintln!("downshift: {problem}");
    }
    let output = if mute {
        None
    } else {
        match AudioOutput::open() {
            Ok(output) => {
                output.wait_until_flowing();
                Some(output)
            }
            Err(reason) => {
                eprintln!("downshift: no sound device ({reason}); the session runs silently");
                None
            }
        }
    };
    let bank = output.as_ref().map(|o| {
        let (bank, notices) = SoundBank::load(o.sample_rate(), Some(&data_dir.sounds_dir()));
        for notice in notices {
            eprintln!("downshift: {notice}");
        }
        bank
    });
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = Arc::clone(&interrupted);
        if let Err(e) = ctrlc::set_handler(move || interrupted.store(true, Ordering::SeqCst)) {
            log::warn!("Ctrl-C cannot be caught: {e}");
        }
    }
    let epoch = Instant::now();
    let now = || epoch.elapsed().as_micros() as Micros;
    let sound = SoundChoice::from_settings(&settings);
    let mut session =
        LiveSession::start(practice, now(), output.as_ref().zip(bank.as_ref()), sound)
            .map_err(|problems| Failure::usage(problems[0].to_string()))?;
    let total = session.timeline().total();
    println!(
        "{}: {} ({}). Ctrl-C ends it.",
        session.practice().name,
        clock_text(total),
        session.practice().summary()
    );
    let mut output = output;
    let mut last: Option<(usize, Phase, u32)> = None;
    let stdout = std::io::stdout();
    loop {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        if let Some(device) = output.as_mut()
            && device.is_lost()
        {
            eprintln!("downshift: the sound device stopped; the session goes on silently");
            session.lose_sound(now());
            output = None;
        }
        let moment = session.moment(now());
        if moment.finished {
            break;
        }
        let key = (moment.step_index, moment.phase, moment.breaths_completed);
        if last != Some(key) {
            let mut out = stdout.lock();
            if last.is_none_or(|(step, ..)| step != moment.step_index) {
                let _ = writeln!(out, "{}", step_line(session.practice(), &moment));
            }
            if moment.step_kind == StepKind::Breathe {
                let _ = writeln!(out, "{}", phase_line(&moment));
            }
            let _ = out.flush();
            last = Some(key);
        }
        // Wake for the next change; the sound keeps its own time meanwhile.
        let wait = Duration::from_micros(moment.phase_remaining.clamp(1_000, 50_000));
        std::thread::sleep(wait);
    }
    let outcome = session.end(now());
    let deadline = Instant::now() + Duration::from_secs(6);
    while !session.sound_done() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(output);
    println!(
        "{} {} minutes, {} breaths.",
        if outcome.completed {
            "Completed:"
        } else {
            "Ended early:"
        },
        format_minutes(outcome.practised),
        outcome.breaths
    );
    let Some(record) = session.record() else {
        return Ok(());
    };
    append_record(&data_dir.history_path(), &record).map_err(|e| {
        Failure::runtime(format!(
            "the session could not be saved to {}: {e}",
            data_dir.history_path().display()
        ))
    })
}

fn format_minutes(micros: Micros) -> String {
    format!("{:.1}", micros as f64 / 60e6)
}

fn presets(data_dir: &DataDir, command: PresetsCommand) -> Outcome {
    match command {
        PresetsCommand::List => {
            let library = library(data_dir);
            let mut out = std::io::stdout().lock();
            for entry in &library.entries {
                let description = entry.practice.description.replace(['\t', '\n'], " ");
                let _ = writeln!(out, "{}\t{}", entry.practice.name, description);
            }
            Ok(())
        }
        PresetsCommand::Show { name } => {
            let library = library(data_dir);
            let entry = library.find(&name).ok_or_else(|| no_such_practice(&name))?;
            if let Origin::User { path, customises } = &entry.origin {
                let note = if *customises {
                    ", customising a built-in"
                } else {
                    ""
                };
                println!("// {}{note}", path.display());
            }
            print!("{}", to_ron(&entry.practice));
            Ok(())
        }
        PresetsCommand::Validate { files } => {
            let mut bad = 0;
            for file in &files {
                match read_preset_file(file) {
                    Ok(practice) => println!("{}: ok ({})", file.display(), practice.name),
                    Err(errors) => {
                        bad += 1;
                        for error in errors {
                            eprintln!("{error}");
                        }
                    }
                }
            }
            if bad > 0 {
                Err(Failure::usage(format!(
                    "{bad} of {} files have problems",
                    files.len()
                )))
            } else {
                Ok(())
            }
        }
        PresetsCommand::Import { file, force } => import(data_dir, &file, force),
        PresetsCommand::Export { name, file, force } => {
            let library = library(data_dir);
            let entry = library.find(&name).ok_or_else(|| no_such_practice(&name))?;
            if file.exists() && !force {
                return Err(Failure::usage(format!(
                    "{} already exists; add --force to replace it",
                    file.display()
                )));
            }
            write_preset(&file, &entry.practice).map_err(|e| {
                Failure::runtime(format!("{} could not be written: {e}", file.display()))
            })?;
            println!("Wrote \"{}\" to {}", entry.practice.name, file.display());
            Ok(())
        }
    }
}

fn import(data_dir: &DataDir, file: &Path, force: bool) -> Outcome {
    let practice = match read_preset_file(file) {
        Ok(practice) => practice,
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            return Err(Failure::usage(format!(
                "{} was not imported: it has {} problem{}",
                file.display(),
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            )));
        }
    };
    let library = library(data_dir);
    let existing = library.find(&practice.name);
    let target = match existing.map(|e| &e.origin) {
        Some(Origin::User { path, .. }) => {
            if !force {
                return Err(Failure::usage(format!(
                    "you already have a preset called \"{}\" ({}); add --force to replace it",
                    practice.name,
                    path.display()
                )));
            }
            path.clone()
        }
        _ => free_path(&data_dir.presets_dir(), &file_name_for(&practice.name)),
    };
    write_preset(&target, &practice)
        .map_err(|e| Failure::runtime(format!("{} could not be written: {e}", target.display())))?;
    let customises = matches!(existing.map(|e| &e.origin), Some(Origin::BuiltIn));
    println!(
        "Imported \"{}\" to {}{}",
        practice.name,
        target.display(),
        if customises {
            " (it customises the built-in of that name)"
        } else {
            ""
        }
    );
    Ok(())
}

fn history(data_dir: &DataDir, format: HistoryFormat) -> Outcome {
    let path = data_dir.history_path();
    let history = load_history(&path)
        .map_err(|e| Failure::runtime(format!("{} cannot be read: {e}", path.display())))?;
    for problem in &history.problems {
        eprintln!("downshift: {problem}");
    }
    let mut out = std::io::stdout().lock();
    let written = match format {
        HistoryFormat::Table => crate::store::history::write_table(&mut out, &history.records),
        HistoryFormat::Csv => crate::store::history::write_csv(&mut out, &history.records),
        HistoryFormat::Json => crate::store::history::write_json(&mut out, &history.records),
    };
    written.map_err(|e| Failure::runtime(format!("could not print the history: {e}")))
}
