# The global is also deleted: a ContextVar cannot be.
_token = None


def set_token(token):
    global _token
    _token = token


def forget():
    global _token
    del _token
