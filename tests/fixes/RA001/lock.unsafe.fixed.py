"""RA001, an unsafe fix: the update is wrapped in `with <lock>:`, the lock
that guards the same attribute in the class's other methods (an instance
lock, named through the method's own first parameter; a module lock by its
name). Unsafe: a caller already holding a non-reentrant lock would deadlock.
--fix leaves the file unchanged; --fix --unsafe-fixes wraps each update."""
import threading

_STATS_LOCK = threading.Lock()


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def hit(this):
        with this._lock:
            this.hits += 1

    def hit_fast(this):
        with this._lock:
            this.hits += 1  # forgets the lock

    def miss(self):
        with _STATS_LOCK:
            self.misses += 1

    def miss_fast(self, n):
        with _STATS_LOCK:
            self.misses = (
                self.misses + n
            )
