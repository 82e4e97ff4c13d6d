//! Small RON files of the person's own (settings, progress): read with a fallback, written
//! atomically and pretty.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::atomic::write_atomic;

/// The value in `path`. A missing file is the default, quietly; a file that cannot be read or
/// parsed is the default too, with the reason (file, line, column), and is left as it is.
pub fn read_or_default<T: DeserializeOwned + Default>(path: &Path) -> (T, Option<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) => {
            return (
                T::default(),
                Some(format!("{} cannot be read ({e})", path.display())),
            );
        }
    };
    match ron::Options::default()
        .with_recursion_limit(16)
        .from_str::<T>(&text)
    {
        Ok(value) => (value, None),
        Err(e) => (
            T::default(),
            Some(format!(
                "{}:{}:{}: {}",
                path.display(),
                e.span.start.line,
                e.span.start.col,
                e.code
            )),
        ),
    }
}

/// Writes `value` to `path` as pretty RON, atomically.
pub fn write_pretty<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::new())
        .map_err(std::io::Error::other)?;
    write_atomic(path, format!("{text}\n").as_bytes())
}
