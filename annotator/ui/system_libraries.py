"""The system libraries and the display the window needs, named as a user installs them:
what ``ldd`` says Qt's X plugin lacks, what Qt's own libraries failed to load with, and a
display that is not there. Free of Qt (PySide6 is asked only where its files lie), so that
a library Qt cannot load is said in one line, not in a traceback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

#: Debian packages whose name does not follow from the library's (``libfoo.so.1`` → ``libfoo1``).
DEBIAN_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfreetype.so.6": "libfreetype6",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``."""
    missing = set()
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found":
            missing.add(name.strip())
    return sorted(missing)


def debian_package(library: str) -> str:
    """The Debian (and Ubuntu) package that holds ``library`` (``libxcb-icccm.so.4`` →
    ``libxcb-icccm4``)."""
    if library in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[library]
    stem, _, version = library.partition(".so.")
    stem, version = stem.lower(), version.split(".")[0]
    return f"{stem}-{version}" if stem[-1:].isdigit() else f"{stem}{version}"


def window_import_problem(error: ImportError) -> str | None:
    """One line for an import of Qt that failed for a system library (``libGL.so.1: cannot
    open shared object file``: the window died with a traceback), naming the package to
    install; ``None`` for any other import error."""
    found = re.search(r"(lib[\w.+-]*\.so(?:\.\d+)*): cannot open shared object file", str(error))
    if found is None:
        return None
    library = found.group(1)
    return (
        f"annotator: the window cannot start here: the system library {library} was not "
        f"found (the command line works without it). On Debian or Ubuntu: sudo apt install "
        f"{debian_package(library)}"
    )


def _qt_xcb_files() -> list[Path]:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    return [
        qt / "plugins" / "platforms" / "libqxcb.so",
        *sorted((qt / "lib").glob("libQt6XcbQpa.so*")),
    ]


def _ldd(path: Path) -> str:
    done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    return done.stdout


def _has_xcb_cursor() -> bool:
    import ctypes.util

    return ctypes.util.find_library("xcb-cursor") is not None


def display_libraries_problem(
    environ: Mapping[str, str] = os.environ,
    ldd: Callable[[Path], str] = _ldd,
    has_xcb_cursor: Callable[[], bool] = _has_xcb_cursor,
) -> str | None:
    """On a Linux desktop where Qt will use X11 (xcb), the system libraries its xcb plugin
    lacks, as a one-line message naming the packages to install; ``None`` if nothing is
    missing (or it cannot be known). Qt itself would abort naming only libxcb-cursor0."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return None
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform not in ("", "xcb") or not environ.get("DISPLAY"):
        return None
    if not platform and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt may well open the window through Wayland
    missing = set()
    for path in _qt_xcb_files():
        if path.exists():
            missing.update(missing_libraries(ldd(path)))
    if not has_xcb_cursor():  # loaded at run time, so ldd does not list it
        missing.add("libxcb-cursor.so.0")
    if not missing:
        return None
    packages = sorted({debian_package(name) for name in missing})
    return (
        f"annotator: Qt cannot open a window here: {', '.join(sorted(missing))} not found. "
        f"On Debian or Ubuntu: sudo apt install {' '.join(packages)}"
    )


def no_display_problem(
    environ: Mapping[str, str] = os.environ, listening: Callable[[str], bool] | None = None
) -> str | None:
    """On Linux, a one-line message when there is no display for the window: no DISPLAY or
    WAYLAND_DISPLAY, or ones naming a local server that is not there (a stale DISPLAY over
    ssh). Qt would print several lines and abort, dumping core. ``None`` where a window can
    be tried. ``listening(socket path)``: whether a server listens there."""
    if not sys.platform.startswith("linux"):
        return None
    if environ.get("QT_QPA_PLATFORM", "") not in ("", "xcb", "wayland"):
        return None  # offscreen, vnc, eglfs...: the user chose where
    listening = listening or _listening
    display, wayland = environ.get("DISPLAY", ""), environ.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return (
            "annotator: no display to open the window on (DISPLAY is not set); the command "
            f"line needs none: {command_as_run()} --help"
        )
    x_socket = _x_socket(display)
    if display and (x_socket is None or listening(x_socket)):
        return None  # a remote display, or a local one that is there
    if wayland:
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        path = wayland if wayland.startswith("/") else os.path.join(runtime, wayland)
        if listening(path):
            return None
    shown = f"DISPLAY={display}" if display else f"WAYLAND_DISPLAY={wayland}"
    return (
        f"annotator: no display server answers at {shown} (left from another session?); "
        f"the command line needs none: {command_as_run()} --help"
    )


def command_as_run(argv0: str | None = None) -> str:
    """``annotator`` where that is on the PATH; else the command as it was started
    (``.venv/bin/annotator`` after ``make run``): a user told to type ``annotator`` got
    "command not found"."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    on_path = shutil.which("annotator")
    if not argv0 or (on_path and os.path.realpath(on_path) == os.path.realpath(argv0)):
        return "annotator"
    if Path(argv0).name != "annotator":  # python -m annotator, a test's runner
        return "annotator"
    return argv0


def _x_socket(display: str) -> str | None:
    """Where a local X display listens: its Unix socket (":0", "unix:1.0"), or
    ``tcp:localhost:6010`` for one forwarded by ssh ("localhost:10.0"); None for a display
    on another machine (it cannot be asked cheaply)."""
    host, _, number = display.rpartition(":")
    screen = number.split(".")[0]
    if not screen.isdigit():
        return None
    if host in ("", "unix"):
        return f"/tmp/.X11-unix/X{screen}"
    if host in ("localhost", "127.0.0.1", "::1"):
        return f"tcp:{host}:{6000 + int(screen)}"
    return None


def _listening(address: str) -> bool:
    """Whether a server listens at ``address``: a Unix socket (a file, or Linux's abstract
    name of it, as Xvfb makes), or ``tcp:HOST:PORT``."""
    if address.startswith("tcp:"):
        host, port = address[4:].rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=0.5).close()
            return True
        except OSError:
            return False
    if os.path.exists(address):
        return True
    try:
        with open("/proc/net/unix", encoding="ascii", errors="replace") as table:
            return any(line.rstrip().endswith(" @" + address) for line in table)
    except OSError:
        return True  # cannot tell: let Qt try


def say_the_window_cannot_start(problem: str) -> None:
    """``problem`` on standard error and, where no terminal shows it (the program started
    from the desktop's menu: a missing libGL started nothing, without a word), in a desktop
    notification or an X message box, whichever the system has, and in errors.log."""
    print(problem, file=sys.stderr)
    if sys.stderr.isatty():
        return
    from annotator.ui.user_folders import data_folder

    title = "Conflict news annotator cannot start"
    for command in (
        ["notify-send", "--urgency=critical", title, problem],
        ["xmessage", "-center", f"{title}\n\n{problem}"],
    ):
        if shutil.which(command[0]) is not None:
            try:
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                continue
            break
    try:
        log = data_folder() / "errors.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as written:
            written.write(f"--- the window could not start\n{problem}\n")
    except OSError:
        pass
