"""Facts setup.py reads from the CMake files, which stay their one source."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def version():
    """The project VERSION of the top-level CMakeLists.txt."""
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(raceaudit VERSION ([0-9]+\.[0-9]+\.[0-9]+)", text)
    if not match:
        raise SystemExit("setup.py: no `project(raceaudit VERSION x.y.z` in CMakeLists.txt")
    return match.group(1)


def npm_pins():
    """[(package, version, sha512)] pinned in cmake/TreeSitter.cmake."""
    text = (ROOT / "cmake" / "TreeSitter.cmake").read_text()
    pins = []
    for package, var in (("tree-sitter", "TREE_SITTER"), ("tree-sitter-python", "TREE_SITTER_PYTHON")):
        ver = re.search(rf'set\(RACEAUDIT_{var}_VERSION "([^"]+)"\)', text)
        sha = re.search(rf'set\(RACEAUDIT_{var}_SHA512\s+"([0-9a-f]+)"\)', text)
        if not ver or not sha:
            raise SystemExit(f"setup.py: cmake/TreeSitter.cmake pins no version/sha512 for {package}")
        pins.append((package, ver.group(1), sha.group(1)))
    return pins
