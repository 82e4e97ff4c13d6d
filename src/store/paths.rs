//! Where a person's data lives: `--data-dir`, else `$DOWNSHIFT_DATA_DIR`, else the platform's
//! data directory.

use std::path::{Path, PathBuf};

pub const DATA_DIR_ENV: &str = "DOWNSHIFT_DATA_DIR";

/// The one folder holding everything downshift keeps for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    /// The folder chosen by the command line, the environment, or the platform, in that order.
    pub fn resolve(from_command_line: Option<&Path>) -> Option<Self> {
        if let Some(path) = from_command_line {
            return Some(Self::new(path));
        }
        if let Some(path) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            return Some(Self::new(path));
        }
        Self::platform_default()
    }

    /// The platform's data folder (`~/.local/share/downshift` on Linux), if there is a home.
    pub fn platform_default() -> Option<Self> {
        directories::ProjectDirs::from("", "", "downshift").map(|dirs| Self::new(dirs.data_dir()))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn presets_dir(&self) -> PathBuf {
        self.root.join("presets")
    }

    pub fn sounds_dir(&self) -> PathBuf {
        self.root.join("sounds")
    }

    pub fn history_path(&self) -> PathBuf {
        self.root.join("history.log")
    }

    /// The daily check-ins, one a line, appended.
    pub fn checkins_path(&self) -> PathBuf {
        self.root.join("checkins.log")
    }

    /// The small tests of a change (the one running, and those before).
    pub fn small_tests_path(&self) -> PathBuf {
        self.root.join("small-tests.ron")
    }

    /// How the reminders went each day, for "What changed?".
    pub fn reminder_days_path(&self) -> PathBuf {
        self.root.join("reminder-days.ron")
    }

    pub fn progress_path(&self) -> PathBuf {
        self.root.join("progress.ron")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.root.join("settings.ron")
    }

    /// One checkpoint per live session (`<record id>.ron`) and its lock (`<record id>.lock`).
    pub fn checkpoints_dir(&self) -> PathBuf {
        self.root.join("checkpoints")
    }

    /// The raw beat-to-beat intervals of sessions with a heart rate strap, one file a session
    /// (`<record id>.rr`), kept only when the person asks for them.
    pub fn heart_dir(&self) -> PathBuf {
        self.root.join("heart")
    }

    /// Creates the folder (readable by its owner only) if it is not there yet.
    pub fn ensure_exists(&self) -> std::io::Result<()> {
        create_private_dir(&self.root)
    }
}

/// Creates `dir` and its parents; a new folder is readable by its owner only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
