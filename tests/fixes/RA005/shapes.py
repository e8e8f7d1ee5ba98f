"""RA005, no one-step fix: the `if` has an else or an elif, its body has more
than the one store, the test is not only the membership, or the key differs.
--fix leaves the file as it is; --fix --unsafe-fixes holds the class's lock
around the whole `if` (its else and elif clauses too). Where the one-step
rewrite would lose a comment inside the `if`, no fix at all (with_comment)."""
import threading


class Table:
    def __init__(self):
        self._lock = threading.Lock()
        self.rows = {}
        self.hits = 0

    def with_else(self, key, value):
        if key not in self.rows:
            self.rows[key] = value
        else:
            self.hits += 1

    def with_elif(self, key, value):
        if key not in self.rows:
            self.rows[key] = value
        elif value is None:
            return None
        return value

    def two_statements(self, key, value):
        if key not in self.rows:
            self.rows[key] = value
            return True
        return False

    def compound_test(self, key, value, enabled):
        if enabled and key not in self.rows:
            self.rows[key] = value

    def other_key(self, key, alias, value):
        if key not in self.rows:
            self.rows[alias] = value

    def with_comment(self, key, value):
        if key not in self.rows:
            # first writer wins
            self.rows[key] = value

    def delete_else(self, key):
        if key in self.rows:
            del self.rows[key]
        else:
            raise KeyError(key)
