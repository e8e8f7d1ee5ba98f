"""The account book every request thread shares."""
import threading


class AccountBook:
    """It has a lock, so it means to be thread safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._balances = {}
        self._next_id = 0

    def open(self):
        self._next_id += 1
        account_id = self._next_id
        with self._lock:
            self._balances[account_id] = 0
        return account_id

    def deposit(self, account_id, amount):
        with self._lock:
            self._balances[account_id] += amount

    def total(self):
        return sum(balance for balance in self._balances.values())
