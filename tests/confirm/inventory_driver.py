"""A `raceaudit confirm --call` workload over examples/inventory_fs: every
thread uses one shared MountTable and one shared Mount the way a file server
would (mount lookups, quota charges and refunds, dirty-path bookkeeping,
unmounts) while the table's flusher thread runs, so that the findings of mounts.py are reached by several threads.

    raceaudit confirm scan.json --path examples --path tests/confirm \\
        --setup inventory_driver:setup --call inventory_driver:worker
"""
import threading

from inventory_fs import MemoryStore, Mount, MountTable

ROUNDS = 20
MOUNTS = 6


def setup():
    table = MountTable(flush_interval=0.001)
    for i in range(MOUNTS):
        table.mount("/m%d" % i, MemoryStore())
    for i in range(ROUNDS):
        table.mount("/u%d" % i, MemoryStore())
    table.start()  # the flusher thread: the partner of discard_dirty()
    return {"table": table, "mount": Mount("/quota", 1, None, 1 << 30), "charged": []}


def worker(state):
    table, mnt = state["table"], state["mount"]
    net = 0
    for i in range(ROUNDS):
        mnt.charge(2)
        mnt.refund(1)
        net += 1 + (1 if mnt.try_charge(1) else 0)  # try_charge gives up when the lock is held too long
        table.resolve("/m%d/file" % (i % MOUNTS))
        table.mark_dirty("/m%d/file" % (i % MOUNTS))
        table.flush_now()
        table.discard_dirty()
        table.unmount("/u%d" % i)  # the same fresh key for every thread
        table.mount("/w%d/%d" % (threading.get_ident(), i), MemoryStore())  # while others resolve()

    state["charged"].append(net)


def check(state):
    table = state["table"]
    flusher_alive = table._flusher.is_alive()
    table.stop()
    if not flusher_alive:
        return ["the flusher thread died (its traceback is on stderr)"]
    expected = sum(state["charged"])  # charge 2, refund 1, and try_charge's 1 when it got the lock
    used = state["mount"].used
    return [] if used == expected else ["Mount.used is %d, expected %d (lost updates)" % (used, expected)]
