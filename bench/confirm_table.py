#!/usr/bin/env python3
"""Failures per N runs: blind `raceaudit stress` versus `raceaudit confirm`,
on examples/ and the pyfakefs reproducers (the table of docs/confirm.md).

    bench/confirm_table.py [--runs 10] [--python python3 --python pypy3 ...]

Prints one Markdown table row per workload, finding and interpreter:
stress failures / N, confirm overlaps / N, confirm failures / N.
Numbers only, no assertion. Run from the repository root with build/src/raceaudit built.
"""
import argparse
import json
import os
import subprocess
import tempfile

BIN = os.path.abspath(os.environ.get("RACEAUDIT_BINARY", "build/src/raceaudit"))
PYFAKEFS = "/usr/lib/python3/dist-packages/pyfakefs/fake_filesystem.py"
INVENTORY = ["--path", "examples", "--path", "tests/confirm", "--setup", "inventory_driver:setup",
             "--call", "inventory_driver:worker", "--check", "inventory_driver:check"]
COUNTER = ["--path", "examples/repro", "--setup", "counter:setup", "--call", "counter:worker",
           "--check", "counter:check"]
# (name, scanned path, workload arguments, findings by scope and code, or None for all)
WORKLOADS = [
    # scan does not flag `counter.value += 1` through a property: by --site.
    ("examples/repro/counter.py", "examples/repro/counter.py:42", COUNTER, None),
    ("examples/inventory_fs (tests/confirm/inventory_driver.py)", "examples/inventory_fs", INVENTORY,
     ["Mount.refund", "MountTable.unmount", "MountTable.resolve", "MountTable.discard_dirty",
      "MountTable.flush_now"]),
    ("pyfakefs_open_close.py", PYFAKEFS, ["examples/repro/pyfakefs_open_close.py"],
     ["FakeFilesystem._add_open_file", "FakeFilesystem._close_open_file"]),
    ("pyfakefs_makedirs_case_insensitive.py", PYFAKEFS, ["examples/repro/pyfakefs_makedirs_case_insensitive.py"],
     ["FakeDirectory.add_entry", "FakeDirectory._normalized_entryname", "FakeFilesystem.makedirs"]),
    ("pyfakefs_set_uid.py", PYFAKEFS, ["examples/repro/pyfakefs_set_uid.py"], ["set_uid"]),
]


def raceaudit(args):
    return subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def stress_failures(workload, python, runs, threads):
    args = ["stress", "--repeat", str(runs), "--python", python, "--format", "json", "--no-control"]
    if "--call" in workload:
        args += ["--threads", str(threads)]
    report = json.loads(raceaudit(args + workload).stdout)
    return sum(cell["failed"] for cell in report["cells"])


def confirm(scan_file, fingerprints, workload, python, runs, threads):
    args = ["confirm", "--trials", str(runs), "--python", python, "--format", "json", "--threads", str(threads)]
    args += scan_file if isinstance(scan_file, list) else [scan_file]
    for fp in fingerprints:
        args += ["--finding", fp]
    result = raceaudit(args + workload)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr)
    return json.loads(result.stdout)["findings"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--python", action="append")
    options = parser.parse_args()
    pythons = options.python or ["python3", "pypy3"]
    tmp = tempfile.mkdtemp(prefix="confirm-table-")
    print("| workload | finding | interpreter | stress failures | confirm overlaps | confirm failures | first failure under confirm |")
    print("|---|---|---|---|---|---|---|")
    for name, scanned, workload, scopes in WORKLOADS:
        if ".py:" in scanned:  # a --site, not a scan
            chosen, scan_file = [], ["--site", scanned, "--partner", scanned]
        else:
            findings = json.loads(raceaudit(["scan", "--format", "json", scanned]).stdout)
            chosen = [f for f in findings if scopes is None or f["scope"] in scopes]
            scan_file = os.path.join(tmp, "scan.json")
            with open(scan_file, "w") as f:
                json.dump(chosen, f)
        for python in pythons:
            blind = stress_failures(workload, python, options.runs, options.threads)
            entries = confirm(scan_file, [f["fingerprint"] for f in chosen], workload, python, options.runs,
                              options.threads)
            scope = dict((f["fingerprint"], f["scope"]) for f in chosen)
            for e in entries:
                print("| %s | %s %s:%d `%s` | %s | %d/%d | %d/%d | %d/%d | %s |" % (
                    name, e["code"] or "--site", os.path.basename(e["site"]["filename"]), e["site"]["row"],
                    scope.get(e["fingerprint"], "worker"), python, blind, options.runs, e["overlaps"], e["trials"],
                    e["manifested"], e["trials"], (e["failure"] or "").replace("|", "/")[:70]))


if __name__ == "__main__":
    main()
