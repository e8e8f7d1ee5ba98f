"""Make Debian's pyfakefs importable from interpreters that do not see it.

python3-pyfakefs installs into /usr/lib/python3/dist-packages, which Debian's
own python3 and pypy3 search, but a pyenv or self-built CPython does not.
The directory is appended (lowest priority), so an installed pyfakefs wins.
Passing `--path /usr/lib/python3/dist-packages` to raceaudit does the same.
"""
import sys

DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"

try:
    import pyfakefs  # noqa: F401
except ImportError:
    sys.path.append(DEBIAN_DIST_PACKAGES)
    import pyfakefs  # noqa: F401
