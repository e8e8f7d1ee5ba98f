"""RA005 fix: `if not os.path.exists(p): os.makedirs(p)` (or os.path.isdir)
becomes `os.makedirs(p, exist_ok=True)`; with os.mkdir, which creates no
parents, the check becomes `try:` and `except FileExistsError: pass` follows
the body. After os.path.isdir the handler re-raises when `p` is not a
directory (a file there), as the old mkdir() call raised."""
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


def ensure_run_dir(path):
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise
