"""RA003, an unsafe fix: the loop's own function appends to the list it walks
(a work list), so a snapshot changes what the loop sees. --fix leaves the
file unchanged; --fix --unsafe-fixes applies the snapshot."""
import threading


class Crawler:
    def __init__(self):
        self._lock = threading.Lock()
        self.queue = []

    def seed(self, url):
        self.queue.append(url)

    def crawl(self):
        seen = 0
        for url in list(self.queue):
            seen += 1
            if url.endswith("/"):
                self.queue.append(url + "index.html")
        return seen
