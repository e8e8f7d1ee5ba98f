"""Dies by SIGSEGV inside ctypes (CPython only: PyPy's string_at(0) returns b"")."""
import ctypes


def read_null():
    return ctypes.string_at(0)  # <- crashes


read_null()
