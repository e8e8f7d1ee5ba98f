"""setuptools glue for pyproject.toml: the wheel's binary is built by CMake
(pysetup/cmake_binary.py), the version is CMakeLists.txt's."""
import os
import sys

from setuptools import setup

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pysetup.commands import BinaryDistribution, command_classes  # noqa: E402
from pysetup.project_files import version  # noqa: E402

setup(
    version=version(),
    distclass=BinaryDistribution,
    cmdclass=command_classes(),
    # Not build/: that is where CMake builds in a checkout.
    options={"build": {"build_base": "build-python"}},
)
