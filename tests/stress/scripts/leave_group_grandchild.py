"""Starts a grandchild that leaves the process group, records its pid, exits 0.

Usage: leave_group_grandchild.py PIDFILE setsid|setpgid
The grandchild sleeps for 10 minutes in its own session (or process group),
so killing the run's process group does not reach it; raceaudit, its
subreaper once this process exits, must kill it before it exits itself.
"""
import os
import subprocess
import sys

leave = os.setsid if sys.argv[2] == "setsid" else (lambda: os.setpgid(0, 0))
grandchild = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(600)"],
    preexec_fn=leave, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
with open(sys.argv[1], "a") as f:
    f.write("%d\n" % grandchild.pid)
