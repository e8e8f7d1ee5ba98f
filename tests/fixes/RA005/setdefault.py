"""RA005 fix: `if k not in d: d[k] = v` becomes `d.setdefault(k, v)` when v
has no side effects: a name, an attribute read, a literal, an empty
container. The container is known to hold a dict (assigned `{}`), so the fix
is safe. A trailing comment after the store stays; a one-line `if` works too."""
import threading

DEFAULTS = {}


def register_default(name, value):
    if name not in DEFAULTS:
        DEFAULTS[name] = value


class Aliases:
    def __init__(self, fallback):
        self._lock = threading.Lock()
        self._aliases = {}
        self._counts = {}
        self._groups = {}
        self.fallback = fallback

    def alias(self, alias, name):
        if alias not in self._aliases:
            self._aliases[alias] = name  # first one wins

    def alias_fallback(self, alias):
        if alias not in self._aliases:
            self._aliases[alias] = self.fallback

    def start_count(self, key):
        if key not in self._counts: self._counts[key] = 0

    def group(self, key):
        if (key, "g") not in self._groups:
            self._groups[(key, "g")] = []
        return self._groups[(key, "g")]
