"""Who the current request runs as: set per request, read all over."""
import logging
from os import getuid
import contextvars

log = logging.getLogger(__name__)

_uid = contextvars.ContextVar("_uid", default=None)  # the user id requests run as


def set_uid(uid):
    global _uid
    _uid.set(uid)  # one thread's user becomes every thread's


def current_uid():
    if _uid.get() is None:
        return getuid()
    return _uid.get()


def describe():
    log.info("running as %s", _uid.get())
    return f"uid={_uid.get()!r}"


def reset():
    global _uid
    _uid.set(None)
