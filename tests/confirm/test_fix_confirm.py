"""`raceaudit scan --fix --unsafe-fixes` against `raceaudit confirm`: the
races confirmed on examples/inventory_fs as shipped are no longer confirmed
on a copy the fixes were applied to.

Two checks on the fixed copy. The user's way: scan it again and confirm
what is still reported in mounts.py with the same driver; none of the
scopes confirmed before is confirmed now. And the pairs the lock fixes
wrapped (the same statements, found again by their text): probed directly
with --site/--partner, several threads still reach them, and no overlap is
observed, because each now waits for the other's lock. The one-step fixes
(`pop(path, None)`, `list(...)`) are not probed that way: the first leaves
no check to hold a thread at, and a thread held at a `for` line before its
snapshot is taken still counts as an overlap, though the snapshot is one
step. Where the fixes leave a finding unfixed the driver's check can still
fail on it: _flush_loop's check-then-pop, whose else clause waits, so no
lock is put around it."""
import json

from conftest import copy_project, run, scan

DRIVER = ["--setup", "inventory_driver:setup", "--call", "inventory_driver:worker",
          "--check", "inventory_driver:check", "--trials", "3", "--python", "python3"]


def confirm(work, args):
    result = run(["confirm", "--format", "json", "--path", "."] + args + DRIVER, cwd=str(work))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def confirm_mounts(work, name):
    findings, path = scan("inventory_fs", cwd=str(work), out=str(work / name))
    mounts = [f for f in findings if f["filename"].endswith("mounts.py")]
    args = [path]
    for f in mounts:
        args += ["--finding", f["fingerprint"]]
    scopes = dict((f["fingerprint"], f["scope"]) for f in mounts)
    return [(scopes[e["fingerprint"]], e) for e in confirm(work, args)] if mounts else []


def statement(path, row):
    line = path.read_text().splitlines()[row - 1]
    return line.split("#")[0].strip()


def row_of(path, text, near):
    """The row of the statement `text` nearest to `near` (the fixes move rows by a few lines)."""
    rows = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if line.split("#")[0].strip() == text]
    assert rows, text
    return min(rows, key=lambda r: abs(r - near))


def test_confirmed_races_are_not_confirmed_after_the_fixes(tmp_path):
    work = copy_project(tmp_path)
    mounts = work / "inventory_fs" / "mounts.py"
    before = confirm_mounts(work, "before.json")
    confirmed = dict((scope, e) for scope, e in before if e["status"] == "confirmed")
    assert {"Mount.refund", "MountTable.unmount", "MountTable.resolve", "MountTable.discard_dirty",
            "MountTable.flush_now"} <= set(confirmed), before
    # The statements of each confirmed pair, by their text, before the fixes move them.
    pairs = dict((scope, (e["site"]["row"], e["partner"]["row"])) for scope, e in confirmed.items())
    texts = dict((scope, (statement(mounts, a), statement(mounts, b))) for scope, (a, b) in pairs.items())

    fixed = run(["scan", "--isolated", "--fix", "--unsafe-fixes", "inventory_fs"], cwd=str(work))
    assert "fixed 22 findings in 4 files" in fixed.stderr, fixed.stderr

    after = confirm_mounts(work, "after.json")
    still = set(scope for scope, e in after if e["status"] == "confirmed")
    assert not (still & set(confirmed)), after

    for scope in ("Mount.refund", "MountTable.discard_dirty", "MountTable.flush_now"):
        (site, partner), (site_was, partner_was) = texts[scope], pairs[scope]
        site_row, partner_row = row_of(mounts, site, site_was), row_of(mounts, partner, partner_was)
        assert mounts.read_text().splitlines()[site_row - 2].strip() == "with self._lock:", scope
        [entry] = confirm(work, ["--site", "inventory_fs/mounts.py:%d" % site_row,
                                 "--partner", "inventory_fs/mounts.py:%d" % partner_row])
        assert entry["status"] != "confirmed" and entry["overlaps"] == 0, (scope, entry)
        assert entry["reached_threads"] >= 2, (scope, entry)
        # The workload's check is of the whole run: _flush_loop's
        # check-then-pop (RA002, no fix: its else clause waits; still
        # reported) can still kill the flusher, now more often, since its
        # pop waits for the lock discard_dirty() holds. No lost update.
        failure = entry["failure"] or ""
        assert entry["manifested"] == 0 or "the flusher thread died" in failure, (scope, entry)
