"""The bundle's entry point: the ``annotator`` command (``annotator.cli.main``).

PyInstaller runs a script, not a console-scripts entry point; this is that script.

In the bundle ``sys.executable`` is this program, not Python, so what the program starts
as ``sys.executable -m MODULE`` arrives here: the training worker (the window's Model →
Train and adoption, ``ui/model_runner.worker_command``) is run as Python would run it.
"""

import multiprocessing
import sys

#: The module the program starts with ``-m``.
WORKER = "annotator.nlp.training.worker"

if __name__ == "__main__":
    # Worker processes (a fork server for exports started from the window, spaCy's
    # n_process) start this executable again; freeze_support makes those starts workers.
    multiprocessing.freeze_support()

    if sys.argv[1:3] == ["-m", WORKER]:
        # Imported by name, not through runpy, so that PyInstaller sees it and bundles it.
        from annotator.nlp.training import worker

        sys.exit(worker.main(sys.argv[3:]))

    from annotator.cli import main

    sys.exit(main())
