"""RA005 fix: `if not os.path.exists(p): os.makedirs(p)` (or os.path.isdir)
becomes `os.makedirs(p, exist_ok=True)`; with os.mkdir, which creates no
parents, the check becomes `try:` and `except FileExistsError: pass` follows
the body. After os.path.isdir the handler re-raises when `p` is not a
directory (a file there), as the old mkdir() call raised."""
import os


def ensure_cache(path):
    if not os.path.exists(path):
        os.makedirs(path)
    return path


def ensure_state(path):
    if not os.path.isdir(path):
        os.makedirs(path)


def ensure_spool(path):
    if not os.path.exists(path):
        os.mkdir(path)  # one level only
    return path


def ensure_run_dir(path):
    if not os.path.isdir(path):
        os.mkdir(path)
