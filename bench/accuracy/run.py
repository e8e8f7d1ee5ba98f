#!/usr/bin/env python3
"""raceaudit accuracy benchmark runner (bench/accuracy/README.md).

Measures, on real code at pinned commits:
  - recall on publicly fixed race bugs (bugs.tsv): is the racing code flagged at
    the parent of the fix commit, by any rule and by the row's own rule, at the
    default settings and with --min-confidence low;
  - fixed versions flagged: is the same code, now made safe by the fix, still
    flagged at the fix commit (exact line);
  - precision on whole packages (precision/projects.tsv) against the judged
    findings (precision/judged.tsv): real / judged and (real + plausible) /
    judged, per project, per rule and per confidence.
Also draws reproducible samples of unjudged findings (--sample) and checks the
data files against git (--verify).

Each tree is exported from a bare git clone (--mirrors DIR laid out as
DIR/OWNER+NAME/repo, or --clone into --cache DIR) with
`git archive COMMIT SCAN_ROOT | tar -x` plus the __init__.py of every proper
ancestor of the scan root, and scanned from the export dir with
`raceaudit scan --isolated --format json --exit-zero -j N SCAN_ROOT`, so that
file names in the report are repo-relative.

Python 3.9+ standard library only.
"""
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

def git(gitdir, *args, check=True, binary=False):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    try:
        p = subprocess.run(["git", "--git-dir", gitdir] + list(args), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise Fail("git not found on PATH")
    if check and p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Fail("git %s in %s failed: %s" % (" ".join(args), gitdir, err[-1] if err else "exit %d" % p.returncode))
    if binary:
        return p
    return p.returncode, p.stdout.decode("utf-8", "replace")


class Repos:
    """Finds (or clones) the bare repository of OWNER/NAME."""

    def __init__(self, mirrors=None, clone=False, cache=None):
        self.mirrors = mirrors
        self.clone = clone
        self.cache = cache
        self.found = {}
        self.fetched = set()

    def _mirror_dir(self, repo):
        slug = repo.replace("/", "+")
        cands = [os.path.join(self.mirrors, slug, "repo"), os.path.join(self.mirrors, slug)]
        try:  # GitHub names are case-insensitive
            for e in os.listdir(self.mirrors):
                if e.lower() == slug.lower() and e != slug:
                    cands += [os.path.join(self.mirrors, e, "repo"), os.path.join(self.mirrors, e)]
        except OSError:
            raise Fail("mirrors dir %s not readable" % self.mirrors)
        for c in cands:
            if os.path.isfile(os.path.join(c, "HEAD")) and os.path.isdir(os.path.join(c, "objects")):
                return c
        raise Fail("no mirror of %s: expected a bare clone at %s" % (repo, cands[0]))

    def gitdir(self, repo):
        if repo in self.found:
            return self.found[repo]
        if self.mirrors:
            d = self._mirror_dir(repo)
        elif self.clone:
            d = os.path.join(self.cache, repo.replace("/", "+"), "repo")
            if not os.path.isfile(os.path.join(d, "HEAD")):
                os.makedirs(os.path.dirname(d), exist_ok=True)
                url = "https://github.com/%s" % repo
                print("cloning %s ..." % url, file=sys.stderr)
                p = subprocess.run(["git", "clone", "--bare", "--quiet", url, d],
                                   env=dict(os.environ, GIT_TERMINAL_PROMPT="0"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if p.returncode != 0:
                    shutil.rmtree(d, ignore_errors=True)
                    err = p.stderr.decode("utf-8", "replace").strip().splitlines()
                    raise Fail("cannot clone %s: %s" % (url, err[-1] if err else "exit %d" % p.returncode))
                self.fetched.add(repo)
        else:
            raise Fail("no source of trees: give --mirrors DIR or --clone")
        self.found[repo] = d
        return d

    def has_commit(self, repo, commit):
        d = self.gitdir(repo)
        rc, _ = git(d, "cat-file", "-e", commit + "^{commit}", check=False)
        if rc != 0 and self.clone and not self.mirrors and repo not in self.fetched:
            # an old cache: fetch everything once, then the single commit
            self.fetched.add(repo)
            git(d, "fetch", "--quiet", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*", check=False)
            rc, _ = git(d, "cat-file", "-e", commit + "^{commit}", check=False)
            if rc != 0:
                git(d, "fetch", "--quiet", "origin", commit, check=False)
                rc, _ = git(d, "cat-file", "-e", commit + "^{commit}", check=False)
        return rc == 0

    def need_commit(self, repo, commit, where):
        try:
            self.gitdir(repo)
        except Fail as e:
            raise Fail("%s: %s" % (where, e))
        if not self.has_commit(repo, commit):
            raise Fail("%s: unknown commit %s in %s (%s)" % (where, commit, repo, self.gitdir(repo)))
        return self.gitdir(repo)


def object_type(gitdir, commit, path):
    rc, out = git(gitdir, "cat-file", "-t", "%s:%s" % (commit, path), check=False)
    return out.strip() if rc == 0 else None


def file_lines(gitdir, commit, path):
    """The lines of path at commit, or None when it is not a file there."""
    if object_type(gitdir, commit, path) != "blob":
        return None
    p = git(gitdir, "show", "%s:%s" % (commit, path), binary=True, check=False)
    if p.returncode != 0:
        return None
    return p.stdout.decode("utf-8", "replace").splitlines()


def ancestor_inits(root):
    """__init__.py paths of the proper ancestors of root ('a/b/c' -> __init__.py, a/..., a/b/...)."""
    parts = root.split("/")
    return ["/".join(parts[:i] + ["__init__.py"]) for i in range(len(parts))]


def export_tree(gitdir, commit, root, dest):
    """git archive COMMIT ROOT [ancestor __init__.py...] | tar -x -C dest."""
    os.makedirs(dest)
    rc, out = git(gitdir, "ls-tree", "--name-only", commit, "--", *ancestor_inits(root), check=False)
    inits = [l for l in out.splitlines() if l] if rc == 0 else []
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    arch = subprocess.Popen(["git", "--git-dir", gitdir, "archive", "--format=tar", commit, "--", root] + inits,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    tar = subprocess.Popen(["tar", "-x", "-C", dest], stdin=arch.stdout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    arch.stdout.close()
    _, tar_err = tar.communicate()
    arch_err = arch.stderr.read()
    arch.stderr.close()
    arch.wait()
    if arch.returncode != 0:
        err = arch_err.decode("utf-8", "replace").strip().splitlines()
        raise Fail("git archive %s %s in %s failed: %s" % (commit[:12], root, gitdir, err[-1] if err else "?"))
    if tar.returncode != 0:
        err = tar_err.decode("utf-8", "replace").strip().splitlines()
        raise Fail("tar -x of %s %s failed: %s" % (commit[:12], root, err[-1] if err else "?"))
    if not os.path.isdir(os.path.join(dest, root)):
        raise Fail("scan root %s is not a directory at %s in %s" % (root, commit[:12], gitdir))


# --------------------------------------------------------------------------- scans

class Finding:
    __slots__ = ("code", "filename", "row", "column", "confidence", "message")

    def __init__(self, d):
        self.code = d.get("code")
        fn = d.get("filename") or ""
        while fn.startswith("./"):
            fn = fn[2:]
        self.filename = fn.replace(os.sep, "/")
        loc = d.get("location") or {}
        self.row = int(loc.get("row") or 0)
        self.column = int(loc.get("column") or 0)
        self.confidence = d.get("confidence")
        self.message = d.get("message") or ""

    def site(self):
        return "%s %s:%d" % (self.code, self.filename, self.row)


class Scanner:
    def __init__(self, binary, repos, jobs, tmp, verbose=False):
        self.binary = binary
        self.repos = repos
        self.jobs = jobs
        self.tmp = tmp
        self.verbose = verbose
        self.exports = {}  # (repo, commit, root) -> dir
        self.scans = {}    # (repo, commit, root, setting) -> [Finding]
        self.used_ids = set()

    def export(self, repo, commit, root, ident, where):
        key = (repo, commit, root)
        if key not in self.exports:
            gitdir = self.repos.need_commit(repo, commit, where)
            name = re.sub(r"[^A-Za-z0-9_.+-]", "_", ident)
            base, i = name, 1
            while name in self.used_ids:
                i += 1
                name = "%s.%d" % (base, i)
            self.used_ids.add(name)
            dest = os.path.join(self.tmp, name)
            export_tree(gitdir, commit, root, dest)
            self.exports[key] = dest
        return self.exports[key]

    def scan(self, repo, commit, root, setting, ident, where):
        key = (repo, commit, root, setting)
        if key in self.scans:
            return self.scans[key]
        cwd = self.export(repo, commit, root, ident, where)
        cmd = [self.binary, "scan", "--isolated", "--format", "json", "--exit-zero",
               "-j", str(self.jobs)] + SETTINGS[setting] + [root]
        if self.verbose:
            print("scan %s@%s %s (%s)" % (repo, commit[:12], root, setting), file=sys.stderr)
        try:
            p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise Fail("cannot run %s: %s" % (self.binary, e))
        if p.returncode != 0:
            err = p.stderr.decode("utf-8", "replace").strip().splitlines()
            raise Fail("%s: raceaudit scan of %s@%s %s exited %d: %s"
                       % (where, repo, commit[:12], root, p.returncode, err[-1] if err else ""))
        try:
            data = json.loads(p.stdout.decode("utf-8", "replace"))
        except ValueError as e:
            raise Fail("%s: raceaudit scan of %s@%s %s gave no JSON: %s" % (where, repo, commit[:12], root, e))
        if not isinstance(data, list):
            raise Fail("%s: raceaudit JSON report is not a list" % where)
        findings = [Finding(d) for d in data if isinstance(d, dict)]
        self.scans[key] = findings
        return findings


def find_binary(path):
    if path is None:
        path = os.path.join(REPO_ROOT, "build", "src", "raceaudit")
    if os.sep not in path and not os.path.exists(path):
        w = shutil.which(path)
        if w:
            path = w
    path = os.path.abspath(path)
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise Fail("raceaudit binary not found: %s (build it, or give --binary PATH)" % path)
    return path


# --------------------------------------------------------------------------- bugs

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

def table(headers, rows, markdown):
    rows = [[str(x) for x in r] for r in rows]
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    w = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda r: "  ".join(x.ljust(w[i]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(r)).rstrip()
    return "\n".join([fmt(headers), fmt(["-" * x for x in w])] + [fmt(r) for r in rows])


def frac(num, den):
    return "-" if not den else "%d/%d = %.2f" % (num, den, num / den)


def heading(text, markdown, level=2):
    return ("#" * level + " " + text) if markdown else ("== %s ==" % text)


def print_bugs(rows, summary, md):
    out = [heading("Recall on fixed race bugs", md)]
    hdr = ["shape", "rows", "found (default)", "found (low)", "found, own rule (default)",
           "negatives", "fixed flagged (default)", "fixed flagged (low)"]
    body = []
    for s in SHAPES + ["total"]:
        t = summary[s]
        body.append(["**total**" if (md and s == "total") else s, t["rows"],
                     t["found_default"], t["found_low"], t["found_rule"],
                     t["negatives"], t["flagged_default"], t["flagged_low"]])
    out.append(table(hdr, body, md))
    t = summary["total"]
    out.append("")
    out.append("recall: %s at default, %s at low, %s at default with the row's rule; "
               "fixed versions flagged: %s at default, %s at low"
               % (frac(t["found_default"], t["rows"]), frac(t["found_low"], t["rows"]),
                  frac(t["found_rule"], t["rows"]), frac(t["flagged_default"], t["negatives"]),
                  frac(t["flagged_low"], t["negatives"])))
    bullet = "- " if md else "  "
    groups = [
        ("found at default", [r for r in rows if r["found_default"]], "matches_default"),
        ("found only at low", [r for r in rows if r["found_low"] and not r["found_default"]], "matches_low"),
        ("missed", [r for r in rows if not r["found_low"]], None),
        ("fixed version still flagged", [r for r in rows if r["flagged_default"] or r["flagged_low"]], None),
    ]
    for title, rs, key in groups:
        out.append("")
        out.append("%s (%d):" % (title, len(rs)))
        for r in rs:
            if key:
                extra = "; ".join(r[key])
                if not r["found_rule"] and key == "matches_default":
                    extra += "  [not by %s]" % r["shape"]
            elif title.startswith("fixed"):
                extra = "; ".join(r.get("flagged_sites_default") or r.get("flagged_sites_low") or [])
                extra += "" if r["flagged_default"] else "  [low only]"
            else:
                extra = r["file"]
            out.append("%s%s [%s]: %s" % (bullet, "`%s`" % r["id"] if md else r["id"], r["shape"], extra))
    print("\n".join(out))


def print_precision(res, md):
    out = [heading("Precision on whole packages", md)]
    hdr = ["project", "findings", "judged", "real", "plausible", "false", "not judged",
           "real / judged", "(real + plausible) / judged"]
    body = []
    for name, c in res["projects"].items():
        body.append([name, c["findings"], c["judged"], c["real"], c["plausible"], c["false"], c["not_judged"],
                     frac(c["real"], c["judged"]), frac(c["real"] + c["plausible"], c["judged"])])
    t = res["total"]
    body.append(["**total**" if md else "total", t["findings"], t["judged"], t["real"], t["plausible"],
                 t["false"], t["not_judged"], frac(t["real"], t["judged"]),
                 frac(t["real"] + t["plausible"], t["judged"])])
    out.append(table(hdr, body, md))
    for title, d, order in (("per rule", res["per_rule"], SHAPES),
                            ("per confidence", res["per_confidence"], CONFIDENCES)):
        out.append("")
        out.append(heading("Precision " + title, md, 3) if md else "precision %s:" % title)
        keys = list(order) + sorted(k for k in d if k not in order)
        body = [[k, d[k]["findings"], d[k]["judged"], d[k]["real"], d[k]["plausible"], d[k]["false"],
                 frac(d[k]["real"], d[k]["judged"]), frac(d[k]["real"] + d[k]["plausible"], d[k]["judged"])]
                for k in keys]
        out.append(table([title.split()[-1], "findings", "judged", "real", "plausible", "false",
                          "real / judged", "(real + plausible) / judged"], body, md))
    out.append("")
    out.append(heading("False-alarm classes", md, 3) if md else "false-alarm classes:")
    cls = res["false_alarm_classes"]
    out.append(table(["class", "count"], [[k, v] for k, v in cls.items()], md) if cls else "(none)")
    out.append("")
    bullet = "- " if md else "  "
    out.append("judged false but still reported: %d" % res["judged_false_still_reported"])
    out.append("judged false, no longer reported: %d" % res["judged_false_no_longer_reported"])
    gone = res["judged_true_no_longer_reported"]
    out.append("judged real/plausible, no longer reported: %d" % len(gone))
    for g in gone:
        out.append("%s%s %s:%d %s (%s)" % (bullet, g["project"], g["path"], g["line"], g["code"], g["verdict"]))
    out.append("not judged yet: %d" % res["not_judged"])
    print("\n".join(out))


# --------------------------------------------------------------------------- main

def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="run.py", description="raceaudit accuracy benchmark (bench/accuracy/README.md)")
    ap.add_argument("--bugs", action="append", metavar="FILE",
                    help="bugs TSV (repeatable; default bench/accuracy/bugs.tsv)")
    ap.add_argument("--projects", action="append", metavar="FILE",
                    help="precision projects TSV (repeatable; default bench/accuracy/precision/projects.tsv)")
    ap.add_argument("--judged", action="append", metavar="FILE",
                    help="judged findings TSV (repeatable; default bench/accuracy/precision/judged.tsv)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--mirrors", metavar="DIR", help="bare clones laid out as DIR/OWNER+NAME/repo")
    src.add_argument("--clone", action="store_true", help="git clone --bare from GitHub into --cache")
    ap.add_argument("--cache", metavar="DIR", default=os.path.join("~", ".cache", "raceaudit-accuracy"),
                    help="clone cache for --clone (default ~/.cache/raceaudit-accuracy)")
    ap.add_argument("--binary", metavar="PATH", help="raceaudit binary (default build/src/raceaudit)")
    ap.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="raceaudit scan -j N (default 2)")
    ap.add_argument("--only", choices=["bugs", "precision"], help="run one half only")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", metavar="FILE", help="write all numbers as JSON to FILE ('-' for stdout)")
    ap.add_argument("--verify", action="store_true", help="check the data files against git, then exit")
    ap.add_argument("--verbose", "-v", action="store_true", help="with --verify: print each cited line")
    ap.add_argument("--sample", type=int, metavar="N", help="print a sample of N unjudged findings (TSV)")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="seed for --sample (default 1)")
    ap.add_argument("--project", metavar="NAME", help="only this precision project")
    ap.add_argument("--keep", action="store_true", help="keep the temporary export dir (its path goes to stderr)")
    a = ap.parse_args(argv)
    if a.jobs < 1:
        ap.error("--jobs must be at least 1")
    if a.sample is not None and a.sample < 0:
        ap.error("--sample must be >= 0")
    a.cache = os.path.expanduser(a.cache)
    return a


def main(argv=None):
    a = parse_args(argv)
    want_bugs = a.only in (None, "bugs") and a.sample is None
    want_prec = a.only in (None, "precision") or a.sample is not None
    bugs_files = a.bugs or [os.path.join(HERE, "bugs.tsv")]
    proj_files = a.projects or [os.path.join(HERE, "precision", "projects.tsv")]
    judged_files = a.judged or [os.path.join(HERE, "precision", "judged.tsv")]
    parse_problems = [] if a.verify else None
    bugs = load_bugs(bugs_files, parse_problems) if want_bugs else []
    projects = load_projects(proj_files) if want_prec else []
    judged = load_judged(judged_files) if want_prec else {}
    if a.project is not None and want_prec:
        if not any(p["name"] == a.project for p in projects):
            raise Fail("unknown project %r (known: %s)" % (a.project, ", ".join(p["name"] for p in projects)))
        projects = [p for p in projects if p["name"] == a.project]
        judged = dict((k, v) for k, v in judged.items() if k[0] == a.project)
    if a.mirrors and not os.path.isdir(a.mirrors):
        raise Fail("mirrors dir not found: %s" % a.mirrors)
    repos = Repos(mirrors=os.path.abspath(a.mirrors) if a.mirrors else None, clone=a.clone, cache=a.cache)
    if not a.mirrors and not a.clone:
        raise Fail("no source of trees: give --mirrors DIR (bare clones as DIR/OWNER+NAME/repo) or --clone")

    if a.verify:
        problems = parse_problems + verify(bugs, projects, judged, repos, verbose=a.verbose)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("verify: %d problem(s)" % len(problems), file=sys.stderr)
            return 1
        print("verify: %d bug rows, %d projects, %d judged rows: OK" % (len(bugs), len(projects), len(judged)))
        return 0

    binary = find_binary(a.binary)
    tmp = tempfile.mkdtemp(prefix="raceaudit-accuracy-")
    try:
        scanner = Scanner(binary, repos, a.jobs, tmp, verbose=a.verbose)
        if a.sample is not None:
            for r in sample(projects, judged, scanner, a.sample, a.seed, a.project):
                print("\t".join([r[0], r[1], str(r[2]), r[3], str(r[4]), "", "", ""]))
            return 0
        result = {"binary": binary, "recall_window": RECALL_WINDOW}
        if want_bugs:
            rows = run_bugs(bugs, scanner)
            summary = bug_summary(rows)
            result["bugs"] = {"per_shape": summary, "rows": rows}
        if want_prec:
            result["precision"] = run_precision(projects, judged, scanner)
        if a.json != "-":
            if want_bugs:
                print_bugs(result["bugs"]["rows"], result["bugs"]["per_shape"], a.markdown)
            if want_prec:
                if want_bugs:
                    print()
                print_precision(result["precision"], a.markdown)
        if a.json:
            text = json.dumps(result, indent=2, sort_keys=False) + "\n"
            if a.json == "-":
                sys.stdout.write(text)
            else:
                try:
                    with open(a.json, "w", encoding="utf-8") as f:
                        f.write(text)
                except OSError as e:
                    raise Fail("cannot write %s: %s" % (a.json, e))
        return 0
    finally:
        if a.keep:
            print("exports kept in %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("run.py: error: %s" % e, file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("run.py: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # never a traceback: one line, and a hint to report it
        print("run.py: internal error: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(3)
