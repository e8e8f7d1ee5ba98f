"""Accuracy benchmark: the data files (bugs.tsv, precision/*.tsv), their formats and loading."""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))

BUGS_HEADER = ["id", "repo", "fix_commit", "parent_commit", "scan_root", "file",
               "buggy_lines", "shape", "description", "reference", "negative_lines"]
PROJECTS_HEADER = ["name", "repo", "commit", "scan_root", "kind"]
JUDGED_HEADER = ["project", "path", "line", "code", "confidence", "verdict", "class", "reason"]

SHAPES = ["RA%03d" % i for i in range(1, 9)]
CONFIDENCES = ["high", "medium", "low"]
VERDICTS = ["real", "plausible", "false"]
SETTINGS = {"default": [], "low": ["--min-confidence", "low"]}
RECALL_WINDOW = 2  # a finding within this many lines of a buggy site finds the row

HEX40 = re.compile(r"^[0-9a-f]{40}$")
REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Fail(Exception):
    """An error reported as one line on stderr (no traceback)."""


def warn(msg):
    print("run.py: warning: " + msg, file=sys.stderr)


# --------------------------------------------------------------------------- TSV

def read_tsv(path, header):
    """Rows of a TSV file with exactly this header, as (line number, dict)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise Fail("%s: file not found" % path)
    except (OSError, UnicodeDecodeError) as e:
        raise Fail("%s: cannot read: %s" % (path, e))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    if not lines:
        return []  # an empty file: no rows (e.g. an empty judged file)
    got = lines[0].split("\t")
    if got != header:
        raise Fail("%s:1: bad header: expected %r, got %r"
                   % (path, "\t".join(header), lines[0]))
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise Fail("%s:%d: expected %d tab-separated fields, got %d"
                       % (path, n, len(header), len(fields)))
        rows.append((n, dict(zip(header, [x.strip() for x in fields]))))
    return rows


def parse_sites(text, default_file, where, what):
    """'12,14,other/f.py:30' -> [(default_file, 12), (default_file, 14), ('other/f.py', 30)]."""
    sites = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            raise Fail("%s: empty item in %s %r" % (where, what, text))
        path, num = default_file, item
        if ":" in item:
            path, num = item.rsplit(":", 1)
            path = path.strip()
            if not path:
                raise Fail("%s: bad site %r in %s" % (where, item, what))
        try:
            n = int(num)
        except ValueError:
            raise Fail("%s: bad line number %r in %s" % (where, item, what))
        if n < 1:
            raise Fail("%s: line number %d < 1 in %s" % (where, n, what))
        sites.append((path, n))
    return sites


def check_root(root, where):
    r = root.strip("/")
    if not r or ".." in r.split("/"):
        raise Fail("%s: bad scan_root %r" % (where, root))
    return r


def load_bugs(paths, problems=None):
    """Bug rows; with a problems list, a bad row is recorded there and skipped."""
    bugs = []
    seen = {}
    for path in paths:
        for n, r in read_tsv(path, BUGS_HEADER):
            try:
                bugs.append(parse_bug(r, "%s:%d" % (path, n), seen))
            except Fail as e:
                if problems is None:
                    raise
                problems.append(str(e))
    return bugs


def parse_bug(r, where, seen):
    if not r["id"]:
        raise Fail("%s: empty id" % where)
    if not REPO_RE.match(r["repo"]):
        raise Fail("%s: bad repo %r (want OWNER/NAME)" % (where, r["repo"]))
    for k in ("fix_commit", "parent_commit"):
        if not HEX40.match(r[k]):
            raise Fail("%s: %s is not a full 40-hex commit id: %r" % (where, k, r[k]))
    r["scan_root"] = check_root(r["scan_root"], where)
    if not r["file"]:
        raise Fail("%s: empty file" % where)
    r["sites"] = parse_sites(r["buggy_lines"], r["file"], where, "buggy_lines")
    if r["negative_lines"] in ("-", ""):
        r["negatives"] = []
    else:
        r["negatives"] = parse_sites(r["negative_lines"], r["file"], where, "negative_lines")
    r["where"] = where
    r["dup_of"] = seen.get(r["id"])
    seen.setdefault(r["id"], where)
    return r


def load_projects(paths):
    projects = []
    seen = {}
    for path in paths:
        for n, r in read_tsv(path, PROJECTS_HEADER):
            where = "%s:%d" % (path, n)
            if not r["name"]:
                raise Fail("%s: empty name" % where)
            if r["name"] in seen:
                raise Fail("%s: project %r already defined at %s" % (where, r["name"], seen[r["name"]]))
            seen[r["name"]] = where
            if not REPO_RE.match(r["repo"]):
                raise Fail("%s: bad repo %r (want OWNER/NAME)" % (where, r["repo"]))
            if not HEX40.match(r["commit"]):
                raise Fail("%s: commit is not a full 40-hex commit id: %r" % (where, r["commit"]))
            r["scan_root"] = check_root(r["scan_root"], where)
            r["where"] = where
            projects.append(r)
    return projects


def load_judged(paths):
    """{(project, path, line, code): row}; a later duplicate of a key is an error."""
    judged = {}
    for path in paths:
        for n, r in read_tsv(path, JUDGED_HEADER):
            where = "%s:%d" % (path, n)
            try:
                line = int(r["line"])
            except ValueError:
                raise Fail("%s: bad line number %r" % (where, r["line"]))
            if r["verdict"] not in VERDICTS:
                raise Fail("%s: verdict must be one of %s, got %r"
                           % (where, "/".join(VERDICTS), r["verdict"]))
            if r["code"] not in SHAPES:
                raise Fail("%s: bad code %r" % (where, r["code"]))
            key = (r["project"], r["path"], line, r["code"])
            if key in judged:
                raise Fail("%s: %s:%d %s of %s already judged at %s"
                           % (where, r["path"], line, r["code"], r["project"], judged[key]["where"]))
            r["line"] = line
            r["where"] = where
            judged[key] = r
    return judged


# --------------------------------------------------------------------------- git
