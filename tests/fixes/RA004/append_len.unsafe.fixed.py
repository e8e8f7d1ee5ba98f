"""RA004, an unsafe fix: the append and the `len()` that computes the new
item's index, and the statements between, held under the lock that guards
the list elsewhere."""
import threading


class Table:
    def __init__(self):
        self._lock = threading.Lock()
        self.rows = []

    def clear(self):
        with self._lock:
            self.rows.clear()

    def add(self, row):
        with self._lock:
            self.rows.append(row)
            n = len(self.rows)
        return n - 1
