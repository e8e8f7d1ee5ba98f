#!/usr/bin/env python3
"""raceaudit accuracy benchmark runner (bench/accuracy/README.md).

Measures, on real code at pinned commits:
  - recall on publicly fixed race bugs (bugs.tsv): is the racing code flagged at
    the parent of the fix commit, by any rule and by the row's own rule, at the
    default settings and with --min-confidence low;
  - fixed versions flagged: is the same code, now made safe by the fix, still
    flagged at the fix commit (exact line);
  - precision on whole packages (precision/projects.tsv) against the judged
    findings (precision/judged.tsv): real / judged and (real + plausible) /
    judged, per project, per rule and per confidence.
Also draws reproducible samples of unjudged findings (--sample) and checks the
data files against git (--verify).

Each tree is exported from a bare git clone (--mirrors DIR laid out as
DIR/OWNER+NAME/repo, or --clone into --cache DIR) with
`git archive COMMIT SCAN_ROOT | tar -x` plus the __init__.py of every proper
ancestor of the scan root, and scanned from the export dir with
`raceaudit scan --isolated --format json --exit-zero -j N SCAN_ROOT`, so that
file names in the report are repo-relative.

Python 3.9+ standard library only.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from accuracy_data import *  # noqa: E402,F401,F403
from accuracy_trees import *  # noqa: E402,F401,F403
from accuracy_measure import *  # noqa: E402,F401,F403

def table(headers, rows, markdown):
    rows = [[str(x) for x in r] for r in rows]
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    w = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda r: "  ".join(x.ljust(w[i]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(r)).rstrip()
    return "\n".join([fmt(headers), fmt(["-" * x for x in w])] + [fmt(r) for r in rows])


def frac(num, den):
    return "-" if not den else "%d/%d = %.2f" % (num, den, num / den)


def heading(text, markdown, level=2):
    return ("#" * level + " " + text) if markdown else ("== %s ==" % text)


def print_bugs(rows, summary, md):
    out = [heading("Recall on fixed race bugs", md)]
    hdr = ["shape", "rows", "found (default)", "found (low)", "found, own rule (default)",
           "negatives", "fixed flagged (default)", "fixed flagged (low)"]
    body = []
    for s in SHAPES + ["total"]:
        t = summary[s]
        body.append(["**total**" if (md and s == "total") else s, t["rows"],
                     t["found_default"], t["found_low"], t["found_rule"],
                     t["negatives"], t["flagged_default"], t["flagged_low"]])
    out.append(table(hdr, body, md))
    t = summary["total"]
    out.append("")
    out.append("recall: %s at default, %s at low, %s at default with the row's rule; "
               "fixed versions flagged: %s at default, %s at low"
               % (frac(t["found_default"], t["rows"]), frac(t["found_low"], t["rows"]),
                  frac(t["found_rule"], t["rows"]), frac(t["flagged_default"], t["negatives"]),
                  frac(t["flagged_low"], t["negatives"])))
    bullet = "- " if md else "  "
    groups = [
        ("found at default", [r for r in rows if r["found_default"]], "matches_default"),
        ("found only at low", [r for r in rows if r["found_low"] and not r["found_default"]], "matches_low"),
        ("missed", [r for r in rows if not r["found_low"]], None),
        ("fixed version still flagged", [r for r in rows if r["flagged_default"] or r["flagged_low"]], None),
    ]
    for title, rs, key in groups:
        out.append("")
        out.append("%s (%d):" % (title, len(rs)))
        for r in rs:
            if key:
                extra = "; ".join(r[key])
                if not r["found_rule"] and key == "matches_default":
                    extra += "  [not by %s]" % r["shape"]
            elif title.startswith("fixed"):
                extra = "; ".join(r.get("flagged_sites_default") or r.get("flagged_sites_low") or [])
                extra += "" if r["flagged_default"] else "  [low only]"
            else:
                extra = r["file"]
            out.append("%s%s [%s]: %s" % (bullet, "`%s`" % r["id"] if md else r["id"], r["shape"], extra))
    print("\n".join(out))


def print_precision(res, md):
    out = [heading("Precision on whole packages", md)]
    hdr = ["project", "findings", "judged", "real", "plausible", "false", "not judged",
           "real / judged", "(real + plausible) / judged"]
    body = []
    for name, c in res["projects"].items():
        body.append([name, c["findings"], c["judged"], c["real"], c["plausible"], c["false"], c["not_judged"],
                     frac(c["real"], c["judged"]), frac(c["real"] + c["plausible"], c["judged"])])
    t = res["total"]
    body.append(["**total**" if md else "total", t["findings"], t["judged"], t["real"], t["plausible"],
                 t["false"], t["not_judged"], frac(t["real"], t["judged"]),
                 frac(t["real"] + t["plausible"], t["judged"])])
    out.append(table(hdr, body, md))
    for title, d, order in (("per rule", res["per_rule"], SHAPES),
                            ("per confidence", res["per_confidence"], CONFIDENCES)):
        out.append("")
        out.append(heading("Precision " + title, md, 3) if md else "precision %s:" % title)
        keys = list(order) + sorted(k for k in d if k not in order)
        body = [[k, d[k]["findings"], d[k]["judged"], d[k]["real"], d[k]["plausible"], d[k]["false"],
                 frac(d[k]["real"], d[k]["judged"]), frac(d[k]["real"] + d[k]["plausible"], d[k]["judged"])]
                for k in keys]
        out.append(table([title.split()[-1], "findings", "judged", "real", "plausible", "false",
                          "real / judged", "(real + plausible) / judged"], body, md))
    out.append("")
    out.append(heading("False-alarm classes", md, 3) if md else "false-alarm classes:")
    cls = res["false_alarm_classes"]
    out.append(table(["class", "count"], [[k, v] for k, v in cls.items()], md) if cls else "(none)")
    out.append("")
    bullet = "- " if md else "  "
    out.append("judged false but still reported: %d" % res["judged_false_still_reported"])
    out.append("judged false, no longer reported: %d" % res["judged_false_no_longer_reported"])
    gone = res["judged_true_no_longer_reported"]
    out.append("judged real/plausible, no longer reported: %d" % len(gone))
    for g in gone:
        out.append("%s%s %s:%d %s (%s)" % (bullet, g["project"], g["path"], g["line"], g["code"], g["verdict"]))
    out.append("not judged yet: %d" % res["not_judged"])
    print("\n".join(out))


# --------------------------------------------------------------------------- main

def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="run.py", description="raceaudit accuracy benchmark (bench/accuracy/README.md)")
    ap.add_argument("--bugs", action="append", metavar="FILE",
                    help="bugs TSV (repeatable; default bench/accuracy/bugs.tsv)")
    ap.add_argument("--projects", action="append", metavar="FILE",
                    help="precision projects TSV (repeatable; default bench/accuracy/precision/projects.tsv)")
    ap.add_argument("--judged", action="append", metavar="FILE",
                    help="judged findings TSV (repeatable; default bench/accuracy/precision/judged.tsv)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--mirrors", metavar="DIR", help="bare clones laid out as DIR/OWNER+NAME/repo")
    src.add_argument("--clone", action="store_true", help="git clone --bare from GitHub into --cache")
    ap.add_argument("--cache", metavar="DIR", default=os.path.join("~", ".cache", "raceaudit-accuracy"),
                    help="clone cache for --clone (default ~/.cache/raceaudit-accuracy)")
    ap.add_argument("--binary", metavar="PATH", help="raceaudit binary (default build/src/raceaudit)")
    ap.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="raceaudit scan -j N (default 2)")
    ap.add_argument("--only", choices=["bugs", "precision"], help="run one half only")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", metavar="FILE", help="write all numbers as JSON to FILE ('-' for stdout)")
    ap.add_argument("--verify", action="store_true", help="check the data files against git, then exit")
    ap.add_argument("--verbose", "-v", action="store_true", help="with --verify: print each cited line")
    ap.add_argument("--sample", type=int, metavar="N", help="print a sample of N unjudged findings (TSV)")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="seed for --sample (default 1)")
    ap.add_argument("--project", metavar="NAME", help="only this precision project")
    ap.add_argument("--keep", action="store_true", help="keep the temporary export dir (its path goes to stderr)")
    a = ap.parse_args(argv)
    if a.jobs < 1:
        ap.error("--jobs must be at least 1")
    if a.sample is not None and a.sample < 0:
        ap.error("--sample must be >= 0")
    a.cache = os.path.expanduser(a.cache)
    return a


def main(argv=None):
    a = parse_args(argv)
    want_bugs = a.only in (None, "bugs") and a.sample is None
    want_prec = a.only in (None, "precision") or a.sample is not None
    bugs_files = a.bugs or [os.path.join(HERE, "bugs.tsv")]
    proj_files = a.projects or [os.path.join(HERE, "precision", "projects.tsv")]
    judged_files = a.judged or [os.path.join(HERE, "precision", "judged.tsv")]
    parse_problems = [] if a.verify else None
    bugs = load_bugs(bugs_files, parse_problems) if want_bugs else []
    projects = load_projects(proj_files) if want_prec else []
    judged = load_judged(judged_files) if want_prec else {}
    if a.project is not None and want_prec:
        if not any(p["name"] == a.project for p in projects):
            raise Fail("unknown project %r (known: %s)" % (a.project, ", ".join(p["name"] for p in projects)))
        projects = [p for p in projects if p["name"] == a.project]
        judged = dict((k, v) for k, v in judged.items() if k[0] == a.project)
    if a.mirrors and not os.path.isdir(a.mirrors):
        raise Fail("mirrors dir not found: %s" % a.mirrors)
    repos = Repos(mirrors=os.path.abspath(a.mirrors) if a.mirrors else None, clone=a.clone, cache=a.cache)
    if not a.mirrors and not a.clone:
        raise Fail("no source of trees: give --mirrors DIR (bare clones as DIR/OWNER+NAME/repo) or --clone")

    if a.verify:
        problems = parse_problems + verify(bugs, projects, judged, repos, verbose=a.verbose)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("verify: %d problem(s)" % len(problems), file=sys.stderr)
            return 1
        print("verify: %d bug rows, %d projects, %d judged rows: OK" % (len(bugs), len(projects), len(judged)))
        return 0

    binary = find_binary(a.binary)
    tmp = tempfile.mkdtemp(prefix="raceaudit-accuracy-")
    try:
        scanner = Scanner(binary, repos, a.jobs, tmp, verbose=a.verbose)
        if a.sample is not None:
            for r in sample(projects, judged, scanner, a.sample, a.seed, a.project):
                print("\t".join([r[0], r[1], str(r[2]), r[3], str(r[4]), "", "", ""]))
            return 0
        result = {"binary": binary, "recall_window": RECALL_WINDOW}
        if want_bugs:
            rows = run_bugs(bugs, scanner)
            summary = bug_summary(rows)
            result["bugs"] = {"per_shape": summary, "rows": rows}
        if want_prec:
            result["precision"] = run_precision(projects, judged, scanner)
        if a.json != "-":
            if want_bugs:
                print_bugs(result["bugs"]["rows"], result["bugs"]["per_shape"], a.markdown)
            if want_prec:
                if want_bugs:
                    print()
                print_precision(result["precision"], a.markdown)
        if a.json:
            text = json.dumps(result, indent=2, sort_keys=False) + "\n"
            if a.json == "-":
                sys.stdout.write(text)
            else:
                try:
                    with open(a.json, "w", encoding="utf-8") as f:
                        f.write(text)
                except OSError as e:
                    raise Fail("cannot write %s: %s" % (a.json, e))
        return 0
    finally:
        if a.keep:
            print("exports kept in %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("run.py: error: %s" % e, file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("run.py: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # never a traceback: one line, and a hint to report it
        print("run.py: internal error: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(3)
