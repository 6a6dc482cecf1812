"""``python -m jituan``."""

from jituan.cli import run

if __name__ == "__main__":
    run()
