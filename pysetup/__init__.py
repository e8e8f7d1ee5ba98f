"""setup.py's helpers: the CMake build of the binary, the sdist's npm sources."""
