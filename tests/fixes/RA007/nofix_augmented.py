# The global is also updated in place: a ContextVar would count per thread.
_count = 0


def set_count(n):
    global _count
    _count = n


def bump():
    global _count
    _count += 1
