//! Whole-file writes that either happen completely or not at all: a temporary file beside the
//! target, flushed to disk, then renamed over it. And before a write over a file downshift could
//! not read: a copy of it kept beside it, so nothing a person wrote is ever lost.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically; the file is readable by its owner only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    super::paths::create_private_dir(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".downshift-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// A file downshift could not take as it was, copied aside before being written over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptAside {
    /// The file as it was, e.g. `…/settings.ron`.
    pub file: PathBuf,
    /// Where its bytes are now kept, e.g. `…/settings.ron.unreadable-20261121T210500`.
    pub kept: PathBuf,
}

impl fmt::Display for KeptAside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} could not be read as it was, so it is kept unchanged as {}",
            self.file.display(),
            self.kept.display()
        )
    }
}

/// Call before writing over `path`. If it exists and `is_readable` says downshift cannot take
/// its bytes as they are, copies them beside it as `<name>.unreadable-<YYYYMMDDTHHMMSS>` (the
/// local time the file was last changed; `-2`, `-3`… when a copy of that name exists, for a kept
/// copy is never overwritten), flushed to disk, and says where. `None`: nothing needed keeping
/// (no file, or a readable one). An error means the copy could not be made, or the file could
/// not even be read: then do not write over it.
///
/// This is how `settings.ron` and `progress.ron` are saved; eframe's `window.ron` is written by
/// eframe, so the app calls this for it before the window opens.
pub fn keep_aside_if_unreadable(
    path: &Path,
    is_readable: impl Fn(&[u8]) -> bool,
) -> io::Result<Option<KeptAside>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{} cannot be read ({e}), so it is not written over",
                    path.display()
                ),
            ));
        }
    };
    if is_readable(&bytes) {
        return Ok(None);
    }
    let stamp = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| jiff::Timestamp::try_from(modified).ok())
        .map(|changed| {
            changed
                .to_zoned(jiff::tz::TimeZone::system())
                .strftime("-%Y%m%dT%H%M%S")
                .to_string()
        })
        .unwrap_or_default();
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".unreadable{stamp}"));
    let first = PathBuf::from(name);
    for n in 1..=1000 {
        let kept = if n == 1 {
            first.clone()
        } else {
            let mut numbered = first.as_os_str().to_owned();
            numbered.push(format!("-{n}"));
            PathBuf::from(numbered)
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut copy = match options.open(&kept) {
            Ok(copy) => copy,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(keep_failed(path, e)),
        };
        copy.write_all(&bytes)
            .and_then(|()| copy.sync_all())
            .map_err(|e| keep_failed(path, e))?;
        if let Some(dir) = kept.parent() {
            sync_dir(dir);
        }
        return Ok(Some(KeptAside {
            file: path.to_owned(),
            kept,
        }));
    }
    Err(keep_failed(
        path,
        io::Error::other("a thousand kept copies are there already"),
    ))
}

fn keep_failed(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "{} could not be read, and a copy of it cannot be kept ({e}), so it is not written over",
            path.display()
        ),
    )
}

/// Opens a file for appending, creating it readable by its owner only.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Whether `file` is still the file at `path` (not removed or replaced since it was opened).
#[cfg(unix)]
pub(crate) fn is_same_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(on_disk), Ok(open)) => on_disk.ino() == open.ino() && on_disk.dev() == open.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
pub(crate) fn is_same_file(_path: &Path, _file: &File) -> bool {
    true
}

/// Makes a rename durable. Best effort: not every platform can open a folder.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested").join("settings.ron");
        write_atomic(&path, b"first").expect("first write");
        write_atomic(&path, b"second").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read back"), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.ron")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "others cannot read it");
        }
    }

    /// A file whose bytes are `bytes`, last changed at a fixed time.
    fn file_with(path: &Path, bytes: &[u8]) {
        std::fs::write(path, bytes).expect("write");
        let changed: jiff::Timestamp = "2026-11-21T20:05:00Z".parse().expect("time");
        File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(changed.into()))
            .expect("set the time");
    }

    #[test]
    fn an_unreadable_file_is_copied_aside_and_no_copy_is_ever_overwritten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("window.ron");
        let readable = |bytes: &[u8]| bytes.starts_with(b"(");
        assert_eq!(
            keep_aside_if_unreadable(&path, readable).expect("no file"),
            None
        );
        file_with(&path, b"(fine)");
        assert_eq!(
            keep_aside_if_unreadable(&path, readable).expect("fine"),
            None
        );

        let original = b"\xff not ron at all".to_vec();
        file_with(&path, &original);
        let first = keep_aside_if_unreadable(&path, readable)
            .expect("keeps")
            .expect("a copy");
        let name = first
            .kept
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let stamp = name
            .strip_prefix("window.ron.unreadable-")
            .expect("named after the file");
        assert_eq!(stamp.len(), "20261121T210500".len(), "{name}");
        assert!(
            stamp.chars().all(|c| c.is_ascii_digit() || c == 'T'),
            "{name}"
        );
        assert_eq!(std::fs::read(&first.kept).expect("read"), original);
        assert_eq!(
            std::fs::read(&path).expect("read"),
            original,
            "left as it is"
        );
        assert!(first.to_string().contains(&name), "{first}");

        // The same file again (same time of change): a second name, the first copy untouched.
        file_with(&path, b"\xfe other bytes");
        let second = keep_aside_if_unreadable(&path, readable)
            .expect("keeps")
            .expect("a copy");
        assert_eq!(
            second.kept,
            PathBuf::from(format!("{}-2", first.kept.display()))
        );
        assert_eq!(std::fs::read(&first.kept).expect("read"), original);
        assert_eq!(
            std::fs::read(&second.kept).expect("read"),
            b"\xfe other bytes"
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_not_to_be_written_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.ron");
        std::fs::create_dir(&path).expect("a folder where the file should be");
        let error = keep_aside_if_unreadable(&path, |_| false).expect_err("cannot read");
        assert!(
            error.to_string().contains("progress.ron cannot be read"),
            "{error}"
        );
        assert!(error.to_string().contains("not written over"), "{error}");
    }
}
