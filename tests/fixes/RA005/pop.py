"""RA005 fix: `if k in d: del d[k]` becomes `d.pop(k, None)`."""
import threading


class Mounts:
    def __init__(self):
        self._lock = threading.Lock()
        self._mounts = {}

    def mount(self, path, fs):
        with self._lock:
            self._mounts[path] = fs

    def unmount(self, path):
        if path in self._mounts:
            del self._mounts[path]
