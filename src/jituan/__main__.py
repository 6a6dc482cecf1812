"""``python -m jituan``."""

from jituan.entry import run

if __name__ == "__main__":
    run()
