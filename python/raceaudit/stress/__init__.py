"""The stress runtime: the scripts `raceaudit stress` runs inside each
interpreter, shipped as files so that other tools can run them too.

They are copied here from src/stress/driver/ when the wheel is built (the
same files the binary embeds; one source in git). The driver runs a workload
in N threads released together and writes the outcome as JSON:

    python -m raceaudit.stress.raceaudit_stress_driver --call MOD:FUNC \\
        --threads 8 --result out.json

See docs/stress.md for the protocol.
"""
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def driver_path():
    """The workload-mode driver script (`--call`, `--setup`, `--check`)."""
    return os.path.join(_HERE, "raceaudit_stress_driver.py")


def bootstrap_path():
    """The script-mode bootstrap (`python -c <its text> ...`)."""
    return os.path.join(_HERE, "raceaudit_stress_bootstrap.py")
