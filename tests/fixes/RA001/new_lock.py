"""RA001, unsafe fixes that need a lock first. `Counter` has one (for its
names) that no access of `hits` holds: the update takes that one. `Meter`
and `Gauge` have none: a new `threading.RLock()` goes into the class body
(after the docstring), one for all instances: a lock per instance would make
them unpicklable and uncopyable. Its name, `__lock`, is mangled to
`_Meter__lock`, so it cannot clash with a base's attribute. Reentrant, so a
method the statement calls that takes it too cannot deadlock."""
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
        self.hits += 1


class Meter:
    def __init__(self):
        """Counts bytes."""
        self.total = 0

    def add(self, n):
        self.total += n


class Gauge:
    """A level that goes up and down."""

    level = 0

    def up(self):
        self.level_now = getattr(self, "level_now", 0)
        self.level_now += 1
