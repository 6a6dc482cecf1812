"""Settings of the console-script process for the commands that read ledgers.

They concern the whole process (the C library's allocator, environment variables read
when numpy and pyarrow load, the cycle collector), so the console script makes them, in
:func:`jituan.cli.run`, before the command runs; ``main(argv)``, which tests and other
programs call, changes nothing of its caller's process. Each was measured side by side
with ``benchmarks/run.py`` on a 2-core virtual machine, where memory touched for the
first time is dear (1–3 ms a megabyte, most of it zeroing pages in the kernel).
Elsewhere (not Linux, no ``mallopt``) the allocator settings are skipped.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Sequence

#: glibc's mallopt parameters.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
#: Memory made ready ahead, per byte of input (a check's arrays take about twice the
#: input), and at most this much.
WARM_PER_INPUT_BYTE = 1.5
WARM_AT_MOST = 2 << 30
_WARM_AT_LEAST = 8 << 20


def tune_for_ledgers(args: Sequence[str]) -> None:
    """Make every setting below; ``args`` are the command's arguments (for the input size)."""
    libc = _libc()
    if libc is not None:
        _one_reused_heap(libc)
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    if libc is not None:
        _warm(libc, _warm_size(args))


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt  # noqa: B018 - present in glibc, absent in some other C libraries
    except (OSError, AttributeError):
        return None
    return libc


def _one_reused_heap(libc) -> None:
    """Keep freed memory for the next arrays, in one heap for all threads.

    - No trimming and no separate mappings for large blocks: reading a ledger allocates
      and frees arrays of tens of megabytes by the dozen, and memory handed back to the
      system is faulted in, zeroed, again (10M rows: 14.5 s → 13.2 s).
    - One arena: otherwise each thread (the CSV parser's, the integrity flags') gets a
      heap of its own, and memory freed in one is never reused by another (1M rows:
      peak 412 → 305 MB; 10M rows: 3.1 → 2.4 GB, and 0.1 s and 1 s faster).
    """
    libc.mallopt(_M_MMAP_THRESHOLD, 2**31 - 1)
    libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)
    libc.mallopt(_M_ARENA_MAX, 1)


def _warm_size(args: Sequence[str]) -> int:
    """Bytes to make ready: in proportion to the files named (folders of small files
    need nothing), within bounds."""
    total = 0
    for arg in args:
        try:
            if os.path.isfile(arg):
                total += os.path.getsize(arg)
        except (OSError, ValueError):
            continue
    size = min(int(total * WARM_PER_INPUT_BYTE), WARM_AT_MOST)
    return size if size >= _WARM_AT_LEAST else 0


def _warm(libc, size: int) -> None:
    """Fault in ``size`` bytes of the heap in a second thread, then free them for reuse.

    While the command imports numpy, pyarrow and pydantic (0.15 s on one core) the other
    core is idle; it spends that time taking the first-touch cost of memory the arrays
    will need, so the parser and the normalising find it ready (1M rows: 0.06 s). The
    memory stays with the process for the arrays (see :func:`_one_reused_heap`); sized
    below what they take, it adds little to the peak (1M rows: 305 → 344 MB). A large
    ledger is warmed while it is parsed too, which still pays: 10M rows (1.65 GB warmed)
    8.1 → 7.3 s, peak 2.4 → 3.1 GB: 1.05× the 2.9 GB that pandas takes to read it.
    """
    if not size:
        return
    import ctypes

    malloc, free = libc.malloc, libc.free
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    free.restype, free.argtypes = None, [ctypes.c_void_p]

    def touch() -> None:
        block = malloc(size)
        if block:
            ctypes.memset(block, 0, size)  # the GIL is released while it runs
            free(block)

    threading.Thread(target=touch, name="jituan-warm", daemon=True).start()
