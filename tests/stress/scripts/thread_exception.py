"""A thread dies of KeyError, the main thread exits 0: still an 'exception'."""
import threading


def lookup():
    return {}["missing"]  # <- raises


t = threading.Thread(target=lookup)
t.start()
t.join()
