//! Idle time and full screen from an X server, through Xlib (x11-dl, opened at run time).
//!
//! - Idle time: the MIT-SCREEN-SAVER extension's `XScreenSaverQueryInfo`, from libXss.so.1
//!   (package libxss1). x11-dl's own `xss` module looks for libXss.so.2 or the development link
//!   libXss.so only, which a user's system does not have, so the two functions needed are looked
//!   up here.
//! - Full screen (EWMH): the root window's `_NET_ACTIVE_WINDOW` has `_NET_WM_STATE_FULLSCREEN` in
//!   its `_NET_WM_STATE`, and is not downshift's own window (`_NET_WM_PID`). Needs a window
//!   manager that keeps `_NET_ACTIVE_WINDOW` (all the usual ones). On Wayland there is no general
//!   way for a program to see other programs' windows: not detected there.
//!
//! A window can close between two requests about it; Xlib then reports an error (BadWindow) to
//! the process's one error handler, whose default ends the process. So an error handler is put in
//! place that passes over errors on these connections and hands every other to the handler that
//! was there before (the window's).

use std::ffi::{CStr, CString, c_void};
use std::os::raw::{c_int, c_uchar, c_ulong};
use std::sync::{Mutex, Once, OnceLock};

use jiff::SignedDuration;
use x11_dl::xlib::{self, Atom, Display, Window, XErrorEvent, Xlib};
use x11_dl::xss::XScreenSaverInfo;

type QueryExtension = unsafe extern "C" fn(*mut Display, *mut c_int, *mut c_int) -> xlib::Bool;
type QueryInfo =
    unsafe extern "C" fn(*mut Display, xlib::Drawable, *mut XScreenSaverInfo) -> xlib::Status;
type ErrorHandler = unsafe extern "C" fn(*mut Display, *mut XErrorEvent) -> c_int;

/// The two functions of libXss used here.
struct ScreenSaverLib {
    query_extension: QueryExtension,
    query_info: QueryInfo,
}

/// One connection to an X server, opened on the thread that reads it and kept open.
pub struct X11Screen {
    xlib: Xlib,
    display: *mut Display,
    root: Window,
    active_window: Atom,
    wm_state: Atom,
    full_screen: Atom,
    wm_pid: Atom,
    /// `None` where libXss or the server's extension is missing.
    screen_saver: Option<&'static ScreenSaverLib>,
}

impl X11Screen {
    /// Opens `display` (`None`: `$DISPLAY`).
    pub fn open(display: Option<&str>) -> Result<X11Screen, String> {
        let xlib = Xlib::open().map_err(|e| format!("no Xlib: {e}"))?;
        let name = display
            .map(CString::new)
            .transpose()
            .map_err(|_| "a display name with a NUL in it".to_owned())?;
        // SAFETY: XInitThreads is safe to call more than once (libX11 1.8 makes every display
        // thread-safe anyway); the name, when given, is a valid C string for the call.
        let connection = unsafe {
            (xlib.XInitThreads)();
            (xlib.XOpenDisplay)(name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr()))
        };
        if connection.is_null() {
            return Err(format!(
                "cannot open X display {}",
                display.unwrap_or("$DISPLAY")
            ));
        }
        pass_over_errors_on(connection, &xlib);
        let atom = |name: &CStr| {
            // SAFETY: the connection is open and the name a valid C string.
            unsafe { (xlib.XInternAtom)(connection, name.as_ptr(), xlib::False) }
        };
        let (active_window, wm_state, full_screen, wm_pid) = (
            atom(c"_NET_ACTIVE_WINDOW"),
            atom(c"_NET_WM_STATE"),
            atom(c"_NET_WM_STATE_FULLSCREEN"),
            atom(c"_NET_WM_PID"),
        );
        // SAFETY: the connection is open.
        let root = unsafe { (xlib.XDefaultRootWindow)(connection) };
        let screen_saver = match screen_saver_lib() {
            Ok(lib) => {
                let (mut event_base, mut error_base) = (0, 0);
                // SAFETY: the connection is open; the out-parameters are ours.
                let present =
                    unsafe { (lib.query_extension)(connection, &mut event_base, &mut error_base) }
                        != 0;
                if !present {
                    log::debug!("presence: the X server has no screen saver extension");
                }
                present.then_some(lib)
            }
            Err(e) => {
                log::debug!("presence: {e}");
                None
            }
        };
        Ok(X11Screen {
            xlib,
            display: connection,
            root,
            active_window,
            wm_state,
            full_screen,
            wm_pid,
            screen_saver,
        })
    }

    /// How long since the last input the X server saw.
    pub fn idle(&self) -> Option<SignedDuration> {
        let lib = self.screen_saver?;
        // SAFETY: an all-zero XScreenSaverInfo is valid (plain integers).
        let mut info: XScreenSaverInfo = unsafe { std::mem::zeroed() };
        // SAFETY: the connection is open and `info` is ours to fill.
        let status = unsafe { (lib.query_info)(self.display, self.root, &mut info) };
        (status != 0)
            .then(|| SignedDuration::from_millis(i64::try_from(info.idle).unwrap_or(i64::MAX)))
    }

    /// Whether the window with the focus is full screen (and not downshift's own); `None` when
    /// no window manager says which window has the focus.
    pub fn full_screen(&self) -> Option<bool> {
        let active = *self
            .property(self.root, self.active_window, xlib::XA_WINDOW)?
            .first()?;
        if active == 0 {
            return Some(false);
        }
        let state = self
            .property(active, self.wm_state, xlib::XA_ATOM)
            .unwrap_or_default();
        if !state.contains(&self.full_screen) {
            return Some(false);
        }
        let pid = self
            .property(active, self.wm_pid, xlib::XA_CARDINAL)
            .and_then(|pid| pid.first().copied());
        Some(pid != Some(c_ulong::from(std::process::id())))
    }

    /// The current desktop's work area (the screen less the panels), as EWMH's
    /// `_NET_WORKAREA` gives it, in pixels. `None` without a window manager that keeps it.
    pub fn work_area(&self) -> Option<crate::desktop::WorkArea> {
        // SAFETY: the connection is open and the names are valid C strings.
        let (work_area, current) = unsafe {
            (
                (self.xlib.XInternAtom)(self.display, c"_NET_WORKAREA".as_ptr(), xlib::False),
                (self.xlib.XInternAtom)(
                    self.display,
                    c"_NET_CURRENT_DESKTOP".as_ptr(),
                    xlib::False,
                ),
            )
        };
        let desktop = self
            .property(self.root, current, xlib::XA_CARDINAL)
            .and_then(|d| d.first().copied())
            .unwrap_or(0) as usize;
        let areas = self.property(self.root, work_area, xlib::XA_CARDINAL)?;
        let area = areas
            .chunks_exact(4)
            .nth(desktop)
            .or(areas.chunks_exact(4).next())?;
        let number = |n: usize| i32::try_from(area[n]).ok().map(|v| v as f32);
        let area = crate::desktop::WorkArea {
            x: number(0)?,
            y: number(1)?,
            width: number(2)?,
            height: number(3)?,
        };
        (area.width > 0.0 && area.height > 0.0).then_some(area)
    }

    /// A 32-bit list property of `window` (Xlib hands each item over as a C long), or `None`
    /// when the window lacks it or has gone.
    fn property(&self, window: Window, property: Atom, kind: Atom) -> Option<Vec<c_ulong>> {
        let mut actual_kind: Atom = 0;
        let mut format: c_int = 0;
        let mut count: c_ulong = 0;
        let mut left: c_ulong = 0;
        let mut data: *mut c_uchar = std::ptr::null_mut();
        // SAFETY: the connection is open; every out-parameter is ours. An error (the window has
        // gone) reaches our handler, which passes over it, and the call returns non-zero.
        let status = unsafe {
            (self.xlib.XGetWindowProperty)(
                self.display,
                window,
                property,
                0,
                1024,
                xlib::False,
                kind,
                &mut actual_kind,
                &mut format,
                &mut count,
                &mut left,
                &mut data,
            )
        };
        if status != 0 || data.is_null() {
            return None;
        }
        let items = (actual_kind == kind && format == 32).then(|| {
            // SAFETY: a 32-bit format property of `count` items is an array of C longs.
            unsafe { std::slice::from_raw_parts(data.cast::<c_ulong>(), count as usize) }.to_vec()
        });
        // SAFETY: `data` was allocated by Xlib for this call and is not used after.
        unsafe { (self.xlib.XFree)(data.cast::<c_void>()) };
        items
    }
}

impl Drop for X11Screen {
    fn drop(&mut self) {
        forget_connection(self.display);
        // SAFETY: the connection is open and nothing uses it after this.
        unsafe { (self.xlib.XCloseDisplay)(self.display) };
    }
}

fn screen_saver_lib() -> Result<&'static ScreenSaverLib, String> {
    static LIB: OnceLock<Result<ScreenSaverLib, String>> = OnceLock::new();
    LIB.get_or_init(|| {
        let mut tried = Vec::new();
        for name in [c"libXss.so.1", c"libXss.so"] {
            // SAFETY: dlopen with a valid C string; the library stays loaded for the life of the
            // process (never closed), so the function pointers taken from it stay valid.
            let handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
            if handle.is_null() {
                tried.push(name.to_string_lossy());
                continue;
            }
            // SAFETY: the handle is open; the names are valid C strings.
            let (extension, info) = unsafe {
                (
                    libc::dlsym(handle, c"XScreenSaverQueryExtension".as_ptr()),
                    libc::dlsym(handle, c"XScreenSaverQueryInfo".as_ptr()),
                )
            };
            if extension.is_null() || info.is_null() {
                return Err(format!(
                    "{} lacks XScreenSaverQueryInfo",
                    name.to_string_lossy()
                ));
            }
            // SAFETY: these are libXss's functions, whose C signatures the types spell out.
            return Ok(unsafe {
                ScreenSaverLib {
                    query_extension: std::mem::transmute::<*mut c_void, QueryExtension>(extension),
                    query_info: std::mem::transmute::<*mut c_void, QueryInfo>(info),
                }
            });
        }
        Err(format!(
            "no X11 screen saver library ({}; package libxss1)",
            tried.join(", ")
        ))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The connections whose errors are passed over (as addresses).
static OURS: Mutex<Vec<usize>> = Mutex::new(Vec::new());
/// The handler that was in place before ours, for every other connection's errors.
static BEFORE: OnceLock<Option<ErrorHandler>> = OnceLock::new();

fn pass_over_errors_on(connection: *mut Display, xlib: &Xlib) {
    OURS.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(connection as usize);
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: XSetErrorHandler only swaps a function pointer; ours lives as long as the
        // process.
        let before = unsafe { (xlib.XSetErrorHandler)(Some(on_x_error)) };
        let _ = BEFORE.set(before);
    });
}

fn forget_connection(connection: *mut Display) {
    OURS.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .retain(|&ours| ours != connection as usize);
}

unsafe extern "C" fn on_x_error(display: *mut Display, event: *mut XErrorEvent) -> c_int {
    let ours = OURS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .contains(&(display as usize));
    if ours {
        // SAFETY: Xlib hands over a valid event for the length of the call.
        let code = unsafe { event.as_ref() }.map_or(0, |event| event.error_code);
        log::debug!("presence: X error {code} passed over (a window went away)");
        return 0;
    }
    match BEFORE.get().copied().flatten() {
        // SAFETY: the handler that was in place before, called as Xlib would have.
        Some(before) => unsafe { before(display, event) },
        None => 0,
    }
}
