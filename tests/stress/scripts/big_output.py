"""Writes 100 MiB to stdout, then exits 0 (or 3 with the argument "fail", so
that raceaudit shows the kept output): raceaudit must neither block nor keep
it all (it keeps the first and last 64 KiB)."""
import sys

chunk = b"x" * 1023 + b"\n"
out = sys.stdout.buffer
out.write(b"FIRST LINE\n")
for _ in range(100 * 1024 - 1):
    out.write(chunk)
out.write(b"x" * 1012 + b"\nLAST LINE\n")
out.flush()
if sys.argv[1:] == ["fail"]:
    sys.exit(3)
