"""raceaudit: finds thread races in Python code.

The analysis is the `raceaudit` binary, which this package installs on PATH.
The package holds what runs inside the interpreter: ``python -m raceaudit``
(runs the binary), the pytest plugin (``pytest --raceaudit``) and the stress
runtime (``raceaudit.stress``). Confirm probes (issue 14) are not written yet.
"""
from raceaudit._binary import find_raceaudit_bin

__all__ = ["find_raceaudit_bin"]
