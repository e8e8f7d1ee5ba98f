"""RA003 fix: comprehensions and a generator argument over a shared list or a
module global iterate over a snapshot; a parenthesized iterable keeps its
parentheses."""
import threading

HOOKS = {}


def add_hook(name, fn):
    HOOKS[name] = fn


def hook_names():
    return sorted(name for name in list(HOOKS))


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self.items = []

    def push(self, job):
        self.items.append(job)

    def ids(self):
        return [job.id for job in list(self.items)]

    def total(self):
        return sum(job.size for job in (list(self.items)))
