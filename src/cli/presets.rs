//! `downshift presets list | show | validate | import | export`.

use std::io::Write;
use std::path::Path;

use super::{CommandResult, Failure, library, no_such_practice};
use crate::app::preset_files::{self, FileRefusal};
use crate::store::presets::{read_preset_file, to_ron};
use crate::store::{DataDir, Origin};

use super::PresetsCommand;

pub(super) fn presets(data_dir: &DataDir, command: PresetsCommand) -> CommandResult {
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
            // As the window's "About this practice" says it; comments, so the output still
            // imports. The notes and sources are the preset's own fields below.
            let about = crate::app::screen::AboutPractice::of(&entry.practice);
            println!("// {}", about.gentle_line());
            if entry.practice.sources.is_empty() {
                println!("// Sources: none given.");
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
            preset_files::export_preset(&entry.practice, &file, force).map_err(refused)?;
            println!("Wrote \"{}\" to {}", entry.practice.name, file.display());
            Ok(())
        }
    }
}

/// A refused import or export, said the terminal's way.
fn refused(refusal: FileRefusal) -> Failure {
    match refusal {
        FileRefusal::Failed(why) => Failure::runtime(why),
        FileRefusal::Invalid(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            Failure::usage(format!(
                "not imported: the file has {} problem{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ))
        }
        taken @ (FileRefusal::NameTaken { .. } | FileRefusal::Exists(_)) => {
            Failure::usage(format!("{taken}; add --force to replace it"))
        }
        other => Failure::usage(other.to_string()),
    }
}

fn import(data_dir: &DataDir, file: &Path, force: bool) -> CommandResult {
    let library = library(data_dir);
    let imported = preset_files::import_preset(data_dir, &library, file, force).map_err(refused)?;
    println!(
        "Imported \"{}\" to {}{}",
        imported.name,
        imported.path.display(),
        if imported.customises {
            " (it customises the built-in of that name)"
        } else {
            ""
        }
    );
    Ok(())
}
