"""Exits with RACEAUDIT_THREADS as its status, showing which value each run got."""
import os
import sys

sys.exit(int(os.environ.get("RACEAUDIT_THREADS", "99")))
