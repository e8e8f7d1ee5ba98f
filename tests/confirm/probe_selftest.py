"""Self-test of raceaudit.probe, runnable under any interpreter (CPython
3.9-3.13, PyPy, a free-threaded build); ctest runs it under each one found.

    python probe_selftest.py [--trials N]

1. The racy fixtures overlap in (nearly) every trial.
2. The safe twins (the same statements under a lock, in tests/confirm/
   fixtures/bank.py and examples/inventory_fs/mounts.py) are reached by
   several threads and never overlap across N trials (default 1000).
Sites are named by qualname and statement text, as emitted tests do.
Exit status 0 when every check holds, 1 otherwise.
"""
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(HERE, "fixtures"), os.path.join(ROOT, "examples"),
                os.path.join(ROOT, "src", "confirm", "driver")]

import bank  # noqa: E402
import raceaudit_probe as probe  # noqa: E402
from inventory_fs import MemoryStore, Mount, MountTable  # noqa: E402


def site(file, qualname, source, receiver="self"):
    return probe.Site(file, qualname=qualname, source=source, receiver=receiver)


def rmw(name, file, qualname, source):
    s = site(file, qualname, source)
    return lambda: probe.Pair(name, s, s)


BANK = "fixtures/bank.py"
MOUNTS = "inventory_fs/mounts.py"
SAFE = [
    ("bank deposit_safe", rmw("deposit_safe", BANK, "Account.deposit_safe", "self.balance += amount  # safe: under self._lock"),
     bank.worker_safe, bank.setup),
    ("bank release_safe", lambda: probe.Pair(
        "release_safe", site(BANK, "Account.release_safe", "del self.holds[key]  # safe: check and delete under self._lock"),
        site(BANK, "Account.release_safe", "if key in self.holds:")), bank.worker_safe, bank.setup),
    ("inventory_fs Mount.charge", rmw("charge", MOUNTS, "Mount.charge",
                                      "self.used += nbytes  # safe: check and update under self._lock"),
     lambda m: [m.charge(1) for _ in range(20)], lambda: Mount("/q", 1, None, 1 << 30)),
    ("inventory_fs Mount.try_charge", rmw("try_charge", MOUNTS, "Mount.try_charge",
                                          "self.used += nbytes  # safe: the if body runs with the lock held"),
     lambda m: [m.try_charge(1, timeout=1.0) for _ in range(20)], lambda: Mount("/q", 1, None, 1 << 30)),
    ("inventory_fs MountTable._next_dev", rmw("next_dev", MOUNTS, "MountTable._next_dev",
                                              "self._last_dev += 1  # safe: caller holds self._lock"),
     lambda t: [t.mount("/m%d_%d" % (threading.get_ident(), i), MemoryStore()) for i in range(10)], MountTable),
]
RACY = [
    ("bank deposit", rmw("deposit", BANK, "Account.deposit", "self.balance += amount  # expect: RA001"),
     bank.worker, bank.setup),
    ("inventory_fs Mount.refund", rmw("refund", MOUNTS, "Mount.refund", "self.used = self.used - nbytes  # expect: RA001"),
     lambda m: [m.refund(1) for _ in range(20)], lambda: Mount("/q", 1, None, 1 << 30)),
]


# Safe twins: short holds, so that 1,000 trials take a minute. Racy pairs:
# the defaults of raceaudit confirm (robust on a loaded machine).
FAST = dict(delay=0.0005, max_delay=0.002, budget=0.003)
DEFAULT = dict(delay=0.002, max_delay=0.05, budget=1.0)


def trial(make_pair, worker, setup, settings):
    pair = make_pair()
    p = probe.Probe([pair], **settings)
    with p:
        errors = probe.run_threads(worker, (setup(),), 4)
    if errors and settings is FAST:  # a safe twin must not fail; racy workloads may
        raise errors[0]
    return pair


def run_case(case, trials, settings):
    name, make_pair, worker, setup = case
    overlapping = several = 0
    for _ in range(trials):
        pair = trial(make_pair, worker, setup, settings)
        overlapping += pair.overlaps > 0
        several += len(pair.reached_threads) > 1
    return overlapping, several


def main(argv):
    trials = int(argv[argv.index("--trials") + 1]) if "--trials" in argv else 1000
    failed = []
    print("%s %s, %s" % (sys.implementation.name, sys.version.split()[0], probe.mechanism_name()))
    for case in RACY:
        overlapping, several = run_case(case, 20, DEFAULT)
        print("racy %-36s overlap in %d/20 trials" % (case[0], overlapping))
        if overlapping < 19:
            failed.append(case[0])
    for case in SAFE:
        start = time.time()
        overlapping, several = run_case(case, trials, FAST)
        print("safe %-36s overlap in %d/%d trials, several threads in %d (%.1f s)"
              % (case[0], overlapping, trials, several, time.time() - start))
        if overlapping or several < trials * 0.9:
            failed.append(case[0])
    if failed:
        print("FAILED: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
