"""Hooks run after every posting; registered at run time from any thread."""

HOOKS = {}


def add_hook(name, fn):
    HOOKS[name] = fn


def run_hooks(entry):
    for name in HOOKS:
        HOOKS[name](entry)
