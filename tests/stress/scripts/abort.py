"""Dies by SIGABRT through os.abort(): the 'crash' outcome."""
import os


def give_up():
    os.abort()  # <- crashes


give_up()
