"""RA008, an unsafe fix when the container has several uses that race with
the nulling: the nulling and each use (a method call, an iteration after a
check, with the check that guards it) under the class's lock; the finding
names one of them, the fix has to cover all, or it would still be
reported."""
import threading


class Slots:
    def __init__(self):
        self._lock = threading.Lock()
        self.slots = {}
        self.count = 0

    def bump(self):
        with self._lock:
            self.count += 1

    def reset(self):
        self.slots = None

    def get(self, key):
        return self.slots.get(key)

    def first(self):
        if self.slots:
            return next(iter(self.slots))
        return None
