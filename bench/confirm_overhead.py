#!/usr/bin/env python3
"""Overhead of raceaudit confirm's probes: workload time unarmed, armed with
the probed sites off the hot path, and armed on the hot path.

    bench/confirm_overhead.py [--python PY ...] [--iterations N]

The workload: 4 threads, each calling a small method N times (the hot path,
a few Python calls per iteration) and a cold method once. "off-path" arms a
pair in the cold method; "on-path" arms a pair in the hot method (every
iteration reaches it; holds stop once the probe's hold budget is spent, 1 s
by default, "on-path, no holds" sets it to 0 to show the tracing cost alone).
Prints seconds (best of 3) and the ratio to unarmed. Numbers, no assertion.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER_DIR = os.path.join(os.path.dirname(HERE), "src", "confirm", "driver")
CHILD = r'''
import sys, threading, time
sys.path.insert(0, sys.argv[1])
import raceaudit_probe as probe
N = int(sys.argv[2])

class Shop(object):
    def __init__(self):
        self.sold = 0
        self.opened = 0
    def price(self, i):
        return (i * 7) % 13 + 1
    def sell(self, i):
        self.sold += self.price(i)  # hot site
    def open(self):
        self.opened += 1  # cold site

def worker(shop, n):
    shop.open()
    for i in range(n):
        shop.sell(i)

def pair(method, text):
    site = probe.Site(__file__, qualname="Shop." + method, source=text, receiver="self")
    return probe.Pair(method, site, site)

def timed(make_probe, n=N, repeat=3):
    best = None
    for _ in range(repeat):
        shop = Shop()
        p = make_probe()
        start = time.perf_counter()
        if p is None:
            probe.run_threads(worker, (shop, n), 4)
        else:
            with p:
                probe.run_threads(worker, (shop, n), 4)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best

# On-path runs are slow (a Python callback per call of the hot method):
# they do N/20 iterations, compared with an unarmed run of the same size.
small = max(1, N // 20)
base = timed(lambda: None)
base_small = timed(lambda: None, small)
hot = lambda budget: probe.Probe([pair("sell", "self.sold += self.price(i)")], budget=budget)
rows = [("unarmed", N, base, base),
        ("off-path", N, timed(lambda: probe.Probe([pair("open", "self.opened += 1")])), base),
        ("on-path, no holds", small, timed(lambda: hot(0), small, 1), base_small),
        ("on-path", small, timed(lambda: hot(1.0), small, 1), base_small)]
name = "%s %s (%s)" % (sys.implementation.name, sys.version.split()[0], probe.mechanism_name())
for label, n, seconds, reference in rows:
    print("%-40s %-18s %8d x4 calls %8.3f s  %6.2fx" % (name, label, n, seconds, seconds / reference))
'''


def main(argv):
    pythons = [argv[i + 1] for i, a in enumerate(argv) if a == "--python"] or [sys.executable]
    iterations = argv[argv.index("--iterations") + 1] if "--iterations" in argv else "200000"
    with tempfile.TemporaryDirectory() as tmp:
        child = os.path.join(tmp, "overhead_workload.py")  # a file: sites are found by source text
        with open(child, "w") as f:
            f.write(CHILD)
        for python in pythons:
            subprocess.call([python, child, DRIVER_DIR, iterations])


if __name__ == "__main__":
    main(sys.argv[1:])
