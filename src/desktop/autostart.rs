//! Starting with the desktop session: an XDG autostart entry (`~/.config/autostart/`, honouring
//! `XDG_CONFIG_HOME`) that runs `downshift --background`. GNOME, KDE, Xfce, Cinnamon, MATE and
//! LXQt read it; removing the file turns it off.

use std::path::{Path, PathBuf};

/// Where the entry goes, when there is a home to put it in.
pub fn entry_path() -> Option<PathBuf> {
    let config = directories::BaseDirs::new()?.config_dir().to_path_buf();
    Some(
        config
            .join("autostart")
            .join(format!("{}.desktop", crate::APP_ID)),
    )
}

/// The entry's text, starting `program` in the tray, with `data_dir` when it is not the usual
/// one (so the login copy has the same settings and reminders).
pub fn entry_text(program: &Path, data_dir: Option<&Path>) -> String {
    let data_dir = data_dir
        .map(|dir| format!(" --data-dir {}", exec_argument(&dir.to_string_lossy())))
        .unwrap_or_default();
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=downshift\n\
         Comment=Micro-rests and the work-to-home ritual, from the tray\n\
         Exec={} --background{}\n\
         Icon={}\n\
         Terminal=false\n\
         NoDisplay=true\n\
         X-GNOME-Autostart-enabled=true\n",
        exec_argument(&program.to_string_lossy()),
        data_dir,
        crate::APP_ID,
    )
}

/// Quotes a program path for an Exec line as the Desktop Entry specification asks: in double
/// quotes when it holds anything but plain characters, with `"`, `` ` ``, `$` and `\` escaped.
/// (No crate does this one rule; it is a few lines.)
fn exec_argument(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.+,:@".contains(c));
    // (`%` is not among the plain characters: it is always quoted and doubled below.)
    if plain {
        return arg.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    // In a desktop file, a backslash is itself escaped once more, and a per cent sign doubled
    // (a single one starts a field code).
    quoted.replace('\\', "\\\\").replace('%', "%%")
}

/// Writes (`on`) or removes the entry; returns whether it is there now. `data_dir` is the data
/// folder downshift runs with: named in the entry unless it is the platform's usual one.
pub fn set(entry: &Path, on: bool, data_dir: &Path) -> Result<bool, String> {
    let usual =
        crate::store::DataDir::platform_default().is_some_and(|usual| usual.root() == data_dir);
    let data_dir = (!usual).then_some(data_dir);
    if on {
        let program = std::env::current_exe()
            .map_err(|e| format!("Could not find downshift's own program to start: {e}"))?;
        if let Some(folder) = entry.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| format!("Could not create {}: {e}", folder.display()))?;
        }
        crate::store::write_atomic(entry, entry_text(&program, data_dir).as_bytes())
            .map_err(|e| format!("Could not write {}: {e}", entry.display()))?;
        Ok(true)
    } else {
        match std::fs::remove_file(entry) {
            Ok(()) => Ok(false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(format!("Could not remove {}: {e}", entry.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_written_as_it_is_and_an_odd_one_quoted_and_escaped() {
        assert_eq!(exec_argument("/usr/bin/downshift"), "/usr/bin/downshift");
        assert_eq!(
            exec_argument("/home/ann/my apps/downshift"),
            "\"/home/ann/my apps/downshift\""
        );
        assert_eq!(exec_argument("/opt/a$b"), "\"/opt/a\\\\$b\"");
        assert_eq!(exec_argument("/home/ann/100%"), "\"/home/ann/100%%\"");
    }

    #[test]
    fn the_entry_runs_downshift_in_the_background_and_turning_it_off_removes_it() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let entry = folder.path().join("autostart").join("downshift.desktop");
        let data = folder.path().join("my data");
        assert_eq!(set(&entry, true, &data), Ok(true));
        let text = std::fs::read_to_string(&entry).expect("written");
        let expected = format!(" --background --data-dir \"{}\"\n", data.display());
        assert!(text.contains(&expected), "{text}");
        assert!(
            text.starts_with("[Desktop Entry]\nType=Application\n"),
            "{text}"
        );
        assert_eq!(set(&entry, false, &data), Ok(false));
        assert!(!entry.exists());
        // Removing what is not there is not a failure.
        assert_eq!(set(&entry, false, &data), Ok(false));
    }
}
