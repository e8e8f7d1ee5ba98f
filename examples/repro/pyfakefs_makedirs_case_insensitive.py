"""Reproducer (b): concurrent directory creation on a case-insensitive fake fs.

With `fs.is_case_sensitive = False`, pyfakefs 4.6.3 resolves every path
component through FakeDirectory._normalized_entryname:

    matching_names = [name for name in self.entries       # iterates the dict (RA003)
                      if name.lower() == pathname_name.lower()]

while FakeDirectory.add_entry inserts into that same dict, and
FakeFilesystem.makedir checks `self.exists(dir_name)` before `add_object`
(check-then-act, RA005) using a case-insensitive lookup, but add_entry's own
duplicate check is case-sensitive (`if path_object_name in self.entries`).

So threads that create directories in the same parent can fail with
"RuntimeError: dictionary changed size during iteration", and two threads that
mkdir "shared3" and "SHARED3" at the same time can both succeed, leaving two
entries that the case-insensitive fs considers the same name (silent). The
inode counter (`self.filesystem.last_ino += 1`, RA001) and the link counts
(`self.st_nlink += 1`) are checked too.

Run:  raceaudit stress examples/repro/pyfakefs_makedirs_case_insensitive.py --python python3 --python pypy3
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _pyfakefs_path  # noqa: E402,F401
from pyfakefs import fake_filesystem  # noqa: E402

THREADS = int(os.environ.get("RACEAUDIT_THREADS", "16"))
ITERATIONS = int(os.environ.get("REPRO_ITERATIONS", "40"))


def worker(index, fake_os, barrier, errors):
    try:
        barrier.wait()
        for k in range(ITERATIONS):
            # The same directory, spelled differently by odd and even threads:
            # on a case-insensitive file system only one mkdir may succeed.
            shared = "/data/shared%d" % k
            try:
                fake_os.mkdir(shared.upper() if index % 2 else shared)
            except FileExistsError:
                pass
            # Different paths, below the shared one and below the common root.
            fake_os.makedirs("%s/t%d/sub" % (shared, index), exist_ok=True)
            fake_os.makedirs("/data/own%d_%d/x" % (index, k))
    except BaseException as exc:  # noqa: B902
        errors.append(exc)


def walk(directory):
    yield directory
    for entry in list(directory.entries.values()):
        if isinstance(entry, fake_filesystem.FakeDirectory):
            for sub in walk(entry):
                yield sub


def check(fs):
    violations = []
    inodes = {}
    for directory in walk(fs.root):
        seen = {}
        for name, entry in directory.entries.items():
            other = seen.get(name.lower())
            if other is not None:
                violations.append("%s holds both %r and %r" % (
                    directory.path, other, name))
            seen[name.lower()] = name
            if entry.st_ino in inodes:
                violations.append("inode %d used by %s and %s" % (
                    entry.st_ino, inodes[entry.st_ino], entry.path))
            inodes[entry.st_ino] = entry.path
        subdirs = sum(1 for e in directory.entries.values()
                      if isinstance(e, fake_filesystem.FakeDirectory))
        # In pyfakefs every add_entry bumps the parent's st_nlink by one, so
        # for a directory below the root: st_nlink == 2 + number of entries.
        if directory is not fs.root:
            expected = 2 + len(directory.entries)
            if directory.st_nlink != expected:
                violations.append("%s: st_nlink %d, expected %d (%d subdirs)" % (
                    directory.path, directory.st_nlink, expected, subdirs))
    return violations


def main():
    fs = fake_filesystem.FakeFilesystem(path_separator="/")
    fs.is_case_sensitive = False
    fake_os = fake_filesystem.FakeOsModule(fs)
    fake_os.mkdir("/data")
    errors = []
    barrier = threading.Barrier(THREADS)
    threads = [threading.Thread(target=worker,
                                args=(i, fake_os, barrier, errors))
               for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("%d of %d threads failed" % (len(errors), THREADS),
              file=sys.stderr)
        raise errors[0]
    violations = check(fs)
    if violations:
        raise AssertionError("%d violations, first: %s" % (
            len(violations), violations[0]))


if __name__ == "__main__":
    main()
