"""raceaudit probe: directed race confirmation inside the interpreter (TSVD style).

A *pair* is two sites of a suspected race (for a read-modify-write like
``self.n += 1`` both sites are the same statement).  When the probe is armed,
a thread that reaches one site of a pair is held there for a short delay; a
second thread that reaches the other site on the same receiver (the object
named by the finding's target, ``self``, or the module) while the first is
held is an *overlap*: the two accesses can run at once, observed, not
inferred.  The delay adapts: it grows for pairs whose partner arrived just
after a hold ended, and holds become rarer for pairs whose holds never meet
anyone.

Probes are armed on the code objects that contain a site only:
``sys.monitoring`` LINE events enabled with ``set_local_events`` on CPython
3.12+, ``sys.settrace`` with per-frame tracing of the involved code objects
elsewhere (CPython 3.6-3.11, PyPy).

This file is embedded in the raceaudit binary (``raceaudit confirm``) and
shipped as ``raceaudit.probe`` (the tests that ``--emit-test`` writes import
it).  It must run on CPython 3.6+ and PyPy 3 unchanged.
"""
import linecache
import os
import sys
import threading
import time
import traceback

__all__ = ["Site", "Pair", "Probe", "OverlapError", "mechanism_name"]

_THIS_FILE = os.path.normcase(os.path.abspath(__file__))
_THREADING_FILE = os.path.normcase(os.path.abspath(threading.__file__))
_MONITORING_TOOL_IDS = (4, 3, 2, 1)
MAX_STACK_FRAMES = 12


def mechanism_name():
    """'sys.monitoring' on CPython 3.12+, else 'sys.settrace'."""
    if hasattr(sys, "monitoring") and sys.implementation.name == "cpython":
        return "sys.monitoring"
    return "sys.settrace"


def _norm(path):
    return os.path.normcase(os.path.abspath(path))


def _code_lines(code):
    """The line numbers at which code's instructions start."""
    if hasattr(code, "co_lines"):
        return set(line for _, _, line in code.co_lines() if line is not None)
    import dis
    return set(line for _, line in dis.findlinestarts(code))


def _missing_mechanism():
    """One line on what this interpreter lacks, or None."""
    impl = sys.implementation.name
    if impl != "cpython":
        return "sys.monitoring is CPython 3.12+ only: %s uses sys.settrace" % impl
    if sys.version_info < (3, 7):
        return ("sys.monitoring needs CPython 3.12+ and opcode tracing 3.7+: sys.settrace, "
                "read-modify-writes held at the line")
    if sys.version_info < (3, 12):
        return "sys.monitoring needs CPython 3.12+: using sys.settrace"
    return None


def _normalize_source(text):
    """The statement text without its comment, whitespace collapsed."""
    return " ".join(_strip_comment(text).split())


def _strip_comment(text):
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#":
            return text[:i]
    return text


class Site(object):
    """One end of a pair.

    By position: ``Site(file=PATH, line=N[, end_line=M])``; by meaning (what
    emitted tests use, robust to unrelated edits): ``Site(file=SUFFIX,
    qualname="Mount.refund", source="self.used = self.used - nbytes")``.
    ``receiver`` names the object whose identity two threads must share
    (``self``, ``counter``, a module global); ``method`` says the first
    argument is the receiver when ``receiver`` is not a local.
    """

    def __init__(self, file, line=None, end_line=None, qualname=None,
                 source=None, receiver=None, method=None):
        self.file = file
        self.line = line
        self.end_line = end_line or line
        self.qualname = qualname
        self.source = _normalize_source(source) if source else None
        self.receiver = receiver
        if method is None and qualname:
            method = _looks_like_method(qualname)
        self.method = method  # None: the first argument when it is self or cls
        self._abs = _norm(file) if line is not None else None
        self._suffix = os.path.normcase(file).replace("\\", "/").lstrip("./")

    @classmethod
    def from_dict(cls, d):
        return cls(d["file"], d.get("line"), d.get("end_line"), d.get("qualname"),
                   d.get("source"), d.get("receiver"), d.get("method"))

    def describe(self):
        if self.line is not None:
            return "%s:%d" % (self.file, self.line)
        return "%s %s: %s" % (self.file, self.qualname, self.source)

    def lines_in(self, code):
        """The lines of `code` where this site starts (empty: not here)."""
        if self.line is not None:
            return self._lines_by_position(code)
        return self._lines_by_source(code)

    def _lines_by_position(self, code):
        if _norm(code.co_filename) != self._abs:
            return set()
        lines = _code_lines(code)
        if self.line in lines:
            return set([self.line])
        inside = sorted(l for l in lines if self.line <= l <= self.end_line)
        return set(inside[:1])

    def _lines_by_source(self, code):
        filename = os.path.normcase(code.co_filename).replace("\\", "/")
        if not filename.endswith(self._suffix):
            return set()
        if not _qualname_matches(code, self.qualname):
            return set()
        return set(line for line in _code_lines(code)
                   if _normalize_source(linecache.getline(code.co_filename, line)) == self.source)


def _looks_like_method(qualname):
    parts = qualname.split(".")
    return len(parts) >= 2 and parts[-2] != "<locals>"


def _qualname_matches(code, qualname):
    if qualname is None:
        return True
    own = getattr(code, "co_qualname", None)
    if own is not None:
        return own == qualname
    return code.co_name == qualname.split(".")[-1]


def code_qualname(code):
    """co_qualname where it exists (3.11+), else co_name."""
    return getattr(code, "co_qualname", code.co_name)


class Pair(object):
    """Two sites and what the probe saw of them."""

    def __init__(self, name, a, b, hold="both"):
        self.name = name
        self.a = a
        self.b = b
        # "site": hold only at a (b is a check: holding before a check lets
        # nobody past it with stale state); "both": at either end.
        self.hold_ends = (0,) if hold == "site" else (0, 1)
        self.same = (a.describe() == b.describe())
        self.reached = 0
        self.reached_threads = set()
        self.overlaps = 0
        self.stacks = []
        self.holds = 0
        self.hold_time = 0.0
        self.near_misses = 0
        self.codes = [set(), set()]  # qualnames of the code objects of a and b
        self.delay = 0.0
        self.probability = [1.0, 1.0]  # of a hold at each end
        self.active = []  # holds in progress: (thread, end, receiver, stack)
        self.last_release = {}  # (end, receiver) -> time a hold there ended

    def as_dict(self):
        return {"name": self.name, "reached": self.reached,
                "reached_threads": len(self.reached_threads),
                "overlaps": self.overlaps, "stacks": self.stacks,
                "holds": self.holds, "near_misses": self.near_misses,
                "hold_time": round(self.hold_time, 6), "delay": self.delay,
                "site_code": sorted(self.codes[0]), "partner_code": sorted(self.codes[1])}


class OverlapError(AssertionError):
    """Raised by Probe.assert_no_overlap()."""


class Probe(object):
    """Arms the sites of `pairs`; use as a context manager or arm()/disarm().

    delay: first hold, seconds; max_delay: cap of the adaptive growth;
    budget: total hold time per pair (keeps loops over a site bounded).
    """

    def __init__(self, pairs, delay=0.002, max_delay=0.05, budget=1.0,
                 mechanism=None, seed=None):
        self.pairs = list(pairs)
        self.first_delay = delay
        self.max_delay = max_delay
        self.budget = budget
        self.mechanism = mechanism or mechanism_name()
        self.note = None
        self._lock = threading.Lock()
        self._armed = False
        self._code_cache = {}
        self._store_cache = {}
        self._monitored = []
        self._tool = None
        import random
        self._random = random.Random(seed)
        for pair in self.pairs:
            pair.delay = delay

    # -- arming -----------------------------------------------------------
    def __enter__(self):
        self.arm()
        return self

    def __exit__(self, *exc):
        self.disarm()
        return False

    def arm(self):
        if self.mechanism == "sys.monitoring" and not self._arm_monitoring():
            self.mechanism = "sys.settrace"
        if self.mechanism == "sys.settrace":
            self._arm_settrace()
        self._armed = True

    def disarm(self):
        self._armed = False
        if self._tool is not None:
            mon = sys.monitoring
            mon.set_events(self._tool, 0)
            for code in self._monitored:
                mon.set_local_events(self._tool, code, 0)
            mon.register_callback(self._tool, mon.events.LINE, None)
            mon.register_callback(self._tool, mon.events.INSTRUCTION, None)
            mon.register_callback(self._tool, mon.events.PY_START, None)
            mon.free_tool_id(self._tool)
            self._tool = None
        elif self.mechanism == "sys.settrace":
            threading.settrace(None)
            sys.settrace(None)

    def _arm_monitoring(self):
        mon = sys.monitoring
        for tool in _MONITORING_TOOL_IDS:
            try:
                mon.use_tool_id(tool, "raceaudit")
            except ValueError:
                continue
            self._tool = tool
            break
        else:
            self.note = "every sys.monitoring tool id is taken: using sys.settrace"
            return False
        # Events a callback disabled (an earlier probe's DISABLE for code
        # without sites) stay disabled until restarted.
        mon.restart_events()
        mon.register_callback(self._tool, mon.events.PY_START, self._on_monitoring_start)
        mon.register_callback(self._tool, mon.events.LINE, self._on_monitoring_line)
        mon.register_callback(self._tool, mon.events.INSTRUCTION, self._on_monitoring_instruction)
        mon.set_events(self._tool, mon.events.PY_START)
        return True

    def _arm_settrace(self):
        if sys.gettrace() is not None:
            self.note = "a trace function (debugger, coverage) was replaced by the probe"
        elif self.note is None:
            self.note = _missing_mechanism()
        threading.settrace(self._global_trace)
        sys.settrace(self._global_trace)

    def _sites_in(self, code):
        """{line: [(pair, end)]} for the sites in `code` (cached)."""
        found = self._code_cache.get(code)
        if found is None:
            found = {}
            for pair in self.pairs:
                ends = ((pair.a, 0),) if pair.same else ((pair.a, 0), (pair.b, 1))
                for site, end in ends:
                    for line in site.lines_in(code):
                        found.setdefault(line, []).append((pair, end))
                        pair.codes[end].add(code_qualname(code))
            # Stores first: another thread that finds `code` in the cache
            # reads its stores next (the caches are written without a lock).
            self._store_cache[code] = self._stores_of(code, found)
            self._code_cache[code] = found
        return found

    def _stores_of(self, code, found):
        """{offset: [pair]}: where a read-modify-write pair (a == b) is held:
        at the store of its statement, after the read, so that a second
        thread reads the old value too and the lost update manifests."""
        stores = {}
        if self.mechanism == "sys.settrace" and sys.version_info < (3, 7):
            return stores  # no opcode events: held at the line instead
        for line, hits in found.items():
            same = [pair for pair, _ in hits if pair.same]
            offset = _last_store(code, line) if same else None
            if offset is not None:
                stores[offset] = same
        return stores

    # -- sys.monitoring ---------------------------------------------------
    def _on_monitoring_start(self, code, offset):
        if self._sites_in(code):
            events = sys.monitoring.events
            wanted = events.LINE | (events.INSTRUCTION if self._store_cache.get(code) else 0)
            self._monitored.append(code)
            sys.monitoring.set_local_events(self._tool, code, wanted)
        return sys.monitoring.DISABLE

    def _on_monitoring_line(self, code, line):
        hits = self._sites_in(code).get(line)
        if hits and self._armed:
            self._reach(sys._getframe(1), hits)
        elif not hits:
            return sys.monitoring.DISABLE
        return None

    def _on_monitoring_instruction(self, code, offset):
        pairs = self._store_cache.get(code, {}).get(offset)
        if not pairs:
            return sys.monitoring.DISABLE
        if self._armed:
            self._at_store(sys._getframe(1), pairs)
        return None

    # -- sys.settrace -----------------------------------------------------
    def _global_trace(self, frame, event, arg):
        if event == "call" and self._armed and self._sites_in(frame.f_code):
            if self._store_cache.get(frame.f_code):
                frame.f_trace_opcodes = True
            return self._local_trace
        return None

    def _local_trace(self, frame, event, arg):
        if not self._armed:
            return self._local_trace
        if event == "line":
            hits = self._sites_in(frame.f_code).get(frame.f_lineno)
            if hits:
                self._reach(frame, hits)
        elif event == "opcode":
            pairs = self._store_cache.get(frame.f_code, {}).get(frame.f_lasti)
            if pairs:
                self._at_store(frame, pairs)
        return self._local_trace

    # -- holding and overlap ----------------------------------------------
    def _reach(self, frame, hits):
        me = threading.current_thread().ident
        stores = self._store_cache.get(frame.f_code, {})
        held_at_store = set(id(pair) for pairs in stores.values() for pair in pairs)
        for pair, end in hits:
            site = pair.b if end else pair.a
            receiver = _receiver_id(frame, site)
            may_hold = id(pair) not in held_at_store
            hold = self._arrive(pair, end, receiver, me, frame, may_hold)
            if hold is not None:
                self._hold(pair, hold)

    def _at_store(self, frame, pairs):
        me = threading.current_thread().ident
        for pair in pairs:
            receiver = _receiver_id(frame, pair.a)
            with self._lock:
                hold = self._take_hold(pair, 0, receiver, me, frame)
            if hold is not None:
                self._hold(pair, hold)

    def _arrive(self, pair, end, receiver, me, frame, may_hold=True):
        """Counts the arrival, records overlaps; returns a hold to take or None."""
        other = end if pair.same else 1 - end
        now = time.monotonic()
        overlapped = False
        with self._lock:
            pair.reached += 1
            pair.reached_threads.add(me)
            for thread, held_end, held_receiver, held_stack in pair.active:
                if thread != me and held_end == other and held_receiver == receiver:
                    overlapped = True
                    pair.overlaps += 1
                    if not pair.stacks:
                        pair.stacks = [held_stack, _stack(frame)]
            released = pair.last_release.get((other, receiver))
            if released is not None and now - released < 4 * pair.delay and not pair.overlaps:
                pair.near_misses += 1
                pair.delay = min(self.max_delay, pair.delay * 2)
                pair.probability[other] = 1.0
            # The thread that overlaps runs on (as in TSVD): past a check, into
            # the act, while the held thread has yet to act.
            if overlapped or not may_hold:
                return None
            return self._take_hold(pair, end, receiver, me, frame)

    def _take_hold(self, pair, end, receiver, me, frame):
        """Registers a hold (the caller has self._lock) or returns None."""
        if end not in pair.hold_ends or pair.hold_time >= self.budget:
            return None
        if self._random.random() > pair.probability[end]:
            return None
        hold = (me, end, receiver, _stack(frame))
        pair.active.append(hold)
        pair.holds += 1
        return hold

    def _hold(self, pair, hold):
        overlaps_before = pair.overlaps
        delay = pair.delay
        time.sleep(delay)
        with self._lock:
            pair.active.remove(hold)
            pair.hold_time += delay
            pair.last_release[(hold[1], hold[2])] = time.monotonic()
            if pair.overlaps == overlaps_before:
                pair.probability[hold[1]] = max(0.05, pair.probability[hold[1]] * 0.8)

    # -- results ----------------------------------------------------------
    def report(self):
        return {"mechanism": self.mechanism, "note": self.note,
                "pairs": [pair.as_dict() for pair in self.pairs]}

    def overlapping(self):
        return [pair for pair in self.pairs if pair.overlaps]

    def assert_no_overlap(self):
        """Raises OverlapError naming each overlapping pair with both stacks."""
        bad = self.overlapping()
        if bad:
            raise OverlapError("\n".join(describe_overlap(pair) for pair in bad))


def describe_overlap(pair):
    lines = ["race %s: a thread reached %s while another was held at %s (%d overlaps)"
             % (pair.name, pair.b.describe(), pair.a.describe(), pair.overlaps)]
    for title, stack in zip(("held thread", "second thread"), pair.stacks):
        lines.append("  %s:" % title)
        lines.extend("    " + entry for entry in stack)
    return "\n".join(lines)


_STORES = ("STORE_ATTR", "STORE_SUBSCR", "STORE_GLOBAL", "STORE_NAME", "STORE_DEREF", "DELETE_SUBSCR")


def _last_store(code, line):
    """Offset of the last store to shared state on `line` of `code`, or None."""
    import dis
    current = None
    last = None
    for instr in dis.get_instructions(code):
        positions = getattr(instr, "positions", None)
        if positions is not None and positions.lineno is not None:
            current = positions.lineno
        elif getattr(instr, "starts_line", None) not in (None, True, False):
            current = instr.starts_line
        if current == line and instr.opname in _STORES:
            last = instr.offset
    return last


def _receiver_id(frame, site):
    """Identity of the object two threads must share for an overlap."""
    name = site.receiver
    if name:
        local = frame.f_locals
        if name in local:
            return id(local[name])
        if name in frame.f_globals:
            return id(frame.f_globals)
    code = frame.f_code
    method = site.method
    if method is None:
        method = code.co_varnames[:1] in (("self",), ("cls",))
    if method and code.co_argcount:
        return id(frame.f_locals.get(code.co_varnames[0]))
    return id(frame.f_globals)


def _stack(frame):
    entries = []
    for summary in traceback.extract_stack(frame):
        path = _norm(summary.filename)
        if path in (_THIS_FILE, _THREADING_FILE) or os.path.basename(path).startswith("raceaudit_"):
            continue
        entries.append("%s:%d in %s" % (_display_path(summary.filename), summary.lineno, summary.name))
    return entries[-MAX_STACK_FRAMES:]


def _display_path(path):
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


# -- helpers for workloads and emitted tests --------------------------------
def load(spec):
    """'pkg.mod:func.attr' -> the object."""
    import importlib
    module_name, _, attr_path = spec.partition(":")
    obj = importlib.import_module(module_name)
    for part in attr_path.split("."):
        obj = getattr(obj, part)
    return obj


def run_threads(worker, args=(), threads=4):
    """Runs worker(*args) in `threads` threads released by one barrier;
    returns the exceptions they raised (empty when none did)."""
    barrier = threading.Barrier(threads)
    errors = []

    def body():
        try:
            barrier.wait()
            worker(*args)
        except BaseException as exc:  # noqa: B902 - a workload failure, whatever it is
            errors.append(exc)

    pool = [threading.Thread(target=body, name="raceaudit-confirm-%d" % i) for i in range(threads)]
    for thread in pool:
        thread.daemon = True
        thread.start()
    for thread in pool:
        thread.join()
    return errors


def pairs_from(specs):
    """[{"name":..., "site": {...}, "partner": {...}}] -> [Pair]."""
    return [Pair(s["name"], Site.from_dict(s["site"]), Site.from_dict(s["partner"]), s.get("hold", "both"))
            for s in specs]


def force_call(specs, call, setup=None, check=None, threads=4, attempts=3, delay=0.005):
    """What emitted tests run: the workload in `threads` threads with the
    pairs armed, up to `attempts` times or until an overlap; raises
    OverlapError (both stacks) when one is observed. `check` runs after
    each attempt (to clean up: its verdict is not the test's)."""
    worker = load(call)
    make_state = load(setup) if setup else None
    finish = load(check) if check else None
    for _ in range(attempts):
        args = (make_state(),) if make_state else ()
        probe = Probe(pairs_from(specs), delay=delay, budget=0.5)
        with probe:
            run_threads(worker, args, threads)
        if finish is not None:
            finish(*args)
        _verdict(probe, specs)


def force_script(specs, script, attempts=3, delay=0.005):
    """force_call() for a script workload (run as __main__)."""
    import runpy
    for _ in range(attempts):
        probe = Probe(pairs_from(specs), delay=delay, budget=0.5)
        with probe:
            try:
                runpy.run_path(script, run_name="__main__")
            except Exception:  # noqa: B902 - the overlap, not the symptom, is the verdict
                pass
        _verdict(probe, specs)


def _verdict(probe, specs):
    """OverlapError on an overlap; AssertionError when no site was reached
    (a renamed function or edited statement must not pass silently)."""
    probe.assert_no_overlap()
    if not any(pair.reached for pair in probe.pairs):
        raise AssertionError("the workload never reached the probed sites: %s"
                             % ", ".join(str(s["site"].get("qualname")) for s in specs))
