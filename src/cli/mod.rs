//! The command line: parse, then open the window, play in the terminal, manage presets or show
//! the history. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod assets;
mod checkin;
mod doctor;
mod heart;
mod history;
mod play;
mod presets;

use crate::practice::{Practice, Timeline};
use crate::store::{DataDir, Library, Settings};

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

    /// Start in the tray with no window, for the reminders (what "Start with my desktop
    /// session" runs). The window opens from the tray's menu, a reminder, or starting downshift
    /// again.
    #[arg(long)]
    pub background: bool,

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
    /// Add a daily check-in: pain, interference, sleep and stress, and what was different.
    Checkin(checkin::CheckInArgs),
    /// Show every check-in, or delete one.
    Checkins {
        /// How to print them.
        #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
        format: HistoryFormat,
        /// Delete the check-in with this id (as `--format csv` prints it) and what was added to
        /// it; every other line of checkins.log stays as it was.
        #[arg(long, value_name = "ID")]
        delete: Option<String>,
    },
    /// What your check-ins show about what goes with your pain, or why nothing yet.
    Patterns {
        /// How to print it.
        #[arg(long, value_enum, default_value_t = checkin::PatternsFormat::Text)]
        format: checkin::PatternsFormat,
    },
    /// The heart during slow breathing: a resonance test recorded with another device.
    #[command(subcommand)]
    Heart(heart::HeartCommand),
    /// What this desktop offers (tray, notifications, idle time, full screen, do-not-disturb,
    /// keep-awake, sound) and what downshift uses, a line each, for a bug report. Reads only.
    Doctor(doctor::DoctorArgs),
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
    /// No window: play the cues and print one line per step and phase change. Ctrl-C, closing the terminal or SIGTERM ends it early (recorded).
    #[arg(long)]
    pub no_window: bool,
    /// No sound.
    #[arg(long)]
    pub mute: bool,
    /// Gentle mode for this session (also on when Settings has it): a practice with breath
    /// holds or breaths under 8 s is refused (exit 2) unless --start-anyway is given.
    #[arg(long)]
    pub gentle: bool,
    /// Start a practice outside gentle mode all the same.
    #[arg(long)]
    pub start_anyway: bool,
    /// Replay a recording of beat-to-beat intervals as if a heart rate strap sent them, from
    /// the session's start at their own pace: the heart rate and its swing with each breath
    /// are shown (and printed with --no-window) and kept in the record, without a strap. FILE
    /// holds one interval in milliseconds a line, as `heart analyze` reads.
    #[arg(long, value_name = "FILE")]
    pub heart_rate_from: Option<PathBuf>,
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

pub type CommandResult = Result<(), Failure>;

/// Runs the program with the process's arguments.
pub fn main() -> ExitCode {
    // Everything downshift writes is the person's own: readable by them only.
    #[cfg(unix)]
    // SAFETY: umask only sets this process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("error")).init();
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() == Some(std::ffi::OsStr::new(assets::WRITE_ASSETS)) {
        let Some(out) = args.next() else {
            eprintln!("usage: downshift {} DIR", assets::WRITE_ASSETS);
            return ExitCode::from(2);
        };
        return match assets::write_assets(std::path::Path::new(&out)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("downshift: {}", failure.message);
                ExitCode::from(failure.code)
            }
        };
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_exit(error),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "downshift: {}", failure.message);
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

pub fn run(cli: Cli) -> CommandResult {
    let data_dir = DataDir::resolve(cli.data_dir.as_deref()).ok_or_else(|| {
        Failure::runtime(
            "no data folder could be found: pass --data-dir DIR or set DOWNSHIFT_DATA_DIR",
        )
    })?;
    if matches!(
        cli.command,
        Some(Command::Play(_) | Command::History { .. })
    ) {
        recover(&data_dir);
    }
    match cli.command {
        None => open_window(&data_dir, None, cli.background),
        Some(_) if cli.background => Err(Failure::usage(
            "--background starts downshift in the tray; it goes with no command",
        )),
        Some(Command::Play(args)) => play(&data_dir, args),
        Some(Command::Presets(command)) => presets::presets(&data_dir, command),
        Some(Command::History { format }) => history::history(&data_dir, format),
        Some(Command::Checkin(args)) => checkin::checkin(&data_dir, args),
        Some(Command::Checkins {
            delete: Some(id), ..
        }) => checkin::delete(&data_dir, &id),
        Some(Command::Checkins { format, .. }) => checkin::checkins(&data_dir, format),
        Some(Command::Patterns { format }) => checkin::patterns(&data_dir, format),
        Some(Command::Heart(command)) => heart::heart(command),
        Some(Command::Doctor(args)) => doctor::doctor(args),
    }
}

/// Sessions cut off last time (a crash, a kill, a power cut) become history records first.
fn recover(data_dir: &DataDir) {
    let recovery = crate::store::checkpoint::recover_interrupted(data_dir);
    let mut err = std::io::stderr();
    for record in &recovery.recovered {
        let _ = writeln!(
            err,
            "downshift: a session of {} that was cut off ({}) is now in your history",
            record.practice, record.started
        );
    }
    for problem in &recovery.problems {
        let _ = writeln!(err, "downshift: {problem}");
    }
}

fn library(data_dir: &DataDir) -> Library {
    let library = Library::load(Some(&data_dir.presets_dir()));
    for problem in &library.problems {
        let _ = writeln!(std::io::stderr(), "downshift: skipped {problem}");
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

fn play(data_dir: &DataDir, args: PlayArgs) -> CommandResult {
    let library = library(data_dir);
    let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
    let name = match &args.preset {
        Some(name) => name.clone(),
        None => {
            let local = crate::clock::Clocks::system().local();
            let (index, why) = crate::app::suggestion::suggestion(&library, &settings, local)
                .ok_or_else(|| Failure::usage("no practice is suggested for now: name one"))?;
            println!("{why}");
            library.entries[index].practice.name.clone()
        }
    };
    let practice = practice_to_play(&library, &name, args.minutes)?;
    if (args.gentle || settings.gentle_mode) && !args.start_anyway {
        let (progress, _) = crate::store::progress::ProgressBook::load(&data_dir.progress_path());
        let reasons = crate::app::progression::outside_gentle_mode(&progress, &practice);
        if !reasons.is_empty() {
            let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
            return Err(Failure::usage(format!(
                "\"{}\" is outside gentle mode ({}). Choose a practice without holds and with \
                 breaths of at least 8 s, or add --start-anyway",
                practice.name,
                reasons.join("; ")
            )));
        }
    }
    let heart_recording = match &args.heart_rate_from {
        Some(file) => Some(crate::practice::heart::Recording {
            name: file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into(),
            ),
            rr_ms: crate::store::rr_file::read_rr_file(file)
                .map_err(|e| Failure::usage(e.to_string()))?,
        }),
        None => None,
    };
    if !args.no_window {
        return open_window(
            data_dir,
            Some(crate::ui::StartRequest {
                practice,
                muted: args.mute,
                heart_recording,
            }),
            false,
        );
    }
    play::play_in_terminal(
        data_dir,
        practice,
        (settings, settings_problem),
        play::Choices {
            mute: args.mute,
            gentle: args.gentle,
            heart_recording,
        },
    )
}

/// Opens the window, unless downshift runs already: then that copy's window comes to the front
/// and this one leaves (one copy at a time, so reminders are never shown twice). Terminal
/// commands never come here and run beside it.
fn open_window(
    data_dir: &DataDir,
    start: Option<crate::ui::StartRequest>,
    background: bool,
) -> CommandResult {
    use crate::desktop::single_copy::{self, Claim};
    let claim = if background {
        single_copy::claim_quietly(None, crate::APP_ID)
    } else {
        single_copy::claim(None, crate::APP_ID)
    };
    let single_copy = match claim {
        Claim::First(single_copy) => {
            log::info!(
                "single copy: this copy owns {} on the session bus",
                crate::APP_ID
            );
            Some(single_copy)
        }
        Claim::Activated => {
            return match start {
                None => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "downshift: already running; its window was brought to the front"
                    );
                    Ok(())
                }
                Some(request) => Err(Failure::runtime(format!(
                    "already running; its window was brought to the front, but \"{}\" was not \
                     started there: start it in that window, or play it with --no-window",
                    request.practice.name
                ))),
            };
        }
        Claim::AlreadyRunning => {
            let _ = writeln!(
                std::io::stderr(),
                "downshift: already running; --background leaves it as it is"
            );
            return Ok(());
        }
        Claim::NoAnswer(reason) => {
            return Err(Failure::runtime(format!(
                "downshift is already running but did not come to the front ({reason})"
            )));
        }
        Claim::Off(reason) => {
            log::info!("single copy is off (every start opens a window): {reason}");
            None
        }
    };
    let activations = single_copy.as_ref().map(|s| s.activations());
    // `single_copy` holds the name on the bus until the window has closed.
    crate::ui::run(data_dir.clone(), start, activations, background).map_err(Failure::runtime)
}
