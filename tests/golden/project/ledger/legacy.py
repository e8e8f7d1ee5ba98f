# raceaudit: ignore-file
"""Old code, reviewed by hand and kept out of the report."""

COUNTER = 0


def bump():
    global COUNTER
    COUNTER += 1
