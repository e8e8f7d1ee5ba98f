"""Accounts and the book that every request thread shares."""
import heapq
import threading

from ledger import hooks


class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0


class AccountBook:
    """Shared by every request thread: it has a lock, so it means to be thread safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._accounts = {}
        self._free_ids = []
        self._next_id = 0
        self.journal = []
        self.touches = 0

    def open(self, owner):
        if self._free_ids:
            account_id = heapq.heappop(self._free_ids)
        else:
            self._next_id += 1
            account_id = self._next_id
        if account_id not in self._accounts:
            self._accounts[account_id] = Account(owner)
        return account_id

    def close(self, account_id):
        with self._lock:
            del self._accounts[account_id]
        heapq.heappush(self._free_ids, account_id)

    def owners(self):
        return [a.owner for a in self._accounts.values()]

    def hook_names(self):
        names = []
        for name in hooks.HOOKS:
            names.append(name)
        return names

    def record(self, entry):
        self.journal.append(entry)
        return len(self.journal) - 1

    def rotate(self):
        self.journal = []

    def touch(self):
        note = "café"; self.touches += 1
        return note

    def audit(self):
        total = 0
        for account in self._accounts.values():  # raceaudit: ignore[RA003]
            total += account.balance
        return total

    def reset_counter(self):
        self._next_id = (
            self._next_id
            + 0
        )  # thread_safe_ok

    def compact(self):
        self.touches -= 1  # raceaudit: ignore
