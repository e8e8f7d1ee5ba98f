"""RA005, no one-step fix: the stored value is a call (`make()`) or holds one
(`[make()]`), or the key is a call: setdefault would build the value, or
call the key, also when the key is present. --fix leaves the file as it is;
--fix --unsafe-fixes holds the class's lock around each check and store."""
import threading


def make():
    return object()


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self.items = {}

    def get(self, key):
        with self._lock:
            if key not in self.items:
                self.items[key] = make()
        return self.items[key]

    def get_list(self, key):
        with self._lock:
            if key not in self.items:
                self.items[key] = [make()]
        return self.items[key]

    def get_by_call(self, key):
        with self._lock:
            if key.lower() not in self.items:
                self.items[key.lower()] = 0
