"""Where the installed `raceaudit` binary is (as ruff's ``find_ruff_bin``)."""
import os
import shutil
import sys
import sysconfig

_NAME = "raceaudit"


def _candidate_dirs():
    # The scripts directory of this interpreter's install scheme (a venv's
    # bin/, /usr/local/bin), then the user scheme (pip install --user).
    yield sysconfig.get_path("scripts")
    user_scheme = "nt_user" if os.name == "nt" else "posix_user"
    if user_scheme in sysconfig.get_scheme_names():
        yield sysconfig.get_path("scripts", scheme=user_scheme)
    yield os.path.dirname(sys.executable)


def find_raceaudit_bin():
    """The path of the raceaudit binary; FileNotFoundError when there is none."""
    for directory in _candidate_dirs():
        path = os.path.join(directory, _NAME)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    on_path = shutil.which(_NAME)
    if on_path:
        return on_path
    raise FileNotFoundError(
        "the raceaudit binary is not installed next to this Python "
        "(pip install raceaudit) nor on PATH"
    )
