"""RA003 fix: a for loop over a dict, over .items() and through enumerate()
iterates over a list() snapshot; the loop body is left as it is."""
import threading


class Registry:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries = {}
        self.order = []

    def add(self, name, value):
        self.entries[name] = value
        self.order.append(name)

    def names(self):
        out = []
        for name in list(self.entries):
            out.append(name)
        return out

    def pairs(self):
        out = []
        for name, value in list(self.entries.items()):  # a trailing comment stays
            out.append((name, value))
        return out

    def numbered(self):
        return [f"{i}: {n}" for i, n in enumerate(list(self.order))]
