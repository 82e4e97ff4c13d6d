//! Small RON files of the person's own (settings, progress): read with a fallback, values brought
//! into range, written atomically and pretty.
//!
//! What a person wrote is never silently replaced. A file that does not parse, or whose values
//! downshift had to refuse or bring into range, is used as far as it can be (the defaults, or
//! the values in range) and left as it is; the load notice names the file, line, column and
//! field. Before the next save writes over it, its bytes are kept beside it as
//! `<name>.unreadable-<YYYYMMDDTHHMMSS>` (see [`keep_aside_if_unreadable`]); the save says where.
//! If that copy cannot be made, the save fails and the file stays as it is.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::atomic::{KeptAside, keep_aside_if_unreadable, write_atomic};
use super::locate::{TextPosition, field_at};

/// A value read from a file of the person's, brought into range after reading.
pub trait Sanitize {
    /// Brings every value into range. One note per value changed, naming `file` and the field:
    /// what was there, and what is used instead.
    fn sanitize(&mut self, file: &str) -> Vec<String>;
}

fn options() -> ron::Options {
    ron::Options::default().with_recursion_limit(16)
}

/// The value in `path`, and a notice when the file was not fine. A missing file is the default,
/// quietly. A file that cannot be read or parsed gives the default (`fallback` says what that
/// means, e.g. "the default settings"); the notice names its line, column and field. Values out
/// of range are brought in, one note each. The notice ends with what happens to the file.
pub fn read_or_default<T: DeserializeOwned + Default + Sanitize>(
    path: &Path,
    fallback: &str,
) -> (T, Option<String>) {
    let file = path.display().to_string();
    let kept_as = format!(
        "the file is left as it is, and kept unchanged beside it as {}.unreadable-<time it was last changed> before downshift next saves over it",
        path.file_name()
            .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned())
    );
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            let note = format!("{file} is not text ({e}); downshift uses {fallback}; {kept_as}");
            return (T::default(), Some(note));
        }
        Err(e) => {
            let note = format!(
                "{file} cannot be read ({e}); downshift uses {fallback}, and does not save over the file"
            );
            return (T::default(), Some(note));
        }
    };
    match options().from_str::<T>(&text) {
        Ok(mut value) => {
            let notes = value.sanitize(&file);
            let notice = (!notes.is_empty()).then(|| format!("{}; {kept_as}", notes.join("; ")));
            (value, notice)
        }
        Err(e) => {
            let (line, column) = (e.span.start.line, e.span.start.col);
            let field = field_at(&text, TextPosition { line, column })
                .map(|field| format!("{field}: "))
                .unwrap_or_default();
            let note = format!(
                "{file}:{line}:{column}: {field}{}; downshift uses {fallback}; {kept_as}",
                e.code
            );
            (T::default(), Some(note))
        }
    }
}

/// Whether downshift takes these bytes as they are: they parse, and every value is in range.
fn readable_as_is<T: DeserializeOwned + Sanitize>(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| options().from_str::<T>(text).ok())
        .is_some_and(|mut value| value.sanitize("").is_empty())
}

/// Writes `value` to `path` as pretty RON, atomically. A file there that downshift could not
/// take as it was is first kept aside, and the result says where.
pub fn write_pretty<T: Serialize + DeserializeOwned + Sanitize>(
    path: &Path,
    value: &T,
) -> std::io::Result<Option<KeptAside>> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::new())
        .map_err(std::io::Error::other)?;
    let kept = keep_aside_if_unreadable(path, readable_as_is::<T>)?;
    write_atomic(path, format!("{text}\n").as_bytes())?;
    Ok(kept)
}

/// A finite number within `min..=max`, else the nearest bound, or `fallback` when it is not a
/// number at all; a note when it changed.
pub fn in_range(
    file: &str,
    field: &str,
    value: &mut f64,
    (min, max): (f64, f64),
    fallback: f64,
) -> Option<String> {
    let was = *value;
    if !was.is_finite() {
        *value = fallback;
        return Some(format!(
            "{file}: {field}: {was} is not a usable number, so {fallback} is used"
        ));
    }
    *value = was.clamp(min, max);
    (*value != was).then(|| {
        format!(
            "{file}: {field}: {was} is outside {min} to {max}, so {} is used",
            *value
        )
    })
}

/// A count within `min..=max`, else the nearest bound; a note when it changed.
pub fn count_in_range(
    file: &str,
    field: &str,
    value: &mut u32,
    (min, max): (u32, u32),
) -> Option<String> {
    let was = *value;
    *value = was.clamp(min, max);
    (*value != was).then(|| {
        format!(
            "{file}: {field}: {was} is outside {min} to {max}, so {} is used",
            *value
        )
    })
}
