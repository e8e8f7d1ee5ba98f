"""Accuracy benchmark: git mirrors, exported trees and raceaudit scans of them."""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from accuracy_data import *  # noqa: F401,F403  (constants, Fail, warn)

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
