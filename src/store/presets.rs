//! Preset files: the built-in library embedded in the binary, the person's own folder, and the
//! RON text format both use. A bad file is named with its line, column and field, and skipped.

use std::fmt;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::Deserialize;

use crate::practice::{FORMAT_VERSION, Practice, Profile, same_name, validate};

use super::atomic::write_atomic;
use super::locate::locate;

/// Preset files larger than this are refused unread.
pub const MAX_PRESET_BYTES: u64 = 1024 * 1024;
/// Deeper nesting than a practice needs is refused (a practice needs 5 levels).
const MAX_NESTING: usize = 12;

/// The built-in practices, embedded at compile time so the binary works from anywhere.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "evening-wind-down.ron",
        include_str!("../../presets/evening-wind-down.ron"),
    ),
    (
        "work-to-home.ron",
        include_str!("../../presets/work-to-home.ron"),
    ),
    (
        "micro-rest-reset.ron",
        include_str!("../../presets/micro-rest-reset.ron"),
    ),
    (
        "extended-exhale-4-6.ron",
        include_str!("../../presets/extended-exhale-4-6.ron"),
    ),
    (
        "extended-exhale-4-8.ron",
        include_str!("../../presets/extended-exhale-4-8.ron"),
    ),
    (
        "cyclic-sighing.ron",
        include_str!("../../presets/cyclic-sighing.ron"),
    ),
    (
        "resonance-5-5.ron",
        include_str!("../../presets/resonance-5-5.ron"),
    ),
    ("night-3-7.ron", include_str!("../../presets/night-3-7.ron")),
    (
        "box-4-4-4-4.ron",
        include_str!("../../presets/box-4-4-4-4.ron"),
    ),
    ("4-7-8.ron", include_str!("../../presets/4-7-8.ron")),
];

/// What is wrong with one preset file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresetError {
    /// The file as the person knows it (a path, or `built-in/NAME.ron`).
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The field at fault, as written in the file, when one is known.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for PresetError {}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(MAX_NESTING)
}

/// The practice as a pleasant, hand-editable RON file.
pub fn to_ron(practice: &Practice) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("    ")
        .separate_tuple_members(false);
    match ron_options().to_string_pretty(practice, pretty) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serialising plain numbers and strings cannot fail; keep a readable fallback anyway.
        Err(error) => format!("// could not write this preset: {error}\n"),
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: Option<u32>,
}

/// Reads and validates one preset's text; `file` names it in errors.
pub fn parse_preset(file: &str, text: &str) -> Result<Practice, Vec<PresetError>> {
    let error_at = |line, column, field: Option<&str>, message: String| PresetError {
        file: file.to_owned(),
        line,
        column,
        field: field.map(str::to_owned),
        message,
    };
    if text.len() as u64 > MAX_PRESET_BYTES {
        return Err(vec![error_at(
            1,
            1,
            None,
            format!(
                "is larger than {} KiB; a preset is a few lines",
                MAX_PRESET_BYTES / 1024
            ),
        )]);
    }
    // A newer file may have fields this version has never heard of: say so before anything else.
    if let Ok(VersionProbe {
        version: Some(version),
    }) = ron_options().from_str::<VersionProbe>(text)
        && version > FORMAT_VERSION
    {
        let at = locate(text, None, "version");
        return Err(vec![error_at(
            at.line,
            at.column,
            Some("version"),
            format!(
                "this preset was written by a newer downshift (format {version}); this one reads format {FORMAT_VERSION}. Update downshift to use it"
            ),
        )]);
    }
    let practice: Practice = ron_options().from_str(text).map_err(|e| {
        vec![error_at(
            e.span.start.line,
            e.span.start.col,
            None,
            e.code.to_string(),
        )]
    })?;
    let problems = validate(&practice, Profile::Standard);
    if problems.is_empty() {
        return Ok(practice);
    }
    Err(problems
        .into_iter()
        .map(|problem| {
            let at = locate(text, problem.step, &problem.field);
            let field = match problem.step {
                Some(step) => format!("step {} {}", step + 1, problem.field),
                None => problem.field.clone(),
            };
            error_at(at.line, at.column, Some(&field), problem.message)
        })
        .collect())
}

/// Reads a preset file from disk, refusing huge files before reading them.
pub fn read_preset_file(path: &Path) -> Result<Practice, Vec<PresetError>> {
    let label = path.display().to_string();
    let fail = |message: String| {
        vec![PresetError {
            file: label.clone(),
            line: 1,
            column: 1,
            field: None,
            message,
        }]
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot be read: {e}")))?
        .len();
    if size > MAX_PRESET_BYTES {
        return Err(fail(format!(
            "is {} KiB; a preset file may be at most {} KiB",
            size / 1024,
            MAX_PRESET_BYTES / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("is not UTF-8 text".to_owned()))?;
    parse_preset(&label, &text)
}

/// Where a practice in the library came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// The person's own file; `customises` is set when it shadows a built-in of the same name.
    User {
        path: PathBuf,
        customises: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LibraryEntry {
    pub practice: Practice,
    pub origin: Origin,
}

/// Every practice on offer, and every file that could not be used.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub entries: Vec<LibraryEntry>,
    pub problems: Vec<PresetError>,
}

impl Library {
    /// The built-in practices alone.
    pub fn built_in() -> Library {
        let mut library = Library::default();
        for (file, text) in BUILT_IN {
            match parse_preset(&format!("built-in/{file}"), text) {
                Ok(practice) => library.entries.push(LibraryEntry {
                    practice,
                    origin: Origin::BuiltIn,
                }),
                Err(errors) => library.problems.extend(errors),
            }
        }
        library
    }

    /// The built-ins plus every `*.ron` file in `user_dir` (if given and present), in name order.
    pub fn load(user_dir: Option<&Path>) -> Library {
        let mut library = Library::built_in();
        let Some(dir) = user_dir else {
            return library;
        };
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(listing) => listing
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                library.problems.push(PresetError {
                    file: dir.display().to_string(),
                    line: 1,
                    column: 1,
                    field: None,
                    message: format!("the presets folder cannot be read: {e}"),
                });
                Vec::new()
            }
        };
        files.sort();
        for path in files {
            match read_preset_file(&path) {
                Ok(practice) => library.add_user(practice, path),
                Err(errors) => library.problems.extend(errors),
            }
        }
        library
    }

    fn add_user(&mut self, practice: Practice, path: PathBuf) {
        let existing = self
            .entries
            .iter()
            .position(|e| same_name(&e.practice.name, &practice.name));
        match existing.map(|i| (i, self.entries[i].origin.clone())) {
            Some((index, Origin::BuiltIn)) => {
                self.entries[index] = LibraryEntry {
                    practice,
                    origin: Origin::User {
                        path,
                        customises: true,
                    },
                };
            }
            Some((_, Origin::User { path: first, .. })) => {
                let at = std::fs::read_to_string(&path)
                    .map(|text| locate(&text, None, "name"))
                    .unwrap_or(super::locate::TextPosition { line: 1, column: 1 });
                self.problems.push(PresetError {
                    file: path.display().to_string(),
                    line: at.line,
                    column: at.column,
                    field: Some("name".to_owned()),
                    message: format!(
                        "\"{}\" is already the name of {}; names must be unique",
                        practice.name,
                        first.display()
                    ),
                });
            }
            None => self.entries.push(LibraryEntry {
                practice,
                origin: Origin::User {
                    path,
                    customises: false,
                },
            }),
        }
    }

    /// The practice called `name`, ignoring case.
    pub fn find(&self, name: &str) -> Option<&LibraryEntry> {
        self.entries
            .iter()
            .find(|e| same_name(&e.practice.name, name))
    }

    /// Where the practice called `name` (ignoring case) is in the list.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| same_name(&e.practice.name, name))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.practice.name.as_str())
    }
}

/// A file name for a practice: lower case, dashes for anything else.
pub fn file_name_for(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "preset.ron".to_owned()
    } else {
        format!("{slug}.ron")
    }
}

/// `dir/name`, or `dir/name-2.ron` and so on if that file is taken.
pub fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let stem = name.trim_end_matches(".ron");
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.ron")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Writes `practice` to `path` atomically as a RON preset.
pub fn write_preset(path: &Path, practice: &Practice) -> std::io::Result<()> {
    write_atomic(path, to_ron(practice).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::{BreatheBlock, Pattern, Step, Timeline};

    #[test]
    fn every_built_in_practice_loads_and_lays_out() {
        let library = Library::built_in();
        assert_eq!(library.problems, vec![]);
        assert_eq!(library.entries.len(), BUILT_IN.len());
        for entry in &library.entries {
            let practice = &entry.practice;
            assert!(
                !practice.description.is_empty(),
                "{} has a description",
                practice.name
            );
            assert!(!practice.sources.is_empty() || !practice.notes.is_empty());
            Timeline::new(practice).expect("lays out");
        }
        assert!(duplicate_free(&library));
    }

    fn duplicate_free(library: &Library) -> bool {
        crate::practice::duplicate_names(library.names()).is_empty()
    }

    #[test]
    fn the_classic_patterns_are_what_their_names_say() {
        let library = Library::built_in();
        let first_pattern = |name: &str| {
            library
                .find(name)
                .and_then(|e| e.practice.breathe_blocks().next().map(|b| b.pattern))
                .unwrap_or_else(|| panic!("{name} is built in"))
        };
        assert_eq!(first_pattern("box 4-4-4-4").short_name(), "4-4-4-4");
        assert_eq!(first_pattern("4-7-8").short_name(), "4-7-8");
        assert_eq!(first_pattern("Night 3-7").short_name(), "3-7");
        assert_eq!(first_pattern("Resonance 5-5").breaths_per_minute(), 6.0);
        assert!(
            library
                .find("4-7-8")
                .is_some_and(|e| e.practice.has_holds())
        );
        assert!(
            library
                .find("Evening wind-down")
                .is_some_and(|e| e.practice.is_ritual() && !e.practice.has_holds())
        );
    }

    #[test]
    fn a_file_may_leave_out_optional_fields_and_round_trips() {
        let text = r#"(version: 1, name: "Work to home", steps: [
            Prompt(text: "Let your shoulders drop.", seconds: 45),
            Breathe(pattern: (inhale: 4.0, exhale: 6.0), ramp_to: (inhale: 4.0, exhale: 8.0), minutes: 3.0),
            Breathe(pattern: (inhale: 4.0, exhale: 8.0), breaths: 5),
        ])"#;
        let practice = parse_preset("w.ron", text).expect("parses");
        let Step::Breathe(ramp) = &practice.steps[1] else {
            panic!("second step is breathing")
        };
        assert_eq!(ramp.minutes, Some(3.0));
        assert_eq!(ramp.ramp_to, Some(Pattern::in_out(4.0, 8.0)));
        let written = to_ron(&practice);
        assert!(written.contains("Breathe(pattern: (inhale: 4.0, exhale: 6.0), ramp_to: (inhale: 4.0, exhale: 8.0), minutes: 3.0)"), "{written}");
        assert_eq!(parse_preset("again.ron", &written), Ok(practice));
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let text = "(version: 1, name: \"x\",\n steps: [\n Breathe(pattern: (inhale: 4.0 exhale: 6.0), minutes: 1.0)])";
        let errors = parse_preset("bad.ron", text).expect_err("refused");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].file.as_str(), errors[0].line), ("bad.ron", 3));
        assert!(errors[0].column > 20, "{}", errors[0]);
    }

    #[test]
    fn a_misspelt_field_is_named() {
        let text = "(version: 1, name: \"x\", steps: [Breathe(pattern: (inhale: 4.0, exale: 6.0), minutes: 1.0)])";
        let errors = parse_preset("typo.ron", text).expect_err("refused");
        assert!(errors[0].message.contains("exale"), "{}", errors[0]);
    }

    #[test]
    fn a_validation_problem_points_at_the_field() {
        let text = "(\n  version: 1,\n  name: \"Too fast\",\n  steps: [\n    Breathe(pattern: (inhale: 4.0, exhale: 0.1), minutes: 1.0),\n  ],\n)\n";
        let errors = parse_preset("fast.ron", text).expect_err("refused");
        assert_eq!(
            errors[0].to_string(),
            "fast.ron:5:36: step 1 pattern.exhale: is 0.1 s; a phase lasts at least 0.5 s"
        );
    }

    #[test]
    fn newer_files_and_deep_nesting_and_huge_files_are_refused() {
        let newer = "(version: 7, name: \"x\", colour: Blue, steps: [])";
        let errors = parse_preset("new.ron", newer).expect_err("refused");
        assert!(errors[0].message.contains("newer downshift"));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_preset("deep.ron", &deep).is_err());
        let huge = " ".repeat(MAX_PRESET_BYTES as usize + 1);
        assert!(
            parse_preset("huge.ron", &huge).expect_err("refused")[0]
                .message
                .contains("larger")
        );
    }

    #[test]
    fn user_files_shadow_built_ins_and_bad_ones_are_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mine = Practice::new(
            "box 4-4-4-4",
            vec![Step::Breathe(BreatheBlock::breaths(
                Pattern::in_out(4.0, 6.0),
                5,
            ))],
        );
        write_preset(&dir.path().join("box.ron"), &mine).expect("saved");
        std::fs::write(dir.path().join("broken.ron"), "(version: 1, name: ").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a preset").expect("write");
        let library = Library::load(Some(dir.path()));
        assert_eq!(library.entries.len(), BUILT_IN.len());
        let entry = library.find("Box 4-4-4-4").expect("still listed");
        assert_eq!(entry.practice, mine);
        assert!(matches!(
            entry.origin,
            Origin::User {
                customises: true,
                ..
            }
        ));
        assert_eq!(library.problems.len(), 1);
        assert!(library.problems[0].file.ends_with("broken.ron"));
    }

    #[test]
    fn file_names_are_tidy() {
        assert_eq!(file_name_for("Work to home"), "work-to-home.ron");
        assert_eq!(file_name_for("  4-7-8 "), "4-7-8.ron");
        assert_eq!(file_name_for("!!!"), "preset.ron");
    }
}
