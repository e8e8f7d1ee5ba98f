"""Prints what the bootstrap gave it: __name__, sys.argv, switch interval,
sys.path[0], and fails (exit 1) if any of them is wrong."""
import os
import sys

expected_argv = [sys.argv[0], "--alpha", "beta gamma"]
problems = []
if __name__ != "__main__":
    problems.append("__name__ is %r" % __name__)
if sys.argv != expected_argv:
    problems.append("sys.argv is %r" % sys.argv)
if os.path.basename(sys.argv[0]) != "print_args.py":
    problems.append("sys.argv[0] is %r" % sys.argv[0])
if abs(sys.getswitchinterval() - 0.0005) > 1e-9:
    problems.append("switch interval is %r" % sys.getswitchinterval())
if os.path.realpath(sys.path[0]) != os.path.realpath(os.path.dirname(os.path.abspath(__file__))):
    problems.append("sys.path[0] is %r" % sys.path[0])
if problems:
    sys.exit("; ".join(problems))
