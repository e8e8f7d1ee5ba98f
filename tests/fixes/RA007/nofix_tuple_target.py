# A tuple assignment binds the global too: it cannot become one `.set()`.
_lo = 0
_hi = 0


def set_lo(lo):
    global _lo
    _lo = lo


def set_range(lo, hi):
    global _lo, _hi
    _lo, _hi = lo, hi
