"""RA008, an unsafe fix when no use holds a lock: the nulling statement and
the use it races with, each under the class's lock (the use with the check
that guards it in its own function, as RA002's fix has it)."""
import threading


class Outbox:
    def __init__(self):
        self._lock = threading.Lock()
        self.pending = []
        self.sent = 0

    def count(self):
        with self._lock:
            self.sent += 1

    def reset(self):
        self.pending = None

    def send_one(self):
        if self.pending:
            return self.pending.pop()
        return None
