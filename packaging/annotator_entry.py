"""The bundle's entry point: the ``annotator`` command (``annotator.cli.main``).

PyInstaller runs a script, not a console-scripts entry point; this is that script.

In the bundle ``sys.executable`` is this program, not Python, so what the program starts
as ``sys.executable -m MODULE`` arrives here: the training worker (the window's Model →
Train and adoption, ``ui/model_runner.worker_command``) is run as Python would run it.
"""

import multiprocessing
import runpy
import sys

#: The modules the program starts with ``-m``.
RUN_AS_MAIN = ("annotator.nlp.training.worker",)

if __name__ == "__main__":
    # Worker processes (a fork server for exports started from the window, spaCy's
    # n_process) start this executable again; freeze_support makes those starts workers.
    multiprocessing.freeze_support()

    if len(sys.argv) > 2 and sys.argv[1] == "-m" and sys.argv[2] in RUN_AS_MAIN:
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        sys.exit(0)

    from annotator.cli import main

    sys.exit(main())
