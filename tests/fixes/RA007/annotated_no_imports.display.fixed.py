"""A mode without imports: the import goes after this docstring."""

import contextvars
_mode: contextvars.ContextVar[str] = contextvars.ContextVar("_mode", default="fast")


def use_mode(mode, *, fallback=_mode.get()):
    global _mode
    if not mode:
        mode = fallback
    _mode.set(mode)


def modes():
    return (_mode.get(),
            _mode.get().upper())
