"""Starts a grandchild that ignores SIGTERM, records both pids, then hangs.

raceaudit must report a 'hang' at its timeout and kill the whole process
group: the grandchild (which would survive a SIGTERM) as well.
Usage: hang_with_grandchild.py PIDFILE
"""
import os
import subprocess
import sys
import time

grandchild = subprocess.Popen([
    sys.executable, "-c",
    "import signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "time.sleep(600)\n",
])
# This process and the grandchild, one pid per line (runs share the file).
with open(sys.argv[1], "a") as f:
    f.write("%d\n%d\n" % (os.getpid(), grandchild.pid))
time.sleep(600)
