//! A camera in use: some process of this user holds a video device (`/dev/video*`) open, as a
//! video call does. Read from the processes' open files (`/proc/PID/fd/*`, links to what each
//! has open); what cannot be read (other users' processes, one that just ended) is skipped.
//!
//! When a program reaches the camera through PipeWire (browsers and Flatpak apps through the
//! camera portal), PipeWire holds the device while the stream runs, and that counts too.

use std::path::Path;

/// Whether a process listed under `proc_root` (normally `/proc`), owned by this user and not
/// downshift itself, has a `/dev/video*` device open.
pub fn camera_in_use(proc_root: &Path) -> bool {
    let Ok(processes) = std::fs::read_dir(proc_root) else {
        return false;
    };
    let ours = std::process::id().to_string();
    let user = this_user();
    processes.flatten().any(|process| {
        let name = process.file_name();
        let Some(pid) = name.to_str() else {
            return false;
        };
        if pid == ours || !pid.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        if !owned_by(&process.path(), user) {
            return false;
        }
        let Ok(open_files) = std::fs::read_dir(process.path().join("fd")) else {
            return false;
        };
        open_files.flatten().any(|file| {
            std::fs::read_link(file.path())
                .is_ok_and(|target| target.to_string_lossy().starts_with("/dev/video"))
        })
    })
}

#[cfg(unix)]
fn this_user() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory of ours.
    unsafe { libc::getuid() }
}

#[cfg(unix)]
fn owned_by(path: &Path, user: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|meta| meta.uid() == user)
}

#[cfg(not(unix))]
fn this_user() -> u32 {
    0
}

#[cfg(not(unix))]
fn owned_by(_path: &Path, _user: u32) -> bool {
    false
}
