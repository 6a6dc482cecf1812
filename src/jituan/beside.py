"""Work done in a second thread while the caller goes on.

Array work (numpy, pyarrow) releases the GIL, so on a machine with two cores a pass over
a million rows can run beside Python-level work instead of after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Beside(Generic[T]):
    """A call run in a second thread while the caller goes on; :meth:`result` waits for
    it and returns its value or raises its exception."""

    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._out: T | None = None
        self._err: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., T], args: tuple) -> None:
        try:
            self._out = fn(*args)
        except BaseException as err:  # handed to the caller by result()
            self._err = err

    def result(self) -> T:
        self._thread.join()
        if self._err is not None:
            raise self._err
        return self._out  # type: ignore[return-value]
