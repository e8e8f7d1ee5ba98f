"""Reproducer (a): concurrent os.open / os.close through pyfakefs's Patcher.

pyfakefs 4.6.3 hands out fake file descriptors from two shared containers of
FakeFilesystem, without a lock:

    def _add_open_file(self, file_obj):
        if self._free_fd_heap:                            # check ...
            open_fd = heapq.heappop(self._free_fd_heap)   # ... then pop (RA002)
            self.open_files[open_fd] = [file_obj]
            return open_fd
        self.open_files.append([file_obj])
        return len(self.open_files) - 1                   # append, then len() (RA004)

    def _close_open_file(self, file_des):
        self.open_files[file_des] = None                  # (RA008)
        heapq.heappush(self._free_fd_heap, file_des)

Two threads can both see a non-empty heap and both pop (IndexError), pop
concurrently from a heap that a third thread is pushing to (corrupted heap,
IndexError inside heapq), or get the same descriptor (one thread writes to,
or closes, the other's file: "I/O operation on closed file", EBADF, or a file
with someone else's content).

Every thread opens, writes and closes its own files; afterwards each file must
hold exactly what its thread wrote. The first exception raised in a thread is
re-raised in the main thread (so its traceback is the one raceaudit reports);
lost or mixed-up content raises AssertionError.

Run:  raceaudit stress examples/repro/pyfakefs_open_close.py --python python3 --python pypy3
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _pyfakefs_path  # noqa: E402,F401
from pyfakefs.fake_filesystem_unittest import Patcher  # noqa: E402

THREADS = int(os.environ.get("RACEAUDIT_THREADS", "16"))
FILES_PER_THREAD = int(os.environ.get("REPRO_ITERATIONS", "100"))


def worker(index, barrier, errors):
    try:
        barrier.wait()
        for k in range(FILES_PER_THREAD):
            path = "/work/t%d_%d" % (index, k)
            # `os` is the fake os module here: the Patcher replaced this
            # module's global `os` while the `with Patcher()` block runs.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY)
            os.write(fd, path.encode())
            os.close(fd)
    except BaseException as exc:  # noqa: B902 - report everything
        errors.append(exc)


def check_contents():
    wrong = []
    for index in range(THREADS):
        for k in range(FILES_PER_THREAD):
            path = "/work/t%d_%d" % (index, k)
            if not os.path.exists(path):
                wrong.append("%s: missing" % path)
                continue
            with open(path, "rb") as f:
                data = f.read()
            if data != path.encode():
                wrong.append("%s: holds %r" % (path, data[:40]))
    return wrong


def main():
    with Patcher() as patcher:
        assert type(os).__name__ == "FakeOsModule", "Patcher did not patch os"
        patcher.fs.create_dir("/work")
        errors = []
        barrier = threading.Barrier(THREADS)
        threads = [threading.Thread(target=worker, args=(i, barrier, errors))
                   for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            print("%d of %d threads failed" % (len(errors), THREADS),
                  file=sys.stderr)
            raise errors[0]
        wrong = check_contents()
        if wrong:
            raise AssertionError("%d files lost or mixed up, e.g. %s"
                                 % (len(wrong), wrong[0]))


if __name__ == "__main__":
    main()
