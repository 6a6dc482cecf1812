"""The console script's entry point, kept free of imports.

``jituan --version`` is what scripts and CI call most often to see what is installed; it
answers before typer and the commands are imported. Everything else goes to the CLI.
"""

from __future__ import annotations

import sys


def run() -> None:
    """``jituan``: the version at once, or the full command line."""
    if sys.argv[1:] == ["--version"]:
        from jituan import __version__

        sys.stdout.write(f"jituan {__version__}\n")
        sys.exit(0)
    from jituan.cli import run as run_cli

    run_cli()
