"""Fail the test suite when raceaudit finds a thread-race hazard that the
committed baseline does not list.

Copy this file into your tests. Once, from the project root, record the
hazards you accept today and commit the file it writes:

    raceaudit scan --write-baseline raceaudit-baseline.json src

From then on this test passes while the code has no hazard beyond the
baseline, and fails, listing the new sites, as soon as one appears. Edits
elsewhere in a file do not disturb it: baseline entries are matched by a
fingerprint of the rule, file, function, target and statement, not by line.
When hazards are fixed the run notes the stale entries on stderr; run the
command above again to refresh the baseline.

Settings, from the environment or the defaults below:
  RACEAUDIT           the raceaudit binary (default: `raceaudit` on PATH)
  RACEAUDIT_ROOT      where the scan runs (default: the nearest directory
                      above this file that holds pyproject.toml or .git)
  RACEAUDIT_BASELINE  the baseline, relative to the root
                      (default: raceaudit-baseline.json)
  RACEAUDIT_PATHS     what to scan, relative to the root, separated by
                      os.pathsep (default: src); use the same paths as
                      when the baseline was written

[tool.raceaudit] in pyproject.toml applies as usual. Runs under pytest, or
as a script: python3 test_no_new_races.py
"""
import os
import pathlib
import shutil
import subprocess
import sys

BASELINE = os.environ.get("RACEAUDIT_BASELINE", "raceaudit-baseline.json")
PATHS = os.environ.get("RACEAUDIT_PATHS", "src").split(os.pathsep)


def _project_root():
    if os.environ.get("RACEAUDIT_ROOT"):
        return pathlib.Path(os.environ["RACEAUDIT_ROOT"]).resolve()
    here = pathlib.Path(__file__).resolve().parent
    for directory in (here, *here.parents):
        if (directory / "pyproject.toml").is_file() or (directory / ".git").exists():
            return directory
    return here


def _raceaudit():
    binary = os.environ.get("RACEAUDIT") or shutil.which("raceaudit")
    assert binary, "raceaudit is not installed: put it on PATH or set RACEAUDIT to the binary"
    return binary


def test_no_new_races():
    root = _project_root()
    baseline = root / BASELINE
    accept = f"raceaudit scan --write-baseline {BASELINE} {' '.join(PATHS)}"
    assert baseline.is_file(), f"{baseline} is missing; create it from {root} with:\n    {accept}"
    scan = subprocess.run(
        [_raceaudit(), "scan", "--baseline", BASELINE, "--show-source", "--color", "never", *PATHS],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert scan.returncode != 2, f"raceaudit could not scan {root}:\n{scan.stderr}"
    assert scan.returncode == 0, (
        f"new thread-race hazards, not in {BASELINE}:\n\n{scan.stdout}\n"
        "Fix them; or, for a site reviewed as safe, add `# raceaudit: ignore[CODE]` on its line; "
        f"or accept them all by running, from {root}:\n    {accept}"
    )


if __name__ == "__main__":
    try:
        test_no_new_races()
    except AssertionError as failure:
        print(f"FAILED test_no_new_races: {failure}", file=sys.stderr)
        sys.exit(1)
    print("passed test_no_new_races: no thread-race hazard beyond the baseline")
