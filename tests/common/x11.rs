//! A private X server (Xvfb) for one test, with the folders its clients may write to kept in a
//! temporary folder of its own: nothing a test runs on it touches the home directory, the
//! session bus or the real display.

use std::process::{Child, Command, Stdio};

use super::{Lines, PATIENCE, run};

/// A process this test started, ended (by its pid) when dropped.
pub struct Started(pub Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn need(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "{tool} is missing: run scripts/ensure-deps.sh test (a test is never skipped for want \
         of a tool)"
    );
}

/// A private X server, with the folders its clients may write to kept in a temporary folder.
pub struct X {
    pub display: String,
    home: tempfile::TempDir,
    _server: Started,
}

impl X {
    pub fn start() -> X {
        need("Xvfb");
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1024x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let stdout = server.stdout.take().expect("piped");
        let server = Started(server);
        let number = Lines::read(stdout).wait_for(
            "Xvfb's display number",
            |line| !line.trim().is_empty(),
            PATIENCE,
        );
        X {
            display: format!(":{}", number.trim()),
            home: tempfile::tempdir().expect("a temporary folder"),
            _server: server,
        }
    }

    /// `program` on this display, away from the home folder, any session bus and any sound
    /// server (as scripts/lib-x11.sh's `private_environment`: a sound server is never started
    /// for it).
    pub fn command(&self, program: &str) -> Command {
        need(program);
        let home = self.home.path();
        let runtime = home.join("runtime");
        let pulse_config = home.join("pulse-client.conf");
        if !runtime.exists() {
            std::fs::create_dir_all(&runtime).expect("a runtime folder");
            std::fs::set_permissions(
                &runtime,
                std::os::unix::fs::PermissionsExt::from_mode(0o700),
            )
            .expect("the runtime folder is private");
            std::fs::write(&pulse_config, "autospawn = no\n").expect("the sound client's settings");
        }
        let mut command = Command::new(program);
        command
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("PULSE_CLIENTCONFIG", &pulse_config)
            .env(
                "PULSE_SERVER",
                format!("unix:{}", runtime.join("no-sound-server").display()),
            )
            .env("DISPLAY", &self.display)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", home.join("no-bus").display()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// Runs `program` to its end and returns what it printed; fails the test if it fails.
    pub fn run(&self, program: &str, args: &[&str]) -> String {
        let output = run(self.command(program).args(args), PATIENCE);
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Whether any window named exactly `name` exists on this display, shown or not (a window
    /// made and never mapped is one too: it would be what flashes at a start).
    pub fn has_window(&self, name: &str) -> bool {
        self.command("xdotool")
            .args(["search", "--name", &format!("^{name}$")])
            .status()
            .expect("xdotool runs")
            .success()
    }

    /// A window manager (openbox) on this display, as a desktop has: it closes a window the
    /// polite way (`WM_DELETE_WINDOW`) when asked with `wmctrl -c`.
    pub fn window_manager(&self) -> Started {
        need("openbox");
        need("wmctrl");
        let started = Started(
            self.command("openbox")
                .arg("--sm-disable")
                .spawn()
                .expect("openbox starts"),
        );
        super::eventually("openbox to manage the display", PATIENCE, || {
            let check = self
                .command("xprop")
                .args(["-root", "_NET_SUPPORTING_WM_CHECK"])
                .stdout(Stdio::piped())
                .output()
                .ok()?;
            String::from_utf8_lossy(&check.stdout)
                .contains("window id")
                .then_some(())
        });
        started
    }

    /// Whether a window named exactly `name` is shown.
    pub fn shows(&self, name: &str) -> bool {
        self.command("xdotool")
            .args(["search", "--onlyvisible", "--name", &format!("^{name}$")])
            .status()
            .expect("xdotool runs")
            .success()
    }
}
