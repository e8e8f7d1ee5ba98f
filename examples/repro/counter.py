"""Workload-mode reproducer: a lost-update counter.

`counter.value += 1` reads the value, adds one and writes it back. Because
`value` is a property, the getter and the setter are separate Python calls,
and another thread can run in between: two threads read 41, both write 42,
one increment is lost (RA001). Nothing raises; only the final count is wrong,
which is why the workload has a `check`.

Run (from the repository root):

    raceaudit stress --path examples/repro --setup counter:setup \
        --call counter:worker --check counter:check --threads 2,8,32

setup() builds the shared state, every thread calls worker(state) once, all
released together by a threading.Barrier, then check(state) returns the list
of invariant violations (empty when the count is right).
"""

INCREMENTS = 2000


class Counter(object):
    def __init__(self):
        self._value = 0
        self.finished = []  # increments done, one entry per worker

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, new_value):
        self._value = new_value


def setup():
    return Counter()


def worker(counter):
    for _ in range(INCREMENTS):
        counter.value += 1  # read, add, write back: not atomic
    counter.finished.append(INCREMENTS)  # list.append is atomic


def check(counter):
    expected = sum(counter.finished)
    if counter.value != expected:
        return ["lost %d of %d increments (counter is %d)"
                % (expected - counter.value, expected, counter.value)]
    return []
