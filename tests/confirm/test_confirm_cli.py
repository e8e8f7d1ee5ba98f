"""`raceaudit confirm` end to end: races confirmed, safe twins not, the JSON
contract, the workload modes."""
import json

import pytest

from conftest import FIXTURES, interpreters, run, scan

BANK = ["--path", FIXTURES, "--setup", "bank:setup", "--check", "bank:check"]
CONTRACT = ("fingerprint", "code", "site", "partner", "status", "interpreter", "trials", "reached_threads",
            "overlaps", "manifested", "failure", "stacks")


def confirm_json(args):
    result = run(["confirm", "--format", "json"] + args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("python", interpreters())
def test_fixture_races_are_confirmed_and_manifest(bank_scan, python):
    findings, path = bank_scan
    assert sorted(f["code"] for f in findings) == ["RA001", "RA005"]
    status, report = confirm_json([path, "--call", "bank:worker", "--trials", "5", "--python", python] + BANK)
    assert status == 1
    assert report["version"] == 1 and report["tool"] == "raceaudit confirm"
    assert len(report["findings"]) == 2
    for entry in report["findings"]:
        assert all(key in entry for key in CONTRACT), entry.keys()
        assert entry["status"] == "confirmed", entry
        assert entry["trials"] == 5 and entry["overlaps"] == 5 and entry["reached_threads"] >= 2
        assert entry["manifested"] >= 4, entry  # lost updates (check), KeyError
        assert len(entry["stacks"]) == 2 and entry["stacks"][0][-1].startswith("tests/confirm/fixtures/bank.py:")
        assert entry["site"]["filename"] == "tests/confirm/fixtures/bank.py"


@pytest.mark.parametrize("python", interpreters())
def test_safe_twin_is_reached_but_never_confirmed(python):
    line = _line_of("self.balance += amount  # safe")
    check_line = _line_of("if key in self.holds:", occurrence=2)
    for site, partner in ((line, line), (check_line + 1, check_line)):
        status, report = confirm_json(["--site", "tests/confirm/fixtures/bank.py:%d" % site,
                                       "--partner", "tests/confirm/fixtures/bank.py:%d" % partner,
                                       "--call", "bank:worker_safe", "--trials", "10", "--python", python] + BANK)
        entry = report["findings"][0]
        assert status == 0 and entry["fingerprint"] is None
        assert entry["status"] == "reached" and entry["overlaps"] == 0 and entry["reached_threads"] >= 2, entry


def test_inventory_fs_refund_confirmed_through_a_driver(tmp_path):
    findings, path = scan("examples/inventory_fs", out=str(tmp_path / "inv.json"))
    mounts = [f for f in findings if f["filename"].endswith("mounts.py")]
    assert len(mounts) == 7
    args = [path, "--path", "examples", "--path", "tests/confirm", "--setup", "inventory_driver:setup",
            "--call", "inventory_driver:worker", "--check", "inventory_driver:check", "--trials", "3"]
    for f in mounts:
        args += ["--finding", f["fingerprint"]]
    status, report = confirm_json(args)
    by_scope = dict((f["fingerprint"], f["scope"]) for f in mounts)
    confirmed = set(by_scope[e["fingerprint"]] for e in report["findings"] if e["status"] == "confirmed")
    assert status == 1
    # The driver calls these from every thread; _flush_loop runs in the
    # table's own flusher thread, which the driver does not start.
    assert {"Mount.refund", "MountTable.unmount", "MountTable.resolve", "MountTable.discard_dirty",
            "MountTable.flush_now"} <= confirmed, report
    refund = [e for e in report["findings"] if by_scope[e["fingerprint"]] == "Mount.refund"][0]
    assert refund["manifested"] == 3 and "lost updates" in refund["failure"]

    # The report read back by `scan --evidence`: the confirmed findings,
    # and only they, are marked and listed first; --select-confirmed keeps them.
    evidence = tmp_path / "confirm.json"
    evidence.write_text(json.dumps(report))
    marked = run(["scan", "--format", "json", "--evidence", str(evidence), "examples/inventory_fs"])
    assert marked.returncode == 1, marked.stderr
    listed = json.loads(marked.stdout)
    kinds = [[e["kind"] for e in f["evidence"]] for f in listed]
    observed = set(e["fingerprint"] for e in report["findings"] if e["status"] == "confirmed")
    n = len(observed)
    assert all("confirmed" in k for k in kinds[:n]) and not any("confirmed" in k for k in kinds[n:]), kinds
    assert set(f["fingerprint"] for f in listed[:n]) == observed
    gate = run(["scan", "--format", "json", "--evidence", str(evidence), "--select-confirmed", "examples/inventory_fs"])
    assert gate.returncode == 1 and len(json.loads(gate.stdout)) == n


def test_pytest_mode_runs_each_test_body_in_threads(tmp_path):
    status, report = confirm_json(["--site", "tests/confirm/fixtures/bank.py:%d" % _line_of("self.balance += amount  # expect"),
                                   "--partner", "tests/confirm/fixtures/bank.py:%d" % _line_of("self.balance += amount  # expect"),
                                   "--path", FIXTURES, "--pytest", "tests/confirm/fixtures/test_bank_pytest.py",
                                   "-k", "deposit", "--trials", "3", "--python", "/usr/bin/python3"])
    entry = report["findings"][0]
    assert status == 1 and entry["status"] == "confirmed" and entry["manifested"] == 3, entry
    assert "test_bank_pytest.py::test_deposit" in entry["failure"]


def test_script_mode(tmp_path):
    line = _line_of("self.balance += amount  # expect")
    result = run(["confirm", "tests/confirm/fixtures/bank_script.py", "--site", "tests/confirm/fixtures/bank.py:%d" % line,
                  "--partner", "tests/confirm/fixtures/bank.py:%d" % line, "--trials", "2"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "confirmed [python3]" in result.stdout and "AssertionError: lost updates" in result.stdout


def _line_of(text, occurrence=1):
    with open(FIXTURES + "/bank.py") as f:
        hits = [i + 1 for i, line in enumerate(f) if text in line]
    return hits[occurrence - 1]
