"""RA002 and RA001, no lock fix: holding a lock across a wait stalls every
thread that wants it (the `if` has `self._stop.wait()` in its else clause,
or calls a method that reads from a socket);
a method the statements call takes the class's lock already (a plain Lock
would deadlock, and the class has a lock, so no second one); the
statements call a callback (a parameter, a callable stored on the object),
code the lock's owner does not control; another object's state wants that
object's lock (`self.peer.hits`); a coroutine."""
import threading


class Peer:
    def __init__(self):
        self.hits = 0


class Worker:
    def __init__(self, peer: Peer):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.queue = []
        self.done = []
        self.peer = peer
        self._on_item = print
        self.sock = None

    def step(self):
        if self.queue:
            self.done.append(self.queue.pop())
        else:
            self._stop.wait(0.1)

    def _record(self, item):
        with self._lock:
            self.done.append(item)

    def step_recorded(self):
        if self.queue:
            self._record(self.queue.pop())

    def step_to(self, sink):
        if self.queue:
            sink(self.queue.pop())

    def step_notify(self):
        if self.queue:
            self._on_item(self.queue.pop())

    def _receive(self):
        return self.sock.recv(1024)

    def step_receive(self):
        if self.queue:
            self.queue.pop()
            self.done.append(self._receive())

    def poke(self):
        self.peer.hits += 1

    async def step_async(self):
        if self.queue:
            return self.queue.pop()
        return None
