//! The operations the window and the terminal share, each implemented once: which practice suits
//! the time of day, the rules for importing and exporting a preset, and moving a progressive
//! practice on after a session. Files are touched only where the operation is about a file
//! (import, export); everything else is pure.

use std::path::{Path, PathBuf};

use crate::practice::Practice;
use crate::practice::pacing::{Offer, SessionFacts, after_session, answer, minute_of, slot_at};
use crate::store::presets::{file_name_for, free_path, read_preset_file, write_preset};
use crate::store::progress::{LevelChange, ProgressBook};
use crate::store::{DataDir, Library, Origin, PresetError, SessionRecord, Settings};

/// The practice to suggest at a local time, as an index into `library`, and why.
pub fn suggestion(
    library: &Library,
    settings: &Settings,
    at: jiff::civil::DateTime,
) -> Option<(usize, String)> {
    let minute_of_day = minute_of(at);
    let slot = slot_at(&settings.time_slots, minute_of_day)?;
    let index = library.position(&slot.practice)?;
    let (hours, minutes) = (minute_of_day / 60, minute_of_day % 60);
    Some((
        index,
        format!("It's {hours:02}:{minutes:02} — {}.", slot.reason),
    ))
}

/// Why an import or export did not happen. All but `Failed` are the person's to fix (exit code
/// 2 in the terminal); each front end says in its own way how to replace a file or a preset.
#[derive(Debug)]
pub enum FileRefusal {
    /// The preset file has problems, each with its file, line, column and field.
    Invalid(Vec<PresetError>),
    /// One's own practice already has this name (in this file).
    NameTaken { name: String, path: PathBuf },
    /// The file to export to is there already.
    Exists(PathBuf),
    /// No file was given to export to.
    NoTarget,
    /// Writing failed.
    Failed(String),
}

impl std::fmt::Display for FileRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileRefusal::Invalid(errors) => match errors.as_slice() {
                [one] => write!(f, "{one}"),
                [first, ..] => write!(f, "{first} (and {} more problems)", errors.len() - 1),
                [] => write!(f, "the file has problems"),
            },
            FileRefusal::NameTaken { name, path } => write!(
                f,
                "you already have a practice called \"{name}\" ({})",
                path.display()
            ),
            FileRefusal::Exists(path) => write!(f, "{} already exists", path.display()),
            FileRefusal::NoTarget => write!(f, "type the file to export to first"),
            FileRefusal::Failed(why) => f.write_str(why),
        }
    }
}

/// What an import did.
#[derive(Debug, PartialEq)]
pub struct Imported {
    pub name: String,
    pub path: PathBuf,
    /// It customises the built-in of the same name.
    pub customises: bool,
}

/// Adds a preset file to one's presets after checking it. A preset of one's own with the same
/// name is replaced only when `replace` is set; a built-in of that name is customised.
pub fn import_preset(
    data_dir: &DataDir,
    library: &Library,
    file: &Path,
    replace: bool,
) -> Result<Imported, FileRefusal> {
    let practice = read_preset_file(file).map_err(FileRefusal::Invalid)?;
    let existing = library.find(&practice.name);
    let path = match existing.map(|e| &e.origin) {
        Some(Origin::User { path, .. }) if replace => path.clone(),
        Some(Origin::User { path, .. }) => {
            return Err(FileRefusal::NameTaken {
                name: practice.name,
                path: path.clone(),
            });
        }
        _ => free_path(&data_dir.presets_dir(), &file_name_for(&practice.name)),
    };
    write_preset(&path, &practice).map_err(|e| {
        FileRefusal::Failed(format!("{} could not be written: {e}", path.display()))
    })?;
    Ok(Imported {
        customises: matches!(existing.map(|e| &e.origin), Some(Origin::BuiltIn)),
        name: practice.name,
        path,
    })
}

/// Writes a practice to a preset file; an existing file is replaced only when `replace` is set.
pub fn export_preset(practice: &Practice, target: &Path, replace: bool) -> Result<(), FileRefusal> {
    if target.as_os_str().is_empty() {
        return Err(FileRefusal::NoTarget);
    }
    if target.exists() && !replace {
        return Err(FileRefusal::Exists(target.to_path_buf()));
    }
    write_preset(target, practice)
        .map_err(|e| FileRefusal::Failed(format!("{} could not be written: {e}", target.display())))
}

/// `name (copy)`, `name (copy 2)`… whichever no practice has yet.
pub fn free_name(library: &Library, name: &str) -> String {
    let mut candidate = format!("{name} (copy)");
    let mut n = 2;
    while library.find(&candidate).is_some() {
        candidate = format!("{name} (copy {n})");
        n += 1;
    }
    candidate
}

/// The exhale a progressive practice is breathed at now, and its target.
pub fn level_of(progress: &ProgressBook, practice: &Practice) -> Option<(f64, f64)> {
    let progression = practice.progression?;
    let base = practice.base_exhale()?;
    let level = progress.standing(&practice.name, base).exhale;
    Some((level, progression.target_exhale))
}

/// The practice as it is breathed today: a progressive one at the person's level.
pub fn at_current_level(progress: &ProgressBook, practice: Practice) -> Practice {
    match level_of(progress, &practice) {
        Some((level, _)) => practice.with_exhale(level),
        None => practice,
    }
}

/// Moves a progressive practice's standing on after a session. Returns whether the book changed
/// (so it must be saved) and the step to offer, if one is due.
/// In gentle mode no offer is made whose step would take the practice outside it.
pub fn progress_after(
    progress: &mut ProgressBook,
    practice: &Practice,
    record: &SessionRecord,
    gentle_mode: bool,
) -> (bool, Option<Offer>) {
    let (Some((_, target)), Some(base)) = (level_of(progress, practice), practice.base_exhale())
    else {
        return (false, None);
    };
    let standing = progress.standing(&practice.name, base);
    let facts = SessionFacts {
        completed: record.completed(),
        tension_before: record.tension_before,
        tension_after: record.tension_after,
    };
    // Never an exhale shorter than the inhale: the out-breath stays the longer one.
    let floor = practice
        .breathe_blocks()
        .next()
        .map_or(2.0, |b| b.pattern.inhale);
    let (next, offer) = after_session(&standing, facts, target, floor);
    progress.set(&practice.name, next, None);
    let offer = offer.filter(|offer| {
        !gentle_mode || crate::practice::fits_gentle_mode(&practice.with_exhale(offer.to))
    });
    (true, offer)
}

/// Applies the person's yes or no to an offer, dated `today`.
pub fn answer_offer(
    progress: &mut ProgressBook,
    library: &Library,
    practice: &str,
    offer: &Offer,
    accepted: bool,
    today: jiff::civil::Date,
) {
    let base = library
        .find(practice)
        .and_then(|e| e.practice.base_exhale())
        .unwrap_or(offer.from);
    let standing = progress.standing(practice, base);
    let next = answer(&standing, offer, accepted);
    let change = accepted.then(|| LevelChange {
        date: today.to_string(),
        from: offer.from,
        to: offer.to,
    });
    progress.set(practice, next, change);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(dir.path());
        (dir, data)
    }

    #[test]
    fn in_gentle_mode_no_step_back_is_offered_that_would_leave_it() {
        use crate::practice::{BreatheBlock, Pattern, Progression, Step};
        // 2.5 in, 6 out: 8.5 s a breath. Stepping back 15 % makes it 7.6 s.
        let mut practice = Practice::new(
            "Short in",
            vec![Step::Breathe(BreatheBlock::minutes(
                Pattern::in_out(2.5, 6.0),
                5.0,
            ))],
        );
        practice.progression = Some(Progression { target_exhale: 8.0 });
        let started: crate::store::history::StartTime =
            "2026-11-23T21:00:00+01:00".parse().expect("a start time");
        let ended_early = SessionRecord {
            version: 1,
            id: "a".into(),
            started,
            practice: practice.name.clone(),
            practised: practice.summary(),
            planned_seconds: 300.0,
            breathed_seconds: 60.0,
            paused_seconds: 0.0,
            breaths: 7,
            end: crate::store::SessionEnd::EndedEarly { step: 1 },
            tension_before: None,
            tension_after: None,
            note: String::new(),
            app_version: "test".into(),
        };
        let (_, offer) =
            progress_after(&mut ProgressBook::default(), &practice, &ended_early, false);
        let offer = offer.expect("a step back, outside gentle mode");
        assert_eq!((offer.from, offer.to), (6.0, 5.1));
        let (_, offer) =
            progress_after(&mut ProgressBook::default(), &practice, &ended_early, true);
        assert_eq!(offer, None, "7.6 s a breath would leave gentle mode");
    }

    #[test]
    fn an_import_never_replaces_ones_own_preset_unless_asked() {
        let (dir, data) = data_dir();
        let file = dir.path().join("mine.ron");
        let practice = crate::app::screen::Editor::blank_practice();
        write_preset(&file, &practice).expect("written");
        let first = import_preset(
            &data,
            &Library::load(Some(&data.presets_dir())),
            &file,
            false,
        )
        .expect("imported");
        assert!(!first.customises);
        let library = Library::load(Some(&data.presets_dir()));
        let again = import_preset(&data, &library, &file, false);
        assert!(matches!(again, Err(FileRefusal::NameTaken { .. })));
        let replaced = import_preset(&data, &library, &file, true).expect("replaced");
        assert_eq!(replaced.path, first.path);
    }

    #[test]
    fn an_export_never_replaces_a_file_unless_asked() {
        let (dir, _) = data_dir();
        let target = dir.path().join("out.ron");
        std::fs::write(&target, "keep me").expect("written");
        let practice = crate::app::screen::Editor::blank_practice();
        assert!(matches!(
            export_preset(&practice, &target, false),
            Err(FileRefusal::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
        export_preset(&practice, &target, true).expect("replaced");
        assert!(
            std::fs::read_to_string(&target)
                .expect("read")
                .contains("My practice")
        );
    }

    #[test]
    fn the_suggestion_follows_the_time_of_day() {
        let library = Library::built_in();
        let settings = Settings::default();
        let at = |h, m| jiff::civil::date(2026, 11, 23).at(h, m, 0, 0);
        let (index, why) = suggestion(&library, &settings, at(17, 5)).expect("a suggestion");
        assert_eq!(library.entries[index].practice.name, "Work to home");
        assert_eq!(why, "It's 17:05 — time to leave work behind.");
        let (index, _) = suggestion(&library, &settings, at(2, 0)).expect("a suggestion");
        assert_eq!(library.entries[index].practice.name, "Night 3-7");
    }
}
