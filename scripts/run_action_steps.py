#!/usr/bin/python3
"""Runs the `run:` steps of a composite action.yml locally, as the GitHub
runner would (bash --noprofile --norc -eo pipefail, the step's env:, inputs
with their defaults, GITHUB_OUTPUT/GITHUB_PATH/GITHUB_ENV honoured between
steps); `uses:` steps are skipped and named. Only the ${{ }} expressions the
action needs are understood (inputs.*, github.action_path, github.workspace,
runner.temp, steps.ID.outputs.*); any other one, or an `if:` on a run step,
stops with an error rather than being guessed.

    run_action_steps.py ACTION_YML WORKSPACE [NAME=VALUE ...]

Exit status: 0 when every run step passed, else the failing step's status
(2 for a problem with the action file itself).
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class ActionError(Exception):
    pass


class Context:
    def __init__(self, action, action_path, workspace, given, temp):
        self.inputs = {name: str(spec.get("default", "")) for name, spec in (action.get("inputs") or {}).items()}
        unknown = sorted(set(given) - set(self.inputs))
        if unknown:
            raise ActionError(f"no such input: {', '.join(unknown)}")
        self.inputs.update(given)
        self.values = {"github.action_path": action_path, "github.workspace": workspace, "runner.temp": temp}
        self.outputs = {}  # step id -> {name: value}
        self.paths = []
        self.env = {}

    def lookup(self, expr):
        if expr.startswith("inputs."):
            return self.inputs[expr[len("inputs."):]]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        if expr in self.values:
            return self.values[expr]
        raise ActionError(f"expression not understood by this runner: ${{{{ {expr} }}}}")

    def substitute(self, text):
        return EXPR.sub(lambda m: self.lookup(m.group(1)), str(text))


def read_key_values(path):
    pairs = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            if "<<" in line.split("=", 1)[0]:
                raise ActionError(f"multi-line values are not supported: {line}")
            key, sep, value = line.partition("=")
            if not sep:
                raise ActionError(f"not NAME=VALUE: {line}")
            pairs[key] = value
    return pairs


def run_step(ctx, number, step, temp):
    files = {name: os.path.join(temp, f"{name.lower()}-{number}") for name in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV")}
    for path in files.values():
        open(path, "w").close()
    env = dict(os.environ, **ctx.env, **files)
    env.update(RUNNER_TEMP=ctx.values["runner.temp"], GITHUB_WORKSPACE=ctx.values["github.workspace"],
               GITHUB_ACTION_PATH=ctx.values["github.action_path"])
    env.update({key: ctx.substitute(value) for key, value in (step.get("env") or {}).items()})
    env["PATH"] = os.pathsep.join([*reversed(ctx.paths), env["PATH"]])
    script = os.path.join(temp, f"step-{number}.sh")
    with open(script, "w", encoding="utf-8") as out:
        out.write(ctx.substitute(step["run"]))
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                          cwd=ctx.values["github.workspace"], env=env, check=False)
    if "id" in step:
        ctx.outputs[step["id"]] = read_key_values(files["GITHUB_OUTPUT"])
    with open(files["GITHUB_PATH"], encoding="utf-8") as lines:
        ctx.paths += [line.strip() for line in lines if line.strip()]
    ctx.env.update(read_key_values(files["GITHUB_ENV"]))
    return done.returncode


def run_action(action_file, workspace, given):
    with open(action_file, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        raise ActionError("not a composite action (runs.using: composite)")
    with tempfile.TemporaryDirectory(prefix="raceaudit-action-") as temp:
        ctx = Context(action, os.path.dirname(os.path.abspath(action_file)), os.path.abspath(workspace), given, temp)
        for number, step in enumerate(runs.get("steps") or [], 1):
            name = step.get("name", f"step {number}")
            if "uses" in step:
                print(f"run_action_steps: {number} {name}: skipped (uses: {step['uses']})", flush=True)
                continue
            if "if" in step:
                raise ActionError(f"step {number} {name}: `if:` on a run step is not supported")
            if step.get("shell") != "bash":
                raise ActionError(f"step {number} {name}: only shell: bash is supported")
            print(f"run_action_steps: {number} {name}", flush=True)
            status = run_step(ctx, number, step, temp)
            if status != 0:
                print(f"run_action_steps: {number} {name}: failed with exit {status}", flush=True)
                return status
        return 0


def main(argv):
    if len(argv) < 3:
        print("usage: run_action_steps.py ACTION_YML WORKSPACE [NAME=VALUE ...]", file=sys.stderr)
        return 2
    try:
        given = dict(arg.split("=", 1) for arg in argv[3:])
        return run_action(argv[1], argv[2], given)
    except (ActionError, OSError, yaml.YAMLError, ValueError) as problem:
        print(f"run_action_steps: error: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
