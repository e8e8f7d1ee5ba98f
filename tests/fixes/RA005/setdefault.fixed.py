"""RA005 fix: `if k not in d: d[k] = v` becomes `d.setdefault(k, v)` when v
has no side effects: a name, an attribute read, a literal, an empty
container. The container is known to hold a dict (assigned `{}`), so the fix
is safe. A trailing comment after the store stays; a one-line `if` works too."""
import threading

DEFAULTS = {}


def register_default(name, value):
    DEFAULTS.setdefault(name, value)


class Aliases:
    def __init__(self, fallback):
        self._lock = threading.Lock()
        self._aliases = {}
        self._counts = {}
        self._groups = {}
        self.fallback = fallback

    def alias(self, alias, name):
        self._aliases.setdefault(alias, name)  # first one wins

    def alias_fallback(self, alias):
        self._aliases.setdefault(alias, self.fallback)

    def start_count(self, key):
        self._counts.setdefault(key, 0)

    def group(self, key):
        self._groups.setdefault((key, "g"), [])
        return self._groups[(key, "g")]
