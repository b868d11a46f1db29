"""Work that needs little of what the build holds, done in a second process while the build goes on
(the coverage audit, beside the cell rules and the checks across records): on a machine of two or
more cores, its time is hidden behind theirs.

The result is the one the build's own process would give, and so is an error: the second process
sends back the exception its work raised, and the build raises it where it would have raised its
own. If that process cannot be started or dies, the work is done in the build's own process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _run(conn: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the second process: the result of the work, or the exception it raised."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops this process
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except Exception as exc:  # an input problem (CurationError) or a fault: the build raises it
        outcome = (False, exc)
    try:
        conn.send(outcome)
    except Exception as exc:  # not picklable: the build does the work itself and meets the problem
        conn.send((None, repr(exc)))
    finally:
        conn.close()


class Background(Generic[T]):
    """`function(*args)`, started at once in a second process when `separate` and the machine has a
    core to spare; otherwise worked out when `result()` is first asked for."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], separate: bool) -> None:
        self.function, self.args = function, args
        self.process: Any = None
        self.conn: Connection | None = None
        if separate and (os.cpu_count() or 1) >= 2:
            self._start()

    def _start(self) -> None:
        receive, send = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.Process(target=_run, args=(send, self.function, self.args), daemon=True)
        try:
            process.start()
        except OSError:  # no process to be had (limits): done here instead
            receive.close()
            return
        finally:
            send.close()  # the child holds its own end: a child that dies gives EOF here
        self.process, self.conn = process, receive

    def result(self) -> T:
        """The result, or the work's exception raised here."""
        if self.conn is None:
            return self.function(*self.args)
        try:
            ok, value = self.conn.recv()
        except Exception:  # died (killed, out of memory), or sent what cannot be rebuilt here
            ok, value = None, None
        finally:
            self.cancel()
        if ok is None:
            return self.function(*self.args)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the second process, if it still runs (the build failed before it needed the result)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
