"""A check-then-act race forced to lose: every thread sees the key missing
(the sleep keeps the window open), so with two or more threads the value is
made more than once. With one thread (the control run) it never fails."""
import os
import threading
import time

THREADS = int(os.environ.get("RACEAUDIT_THREADS", "8"))
cache = {}
made = []
barrier = threading.Barrier(THREADS)


def get_or_make(key):
    barrier.wait()
    if key not in cache:
        time.sleep(0.05)
        made.append(key)
        cache[key] = object()


threads = [threading.Thread(target=get_or_make, args=("k",)) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert len(made) == 1, "made %d times, once expected" % len(made)  # <- fails
