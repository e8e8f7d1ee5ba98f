"""A mode without imports: the import goes after this docstring."""

_mode: str = "fast"


def use_mode(mode, *, fallback=_mode):
    global _mode
    if not mode:
        mode = fallback
    _mode = mode


def modes():
    return (_mode,
            _mode.upper())
