"""Dies by SIGSEGV: the 'crash' outcome.

ctypes.string_at(0) segfaults CPython, but PyPy's ctypes returns b"" for a
NULL pointer, so the signal is sent directly; both are a real SIGSEGV that
faulthandler reports as "Fatal Python error: Segmentation fault".
"""
import os
import signal


def crash():
    os.kill(os.getpid(), signal.SIGSEGV)  # <- crashes


crash()
