//! `downshift presets list | show | validate | import | export`.

use std::io::Write;
use std::path::Path;

use super::{Failure, Outcome, library, no_such_practice};
use crate::store::presets::{file_name_for, free_path, read_preset_file, to_ron, write_preset};
use crate::store::{DataDir, Origin};

use super::PresetsCommand;

pub(super) fn presets(data_dir: &DataDir, command: PresetsCommand) -> Outcome {
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

