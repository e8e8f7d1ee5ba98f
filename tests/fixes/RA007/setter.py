"""Who the current request runs as: set per request, read all over."""
import logging
from os import getuid

log = logging.getLogger(__name__)

_uid = None  # the user id requests run as


def set_uid(uid):
    global _uid
    _uid = uid  # one thread's user becomes every thread's


def current_uid():
    if _uid is None:
        return getuid()
    return _uid


def describe():
    log.info("running as %s", _uid)
    return f"uid={_uid!r}"


def reset():
    global _uid
    _uid = None
