"""Builds the raceaudit binary with CMake and hands it to setuptools as the
distribution's one script, so that the wheel installs it on PATH (its
.data/scripts/, as ruff's wheel does). The pybind11 cmake_example recipe,
for an executable instead of an extension module.

Release, only the `raceaudit` target, no tests, RACEAUDIT_STATIC_DEPS=ON (only
libc is linked shared), in setuptools' build_temp. CMAKE_ARGS (environment)
adds configure arguments; CMAKE_BUILD_PARALLEL_LEVEL sets the job count.
"""
import os
import pathlib
import shlex
import shutil
import subprocess

from distutils.errors import DistutilsExecError
from distutils.command.build_scripts import build_scripts

from pysetup.project_files import ROOT


def _run(argv):
    print("+ " + shlex.join(argv), flush=True)
    if subprocess.run(argv, check=False).returncode != 0:
        raise DistutilsExecError(f"`{shlex.join(argv[:2])} ...` failed (see its output above)")


class BuildBinary(build_scripts):
    """build_scripts that compiles the binary instead of copying scripts."""

    def get_source_files(self):
        return []  # the sources are the whole tree: MANIFEST.in lists them

    def run(self):
        cmake = shutil.which("cmake")
        if not cmake:
            raise DistutilsExecError("CMake is needed to build raceaudit from source (Debian: apt install cmake)")
        build_temp = pathlib.Path(self.get_finalized_command("build").build_temp).resolve() / "cmake"
        configure = [cmake, "-S", str(ROOT), "-B", str(build_temp), "-DCMAKE_BUILD_TYPE=Release",
                     "-DBUILD_TESTING=OFF", "-DRACEAUDIT_STATIC_DEPS=ON"]
        if shutil.which("ninja") and not (build_temp / "Makefile").exists():
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        _run(configure)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        _run([cmake, "--build", str(build_temp), "--target", "raceaudit", "-j", jobs])
        self.mkpath(self.build_dir)
        target = os.path.join(self.build_dir, "raceaudit")
        self.copy_file(str(build_temp / "src" / "raceaudit"), target)
        os.chmod(target, 0o755)
        self.outfiles = [target]

