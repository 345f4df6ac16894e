"""Atomic writes that survive Ctrl-C: :func:`atomic_write`, used by every esm writer.

**Atomic.** Every writer writes a temporary file ``.<name>.<random>.tmp`` in the target's
folder and renames it over the target (``os.replace``) only when it is complete. A failure or
Ctrl-C leaves the old file untouched (or no file) and removes the temporary file.

**Ctrl-C.** xarray guards netCDF4/HDF5 with non-reentrant locks. A KeyboardInterrupt that lands
between the acquisition of such a lock and the ``with`` block that releases it leaves the lock
held, and the ``finally: store.close()`` that follows waits for it forever (a deadlock, with a
truncated file that opens without error). Here the write runs in a worker thread, which never
receives KeyboardInterrupt (Python delivers signals to the main thread); the main thread waits
in short ``join`` timeouts. On Ctrl-C it asks the worker to stop (the worker writes one variable
at a time and checks between variables), waits for it at most :data:`CANCEL_WAIT` seconds,
removes the temporary file and re-raises.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from os import PathLike
from pathlib import Path

#: Seconds the main thread waits for the writer to stop after Ctrl-C before it leaves anyway.
CANCEL_WAIT = 10.0


class _Cancelled(Exception):
    """The writer was asked to stop (Ctrl-C in the main thread)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | PathLike, writer: Callable[[str, threading.Event], object]):
    """Call ``writer(tmp, cancel)`` in a worker thread, then rename ``tmp`` over ``path``.

    ``tmp`` is a new file in the folder of ``path``; ``writer`` should stop (raise) soon after
    ``cancel`` is set. On any exception, and on KeyboardInterrupt in the main thread, ``tmp``
    is removed and the exception re-raised; ``path`` is then untouched. Returns what
    ``writer`` returns.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise OSError(f"{os.fspath(path)}: directory {folder} does not exist")
    if target.is_dir():
        raise OSError(f"{os.fspath(path)}: is a directory, give a file name")
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    cancel = threading.Event()
    outcome: dict = {}

    def work():
        try:
            outcome["result"] = writer(tmp, cancel)
            with open(tmp, "rb") as f:  # on disk before the rename
                os.fsync(f.fileno())
        except BaseException as err:  # noqa: BLE001 - handed to the main thread
            outcome["error"] = err
        finally:
            if cancel.is_set():  # the main thread has given up: leave nothing behind
                _remove(tmp)

    worker = threading.Thread(target=work, name=f"esm-write-{target.name}", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
        if "error" in outcome:
            raise outcome["error"]
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        return outcome.get("result")
    except BaseException:
        cancel.set()
        try:
            worker.join(CANCEL_WAIT)
        except BaseException:  # noqa: BLE001 - a second Ctrl-C: leave at once
            pass
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
