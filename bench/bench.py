#!/usr/bin/env python3
"""raceaudit benchmark driver (issue 6). Run through bench/run.sh, which builds first.

Measures, on the corpus of every .py file under /usr/lib/python3.11 and
/usr/lib/python3/dist-packages (1x) and on the same files replicated 2x and 4x
in a temporary folder:
  - end-to-end `raceaudit scan` wall time, CPU time, MB/s, files/s, peak RSS,
    at --jobs 1 and --jobs 2 (median of --runs runs);
  - the parse floor (bench/parse_floor.cpp: discover + read + decode +
    tree-sitter parse, same --jobs semantics) and the ratio scan / floor;
  - checks: --jobs 1 and --jobs 2 give identical output (--min-confidence low),
    and no single file crashes, hangs or takes > 2 s;
  - the Google Benchmark micro-benchmarks (bench/micro_bench.cpp).
Prints a Markdown report on stdout; --readme FILE also rewrites the section
between the bench markers of that file.

Wall time and peak RSS come from os.wait4 on each child process. The machine
may be shared: the report records the load average, and CPU time (user+sys) is
given next to wall time because it is much less sensitive to other load.
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT_ROOTS = ["/usr/lib/python3.11", "/usr/lib/python3/dist-packages"]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_measured(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=None):
    """Runs argv; returns (returncode, wall s, cpu s, maxrss KiB, timed_out)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
    timed_out = False
    if timeout is not None:
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                timed_out = True
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
    else:
        pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, timed_out


def machine_info():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": mem_kb / 1024 / 1024,
        "kernel": platform.release(),
        "load": os.getloadavg(),
    }


def compiler_version():
    try:
        return subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except OSError:
        return "unknown"


def git_describe(src):
    try:
        head = subprocess.run(["git", "-C", src, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", src, "status", "--porcelain", "--untracked-files=no", "src"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (src/ has uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def make_copies(floor, roots, dest, copies):
    """Copies the discovered files of `roots` into dest/copy{k}/r{i}_{name}/ for k < copies.
    copy{k}/ and each r{i}_{name}/ get an empty __init__.py so that every copy's
    module names are distinct (copy1.r0_python3_11.typing ...)."""
    files = subprocess.run([floor, "--list", *roots], capture_output=True, text=True, check=True).stdout.split("\n")
    files = [f for f in files if f]
    out = []
    for k in range(copies):
        top = os.path.join(dest, f"copy{k}")
        os.makedirs(top, exist_ok=True)
        open(os.path.join(top, "__init__.py"), "a").close()
        for i, root in enumerate(roots):
            root = os.path.normpath(root)
            sub = os.path.join(top, f"r{i}_" + os.path.basename(root).replace(".", "_").replace("-", "_"))
            os.makedirs(sub, exist_ok=True)
            if not os.path.exists(os.path.join(sub, "__init__.py")):
                open(os.path.join(sub, "__init__.py"), "a").close()
            for f in files:
                if f == root or not f.startswith(root + "/"):
                    continue
                target = os.path.join(sub, os.path.relpath(f, root))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(f, target)  # follows file symlinks, as the scan reads them
        out.append(top)
    return out


def corpus_size(floor, paths):
    files = subprocess.run([floor, "--list", *paths], capture_output=True, text=True, check=True).stdout.split()
    total = 0
    for f in files:
        try:
            total += os.path.getsize(f)
        except OSError:
            pass
    return len(files), total


def fmt_mb(b):
    return b / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--roots", nargs="*", default=DEFAULT_ROOTS)
    ap.add_argument("--scales", default="1,2,4", help="replication factors (1 = the roots themselves)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--no-check", action="store_true", help="skip the determinism and per-file checks")
    ap.add_argument("--no-micro", action="store_true", help="skip the Google Benchmark micro-benchmarks")
    ap.add_argument("--keep-corpus", action="store_true")
    ap.add_argument("--readme", help="rewrite the bench section of this Markdown file")
    ap.add_argument("--command", default="bench/run.sh", help="the command line to print in the report")
    a = ap.parse_args()

    exe = os.path.join(a.build_dir, "src", "raceaudit")
    floor = os.path.join(a.build_dir, "bench", "raceaudit_parse_floor")
    micro = os.path.join(a.build_dir, "bench", "raceaudit_micro_bench")
    for p in (exe, floor):
        if not os.access(p, os.X_OK):
            sys.exit(f"bench.py: {p} is missing; build with -DRACEAUDIT_BENCH=ON")
    jobs_list = [int(j) for j in a.jobs.split(",")]
    scales = [int(s) for s in a.scales.split(",")]

    info = machine_info()
    started = datetime.datetime.now(datetime.timezone.utc)
    tmp = tempfile.mkdtemp(prefix="raceaudit-bench-")
    report = []
    try:
        corpora = []  # (label, paths)
        corpora.append(("1x", a.roots))
        extra = max(scales)
        if extra > 1:
            log(f"copying the corpus {extra}x into {tmp} ...")
            copies = make_copies(floor, a.roots, tmp, extra)
            corpora.append(("1x copy", copies[:1]))  # same layout as 2x/4x: the growth baseline
            for s in scales:
                if s > 1:
                    corpora.append((f"{s}x", copies[:s]))

        rows = []
        for label, paths in corpora:
            nfiles, nbytes = corpus_size(floor, paths)
            for j in jobs_list:
                scan_argv = [exe, "scan", "--jobs", str(j), "--exit-zero", "--quiet", "--output-file", "/dev/null",
                             "--color", "never", *paths]
                floor_argv = [floor, "--jobs", str(j), *paths]
                s_wall, s_cpu, s_rss, f_wall, f_cpu, f_rss = [], [], [], [], [], []
                for r in range(a.runs):
                    rc, w, c, m, _ = run_measured(scan_argv)
                    if rc != 0:
                        sys.exit(f"bench.py: scan failed with exit code {rc}: {' '.join(scan_argv)}")
                    s_wall.append(w); s_cpu.append(c); s_rss.append(m)
                    rc, w, c, m, _ = run_measured(floor_argv)
                    if rc != 0:
                        sys.exit(f"bench.py: parse floor failed with exit code {rc}")
                    f_wall.append(w); f_cpu.append(c); f_rss.append(m)
                    log(f"  {label} jobs={j} run {r + 1}/{a.runs}: scan {s_wall[-1]:.2f}s "
                        f"floor {f_wall[-1]:.2f}s load {os.getloadavg()[0]:.1f}")
                med = statistics.median
                rows.append(dict(label=label, files=nfiles, bytes=nbytes, jobs=j,
                                 s_wall=med(s_wall), s_cpu=med(s_cpu), s_rss=max(s_rss),
                                 f_wall=med(f_wall), f_cpu=med(f_cpu), f_rss=max(f_rss),
                                 s_wall_all=s_wall, f_wall_all=f_wall))

        # Where the 1x --jobs 1 time goes: floor -> + lowering (facts dropped) -> + link, rules, report.
        # `walk` is the floor plus one bare cursor walk over every node: the least
        # a lowering that visits the whole tree through tree-sitter's API costs.
        stage = None
        if rows and rows[0]["label"] == "1x" and rows[0]["jobs"] == 1:
            cpu = {"walk": [], "lower": []}
            for r in range(a.runs):
                for name in cpu:
                    rc, w, c, m, _ = run_measured([floor, "--stage", name, "--jobs", "1", *a.roots])
                    cpu[name].append(c)
            stage = {name: statistics.median(v) for name, v in cpu.items()}
        finished_load = os.getloadavg()
        report.append(f"Measured {started:%Y-%m-%d %H:%M} UTC on a **shared** machine: {info['nproc']} cores "
                      f"({info['cpu']}), {info['ram_gib']:.1f} GiB RAM, Linux {info['kernel']}, "
                      f"{compiler_version()}, Release build (-O3). Load average {info['load'][0]:.1f} at the start "
                      f"and {finished_load[0]:.1f} at the end (other people's jobs; wall times are noisy when it "
                      f"is above ~1, CPU (user+sys) times much less). Commit {git_describe(a.source_dir)}. "
                      f"Median of {a.runs} runs; peak RSS is the largest of the runs.")
        report.append("")
        report.append(f"Command: `{a.command}`")
        report.append("")
        report.append("| corpus | files | MB | jobs | scan wall s | MB/s | files/s | scan CPU s | floor wall s | "
                      "floor CPU s | scan/floor wall | scan/floor CPU | scan peak RSS MiB | floor peak RSS MiB |")
        report.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            report.append(
                f"| {r['label']} | {r['files']} | {fmt_mb(r['bytes']):.1f} | {r['jobs']} | {r['s_wall']:.2f} | "
                f"{fmt_mb(r['bytes']) / r['s_wall']:.2f} | {r['files'] / r['s_wall']:.0f} | {r['s_cpu']:.2f} | "
                f"{r['f_wall']:.2f} | {r['f_cpu']:.2f} | {r['s_wall'] / r['f_wall']:.2f} | "
                f"{r['s_cpu'] / r['f_cpu']:.2f} | {r['s_rss'] / 1024:.0f} | {r['f_rss'] / 1024:.0f} |")
        report.append("")
        report.append("`floor` is `raceaudit_parse_floor` (discover + read + decode + blank whole-line comments + "
                      "tree-sitter parse, trees deleted). `1x` scans the roots in place; `1x copy`, `2x`, `4x` are 1, 2 and 4 copies "
                      "in a temporary folder, each copy a package of its own so that module names differ "
                      "(3 empty `__init__.py` files per copy), so `4x / 1x copy` is the like-for-like growth.")
        report.append("")

        def row(label, j):
            for r in rows:
                if r["label"] == label and r["jobs"] == j:
                    return r
            return None

        if stage:
            r = rows[0]
            report.append("Where the time goes (1x, `--jobs 1`, CPU s, medians): "
                          f"parse floor {r['f_cpu']:.2f}; `raceaudit_parse_floor --stage walk` (floor + one bare "
                          f"cursor walk over every node) {stage['walk']:.2f} (+{stage['walk'] - r['f_cpu']:.2f}, "
                          f"{stage['walk'] / r['f_cpu']:.2f}x the floor); `--stage lower` (floor + syntax checks "
                          f"+ lowering, facts dropped) {stage['lower']:.2f} (+{stage['lower'] - r['f_cpu']:.2f}); full scan "
                          f"{r['s_cpu']:.2f} (+{r['s_cpu'] - stage['lower']:.2f} for keeping the facts, linking, rules, "
                          f"fingerprints, report).")
            report.append("")
        report.append("### Targets")
        report.append("")
        report.append("| target | measured | verdict |")
        report.append("|---|---|---|")

        def verdict(ok):
            return "met" if ok else "**missed**"

        r1, r2 = row("1x", 1), row("1x", 2)
        if r1:
            w, c = r1["s_wall"] / r1["f_wall"], r1["s_cpu"] / r1["f_cpu"]
            report.append(f"| (a) scan ≤ 1.25x parse floor, --jobs 1, 1x | wall {w:.2f}x, CPU {c:.2f}x | "
                          f"{verdict(max(w, c) <= 1.25)} |")
        if r1 and r2:
            sp, spf = r1["s_wall"] / r2["s_wall"], r1["f_wall"] / r2["f_wall"]
            busy = max(info["load"][0], finished_load[0]) > 1.0
            note = (f" (machine busy, load up to {max(info['load'][0], finished_load[0]):.1f}: the second core was "
                    f"not free, so this says little)") if busy else ""
            report.append(f"| (b) --jobs 2 ≥ 1.7x faster than --jobs 1, 1x | scan {sp:.2f}x (parse floor alone "
                          f"{spf:.2f}x){note} | {verdict(sp >= 1.7)} |")
        base = row("1x copy", 1) or r1
        r4 = row("4x", 1)
        if base and r4:
            g, gc = r4["s_wall"] / base["s_wall"], r4["s_cpu"] / base["s_cpu"]
            gm = r4["s_rss"] / base["s_rss"]
            gf = r4["f_rss"] / base["f_rss"]
            report.append(f"| (c) 4x corpus ≤ 4.4x the time of 1x, --jobs 1 | wall {g:.2f}x, CPU {gc:.2f}x "
                          f"(vs `{base['label']}`) | {verdict(max(g, gc) <= 4.4)} |")
            per_copy = (r4["s_rss"] - base["s_rss"]) / 3 / 1024
            per_mb = per_copy * 1.048576 / fmt_mb(base["bytes"])
            report.append(f"| (c) peak memory grows with largest file and workers, not corpus size beyond the facts "
                          f"kept for linking | parse floor {base['f_rss'] / 1024:.0f} → {r4['f_rss'] / 1024:.0f} MiB "
                          f"({gf:.2f}x); scan {base['s_rss'] / 1024:.0f} → {r4['s_rss'] / 1024:.0f} MiB ({gm:.2f}x): "
                          f"+{per_copy:.0f} MiB per copy, {per_mb:.1f} bytes kept per byte of source | "
                          f"{verdict(gf <= 1.5)} in shape (only facts + link tables grow); see the memory notes |")
        if r1:
            peak = max(r["s_rss"] for r in rows if r["label"] == "1x")
            report.append(f"| (d) peak memory 1x < 300 MB | {peak / 1024:.0f} MiB ({peak * 1024 / 1e6:.0f} MB) | "
                          f"{verdict(peak * 1024 < 300e6)} |")
        report.append("")

        if not a.no_check:
            report.extend(checks(exe, floor, a.roots, tmp))
        if not a.no_micro and os.access(micro, os.X_OK):
            report.extend(micro_benchmarks(micro))
    finally:
        if not a.keep_corpus:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"corpus kept in {tmp}")

    text = "\n".join(report) + "\n"
    print(text)
    if a.readme:
        with open(a.readme) as f:
            doc = f.read()
        if BEGIN in doc and END in doc:
            doc = doc[: doc.index(BEGIN) + len(BEGIN)] + "\n" + text + doc[doc.index(END):]
        else:
            doc += "\n" + BEGIN + "\n" + text + END + "\n"
        with open(a.readme, "w") as f:
            f.write(doc)
        log(f"updated {a.readme}")


def checks(exe, floor, roots, tmp):
    out = ["### Checks", ""]
    # Same output whatever the number of workers, at the lowest confidence (most findings).
    results = {}
    for label, j in (("1", 1), ("2", 2), ("2 again", 2)):
        o, e = os.path.join(tmp, "out.txt"), os.path.join(tmp, "err.txt")
        with open(e, "w") as ef:
            rc, w, c, m, _ = run_measured([exe, "scan", "--min-confidence", "low", "--jobs", str(j), "--color",
                                           "never", "--output-file", o, *roots], stderr=ef)
        with open(o, "rb") as f:
            body = f.read()
        with open(e, "rb") as f:
            err = f.read()
        results[label] = (rc, body, err)
    same = results["1"] == results["2"] == results["2 again"]
    n = results["1"][1].count(b"\n")
    nerr = results["1"][2].count(b"\n")
    out.append(f"- `scan --min-confidence low` on 1x, `--jobs 1` vs `--jobs 2` (twice): "
               f"{'identical' if same else '**DIFFERENT**'} report and stderr (exit code {results['1'][0]}, "
               f"{n} report lines, {nerr} stderr lines).")
    if not same:
        import difflib
        for label in ("2", "2 again"):
            if results[label] == results["1"]:
                continue
            a_lines = results["1"][1].decode(errors="replace").splitlines()
            b_lines = results[label][1].decode(errors="replace").splitlines()
            diff = list(difflib.unified_diff(a_lines, b_lines, "jobs 1", f"jobs {label}", lineterm="", n=0))
            out.append(f"  First differences, jobs 1 vs jobs {label} (stderr same: "
                       f"{results[label][2] == results['1'][2]}):")
            out.append("  ```")
            out.extend("  " + d for d in diff[:20])
            out.append("  ```")

    # Every file alone: crash, hang (> 60 s wall) or slow (> 2 s CPU).
    files = subprocess.run([floor, "--list", *roots], capture_output=True, text=True, check=True).stdout.split("\n")
    files = [f for f in files if f]
    log(f"scanning {len(files)} files one by one ...")
    timings, bad = [], []
    for f in files:
        rc, w, c, m, to = run_measured([exe, "scan", "--min-confidence", "low", "--jobs", "1", "--exit-zero",
                                        "--quiet", "--output-file", "/dev/null", f], timeout=60)
        timings.append((c, w, m, f))
        if to:
            bad.append(f"hang (killed after 60 s wall): `{f}`")
        elif rc not in (0, 1):
            bad.append(f"exit code {rc}{' (signal)' if rc < 0 else ''}: `{f}`")
    timings.sort(reverse=True)
    slow = [t for t in timings if t[0] > 2.0]
    out.append(f"- Each of the {len(files)} files scanned alone (`--min-confidence low --jobs 1`): "
               f"{len(bad)} crash/hang, {len(slow)} over 2 s CPU.")
    for b in bad:
        out.append(f"  - {b}")
    for c, w, m, f in slow:
        out.append(f"  - over 2 s: {c:.2f} s CPU, {w:.2f} s wall, {m / 1024:.0f} MiB: `{f}`")
    out.append("  Slowest five (CPU s / wall s / peak RSS MiB / bytes):")
    for c, w, m, f in timings[:5]:
        out.append(f"  - {c:.2f} / {w:.2f} / {m / 1024:.0f} / {os.path.getsize(f)}: `{f}`")
    out.append("")
    return out


def micro_benchmarks(micro):
    log("running micro-benchmarks ...")
    p = subprocess.run([micro, "--benchmark_repetitions=5", "--benchmark_display_aggregates_only=true",
                        "--benchmark_min_time=0.2"], capture_output=True, text=True)
    lines = [l for l in p.stdout.splitlines() if "_median" in l or l.startswith("Benchmark") or l.startswith("---")]
    return ["### Micro-benchmarks (Google Benchmark, median of 5 repetitions)", "",
            "`build-bench/bench/raceaudit_micro_bench` (inputs read at run time; see bench/micro_bench.cpp). "
            "LowerText = parse + lower; LowerOnly = lowering of an already parsed tree.", "",
            "```", *lines, "```", ""]


if __name__ == "__main__":
    main()
