"""Fails before any thread starts, whatever the thread count: a broken reproducer, not a race."""
import os


def open_config():
    raise PermissionError("[Errno 13] Permission denied: '/etc/raceaudit-test.conf'")  # <- raises


THREADS = int(os.environ.get("RACEAUDIT_THREADS", "8"))
open_config()
