"""An in-memory file store: inodes, directories and file descriptors.

:class:`MemoryStore` hands out inode numbers and small integer file
descriptors the way a kernel does: descriptors come from a heap of freed
numbers first (lowest first), and otherwise from the end of the open-files
list.  Inode allocation is done under the store's lock; the descriptor table
was ported from an older single-threaded design and is not.
:class:`HandleTable` is the newer, fully locked table used for directory
streams.
"""

from __future__ import annotations

import errno
import heapq
import threading

from . import settings

__all__ = ["DIR_MODE", "FILE_MODE", "FileHandle", "HandleTable", "Inode", "MemoryStore"]

DIR_MODE = 0o040755
FILE_MODE = 0o100644


def _split(path: str) -> list:
    """Split ``/a/b/c`` into ``['a', 'b', 'c']``."""
    return [part for part in path.split("/") if part]


class Inode:
    """A file or a directory: metadata, data and (for directories) entries."""

    __slots__ = ("ino", "mode", "nlink", "data", "_entries")

    def __init__(self, ino: int, mode: int, data: bytes = b""):
        self.ino = ino
        self.mode = mode
        self.nlink = 1
        self.data = bytearray(data)
        self._entries = {}

    @property
    def entries(self) -> dict:
        """Mapping of entry name to child :class:`Inode` (directories only)."""
        return self._entries

    def add_entry(self, name: str, child: Inode) -> None:
        self._entries[name] = child

    def remove_entry(self, name: str) -> Inode:
        return self._entries.pop(name)


class _Usage:
    """Running totals for one :meth:`MemoryStore.du` call."""

    __slots__ = ("files", "nbytes")

    def __init__(self):
        self.files = 0
        self.nbytes = 0


class HandleTable:
    """A bounded table of small integer handles, safe to share between threads.

    All state is guarded by one Condition; :meth:`allocate` blocks while the
    table is full.
    """

    def __init__(self, size: int = 64):
        self._cond = threading.Condition()
        self._free = list(range(size))
        heapq.heapify(self._free)  # safe: __init__, the table is not shared yet
        self._slots = [None] * size
        self._in_use = 0

    def allocate(self, obj, timeout: float | None = None) -> int:
        with self._cond:
            while not self._free:
                if not self._cond.wait(timeout):
                    raise TimeoutError("no free handle")
            slot = heapq.heappop(self._free)  # safe: check and pop under self._cond
            self._slots[slot] = obj
            self._in_use += 1  # safe: under self._cond
        return slot

    def free(self, slot: int):
        with self._cond:
            obj = self._slots[slot]
            self._slots[slot] = None  # safe: every use of _slots holds self._cond
            heapq.heappush(self._free, slot)  # safe: every use of _free holds self._cond
            self._in_use -= 1  # safe: under self._cond
            self._cond.notify()
        return obj

    def get(self, slot: int):
        with self._cond:
            return self._slots[slot]

    def items(self) -> list:
        with self._cond:
            # safe: iterated under the lock that guards every mutation
            return [(slot, obj) for slot, obj in enumerate(self._slots) if obj is not None]

    @property
    def in_use(self) -> int:
        return self._in_use


class MemoryStore:
    """A process-local, in-memory file store.

    Inode numbers come from ``_next_ino`` under ``_lock`` (an RLock, so that
    :meth:`makedirs` can call :meth:`mkdir` while holding it).
    """

    #: Number of stores created so far (informational).
    instances = 0  # safe: class body, runs at import time
    #: Block size used by new stores when none is passed in.
    default_block_size = 4096

    def __init__(self, block_size: int | None = None):
        type(self).instances += 1  # expect: RA006
        self.block_size = block_size or self.default_block_size or settings.block_size
        self._lock = threading.RLock()
        self._next_ino = 1
        self.root = Inode(self._next_ino, DIR_MODE)
        self._next_ino += 1  # safe: __init__, the store is still private
        self.bytes_used = 0
        self.dir_handles = HandleTable(16)
        self._init_tables()

    def _init_tables(self) -> None:
        """Create the descriptor tables.  Called only from __init__ (init context)."""
        self.open_files = []  # safe: init context, no other thread has the store yet
        self._free_fds = []

    @classmethod
    def set_default_block_size(cls, size: int) -> None:
        """Change the block size of stores created from now on (process-wide)."""
        cls.default_block_size = size  # expect: RA006

    # -- inodes ------------------------------------------------------------

    def _alloc_ino(self) -> int:
        """Hand out the next inode number.  Every caller holds ``self._lock``."""
        ino = self._next_ino
        self._next_ino += 1  # safe: only called with self._lock held
        return ino

    def create_file(self, parent: Inode, name: str, data: bytes = b"") -> Inode:
        with self._lock:
            node = Inode(self._alloc_ino(), FILE_MODE, data)
            parent.add_entry(name, node)
            self.bytes_used += len(data)  # safe: under self._lock
        return node

    def mkdir(self, parent: Inode, name: str) -> Inode:
        with self._lock:
            node = Inode(self._alloc_ino(), DIR_MODE)
            parent.add_entry(name, node)
        return node

    def makedirs(self, path: str) -> Inode:
        """Create every missing directory of ``path`` as one atomic step."""
        with self._lock:
            node = self.root
            for part in _split(path):
                child = node.entries.get(part)
                if child is None:
                    child = self.mkdir(node, part)  # safe: RLock, mkdir re-enters it
                node = child
        return node

    def import_file(self, parent: Inode, name: str, data: bytes) -> Inode:
        """Fast path for bulk importers.  Skips the lock, so it races with create_file."""
        ino = self._next_ino
        self._next_ino += 1  # expect: RA001
        node = Inode(ino, FILE_MODE, data)
        parent.add_entry(name, node)
        self.bytes_used += len(data)  # expect: RA001
        return node

    def lookup(self, path: str) -> Inode:
        settings.count_lookup()
        node = self.root
        for part in _split(path):
            try:
                node = node.entries[part]
            except KeyError:
                raise FileNotFoundError(errno.ENOENT, "no such file", path) from None
        return node

    def link(self, node: Inode, parent: Inode, name: str) -> None:
        """Add a hard link to ``node`` as ``parent/name``."""
        parent.add_entry(name, node)
        node.nlink += 1  # expect: RA001

    def unlink(self, parent: Inode, name: str) -> None:
        node = parent.remove_entry(name)
        self.drop_link(node)

    def drop_link(self, node: Inode) -> None:
        """Drop one hard link; give the space back when the last one goes."""
        node.nlink -= 1  # expect: RA001
        if node.nlink == 0:
            self.bytes_used -= len(node.data)  # expect: RA001

    def listdir(self, directory: Inode) -> list:
        names = list(directory.entries)  # safe: list() takes a snapshot, no live iteration
        names.sort()
        return names

    def du(self, directory: Inode) -> tuple:
        """Return ``(files, bytes)`` directly inside ``directory``."""
        usage = _Usage()  # a per-call object, never stored anywhere
        for child in directory.entries.values():  # expect: RA003
            usage.files += 1  # safe: attribute of an object this call created
            usage.nbytes += len(child.data)
        return usage.files, usage.nbytes

    # -- file descriptors (legacy table, no lock) ---------------------------

    def open(self, node: Inode, mode: str = "rb") -> int:
        """Open ``node`` and return the lowest free descriptor."""
        handle = FileHandle(self, node, mode)
        if self._free_fds:
            fd = heapq.heappop(self._free_fds)  # expect: RA002
            self.open_files[fd] = handle
        else:
            self.open_files.append(handle)
            fd = len(self.open_files) - 1  # expect: RA004
        handle.fd = fd
        return fd

    def get(self, fd: int) -> FileHandle:
        try:
            handle = self.open_files[fd]
        except IndexError:
            handle = None
        if handle is None:
            raise OSError(errno.EBADF, "bad file descriptor", fd)
        return handle

    def close(self, fd: int) -> None:
        handle = self.get(fd)
        self.open_files[fd] = None  # expect: RA008
        heapq.heappush(self._free_fds, fd)  # expect: RA002
        handle.closed = True

    def open_handles(self) -> list:
        return [h for h in self.open_files if h is not None]  # expect: RA003

    # -- directory streams (new, locked table) ------------------------------

    def opendir(self, directory: Inode) -> int:
        names = list(directory.entries)  # safe: snapshot
        return self.dir_handles.allocate(names)

    def readdir(self, handle: int) -> list:
        return self.dir_handles.get(handle)

    def closedir(self, handle: int) -> None:
        self.dir_handles.free(handle)


class FileHandle:
    """An open file: a position into an inode's data."""

    store: MemoryStore
    node: Inode

    def __init__(self, store: MemoryStore, node: Inode, mode: str = "rb"):
        self.store = store
        self.node = node
        self.mode = mode
        self.position = 0
        self.fd = -1
        self.closed = False
        self._lock = threading.Lock()

    def read(self, size: int = -1) -> bytes:
        with self._lock:
            data = self.node.data
            if size < 0:
                size = len(data) - self.position
            chunk = bytes(data[self.position:self.position + size])
            self.position += len(chunk)  # safe: under self._lock
        return chunk

    def write(self, data: bytes) -> int:
        """Write at the current position.  Forgets the lock, so it races with read()."""
        node = self.node
        end = self.position + len(data)
        grown = max(0, end - len(node.data))
        node.data[self.position:end] = data
        self.position += len(data)  # expect: RA001
        self.store.bytes_used += grown  # expect: RA001
        return len(data)

    def seek(self, position: int) -> None:
        with self._lock:
            self.position = position

    def close(self) -> None:
        self.store.close(self.fd)
