"""``python -m raceaudit ARGS``: runs the installed binary with ARGS."""
import os
import sys

from raceaudit._binary import find_raceaudit_bin


def main():
    try:
        binary = find_raceaudit_bin()
    except FileNotFoundError as missing:
        print(f"raceaudit: error: {missing}", file=sys.stderr)
        return 2
    os.execv(binary, [binary, *sys.argv[1:]])
    return 2  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
