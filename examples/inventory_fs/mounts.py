"""Mount table: path prefixes mapped to stores, each with a size quota.

:class:`MountTable` runs a background flusher thread that writes dirty paths
back (here it only records them in :attr:`MountTable.flushed`).
"""

from __future__ import annotations

import queue
import threading
import time

__all__ = ["Mount", "MountTable", "QuotaExceeded"]


class QuotaExceeded(OSError):
    """Raised when a write would take a mount over its quota."""


class Mount:
    """One mounted store, with its device number and disk-usage bookkeeping."""

    def __init__(self, path: str, dev: int, store, total_size: int):
        self.path = path
        self.dev = dev
        self.store = store
        self.total_size = total_size
        self.used = 0
        self.last_flush = None
        self._lock = threading.Lock()

    def charge(self, nbytes: int) -> None:
        """Account for ``nbytes`` more bytes, or raise QuotaExceeded."""
        with self._lock:
            if self.used + nbytes > self.total_size:
                raise QuotaExceeded(f"{self.path}: quota of {self.total_size} bytes exceeded")
            self.used += nbytes  # safe: check and update under self._lock

    def try_charge(self, nbytes: int, timeout: float = 0.1) -> bool:
        """Like :meth:`charge` without the quota check, giving up after ``timeout``."""
        if self._lock.acquire(timeout=timeout):
            try:
                self.used += nbytes  # safe: the if body runs with the lock held
            finally:
                self._lock.release()
            return True
        return False

    def refund(self, nbytes: int) -> None:
        """Give space back after a file shrinks.  Forgets the lock."""
        self.used = self.used - nbytes  # expect: RA001

    @property
    def free(self) -> int:
        return self.total_size - self.used


class MountTable:
    """Maps mount points to :class:`Mount` objects; flushes dirty paths in a thread."""

    def __init__(self, flush_interval: float = 0.01):
        self.flush_interval = flush_interval
        self.flushed = queue.Queue()
        self._lock = threading.Lock()
        self._mounts = {}
        self._last_dev = 0
        self._dirty = []
        self._flushes = 0
        self._stop = threading.Event()
        self._flusher = threading.Thread(
            target=self._flush_loop, name="inventory-fs-flusher", daemon=True
        )

    def start(self) -> None:
        self._flusher.start()

    def stop(self) -> None:
        self._stop.set()
        self._flusher.join()

    def _next_dev(self) -> int:
        """Allocate a device number.  The only caller, mount(), holds self._lock."""
        self._last_dev += 1  # safe: caller holds self._lock
        return self._last_dev

    def mount(self, path: str, store, total_size: int = 1 << 20) -> Mount:
        with self._lock:
            if path in self._mounts:
                raise FileExistsError(path)
            mnt = Mount(path, self._next_dev(), store, total_size)
            self._mounts[path] = mnt  # safe: check and insert under self._lock
        return mnt

    def unmount(self, path: str) -> None:
        """Remove a mount point.  Check and delete are not atomic."""
        if path in self._mounts:
            del self._mounts[path]  # expect: RA005

    def resolve(self, path: str) -> Mount | None:
        """Return the mount with the longest prefix of ``path``."""
        best = None
        for prefix, mnt in self._mounts.items():  # expect: RA003
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                if best is None or len(prefix) > len(best.path):
                    best = mnt
        return best

    def mount_points(self) -> list:
        paths = list(self._mounts)  # safe: list() takes a snapshot
        paths.sort()
        return paths

    def mark_dirty(self, path: str) -> None:
        self._dirty.append(path)  # safe on its own: list.append is one atomic step

    def pending(self) -> list:
        return list(self._dirty)  # safe: snapshot

    def discard_dirty(self) -> None:
        """Forget every pending flush."""
        self._dirty = []  # expect: RA008

    @property
    def flush_count(self) -> int:
        return self._flushes

    def _flush_loop(self) -> None:
        """Thread target: flush dirty paths until stop() is called."""
        while not self._stop.is_set():
            if self._dirty:
                path = self._dirty.pop(0)  # expect: RA002
                self._flush(path)
                self._flushes += 1  # expect: RA001
            else:
                self._stop.wait(self.flush_interval)

    def _flush(self, path: str) -> None:
        mnt = self.resolve(path)
        if mnt is not None:
            mnt.last_flush = time.monotonic()
        self.flushed.put(path)  # safe: queue.Queue does its own locking

    def flush_now(self) -> int:
        """Flush every dirty path on the caller's thread; returns how many."""
        paths = self.pending()
        for path in paths:
            self._flush(path)
        self._flushes += len(paths)  # expect: RA001
        return len(paths)
