"""A tiny ledger service: the input of raceaudit's golden-file tests.

Its races are deliberate. Do not fix them: the expected reports in
tests/golden/ list every one of them.
"""
from ledger.accounts import Account, AccountBook

DEBUG = False


def set_debug(flag):
    global DEBUG
    DEBUG = flag
