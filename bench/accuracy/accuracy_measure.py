"""Accuracy benchmark: recall, fixed versions flagged, precision, samples, and --verify."""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from accuracy_data import *  # noqa: F401,F403
from accuracy_trees import *  # noqa: F401,F403

def match_sites(findings, sites, code=None, window=RECALL_WINDOW):
    """Findings within `window` lines of a site (of `code` when given)."""
    out = []
    for f in findings:
        if code is not None and f.code != code:
            continue
        for path, n in sites:
            if f.filename == path and abs(f.row - n) <= window:
                out.append(f)
                break
    return out


def run_bugs(bugs, scanner):
    rows = []
    for b in bugs:
        if b["dup_of"]:
            raise Fail("%s: duplicate id %r (first at %s)" % (b["where"], b["id"], b["dup_of"]))
        if b["shape"] not in SHAPES:
            raise Fail("%s: bad shape %r" % (b["where"], b["shape"]))
        res = {"id": b["id"], "repo": b["repo"], "shape": b["shape"], "file": b["file"]}
        for setting in ("default", "low"):
            fs = scanner.scan(b["repo"], b["parent_commit"], b["scan_root"], setting,
                              b["id"] + ".parent", b["where"])
            m = match_sites(fs, b["sites"])
            res["found_" + setting] = bool(m)
            res["matches_" + setting] = sorted({f.site() for f in m})
            if setting == "default":
                mr = match_sites(fs, b["sites"], code=b["shape"])
                res["found_rule"] = bool(mr)
        res["negatives"] = bool(b["negatives"])
        if b["negatives"]:
            for setting in ("default", "low"):
                fs = scanner.scan(b["repo"], b["fix_commit"], b["scan_root"], setting,
                                  b["id"] + ".fix", b["where"])
                m = match_sites(fs, b["negatives"], window=0)
                res["flagged_" + setting] = bool(m)
                res["flagged_sites_" + setting] = sorted({f.site() for f in m})
        else:
            res["flagged_default"] = res["flagged_low"] = None
        rows.append(res)
    return rows


BUG_COLS = ["rows", "found_default", "found_low", "found_rule", "negatives", "flagged_default", "flagged_low"]


def bug_summary(rows):
    per = {}
    for s in SHAPES + ["total"]:
        per[s] = dict((c, 0) for c in BUG_COLS)
    for r in rows:
        for s in (r["shape"], "total"):
            t = per[s]
            t["rows"] += 1
            t["found_default"] += r["found_default"]
            t["found_low"] += r["found_low"]
            t["found_rule"] += r["found_rule"]
            t["negatives"] += r["negatives"]
            t["flagged_default"] += bool(r["flagged_default"])
            t["flagged_low"] += bool(r["flagged_low"])
    return per


# --------------------------------------------------------------------------- precision

def project_keys(findings, name):
    """{(project, filename, row, code): confidence}, de-duplicated (highest confidence kept)."""
    keys = {}
    for f in findings:
        k = (name, f.filename, f.row, f.code)
        old = keys.get(k)
        if old is None or CONFIDENCES.index(f.confidence if f.confidence in CONFIDENCES else "low") \
                < CONFIDENCES.index(old if old in CONFIDENCES else "low"):
            keys[k] = f.confidence
    return keys


def new_counts():
    return {"findings": 0, "judged": 0, "real": 0, "plausible": 0, "false": 0}


def ratios(c):
    j = c["judged"]
    c["precision_real"] = (c["real"] / j) if j else None
    c["precision_real_plausible"] = ((c["real"] + c["plausible"]) / j) if j else None
    return c


def run_precision(projects, judged, scanner):
    per_project = {}
    per_rule = dict((s, new_counts()) for s in SHAPES)
    per_conf = dict((c, new_counts()) for c in CONFIDENCES)
    total = new_counts()
    classes = {}
    false_still = []
    true_gone = []
    false_gone = []
    not_judged = []
    names = set(p["name"] for p in projects)
    for k in sorted(judged):
        if k[0] not in names:
            warn("%s: project %r is not in the projects files; row ignored" % (judged[k]["where"], k[0]))
    for p in projects:
        fs = scanner.scan(p["repo"], p["commit"], p["scan_root"], "default", p["name"], p["where"])
        keys = project_keys(fs, p["name"])
        c = new_counts()
        c["raw_findings"] = len(fs)
        c["not_judged"] = 0
        for k in sorted(keys):
            conf = keys[k]
            buckets = [c, total, per_rule.setdefault(k[3], new_counts()),
                       per_conf.setdefault(conf if conf in CONFIDENCES else str(conf), new_counts())]
            for b in buckets:
                b["findings"] += 1
            j = judged.get(k)
            if j is None:
                c["not_judged"] += 1
                not_judged.append(k)
                continue
            for b in buckets:
                b["judged"] += 1
                b[j["verdict"]] += 1
            if j["verdict"] == "false":
                cls = j["class"] or "-"
                classes[cls] = classes.get(cls, 0) + 1
                false_still.append(k)
        for k in sorted(judged):
            if k[0] == p["name"] and k not in keys:
                (false_gone if judged[k]["verdict"] == "false" else true_gone).append(k)
        per_project[p["name"]] = ratios(c)
    total["not_judged"] = len(not_judged)
    for d in (per_rule, per_conf):
        for v in d.values():
            ratios(v)
    return {
        "projects": per_project,
        "total": ratios(total),
        "per_rule": per_rule,
        "per_confidence": per_conf,
        "false_alarm_classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "judged_false_still_reported": len(false_still),
        "judged_true_no_longer_reported": [
            {"project": k[0], "path": k[1], "line": k[2], "code": k[3], "verdict": judged[k]["verdict"]}
            for k in true_gone],
        "judged_false_no_longer_reported": len(false_gone),
        "not_judged": len(not_judged),
    }


def sample(projects, judged, scanner, n, seed, project=None):
    """Rows (project, path, line, code, confidence) of a reproducible sample of unjudged findings."""
    if project is not None:
        ps = [p for p in projects if p["name"] == project]
        if not ps:
            raise Fail("unknown project %r (known: %s)" % (project, ", ".join(p["name"] for p in projects)))
    else:
        ps = projects
    conf = {}
    per = []
    for p in ps:
        fs = scanner.scan(p["repo"], p["commit"], p["scan_root"], "default", p["name"], p["where"])
        keys = project_keys(fs, p["name"])
        conf.update(keys)
        per.append([k for k in keys if k not in judged])
    if project is not None:
        keys = [k[1:] for k in per[0]]
        picked = random.Random(seed).sample(sorted(keys), min(n, len(keys)))
        picked = [(project,) + k for k in picked]
    else:
        keys = [k for ks in per for k in ks]
        picked = random.Random(seed).sample(sorted(keys), min(n, len(keys)))
    return [(k[0], k[1], k[2], k[3], conf[k]) for k in picked]


# --------------------------------------------------------------------------- verify

def verify(bugs, projects, judged, repos, verbose=False):
    problems = []
    seen = {}
    for b in bugs:
        w, bid = b["where"], b["id"]
        if bid in seen:
            problems.append("%s: %s: duplicate id (first at %s)" % (w, bid, seen[bid]))
        seen.setdefault(bid, w)
        if b["shape"] not in SHAPES:
            problems.append("%s: %s: shape %r is not one of RA001-RA008" % (w, bid, b["shape"]))
        ref = b["reference"]
        if ref != "commit" and not re.match(r"^https://github\.com/[^/]+/[^/]+/(issues|pull)/\d+", ref):
            problems.append("%s: %s: reference %r is neither an issue/pull URL nor 'commit'" % (w, bid, ref))
        try:
            gitdir = repos.gitdir(b["repo"])
        except Fail as e:
            problems.append("%s: %s: %s" % (w, bid, e))
            continue
        ok = True
        for k in ("fix_commit", "parent_commit"):
            if not repos.has_commit(b["repo"], b[k]):
                problems.append("%s: %s: %s %s not in %s" % (w, bid, k, b[k], gitdir))
                ok = False
        if not ok:
            continue
        rc, out = git(gitdir, "rev-parse", "--verify", "--quiet", b["fix_commit"] + "^1", check=False)
        if rc != 0:
            problems.append("%s: %s: fix commit %s has no parent" % (w, bid, b["fix_commit"]))
        elif out.strip() != b["parent_commit"]:
            problems.append("%s: %s: parent_commit %s is not fix_commit^1 (%s)"
                            % (w, bid, b["parent_commit"], out.strip()))
        root = b["scan_root"]
        for k in ("parent_commit", "fix_commit"):
            if object_type(gitdir, b[k], root) != "tree":
                problems.append("%s: %s: scan_root %s is not a directory at %s %s"
                                % (w, bid, root, k, b[k][:12]))
        for label, commit, sites in (("buggy", b["parent_commit"], b["sites"]),
                                     ("negative", b["fix_commit"], b["negatives"])):
            cache = {}
            for path, n in sites:
                if not (path == root or path.startswith(root + "/")):
                    problems.append("%s: %s: %s site %s:%d is outside scan_root %s" % (w, bid, label, path, n, root))
                if path not in cache:
                    cache[path] = file_lines(gitdir, commit, path)
                lines = cache[path]
                at = "parent" if label == "buggy" else "fix"
                if lines is None:
                    problems.append("%s: %s: %s file %s does not exist at the %s commit %s"
                                    % (w, bid, label, path, at, commit[:12]))
                    continue
                if n > len(lines):
                    problems.append("%s: %s: %s line %s:%d is past the end of the file (%d lines) at the %s commit"
                                    % (w, bid, label, path, n, len(lines), at))
                    continue
                if not lines[n - 1].strip():
                    problems.append("%s: %s: %s line %s:%d is blank at the %s commit" % (w, bid, label, path, n, at))
                if verbose:
                    print("%s %s %s:%d: %s" % (bid, label, path, n, lines[n - 1].rstrip()))
    for p in projects:
        w = p["where"]
        try:
            gitdir = repos.gitdir(p["repo"])
        except Fail as e:
            problems.append("%s: %s: %s" % (w, p["name"], e))
            continue
        if not repos.has_commit(p["repo"], p["commit"]):
            problems.append("%s: %s: commit %s not in %s" % (w, p["name"], p["commit"], gitdir))
            continue
        if object_type(gitdir, p["commit"], p["scan_root"]) != "tree":
            problems.append("%s: %s: scan_root %s is not a directory at %s"
                            % (w, p["name"], p["scan_root"], p["commit"][:12]))
    names = set(p["name"] for p in projects)
    for k in sorted(judged):
        j = judged[k]
        if names and k[0] not in names:
            problems.append("%s: judged row of unknown project %r" % (j["where"], k[0]))
        if j["verdict"] == "false" and j["class"] in ("", "-"):
            problems.append("%s: verdict false needs a false-alarm class" % j["where"])
    return problems


# --------------------------------------------------------------------------- output
