"""raceaudit confirm: one trial, run inside the interpreter under test.

Embedded in the raceaudit binary, written to a private temporary directory
next to raceaudit_probe.py and raceaudit_stress_driver.py, and run as

    python raceaudit_confirm_driver.py SPEC.json RESULT.json

SPEC holds the pairs to arm ({"name", "site", "partner"}, see
raceaudit_probe.Site) and the workload: {"mode": "call", "call", "setup",
"check", "threads"}, {"mode": "script", "script", "args"} or {"mode":
"pytest", "file", "k", "threads"}. The probe is armed, the workload runs once,
and RESULT gets {"mechanism", "note", "pairs": [...], "failure": TEXT|null,
"load_error": TEXT|null}. Exit status 0 (also when the workload failed: the
failure is data), 2 when the workload could not be loaded.

Runs on CPython 3.6+ and PyPy 3.
"""
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raceaudit_probe as probe  # noqa: E402
import raceaudit_stress_driver as stress  # noqa: E402


def _exception_text(exc):
    text = "%s: %s" % (stress._type_name(type(exc)), exc)
    return text if len(text) <= 300 else text[:300] + "..."


def _run_call(spec, armed):
    try:
        worker = stress._load(spec["call"], "--call")
        setup = stress._load(spec["setup"], "--setup") if spec.get("setup") else None
        check = stress._load(spec["check"], "--check") if spec.get("check") else None
    except stress.LoadError as exc:
        return None, str(exc)
    with armed:
        errors, violations = stress._run_round(worker, setup, check, spec["threads"])
    if errors:
        return "%s: %s" % (errors[0]["type"], errors[0]["message"]), None
    if violations:
        return "check: %s" % violations[0], None
    return None, None


def _run_script(spec, armed):
    import runpy
    script = spec["script"]
    sys.argv = [script] + list(spec.get("args", []))
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    with armed:
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (None, 0):
                return "SystemExit: %s" % exc.code, None
        except BaseException as exc:  # noqa: B902 - every escape is a failure
            return _exception_text(exc), None
    return None, None


class ParallelPlugin(object):
    """Runs each test body in N threads at once (like pytest-run-parallel):
    the fixtures are built once and shared, so is whatever they return."""

    def __init__(self, threads):
        self.threads = threads
        self.failure = None

    def pytest_pyfunc_call(self, pyfuncitem):
        function = pyfuncitem.obj
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = dict((name, pyfuncitem.funcargs[name]) for name in names)
        errors = probe.run_threads(lambda: function(**kwargs), (), self.threads)
        if errors:
            raise errors[0]
        return True

    def pytest_runtest_logreport(self, report):
        if report.failed and self.failure is None:
            crash = getattr(report.longrepr, "reprcrash", None)
            text = crash.message if crash is not None else str(report.longrepr)
            self.failure = "%s: %s" % (report.nodeid, text.splitlines()[0] if text else "failed")


def _run_pytest(spec, armed):
    try:
        import pytest
    except ImportError as exc:
        return None, "--pytest: this interpreter has no pytest (%s)" % exc
    plugin = ParallelPlugin(spec["threads"])
    args = [spec["file"], "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    if spec.get("k"):
        args += ["-k", spec["k"]]
    with armed:
        status = pytest.main(args, plugins=[plugin])
    if status in (4, 5):  # usage error, no tests collected
        return None, "--pytest %s: pytest exit status %d (no test selected or usage error)" % (spec["file"], status)
    if status != 0:
        return plugin.failure or "pytest exit status %d" % status, None
    return None, None


class _Unarmed(object):
    """Stands in for the probe in unarmed runs (the overhead baseline)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main(argv):
    spec_path, result_path = argv[0], argv[1]
    with open(spec_path) as f:
        spec = json.load(f)
    sys.path[0] = os.getcwd()
    sys.setswitchinterval(spec.get("switch_interval", 0.005))
    p = probe.Probe(probe.pairs_from(spec["pairs"]), delay=spec.get("delay", 0.002),
                    max_delay=spec.get("max_delay", 0.05), budget=spec.get("budget", 1.0))
    armed = p if spec.get("armed", True) else _Unarmed()
    runner = {"call": _run_call, "script": _run_script, "pytest": _run_pytest}[spec["mode"]]
    failure, load_error = runner(spec, armed)
    result = p.report()
    result["failure"] = failure
    result["load_error"] = load_error
    result["threads_alive"] = threading.active_count()
    tmp = result_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, result_path)
    return 2 if load_error else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
