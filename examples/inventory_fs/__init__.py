"""inventory_fs: a tiny in-memory filesystem, used to demonstrate raceaudit.

The package is small but written the way library code usually is: some
classes take a lock, some were written before anyone shared them between
threads.  See ``examples/README.md`` for the list of hazards it contains.
"""

from __future__ import annotations

from . import settings
from .mounts import Mount, MountTable, QuotaExceeded
from .registry import (
    PluginRegistry,
    autoload_disabled,
    default_registry,
    plugin_names,
    register_default,
    register_plugin,
)
from .store import FileHandle, HandleTable, Inode, MemoryStore

__all__ = [
    "FileHandle", "HandleTable", "Inode", "MemoryStore", "Mount", "MountTable",
    "PluginRegistry", "QuotaExceeded", "autoload_disabled", "default_registry",
    "demo", "enable_debug", "plugin_names", "register_default", "register_plugin",
    "settings",
]

__version__ = "0.1.0"


def enable_debug(flag: bool = True) -> None:
    """Turn debug output on or off for the whole process."""
    settings.debug = flag  # expect: RA007


def demo() -> dict:
    """Exercise the package from a few threads and return a small summary."""
    import threading

    store = default_registry.create("memory")
    docs = store.makedirs("/srv/docs")
    workers = [
        threading.Thread(target=store.create_file, args=(docs, f"file{i}.txt", b"x" * i))
        for i in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    fd = store.open(store.lookup("/srv/docs/file3.txt"))
    handle = store.get(fd)
    handle.write(b"hello")
    handle.seek(0)
    head = handle.read(5)
    handle.close()

    table = MountTable()
    table.start()
    table.mount("/", store)
    table.mount("/srv", MemoryStore())
    table.mark_dirty("/srv/docs/file3.txt")
    flushed = table.flushed.get(timeout=5)
    table.stop()

    return {
        "entries": store.listdir(docs),
        "usage": store.du(docs),
        "head": head,
        "flushed": flushed,
        "mount": table.resolve("/srv/docs").path,
        "plugins": plugin_names(),
    }
