"""raceaudit: finds thread races in Python code.

The analysis is the `raceaudit` binary, which this package installs on PATH.
The package holds what runs inside the interpreter: ``python -m raceaudit``
(runs the binary), the pytest plugin (``pytest --raceaudit``), the stress
runtime (``raceaudit.stress``) and the confirm probe (``raceaudit.probe``,
copied from src/confirm/driver/raceaudit_probe.py when the wheel is built;
tests written by ``raceaudit confirm --emit-test`` import it).
"""
from raceaudit._binary import find_raceaudit_bin

__all__ = ["find_raceaudit_bin"]
