"""RA002, unsafe fixes: the check and the pop held under the class's lock,
the whole `if` statement (its else clause too); the lines of a triple-quoted
string inside it keep their indentation, since moving them would change the
string. A heap push alone is wrapped as one statement."""
import heapq
import threading


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self.queue = []
        self.heap = []
        self.log = []

    def take(self):
        with self._lock:
            if self.queue:
                job = self.queue.pop()
                self.log.append("""took
a job""")
            else:
                job = None
        return job

    def push(self, item):
        with self._lock:
            heapq.heappush(self.heap, item)

    def pop_smallest(self):
        with self._lock:
            if self.heap:
                return heapq.heappop(self.heap)
        return None
