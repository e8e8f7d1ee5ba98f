"""RA001, unsafe fixes that need a lock first. `Counter` has one (for its
names) that no access of `hits` holds: the update takes that one. `Meter`
has none: a new `threading.RLock()` is made first thing in `__init__`, after
its docstring. `Gauge` has no `__init__`: the new lock is a class attribute,
shared by its instances. Reentrant, so a method the statement calls that
takes it too cannot deadlock."""
import threading


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.hits = 0
        self.names = []

    def add_name(self, name):
        with self._lock:
            self.names.append(name)

    def hit(self):
        with self._lock:
            self.hits += 1


class Meter:
    def __init__(self):
        """Counts bytes."""
        self._lock = threading.RLock()
        self.total = 0

    def add(self, n):
        with self._lock:
            self.total += n


class Gauge:
    """A level that goes up and down."""

    _lock = threading.RLock()
    level = 0

    def up(self):
        self.level_now = getattr(self, "level_now", 0)
        with self._lock:
            self.level_now += 1
