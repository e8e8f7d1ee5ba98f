"""Exits 0 after a little work: the 'ok' outcome."""
import os
import threading

THREADS = int(os.environ.get("RACEAUDIT_THREADS", "2"))
results = []
threads = [threading.Thread(target=results.append, args=(i,)) for i in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert sorted(results) == list(range(THREADS))
print("threads=%s" % os.environ.get("RACEAUDIT_THREADS", "unset"))
