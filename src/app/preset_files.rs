//! Importing and exporting a preset file, with the rules the window and the terminal share: a
//! file is checked before it joins one's presets, and nothing of one's own is replaced unless
//! asked.

use std::path::{Path, PathBuf};

use crate::practice::Practice;
use crate::store::presets::{file_name_for, free_path, read_preset_file, write_preset};
use crate::store::{DataDir, Library, Origin, PresetError};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(dir.path());
        (dir, data)
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
}
