"""The bundle's entry point: the ``annotator`` command (``annotator.cli.main``).

PyInstaller runs a script, not a console-scripts entry point; this is that script.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # Worker processes (a fork server for exports started from the window, spaCy's
    # n_process) start this executable again; freeze_support makes those starts workers.
    multiprocessing.freeze_support()

    from annotator.cli import main

    sys.exit(main())
