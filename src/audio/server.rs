//! Which sound server this session has, for `downshift doctor`: its socket, and whether anything
//! listens there. Sound goes through ALSA (cpal), whose default device on a desktop passes it to
//! PulseAudio or PipeWire's PulseAudio service; a server that does not answer is a silent
//! session (with a notice). Only the sockets are tried: no program is run and no protocol spoken.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

/// A sound server's socket, and whether it answered a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Socket {
    /// "PulseAudio" (the protocol, also PipeWire's pipewire-pulse) or "PipeWire".
    pub kind: &'static str,
    pub path: PathBuf,
    pub answers: bool,
}

/// The sockets this session's sound would go to: PulseAudio's (`$PULSE_SERVER`'s unix path, else
/// `$XDG_RUNTIME_DIR/pulse/native`) and PipeWire's (`$PIPEWIRE_REMOTE`, else
/// `$XDG_RUNTIME_DIR/pipewire-0`), each with whether it answers.
pub fn sockets() -> Vec<Socket> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from);
    let pulse = match std::env::var("PULSE_SERVER") {
        Ok(servers) => pulse_unix_path(&servers),
        Err(_) => runtime.as_ref().map(|dir| dir.join("pulse/native")),
    };
    let pipewire = match std::env::var_os("PIPEWIRE_REMOTE").filter(|r| !r.is_empty()) {
        Some(remote) if Path::new(&remote).is_absolute() => Some(PathBuf::from(remote)),
        Some(remote) => runtime.as_ref().map(|dir| dir.join(remote)),
        None => runtime.as_ref().map(|dir| dir.join("pipewire-0")),
    };
    [("PulseAudio", pulse), ("PipeWire", pipewire)]
        .into_iter()
        .filter_map(|(kind, path)| {
            let path = path?;
            Some(Socket {
                kind,
                answers: UnixStream::connect(&path).is_ok(),
                path,
            })
        })
        .collect()
}

/// The first local socket of a `PULSE_SERVER` list ("unix:/run/user/1000/pulse/native",
/// "{machine-id}unix:/path tcp:host", a bare "/path").
fn pulse_unix_path(servers: &str) -> Option<PathBuf> {
    servers.split_whitespace().find_map(|server| {
        let server = match server.strip_prefix('{') {
            Some(rest) => rest.split_once('}')?.1,
            None => server,
        };
        let path = server.strip_prefix("unix:").unwrap_or(server);
        path.starts_with('/').then(|| PathBuf::from(path))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulse_servers_are_read_as_pulseaudio_writes_them() {
        assert_eq!(
            pulse_unix_path("unix:/run/user/1000/pulse/native"),
            Some(PathBuf::from("/run/user/1000/pulse/native"))
        );
        assert_eq!(
            pulse_unix_path("tcp:localhost {abc}unix:/tmp/p/native"),
            Some(PathBuf::from("/tmp/p/native"))
        );
        assert_eq!(
            pulse_unix_path("/tmp/bare"),
            Some(PathBuf::from("/tmp/bare"))
        );
        assert_eq!(pulse_unix_path("tcp:192.168.0.2"), None);
        assert_eq!(pulse_unix_path(""), None);
    }
}
