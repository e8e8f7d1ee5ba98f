"""RA005, unsafe fixes: nothing says that `self.index` holds a dict (it is what
the caller passed), so setdefault()/pop() are unsafe: --fix leaves the file
unchanged, --fix --unsafe-fixes applies them. A list gets no one-step fix:
there, --unsafe-fixes holds the class's lock around the check and the delete."""
import threading


class Index:
    def __init__(self, index, names):
        self._lock = threading.Lock()
        self.index = index
        self.names = []

    def add(self, key, value):
        self.index.setdefault(key, value)

    def drop(self, key):
        self.index.pop(key, None)

    def forget(self, pos):
        with self._lock:
            if pos in self.names:
                del self.names[pos]
