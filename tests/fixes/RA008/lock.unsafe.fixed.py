"""RA008, an unsafe fix: the reset is wrapped in the lock its uses hold.
--fix leaves the file unchanged; --fix --unsafe-fixes wraps it."""
import threading


class Journal:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries = []

    def add(self, entry):
        with self._lock:
            self.entries.append(entry)
            return self.entries[-1]

    def reset(self):
        with self._lock:
            self.entries = []
