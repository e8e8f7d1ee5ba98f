"""pytest plugin: ``pytest --raceaudit`` fails the session when raceaudit
finds a thread-race hazard that the committed baseline does not list, and
puts the report in pytest's terminal summary.

Settings (command line, or the ini keys in [tool.pytest.ini_options]):
  --raceaudit-baseline / raceaudit_baseline   the baseline, relative to
      pytest's rootdir (default raceaudit-baseline.json)
  --raceaudit-path / raceaudit_paths          what to scan, relative to the
      rootdir (default .); use the paths the baseline was written with
  raceaudit_args                              more `raceaudit scan` arguments
  RACEAUDIT (environment)                     the binary to run (default: the
      one installed with this package, else `raceaudit` on PATH)
The scan runs from the rootdir; [tool.raceaudit] applies as usual.
"""
import os
import shlex
import subprocess

import pytest

from raceaudit._binary import find_raceaudit_bin

_DEFAULT_BASELINE = "raceaudit-baseline.json"


def pytest_addoption(parser):
    group = parser.getgroup("raceaudit", "thread-race hazards (raceaudit)")
    group.addoption("--raceaudit", action="store_true", default=False,
                    help="fail the session on thread-race hazards not in the baseline")
    group.addoption("--raceaudit-baseline", default=None, metavar="FILE",
                    help=f"baseline file, relative to the rootdir (default {_DEFAULT_BASELINE})")
    group.addoption("--raceaudit-path", action="append", default=None, metavar="PATH",
                    help="path to scan, relative to the rootdir (repeatable; default .)")
    parser.addini("raceaudit_baseline", "raceaudit baseline file", default=_DEFAULT_BASELINE)
    parser.addini("raceaudit_paths", "paths raceaudit scans", type="args", default=["."])
    parser.addini("raceaudit_args", "more raceaudit scan arguments", type="args", default=[])


class _Scan:
    """One `raceaudit scan --baseline` of the project, run at session end."""

    def __init__(self, config, binary):
        self.root = str(config.rootpath)
        self.binary = binary
        self.baseline = config.getoption("raceaudit_baseline") or config.getini("raceaudit_baseline")
        self.paths = config.getoption("raceaudit_path") or config.getini("raceaudit_paths")
        self.extra = config.getini("raceaudit_args")
        self.failed = False
        self.title = ""
        self.text = ""

    def accept_command(self):
        return shlex.join(["raceaudit", "scan", "--write-baseline", self.baseline, *self.paths])

    def run(self):
        if not os.path.isfile(os.path.join(self.root, self.baseline)):
            self._fail(f"{self.baseline} is missing", f"create it, from {self.root}, with:\n    {self.accept_command()}\n")
            return
        argv = [self.binary, "scan", "--baseline", self.baseline, "--show-source", "--color", "never",
                *self.extra, *self.paths]
        scan = subprocess.run(argv, cwd=self.root, capture_output=True, text=True, check=False)
        if scan.returncode == 0:
            self.title = f"no thread-race hazard beyond {self.baseline}"
            self.text = scan.stdout
        elif scan.returncode == 1:
            self._fail(f"new thread-race hazards, not in {self.baseline}",
                       f"{scan.stdout}\nFix them; or, for a site reviewed as safe, add "
                       "`# raceaudit: ignore[CODE]` on its line; or accept them all by running, "
                       f"from {self.root}:\n    {self.accept_command()}\n")
        else:
            self._fail(f"raceaudit could not scan (exit {scan.returncode})", scan.stderr)

    def _fail(self, title, text):
        self.failed, self.title, self.text = True, title, text


def pytest_configure(config):
    if not config.getoption("raceaudit") or hasattr(config, "workerinput"):  # xdist workers: no
        return
    binary = os.environ.get("RACEAUDIT")
    if not binary:
        try:
            binary = find_raceaudit_bin()
        except FileNotFoundError as missing:
            raise pytest.UsageError(f"--raceaudit: {missing}") from None
    config._raceaudit_scan = _Scan(config, binary)


def pytest_sessionfinish(session, exitstatus):
    scan = getattr(session.config, "_raceaudit_scan", None)
    if scan is None:
        return
    scan.run()
    if scan.failed and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    scan = getattr(config, "_raceaudit_scan", None)
    if scan is None or not scan.title:
        return
    terminalreporter.section("raceaudit", sep="=", red=scan.failed, green=not scan.failed)
    if scan.text:
        terminalreporter.write(scan.text if scan.text.endswith("\n") else scan.text + "\n")
    terminalreporter.write_line(f"raceaudit: {scan.title}", red=scan.failed, green=not scan.failed, bold=True)
