# Two commands on a fresh machine: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
# (also when given empty on the command line: `make install-desktop PYTHON=` ran the script)
ifeq ($(strip $(PYTHON)),)
override PYTHON := python3
endif
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help run test lint bench screenshot lock clean bundle bundle-test install-desktop \
	uninstall-desktop icons venv-check
.DEFAULT_GOAL := help

help:
	@echo "make run      install what is needed into .venv, then open the window (the sample project)"
	@echo "make test     install the test extras into .venv, then run the whole test suite"
	@echo "make lint     ruff, mypy and the layer contracts"
	@echo "make bundle   the one-folder application in dist/annotator (then make install-desktop)"
	@echo "make install-desktop   put the program in the desktop's menu (BUNDLE_DIR=.venv/bin: this .venv's)"
	@echo "make clean    remove .venv, build and dist"
	@echo "Another Python (3.11 or newer): make run PYTHON=python3.12"

# (A venv that failed halfway is removed: Debian's Python without python3-venv leaves one
# with no pip, and every later make run stopped at "No module named pip".)
$(BIN)/python:
	@$(PYTHON) --version >/dev/null 2>&1 || { echo "$(PYTHON) does not run here (no such" \
	  "command, or no Python):" \
	  "install Python 3.11 or newer (python.org, or your system's packages) and name it," \
	  "e.g. make run PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "annotator needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)." \
	    "Install a newer one (python.org, or your system's packages, e.g. python3.12) and" \
	    "name it: make run PYTHON=python3.12"; exit 1; }
	@echo "making $(VENV) and installing the program into it (a minute or two, once)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "$(PYTHON) could not make a venv (above: what it needs); then make run again"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

# A .venv that cannot serve is made again, not reused with a puzzling error: one made by a
# Python older than 3.11, one without pip, or for this clone in another folder (its scripts
# name that one). (-P: not the clone's own annotator/ folder, which is always there.)
venv-check:
	@if [ -e $(BIN)/python ] && ! $(BIN)/python -c \
	    'import sys, pip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	  echo "$(VENV) was made by a Python older than 3.11, has no pip, or no longer runs:" \
	    "making it again"; \
	  rm -rf $(VENV); \
	elif [ -e $(VENV)/.installed ] && ! $(BIN)/python -P -c \
	    'import annotator, os, sys; sys.exit(os.path.dirname(os.path.dirname(os.path.realpath(annotator.__file__))) != os.path.realpath("."))' \
	    2>/dev/null; then \
	  echo "$(VENV) was made for this project in another folder (or lacks it): making it again"; \
	  rm -rf $(VENV); \
	fi

# (setuptools' boxed "Please be careful with folders …" warning on every editable install
# only alarmed a first-time user: the check above makes a moved clone's .venv again.)
PIP_QUIET := PYTHONWARNINGS="ignore:Editable installation"

# Dependencies come from constraints.txt: the versions the tests passed with, not the newest.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_QUIET) $(BIN)/python -m pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_QUIET) $(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.installed

run: venv-check $(VENV)/.installed
	$(BIN)/annotator

test: venv-check $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check annotator tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(VENV)/.installed-test
	$(BIN)/python bench/preannotation_quality.py
	$(BIN)/python bench/preannotate_overhead.py

screenshot: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshot.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_map_screenshot.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_scheme_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_model_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_dark_screenshots.py --docs

# The one-folder application dist/annotator/ (PyInstaller, packaging/annotator.spec). It is
# built in a venv of its own holding the program as the wheel installs it, and nothing of the
# tests, so the bundle carries exactly what `pip install` brings.
BUNDLE_VENV := build/bundle-venv

$(BUNDLE_VENV)/bin/python:
	$(PYTHON) -m venv $(BUNDLE_VENV) || { rm -rf $(BUNDLE_VENV); exit 1; }
	$(BUNDLE_VENV)/bin/python -m pip install --upgrade pip

bundle: | $(BUNDLE_VENV)/bin/python
	$(BUNDLE_VENV)/bin/python -m pip install -c constraints.txt '.[bundle]'
	$(BUNDLE_VENV)/bin/python -m pip install --no-deps --force-reinstall .
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/annotator.spec
	@du -sh dist/annotator

# The bundle's own self-test, run from a folder outside the tree. Too slow for CI (minutes).
bundle-test: bundle
	dir="$$(mktemp -d)" && cd "$$dir" && "$(CURDIR)/dist/annotator/annotator" --version \
	  && "$(CURDIR)/dist/annotator/annotator" --self-test \
	  && "$(CURDIR)/dist/annotator/annotator" -m annotator.nlp.training.worker --help >/dev/null; \
	  status=$$?; rm -rf "$$dir"; exit $$status

# Put the bundle in the desktop's menu: the desktop entry (Exec = this dist/annotator), the
# icon and the AppStream metainfo under ~/.local/share. `make bundle` first.
APP_ID := io.github.conflictnews.annotator
XDG_DATA_HOME ?= $(HOME)/.local/share
BUNDLE_DIR ?= $(CURDIR)/dist/annotator

# The menu entry names the bundle by its absolute path: a relative one starts nothing.
# (Not $(abspath): it splits a path with spaces into words.)
BUNDLE_PATH = $(if $(filter /%,$(firstword $(BUNDLE_DIR))),$(BUNDLE_DIR),$(CURDIR)/$(BUNDLE_DIR))

# (Every path quoted: a HOME with a space made folders named by its words in the clone.)
install-desktop:
	@test -x "$(BUNDLE_PATH)/annotator" || { echo "no $(BUNDLE_PATH)/annotator: make bundle" \
	  "first (or, for this clone's .venv: make install-desktop BUNDLE_DIR=.venv/bin)"; exit 1; }
	install -d "$(XDG_DATA_HOME)/applications" "$(XDG_DATA_HOME)/metainfo"
	@# (written whole, then put in place: without python3 the entry there was emptied)
	@$(PYTHON) packaging/desktop_entry.py "$(BUNDLE_PATH)" packaging/$(APP_ID).desktop \
	    > "$(XDG_DATA_HOME)/applications/$(APP_ID).desktop.new" \
	  || { rm -f "$(XDG_DATA_HOME)/applications/$(APP_ID).desktop.new"; \
	    echo "$(PYTHON) could not write the menu entry (above: why; the system's python3" \
	      "is needed here, not by the bundle); nothing was changed"; exit 1; }
	mv -f "$(XDG_DATA_HOME)/applications/$(APP_ID).desktop.new" \
	  "$(XDG_DATA_HOME)/applications/$(APP_ID).desktop"
	install -m 644 packaging/$(APP_ID).metainfo.xml "$(XDG_DATA_HOME)/metainfo/"
	for size in 16 32 48 64 128 256; do \
	  install -D -m 644 resources/icons/annotator-$$size.png \
	    "$(XDG_DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/$(APP_ID).png"; \
	done
	install -D -m 644 resources/icons/annotator.svg \
	  "$(XDG_DATA_HOME)/icons/hicolor/scalable/apps/$(APP_ID).svg"
	@! command -v update-desktop-database >/dev/null \
	  || update-desktop-database -q "$(XDG_DATA_HOME)/applications"
	@echo "installed $(XDG_DATA_HOME)/applications/$(APP_ID).desktop"

uninstall-desktop:
	rm -f "$(XDG_DATA_HOME)/applications/$(APP_ID).desktop" \
	  "$(XDG_DATA_HOME)/metainfo/$(APP_ID).metainfo.xml" \
	  "$(XDG_DATA_HOME)/icons/hicolor/"*"/apps/$(APP_ID).png" \
	  "$(XDG_DATA_HOME)/icons/hicolor/scalable/apps/$(APP_ID).svg"
	@! command -v update-desktop-database >/dev/null \
	  || update-desktop-database -q "$(XDG_DATA_HOME)/applications"

# The icon's PNGs from its SVGs (commit them): after changing resources/icons/*.svg.
icons: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

# Re-resolve every dependency to its newest allowed version in a scratch venv and write
# constraints.txt; then run make test before committing it.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q --upgrade pip
	.lock-venv/bin/python -m pip install -q -e '.[test]'
	{ sed -n '1,2p' constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable \
	  | grep -v '^annotator'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) build dist *.egg-info
