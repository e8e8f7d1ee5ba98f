"""The setuptools commands setup.py swaps in."""
import glob
import os

from distutils.command.install_scripts import install_scripts

from setuptools import Distribution
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

from pysetup import npm_sources
from pysetup.cmake_binary import BuildBinary
from pysetup.project_files import ROOT

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # only building an sdist: wheel is not needed
    bdist_wheel = None


class BinaryDistribution(Distribution):
    """A distribution whose one script is the compiled binary: not pure."""

    def has_scripts(self):
        return True

    def has_ext_modules(self):
        return True


class InstallBinary(install_scripts):
    """distutils' install_scripts: setuptools' one installs nothing when
    setup() names no script file, and the binary is none."""


class BuildPy(build_py):
    """Also ships the stress driver scripts from src/stress/driver/ (the
    files the binary embeds) in raceaudit/stress/, and the confirm probe
    runtime src/confirm/driver/raceaudit_probe.py as raceaudit/probe.py
    (what tests written by `raceaudit confirm --emit-test` import)."""

    def run(self):
        super().run()
        dest = os.path.join(self.build_lib, "raceaudit", "stress")
        self.mkpath(dest)
        for script in sorted(glob.glob(str(ROOT / "src" / "stress" / "driver" / "*.py"))):
            self.copy_file(script, dest)
        probe = ROOT / "src" / "confirm" / "driver" / "raceaudit_probe.py"
        self.copy_file(str(probe), os.path.join(self.build_lib, "raceaudit", "probe.py"))


class Sdist(sdist):
    """Also puts the pinned tree-sitter tarballs into the sdist."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        npm_sources.copy_into(base_dir)


def command_classes():
    classes = {"build_py": BuildPy, "build_scripts": BuildBinary, "install_scripts": InstallBinary,
               "sdist": Sdist}
    if bdist_wheel is not None:
        class BdistWheel(bdist_wheel):
            """Tagged py3-none-<platform>: the binary needs no particular Python."""

            def get_tag(self):
                _, _, platform = super().get_tag()
                return "py3", "none", platform

        classes["bdist_wheel"] = BdistWheel
    return classes


__all__ = ["BinaryDistribution", "command_classes"]
