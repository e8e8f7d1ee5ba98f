#!/usr/bin/env python3
"""Self-test of bench/accuracy/run.py (run by ctest as accuracy_runner_selftest).

Builds a tiny git repository in a temp dir: a package whose first commit has an
unlocked `self.value += 1` in a class that also owns a lock (RA001) and whose
second commit fixes it with `with self._lock:`. Lays it out as a mirror
(<tmp>/mirrors/test+pkg/repo, a bare clone), writes a one-row bugs file and a
one-project precision set, and runs run.py against it.

Usage: test_run.py [RACEAUDIT_BINARY] [unittest args]; the binary may also come
from the environment variable RACEAUDIT_BINARY. Python 3.9+ standard library.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run.py")
BINARY = os.environ.get("RACEAUDIT_BINARY")

COUNTER_BUGGY = """\
import threading


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def incr(self):
        self.value += 1
        return self.value
"""

COUNTER_FIXED = """\
import threading


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def incr(self):
        with self._lock:
            self.value += 1
            return self.value
"""
BUGGY_LINE = 10     # `self.value += 1` at the parent commit
NEGATIVE_LINE = 11  # the same statement, now under the lock, at the fix commit

SETTINGS_PY = """\
import threading

DEBUG = False
_lock = threading.Lock()
_cache = {}


def enable_debug():
    global DEBUG
    DEBUG = True


def lookup(key):
    if key not in _cache:
        _cache[key] = object()
    return _cache[key]
"""

BUGS_HEADER = ("id\trepo\tfix_commit\tparent_commit\tscan_root\tfile\tbuggy_lines\tshape"
               "\tdescription\treference\tnegative_lines\n")


def sh(args, cwd=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    env.pop("GIT_DIR", None)
    p = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), p.stderr))
    return p.stdout


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class AccuracyRunnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARY or not os.path.isfile(BINARY):
            raise RuntimeError("no raceaudit binary (give it as the first argument or RACEAUDIT_BINARY)")
        cls.tmp = tempfile.mkdtemp(prefix="raceaudit-accuracy-test-")
        work = os.path.join(cls.tmp, "work")
        os.makedirs(work)
        git = lambda *a: sh(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + list(a), cwd=work)
        git("init", "-q")
        # scan_root src/pkg; src/__init__.py is a proper ancestor's __init__.py the export must carry
        write(os.path.join(work, "src", "__init__.py"), "")
        write(os.path.join(work, "src", "pkg", "__init__.py"), "")
        write(os.path.join(work, "src", "pkg", "counter.py"), COUNTER_BUGGY)
        write(os.path.join(work, "src", "pkg", "settings.py"), SETTINGS_PY)
        write(os.path.join(work, "README"), "tiny test repository\n")
        git("add", "-A")
        git("commit", "-q", "-m", "counter")
        cls.parent = git("rev-parse", "HEAD").strip()
        write(os.path.join(work, "src", "pkg", "counter.py"), COUNTER_FIXED)
        git("commit", "-q", "-am", "fix the counter race")
        cls.fix = git("rev-parse", "HEAD").strip()
        cls.mirrors = os.path.join(cls.tmp, "mirrors")
        os.makedirs(os.path.join(cls.mirrors, "test+pkg"))
        sh(["git", "clone", "-q", "--bare", work, os.path.join(cls.mirrors, "test+pkg", "repo")])

        cls.bugs = os.path.join(cls.tmp, "bugs.tsv")
        write(cls.bugs, BUGS_HEADER + cls.bug_row(BUGGY_LINE))
        cls.bad_bugs = os.path.join(cls.tmp, "bugs-bad.tsv")
        write(cls.bad_bugs, BUGS_HEADER + cls.bug_row(999))

        # the direct scan, to know which findings the precision set has
        export = os.path.join(cls.tmp, "direct")
        os.makedirs(export)
        sh(["sh", "-c", "git --git-dir=%s archive %s src | tar -x -C %s"
            % (os.path.join(cls.mirrors, "test+pkg", "repo"), cls.parent, export)])
        out = sh([BINARY, "scan", "--isolated", "--format", "json", "--exit-zero", "-j", "1", "src/pkg"], cwd=export)
        cls.keys = sorted({(f["filename"], f["location"]["row"], f["code"]) for f in json.loads(out)})

        cls.projects = os.path.join(cls.tmp, "projects.tsv")
        write(cls.projects, "name\trepo\tcommit\tscan_root\tkind\n"
              "tiny\ttest/pkg\t%s\tsrc/pkg\ttest\n" % cls.parent)
        cls.judged = os.path.join(cls.tmp, "judged.tsv")
        write(cls.judged, "project\tpath\tline\tcode\tconfidence\tverdict\tclass\treason\n"
              "tiny\tsrc/pkg/counter.py\t%d\tRA001\thigh\treal\t-\tlost update\n"
              "tiny\tsrc/pkg/gone.py\t3\tRA007\tmedium\tfalse\tconfiguration-api\tno longer reported\n"
              "tiny\tsrc/pkg/gone.py\t5\tRA001\thigh\tplausible\t-\tno longer reported\n" % BUGGY_LINE)
        cls.empty = os.path.join(cls.tmp, "empty.tsv")
        write(cls.empty, "")

    @classmethod
    def bug_row(cls, line):
        return "\t".join(["tiny-counter", "test/pkg", cls.fix, cls.parent, "src/pkg", "src/pkg/counter.py",
                          str(line), "RA001", "unlocked counter increment", "commit", str(NEGATIVE_LINE)]) + "\n"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_py(self, *args):
        p = subprocess.run([sys.executable, RUN, "--mirrors", self.mirrors, "--binary", BINARY, "--jobs", "1"]
                           + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        self.assertNotIn("Traceback", p.stderr)
        return p

    def data_args(self, bugs=None, judged=None):
        return ["--bugs", bugs or self.bugs, "--projects", self.projects, "--judged", judged or self.judged]

    def test_scan_sees_the_bug(self):
        self.assertIn(("src/pkg/counter.py", BUGGY_LINE, "RA001"), self.keys)
        self.assertGreaterEqual(len(self.keys), 2, self.keys)

    def test_verify_passes(self):
        p = self.run_py("--verify", "--verbose", *self.data_args())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("self.value += 1", p.stdout)

    def test_verify_fails_on_a_wrong_line(self):
        p = self.run_py("--verify", *self.data_args(bugs=self.bad_bugs))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("999", p.stderr)
        self.assertIn("tiny-counter", p.stderr)

    def test_recall_and_precision(self):
        out = os.path.join(self.tmp, "result.json")
        p = self.run_py("--json", out, *self.data_args())
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            res = json.load(f)
        (row,) = res["bugs"]["rows"]
        self.assertTrue(row["found_default"])
        self.assertTrue(row["found_low"])
        self.assertTrue(row["found_rule"])
        self.assertTrue(row["negatives"])
        self.assertFalse(row["flagged_default"])
        self.assertFalse(row["flagged_low"])
        tot = res["bugs"]["per_shape"]["total"]
        self.assertEqual((tot["rows"], tot["found_default"], tot["negatives"], tot["flagged_default"]), (1, 1, 1, 0))
        self.assertEqual(res["bugs"]["per_shape"]["RA001"]["found_rule"], 1)

        prec = res["precision"]
        c = prec["projects"]["tiny"]
        self.assertEqual(c["findings"], len(self.keys))
        self.assertEqual((c["judged"], c["real"], c["plausible"], c["false"]), (1, 1, 0, 0))
        self.assertEqual(c["not_judged"], len(self.keys) - 1)
        self.assertEqual(c["precision_real"], 1.0)
        self.assertEqual(prec["per_rule"]["RA001"]["real"], 1)
        self.assertEqual(prec["judged_false_still_reported"], 0)
        self.assertEqual(prec["judged_false_no_longer_reported"], 1)
        self.assertEqual([(g["path"], g["line"]) for g in prec["judged_true_no_longer_reported"]],
                         [("src/pkg/gone.py", 5)])
        self.assertEqual(prec["not_judged"], len(self.keys) - 1)

        md = self.run_py("--markdown", *self.data_args())
        self.assertEqual(md.returncode, 0, md.stderr)
        self.assertIn("| RA001 |", md.stdout)

    def test_sample_is_reproducible(self):
        args = ["--sample", "2", "--seed", "7", "--project", "tiny"] + self.data_args(judged=self.empty)
        a = self.run_py(*args)
        b = self.run_py(*args)
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, b.stdout)
        expected = random.Random(7).sample(self.keys, min(2, len(self.keys)))
        got = [l.split("\t") for l in a.stdout.splitlines()]
        self.assertEqual([(g[1], int(g[2]), g[3]) for g in got], expected)
        for g in got:
            self.assertEqual(len(g), 8)
            self.assertEqual(g[0], "tiny")
            self.assertEqual(g[5:], ["", "", ""])
        # judged findings are left out of the sample
        c = self.run_py("--sample", "50", "--seed", "1", *self.data_args())
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertEqual(len(c.stdout.splitlines()), len(self.keys) - 1)
        self.assertNotIn("\t%d\tRA001" % BUGGY_LINE, c.stdout)

    def test_errors_are_one_line(self):
        p = self.run_py("--only", "bugs", "--bugs", os.path.join(self.tmp, "missing.tsv"))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        bad = os.path.join(self.tmp, "bugs-short.tsv")
        write(bad, BUGS_HEADER + "only\ttwo\n")
        p = self.run_py("--only", "bugs", "--bugs", bad)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bugs-short.tsv:2:", p.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
