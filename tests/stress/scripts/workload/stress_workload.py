"""Workloads for the driver tests (imported with --path tests/stress/scripts/workload)."""
import os
import time


class State(object):
    def __init__(self):
        self.calls = []


def setup():
    return State()


def worker(state):
    state.calls.append(1)


def check_ok(state):
    return []


def check_violation(state):
    # Always reports: every thread ran, but the invariant says otherwise.
    return ["duplicate inode 7 (%d workers ran)" % len(state.calls), "second violation"]


def worker_raises(state):
    raise KeyError("boom")  # <- raises


def check_raises(state):
    raise ValueError("check itself failed")


def worker_without_state():
    pass


def worker_records_threads(state):
    state.calls.append(os.environ.get("RACEAUDIT_THREADS"))


def check_thread_count(state):
    expected = int(os.environ["RACEAUDIT_THREADS"])
    if len(state.calls) != expected:
        return ["%d workers ran, RACEAUDIT_THREADS is %d" % (len(state.calls), expected)]
    return []


def worker_exits(state):
    # Ends the whole process at once: no check(), no result file.
    os._exit(0)


def setup_made():
    return {"cache": {}, "made": []}


def worker_check_then_act(state):
    # Check-then-act with the window held open: every thread makes the value.
    if "k" not in state["cache"]:
        time.sleep(0.05)
        state["made"].append(1)
        state["cache"]["k"] = object()


def check_made_once(state):
    n = len(state["made"])
    return [] if n == 1 else ["made %d times, once expected" % n]
