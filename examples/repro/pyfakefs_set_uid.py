"""Reproducer (c): one thread's set_uid() leaks into other threads.

pyfakefs 4.6.3 keeps the simulated user id in a module global:

    def set_uid(uid):
        global USER_ID          # RA007: module global written at run time
        USER_ID = uid

and every file created afterwards, by any thread, gets `st_uid = USER_ID`
(FakeFile.__init__). Tests that run in parallel threads and each simulate a
different user therefore see each other's uid. (Newer pyfakefs moved set_uid
to pyfakefs.helpers; both spellings are handled.)

Each thread sets its own uid, creates a file and checks the file's owner.

Run:  raceaudit stress examples/repro/pyfakefs_set_uid.py --python python3 --python pypy3
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _pyfakefs_path  # noqa: E402,F401
from pyfakefs import fake_filesystem  # noqa: E402

try:
    from pyfakefs.helpers import set_uid, reset_ids  # pyfakefs >= 5
except ImportError:
    from pyfakefs.fake_filesystem import set_uid, reset_ids  # pyfakefs 4.x

THREADS = int(os.environ.get("RACEAUDIT_THREADS", "16"))
ITERATIONS = int(os.environ.get("REPRO_ITERATIONS", "50"))


def worker(index, fs, barrier, leaks, errors):
    uid = 1000 + index
    try:
        barrier.wait()
        for k in range(ITERATIONS):
            set_uid(uid)
            path = "/home/t%d_%d" % (index, k)
            fs.create_file(path)
            owner = fs.stat(path).st_uid
            if owner != uid:
                leaks.append("thread %d set uid %d, its file %s is owned by %d"
                             % (index, uid, path, owner))
    except BaseException as exc:  # noqa: B902
        errors.append(exc)


def main():
    fs = fake_filesystem.FakeFilesystem(path_separator="/")
    fs.create_dir("/home")
    leaks = []
    errors = []
    barrier = threading.Barrier(THREADS)
    threads = [threading.Thread(target=worker,
                                args=(i, fs, barrier, leaks, errors))
               for i in range(THREADS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        reset_ids()
    if errors:
        raise errors[0]
    if leaks:
        raise AssertionError("%d of %d files got another thread's uid, e.g. %s"
                             % (len(leaks), THREADS * ITERATIONS, leaks[0]))


if __name__ == "__main__":
    main()
