"""Plugin registry: store factories by filesystem type name.

There are two layers: a module-level table that third-party packages fill at
import time with :func:`register_plugin`, and :class:`PluginRegistry`, the
per-application registry that also runs hooks on every store it creates.
"""

from __future__ import annotations

import contextlib
import itertools
import threading

from .store import MemoryStore

__all__ = [
    "PluginRegistry", "autoload_disabled", "default_registry", "plugin_names",
    "register_default", "register_plugin", "resolve_alias",
]

# Module top level: filled at import time, not a hazard.
_PLUGINS = {"memory": MemoryStore}

#: Alias table, never changed after import.
_ALIASES = {"mem": "memory", "ram": "memory", "tmpfs": "memory"}


def register_plugin(name: str, factory) -> bool:
    """Register ``factory`` under ``name`` unless the name is taken."""
    if name not in _PLUGINS:
        _PLUGINS[name] = factory  # expect: RA005
        return True
    return False


def register_default(name: str, factory) -> bool:
    """Same as :func:`register_plugin`, as one atomic step."""
    return _PLUGINS.setdefault(name, factory) is factory  # safe: dict.setdefault is atomic


def plugin_names() -> list:
    return [name for name in _PLUGINS]  # expect: RA003


def resolve_alias(name: str) -> str:
    for alias, target in _ALIASES.items():  # safe: _ALIASES is only written at import time
        if alias == name:
            return target
    return name


class PluginRegistry:
    """Creates stores from registered factories and runs hooks on each one."""

    #: Run the creation hooks on new stores (see :func:`autoload_disabled`).
    autoload = True  # safe: class body
    _class_lock = threading.Lock()
    _generation = 0

    def __init__(self):
        self._lock = threading.Lock()
        self._factories = {}
        self._order = []
        self._aliases = {}
        self._hooks = []
        self._created = []
        self._tls = threading.local()
        self._ids = itertools.count(1)
        self._load_builtins()

    def _load_builtins(self) -> None:
        """Copy the module table.  Called only from __init__ (init context)."""
        for name in list(_PLUGINS):  # safe: snapshot of the module table
            self._factories[name] = _PLUGINS.get(name)
            self._order.append(name)

    @classmethod
    def bump_generation(cls) -> int:
        """Invalidate caches keyed on the registry generation."""
        with cls._class_lock:
            cls._generation += 1  # safe: under the class-level lock
            return cls._generation

    def register(self, name: str, factory) -> int:
        """Register a factory; return its position in registration order."""
        with self._lock:
            if name in self._factories:
                raise KeyError(f"plugin {name!r} already registered")
            self._factories[name] = factory  # safe: check and insert under self._lock
            self._order.append(name)
            return len(self._order) - 1  # safe: append and len() under the same lock

    def unregister(self, name: str) -> None:
        self._lock.acquire()
        try:
            if name in self._factories:
                del self._factories[name]  # safe: between acquire() and release()
                self._order.remove(name)
        finally:
            self._lock.release()

    def names(self) -> list:
        with self._lock:
            return [name for name in self._order]  # safe: every mutation holds self._lock

    def register_alias(self, alias: str, name: str) -> None:
        """Make ``alias`` an alternative name.  Forgets the lock."""
        if alias not in self._aliases:
            self._aliases[alias] = name  # expect: RA005

    def add_hook(self, hook) -> int:
        self._hooks.append(hook)  # safe on its own: list.append is one atomic step
        return next(self._ids)  # safe: itertools.count

    def remove_hook(self, hook) -> None:
        try:
            self._hooks.remove(hook)  # safe: no separate membership check
        except ValueError:
            pass

    def _run_hooks(self, store) -> None:
        for hook in list(self._hooks):  # safe: snapshot
            hook(store)

    def describe(self) -> str:
        lines = []
        for hook in self._hooks:  # expect: RA003
            lines.append(getattr(hook, "__name__", repr(hook)))
        return ", ".join(lines)

    def create(self, name: str, **options):
        """Instantiate the plugin registered as ``name`` (or an alias of it)."""
        with self._lock:
            factory = self._factories[self._aliases.get(name, resolve_alias(name))]
        self._tls.depth = getattr(self._tls, "depth", 0) + 1  # safe: threading.local
        try:
            store = factory(**options)
            if self._tls.depth == 1 and PluginRegistry.autoload:
                self._run_hooks(store)
        finally:
            self._tls.depth -= 1  # safe: attribute of a threading.local()
        self.record_store(store)
        return store

    def record_store(self, store) -> int:
        """Remember a store created elsewhere; return its index."""
        self._created.append(store)
        return len(self._created) - 1  # expect: RA004

    def created_count(self) -> int:
        return len(self._created)

    def reset(self) -> None:
        """Forget every store created so far."""
        self._created.clear()  # expect: RA008


@contextlib.contextmanager
def autoload_disabled():
    """Create stores without running hooks.  Process-wide, not per thread!"""
    PluginRegistry.autoload = False  # expect: RA006
    try:
        yield
    finally:
        PluginRegistry.autoload = True  # expect: RA006


#: The registry used by the module-level helpers (a module-level singleton).
default_registry = PluginRegistry()
