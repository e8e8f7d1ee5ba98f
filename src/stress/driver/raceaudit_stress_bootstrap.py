# raceaudit stress: script-mode bootstrap, run as `python -c <this file> ...`.
# Embedded into the raceaudit binary at build time. Keep it tiny and valid for
# Python 3.6+ and PyPy: every frame of it is stripped from reported tracebacks.
# argv: -c SWITCH_INTERVAL DUMP_ON_SIGTERM(0|1) SCRIPT [ARGS...]
import os, sys, runpy


def _raceaudit_bootstrap():
    sys.setswitchinterval(float(sys.argv[1]))
    if sys.argv[2] == "1":
        # On a hang raceaudit sends SIGTERM: print every thread's stack first.
        try:
            import faulthandler, signal
            faulthandler.register(signal.SIGTERM, all_threads=True, chain=True)
        except (ImportError, AttributeError, RuntimeError, ValueError):
            pass
    script = sys.argv[3]
    sys.argv = sys.argv[3:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")


_raceaudit_bootstrap()
