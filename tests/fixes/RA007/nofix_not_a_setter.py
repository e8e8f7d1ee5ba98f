# Rebound to a fresh value, not set from a parameter: a cache, not per-thread state.
_cache = None


def clear():
    global _cache
    _cache = {}


def lookup(k):
    return _cache.get(k) if _cache else None
