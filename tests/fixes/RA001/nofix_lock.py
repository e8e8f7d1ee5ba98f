"""RA001, no fix: the update shares its line with other code
(`if ...: self.hits += 1`, `a = 1; self.hits += 1`), the receiver is a
parameter (`node.count`, whose lock would be the node's), or the method is
a coroutine."""
import threading


class Node:
    def __init__(self):
        self.count = 0


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.hits = 0
        self.names = []

    def add_name(self, name):
        with self._lock:
            self.names.append(name)

    def locked_hit(self):
        with self._lock:
            self.hits += 1

    def hit_if(self, ok):
        if ok: self.hits += 1

    def hit_after(self):
        a = 1; self.hits += 1
        return a

    def bump(self, node: Node):
        with self._lock:
            node.count += 0
        node.count += 1

    async def hit_async(self):
        self.hits += 1
