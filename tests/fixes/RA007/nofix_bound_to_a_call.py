# Bound at import to what a call made: as a ContextVar's default that one
# object would be shared by every thread.
_session = dict(user="nobody")


def set_session(session):
    global _session
    _session = session
