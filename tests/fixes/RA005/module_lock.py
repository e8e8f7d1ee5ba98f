"""RA005, an unsafe fix with a new module lock: the `if` has two statements,
so no one-step call replaces it; no access of `_HANDLERS` holds a lock and
the module has none, so `_lock = threading.RLock()` goes before the first
function and `import threading` after the last import."""
import os

_HANDLERS = {}


def register(name, handler):
    if name not in _HANDLERS:
        _HANDLERS[name] = handler
        return True
    return False


def names():
    return sorted(_HANDLERS), os.sep
