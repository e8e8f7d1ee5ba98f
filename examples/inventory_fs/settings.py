"""Process-wide settings for inventory_fs.

Settings are plain module globals so that ``settings.block_size`` reads are
cheap.  They are meant to be written at import time; the setters below are
what applications call at run time, and most of them change the value for
every thread of the process at once.
"""

from __future__ import annotations

import itertools
import os
import threading

__all__ = [
    "DEFAULT_UID", "DEFAULT_GID", "block_size", "debug", "count_lookup",
    "ensure_cache_dir", "ensure_state_dir", "get_gid", "get_uid", "next_request_id",
    "reset_ids", "set_block_size", "set_gid", "set_thread_uid", "set_uid",
]

DEFAULT_UID = 1000
DEFAULT_GID = 1000

#: Guards the writable settings that have a locked setter.
_LOCK = threading.Lock()

#: Per-thread overrides: every thread sees its own attributes.
_local = threading.local()

# Module top level runs once, at import time: these writes are not hazards.
_uid = DEFAULT_UID
_gid = DEFAULT_GID
_lookups = 0
_request_ids = itertools.count(1)
debug = False
block_size = 4096


def _env_int(name: str, default: int) -> int:
    """Parse an integer environment variable (locals only)."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw, 0)
    except ValueError:
        return default


def _apply_environment() -> None:
    """Read overrides from the environment.

    Called once, from the module top level only, so it is an init context:
    the global writes below happen before any other thread can see the module.
    """
    global debug, block_size
    debug = os.environ.get("INVENTORY_FS_DEBUG", "") not in ("", "0")
    block_size = _env_int("INVENTORY_FS_BLOCK_SIZE", block_size)


_apply_environment()


def get_uid() -> int:
    """The effective user id: the thread's override, else the process value."""
    return getattr(_local, "uid", _uid)


def get_gid() -> int:
    return _gid


def set_uid(uid: int) -> None:
    """Pretend to run as ``uid``.  Process-wide: every thread sees it."""
    global _uid
    _uid = uid  # expect: RA007


def set_gid(gid: int) -> None:
    """Pretend to run as group ``gid``.  Process-wide: every thread sees it."""
    global _gid
    _gid = gid  # expect: RA007


def reset_ids() -> None:
    """Go back to the default ids (e.g. in a test's tear-down)."""
    global _uid, _gid
    _uid = DEFAULT_UID  # expect: RA007
    _gid = DEFAULT_GID  # expect: RA007


def set_thread_uid(uid: int) -> None:
    """Pretend to run as ``uid`` in the calling thread only."""
    _local.uid = uid  # safe: attribute of a threading.local()


def set_block_size(size: int) -> None:
    """Change the block size used by stores created from now on."""
    global block_size
    with _LOCK:
        block_size = size  # safe: written under the module lock


def count_lookup() -> int:
    """Count one path lookup (statistics only)."""
    global _lookups
    _lookups += 1  # expect: RA007
    return _lookups


def next_request_id() -> int:
    """A process-unique request id."""
    return next(_request_ids)  # safe: next() on itertools.count is one atomic step


def ensure_cache_dir(path: str) -> str:
    """Create the on-disk cache directory if it is missing."""
    if not os.path.exists(path):
        os.mkdir(path)  # expect: RA005
    return path


def ensure_state_dir(path: str) -> str:
    """Same as :func:`ensure_cache_dir`, without the check-then-create window."""
    os.makedirs(path, exist_ok=True)  # safe: no separate existence check
    return path
