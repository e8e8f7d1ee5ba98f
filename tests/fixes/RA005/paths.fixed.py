"""RA005 fix: `if not os.path.exists(p): os.makedirs(p)` (or os.path.isdir)
becomes `os.makedirs(p, exist_ok=True)`; with os.mkdir, which creates no
parents, the check becomes `try:` and `except FileExistsError: pass` follows
the body."""
import os


def ensure_cache(path):
    os.makedirs(path, exist_ok=True)
    return path


def ensure_state(path):
    os.makedirs(path, exist_ok=True)


def ensure_spool(path):
    try:
        os.mkdir(path)  # one level only
    except FileExistsError:
        pass
    return path
