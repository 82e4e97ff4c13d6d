//! `downshift __write-assets DIR` (for the Makefile only; not a command of the command line, so
//! it is in no man page or completion): the man pages and shell completions from the command
//! line's own definition, written by the release binary itself, so `make install` and `make deb`
//! build the dependencies once (an example needed a second, debug build of them).
//!
//! DIR/man/man1/downshift.1, one page per subcommand (downshift-play.1, ...), and
//! DIR/completions/{bash/downshift, zsh/_downshift, fish/downshift.fish}.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::{Cli, CommandResult, Failure};

/// The first argument that asks for the assets.
pub const WRITE_ASSETS: &str = "__write-assets";

pub(super) fn write_assets(out: &Path) -> CommandResult {
    write_all(out).map_err(|e| Failure::runtime(format!("{}: {e}", out.display())))
}

fn write_all(out: &Path) -> std::io::Result<()> {
    let man_dir = out.join("man/man1");
    std::fs::create_dir_all(&man_dir)?;
    // One page per subcommand (downshift-play.1, downshift-presets-list.1, ...), then the main
    // page again with the sections a person looks for: exit status, environment, files.
    clap_mangen::generate_to(Cli::command(), &man_dir)?;
    write_main_page(&man_dir.join("downshift.1"))?;

    for (shell, path) in [
        (Shell::Bash, "completions/bash/downshift"),
        (Shell::Zsh, "completions/zsh/_downshift"),
        (Shell::Fish, "completions/fish/downshift.fish"),
    ] {
        let path = out.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = BufWriter::new(File::create(&path)?);
        clap_complete::generate(shell, &mut Cli::command(), "downshift", &mut file);
        file.flush()?;
    }
    Ok(())
}

const NO_ARGS: [&str; 0] = [];

fn write_main_page(path: &Path) -> std::io::Result<()> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let man = Man::new(command);
    let mut file = BufWriter::new(File::create(path)?);
    man.render_title(&mut file)?;
    man.render_name_section(&mut file)?;
    man.render_synopsis_section(&mut file)?;
    man.render_description_section(&mut file)?;
    man.render_options_section(&mut file)?;
    man.render_subcommands_section(&mut file)?;

    let mut roff = Roff::default();
    roff.control("SH", ["ONE COPY AT A TIME"]);
    roff.text([roman(
        "Starting the window while downshift already runs brings the running copy's window to \
         the front and exits with 0. The terminal commands (play --no-window, presets, history) \
         run beside it.",
    )]);
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "ok"),
        (
            "1",
            "a runtime failure, such as a file that cannot be written",
        ),
        (
            "2",
            "bad usage or bad input: an unknown command, a preset that does not validate",
        ),
    ] {
        roff.control("TP", NO_ARGS);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    roff.control("TP", NO_ARGS);
    roff.text([bold("DOWNSHIFT_DATA_DIR")]);
    roff.text([roman(
        "The data folder, when --data-dir is not given (default: ~/.local/share/downshift).",
    )]);
    roff.control("SH", ["FILES"]);
    for (file, what) in [
        (
            "presets/*.ron",
            "your own presets; one with a built-in's name customises it",
        ),
        (
            "sounds/*.wav",
            "your own cue sounds; one named like a built-in replaces it",
        ),
        ("history.log", "one line per session, appended when it ends"),
        (
            "checkins.log",
            "one line per daily check-in (pain, interference, sleep, stress, marks), appended",
        ),
        (
            "small-tests.ron",
            "your small tests of a change, each with its schedule as drawn",
        ),
        ("settings.ron", "your settings"),
        (
            "progress.ron",
            "where each progressive practice stands for you",
        ),
        ("window.ron", "the window's size and position"),
        (
            "heart/*.rr",
            "each session's raw beat-to-beat intervals from a heart rate strap, kept only if you \
             ask for them in Settings (one interval in milliseconds a line)",
        ),
    ] {
        roff.control("TP", NO_ARGS);
        roff.text([italic(file)]);
        roff.text([roman(format!("In the data folder: {what}."))]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "downshift-play(1), downshift-presets(1), downshift-history(1), downshift-checkin(1), \
         downshift-checkins(1), downshift-patterns(1), downshift-heart-analyze(1). Not medical \
         advice: \
         stop and breathe normally if you feel light-headed, dizzy, tingly or your heart races.",
    )]);
    roff.to_writer(&mut file)?;
    man.render_version_section(&mut file)?;
    file.flush()
}
