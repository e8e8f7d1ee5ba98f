# The list the global holds is also changed in place: a ContextVar's
# default would be one list shared by every thread.
_seen = None


def set_seen(items):
    global _seen
    _seen = items


def see(x):
    _seen.append(x)
