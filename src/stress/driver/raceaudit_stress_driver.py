"""raceaudit stress: workload-mode driver.

This file is embedded into the raceaudit binary at build time; raceaudit
writes it to a private temporary directory and runs it as

    python raceaudit_stress_driver.py --call MOD:FUNC [--setup MOD:FUNC]
        [--check MOD:FUNC] --threads N [--rounds R] [--switch-interval S]
        [--dump-on-sigterm] [--preflight] --result FILE

It imports the functions, then for each round: state = setup(); starts N
threads that wait on one threading.Barrier and then call worker(state)
(worker() when there is no setup); joins them; calls check(state), which
returns the invariant violations (an iterable of strings, empty when fine).
It stops at the first round with an exception or a violation.

The outcome is written as one JSON object to FILE (written to FILE.tmp, then
renamed, so raceaudit never reads half a file). The process exits with 0 when
the workload was clean, 1 on an exception or violations, 2 when the functions
could not be loaded. Human readable details (traceback, violations) go to
stderr.

Must run unchanged on CPython 3.6+ and PyPy 3: no dataclasses, no walrus,
no threading.excepthook, nothing newer than 3.6.
"""
import argparse
import importlib
import json
import os
import sys
import threading
import traceback

PROTOCOL_VERSION = 1
MAX_VIOLATIONS_REPORTED = 100
_THIS_FILE = os.path.normcase(os.path.abspath(__file__))


class LoadError(Exception):
    """The workload functions could not be imported or found."""


def _type_name(exc_type):
    module = getattr(exc_type, "__module__", None)
    name = getattr(exc_type, "__qualname__", exc_type.__name__)
    if module in (None, "builtins", "__main__", "exceptions"):
        return name
    return module + "." + name


def _is_driver_frame(frame):
    return os.path.normcase(os.path.abspath(frame.filename)) == _THIS_FILE


def _describe_exception(exc, phase):
    frames = traceback.extract_tb(exc.__traceback__)
    user = [f for f in frames if not _is_driver_frame(f)]
    innermost = user[-1] if user else (frames[-1] if frames else None)
    record = {
        "type": _type_name(type(exc)),
        "message": str(exc),
        "phase": phase,
        "traceback": "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
    if innermost is not None:
        record["file"] = innermost.filename
        record["line"] = innermost.lineno
        record["function"] = innermost.name
    return record


def _load(spec, role):
    if ":" not in spec:
        raise LoadError("%s %r: expected MODULE:FUNCTION" % (role, spec))
    module_name, _, attr_path = spec.partition(":")
    if not module_name or not attr_path:
        raise LoadError("%s %r: expected MODULE:FUNCTION" % (role, spec))
    try:
        obj = importlib.import_module(module_name)
    except Exception as exc:  # noqa: B902 - any import failure is a load error
        raise LoadError("%s %r: cannot import %s: %s: %s" % (
            role, spec, module_name, _type_name(type(exc)), exc))
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise LoadError("%s %r: %s has no attribute %r" % (
                role, spec, module_name, part))
    if not callable(obj):
        raise LoadError("%s %r is not callable" % (role, spec))
    return obj


def _violations_of(result):
    if result is None or result is True:
        return []
    if result is False:
        return ["check returned False"]
    if isinstance(result, (str, bytes)):
        return [str(result)]
    if isinstance(result, dict):
        return ["%s: %s" % (k, v) for k, v in result.items()]
    return [str(v) for v in result]


def _run_round(worker, setup, check, threads):
    """Return (exception_records, violations) for one round."""
    try:
        state = setup() if setup is not None else None
    except BaseException as exc:  # noqa: B902
        return [_describe_exception(exc, "setup")], []
    args = (state,) if setup is not None else ()
    barrier = threading.Barrier(threads)
    errors = []
    errors_lock = threading.Lock()

    def run_worker():
        try:
            barrier.wait()
            worker(*args)
        except BaseException as exc:  # noqa: B902
            record = _describe_exception(exc, "worker")
            with errors_lock:
                errors.append(record)

    pool = [threading.Thread(target=run_worker, name="raceaudit-worker-%d" % i)
            for i in range(threads)]
    for thread in pool:
        thread.daemon = True
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        return errors, []
    if check is None:
        return [], []
    try:
        return [], _violations_of(check(*args))
    except BaseException as exc:  # noqa: B902
        return [_describe_exception(exc, "check")], []


def _write_result(path, result):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, path)


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="raceaudit_stress_driver")
    parser.add_argument("--call", required=True)
    parser.add_argument("--setup")
    parser.add_argument("--check")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--switch-interval", type=float, default=1e-6)
    parser.add_argument("--dump-on-sigterm", action="store_true")
    parser.add_argument("--preflight", action="store_true")
    parser.add_argument("--result", required=True)
    return parser.parse_args(argv)


def main(argv):
    options = _parse_args(argv)
    # Imports resolve like `python -m`: from the working directory first
    # (PYTHONPATH, set by raceaudit from --path, follows), not from the
    # temporary directory this file lives in.
    sys.path[0] = os.getcwd()
    result = {"protocol": PROTOCOL_VERSION, "status": "ok", "rounds": 0,
              "threads": options.threads, "exception_count": 0,
              "violation_count": 0, "violations": []}
    try:
        worker = _load(options.call, "--call")
        setup = _load(options.setup, "--setup") if options.setup else None
        check = _load(options.check, "--check") if options.check else None
    except LoadError as exc:
        result["status"] = "load_error"
        result["message"] = str(exc)
        _write_result(options.result, result)
        sys.stderr.write("raceaudit driver: %s\n" % exc)
        return 2
    if options.preflight:
        _write_result(options.result, result)
        return 0

    sys.setswitchinterval(options.switch_interval)
    if options.dump_on_sigterm:
        try:
            import faulthandler
            import signal
            faulthandler.register(signal.SIGTERM, all_threads=True, chain=True)
        except (ImportError, AttributeError, RuntimeError, ValueError):
            pass

    for _ in range(options.rounds):
        errors, violations = _run_round(worker, setup, check, options.threads)
        result["rounds"] += 1
        if errors:
            result["status"] = "exception"
            result["exception_count"] = len(errors)
            result["exception"] = errors[0]
            sys.stderr.write(errors[0]["traceback"])
            if len(errors) > 1:
                sys.stderr.write("raceaudit driver: %d of %d threads raised\n"
                                 % (len(errors), options.threads))
            break
        if violations:
            result["status"] = "violations"
            result["violation_count"] = len(violations)
            result["violations"] = violations[:MAX_VIOLATIONS_REPORTED]
            sys.stderr.write("raceaudit driver: check found %d violation(s):\n"
                             % len(violations))
            for violation in violations[:MAX_VIOLATIONS_REPORTED]:
                sys.stderr.write("  %s\n" % violation)
            break
    sys.stderr.flush()
    sys.stdout.flush()
    _write_result(options.result, result)
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
