#!/usr/bin/env python3
"""TraceMalloc benchmark suite: overhead of every variant against the uninstrumented build.

  python3 bench/run.py                        # full run (about 10 minutes), results in bench/results/
  python3 bench/run.py --reps 9 --only churn  # more repetitions of one workload
  python3 bench/run.py --only real            # the real projects' tools only (sources: see bench/real.py)
  python3 bench/run.py --quick --no-peers     # CI smoke: seconds; checks that every variant runs
                                              # and computes the same checksum

Workloads (bench/workloads/): churn (malloc/free), containers (std::map of strings and vectors),
threads (cross-thread frees with 1, 2 and N threads), calls (recursion and virtual calls, no
allocation), parser (a library's read path) and report (tm-report on a large synthetic snapshot
made by bench/report/); and the group real (bench/real.py): real projects' own tools (zstd, jq,
xmllint, xmlwf, yaml-cpp) on generated input, run when scripts/real-projects has fetched their
sources (skipped otherwise).

Each repetition runs every variant of a workload once, in an order rotated from one repetition to
the next, so slow drifts of a shared machine hit all variants alike; ratios are medians of the
per-repetition ratios to the uninstrumented program (`base`).  See docs/performance.md.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import real

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
WORKLOAD_DIR = os.path.join(BENCH_DIR, "workloads")

# Variants, in the order the tables and the plot show them.
#   base       the same clang and flags (-O2 -g), no plugin
#   off        instrumented (pass + runtime), not tracing
#   noss-off   instrumented with TM_CLANG_NO_SHADOW_STACK=1, not tracing
#   tm1/tm16   instrumented, TRACEMALLOC=1 / TRACEMALLOC=16
#   noss-tm1   instrumented without shadow stack, TRACEMALLOC=1
#   tm1-nt     instrumented, TRACEMALLOC=1 TRACEMALLOC_TIMELINE=0 (no timeline sampling)
#   sampled    instrumented, TRACEMALLOC=16 TRACEMALLOC_SAMPLE=524288 (sampled mode, 1 byte in 512 KiB)
#   heaptrack  `heaptrack -o ... base`
#   massif     `valgrind --tool=massif` on base compiled with -gdwarf-4 (massif 3.19 reads no DWARF 5)
#   asan       clang -fsanitize=address, same flags
#   gperftools gperftools' heap profiler: base with its tcmalloc preloaded, HEAPPROFILE=... (every
#              allocation, stacks unwound; Debian's libgoogle-perftools-dev)
#   jemalloc   jemalloc's sampling heap profiler: base with libjemalloc preloaded,
#              MALLOC_CONF=prof:true,lg_prof_sample:19 (one sample per 512 KiB on average)
VARIANTS = ["base", "off", "noss-off", "tm1", "tm1-nt", "tm16", "sampled", "noss-tm1", "heaptrack", "massif",
            "asan", "gperftools", "jemalloc"]
PEER_VARIANTS = {"heaptrack", "massif", "asan", "gperftools", "jemalloc"}
# The preloaded allocators of the gperftools and jemalloc variants.
PRELOADED = {"gperftools": "/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4",
             "jemalloc": "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"}
# Which binary each variant runs, and the environment it adds.
VARIANT_BINARY = {"base": "base", "off": "inst", "noss-off": "noss", "tm1": "inst", "tm1-nt": "inst",
                  "tm16": "inst", "sampled": "inst", "noss-tm1": "noss", "heaptrack": "base", "massif": "dwarf4",
                  "asan": "asan", "gperftools": "base", "jemalloc": "base"}
VARIANT_ENV = {"tm1": {"TRACEMALLOC": "1"},
               "tm1-nt": {"TRACEMALLOC": "1", "TRACEMALLOC_TIMELINE": "0"},
               "tm16": {"TRACEMALLOC": "16"},
               "sampled": {"TRACEMALLOC": "16", "TRACEMALLOC_SAMPLE": "524288"},
               "noss-tm1": {"TRACEMALLOC": "1"}}
# Variables that would change what a run measures if inherited from the caller.
SCRUBBED_ENV = ("TRACEMALLOC", "TRACEMALLOC_DUMP", "TRACEMALLOC_TIMELINE", "TRACEMALLOC_SAMPLE",
                "TRACEMALLOC_SAMPLE_SEED", "TM_BENCH_MEMORY",
                "TM_BENCH_DUMP", "HEAPPROFILE", "HEAP_PROFILE_ALLOCATION_INTERVAL", "MALLOC_CONF",
                "TCMALLOC_SAMPLE_PARAMETER", "LD_PRELOAD", "ASAN_OPTIONS", "TM_CLANG_NO_SHADOW_STACK", "TM_CLANG_STATIC",
                "TM_CLANG_DEBUG")

N_THREADS = max(4, os.cpu_count() or 1)


class Workload:
    def __init__(self, name, source, full_args, quick_args, variants, label=None, count_args=None):
        self.name = name              # the program
        self.label = label or name    # the row in the tables (threads-1, threads-2, ...)
        self.source = source
        self.full_args = full_args
        self.quick_args = quick_args
        self.variants = variants
        # --instructions: sizes cachegrind runs in seconds, same live sets as full_args.
        self.count_args = count_args or quick_args


ALLOC_VARIANTS = ["base", "off", "noss-off", "tm1", "tm1-nt", "tm16", "sampled", "noss-tm1", "heaptrack",
                  "massif", "asan", "gperftools", "jemalloc"]
# massif runs threads one at a time (valgrind serialises them): no information there.
THREAD_VARIANTS = ["base", "off", "tm1", "tm16", "sampled", "noss-tm1", "heaptrack", "asan", "gperftools",
                   "jemalloc"]
OWN_THREAD_VARIANTS = ["base", "off", "tm1", "tm16", "sampled", "noss-tm1"]
# Nothing to trace: tracing on only checks that it costs nothing more than tracing off.
CALL_VARIANTS = ["base", "off", "noss-off", "tm1", "asan"]
# The real projects' tools: their plain and instrumented builds, and the peers that run the plain
# build as it is (ASan would need builds of its own, massif runs for minutes).  gperftools' heap
# profiler is left out: it unwinds every allocation and writes a profile per GiB allocated, 20-30x
# on jq and xmllint, minutes per repetition.
REAL_VARIANTS = ["base", "off", "tm16", "sampled", "heaptrack", "jemalloc"]
for _w in real.REAL_WORKLOADS:
    _w.variants = list(REAL_VARIANTS)

WORKLOADS = [
    Workload("churn", "churn.c", ["5000000", "65536"], ["200000", "4096"], ALLOC_VARIANTS,
             count_args=["500000", "65536"]),
    Workload("containers", "containers.cpp", ["1000000", "65536"], ["50000", "4096"], ALLOC_VARIANTS,
             count_args=["100000", "16384"]),
] + [
    Workload("threads", "threads.c", [str(n), "1000000", "16384"], [str(n), "100000", "2048"],
             THREAD_VARIANTS if n <= 2 else OWN_THREAD_VARIANTS, label="threads-%d" % n,
             count_args=[str(n), "200000", "16384"])
    for n in (1, 2, N_THREADS)
] + [
    # The same work, each block freed by its own thread: glibc's cross-arena
    # free dominates the cross-thread rows; this row shows the tracer's scaling.
    Workload("threads", "threads.c", ["2", "1000000", "16384", "local"], ["2", "100000", "2048", "local"],
             OWN_THREAD_VARIANTS, label="threads-2-local", count_args=["2", "200000", "16384", "local"]),
] + [
    Workload("calls", "calls.cpp", ["32", "50000000", "20000"], ["22", "1000000", "2000"], CALL_VARIANTS,
             count_args=["24", "2000000", "2000"]),
    # A library's read path: iterators, small virtual calls, functions that
    # can allocate and almost never do.
    Workload("parser", "parser.cpp", ["300", "256"], ["10", "64"], CALL_VARIANTS, count_args=["20", "256"]),
] + real.REAL_WORKLOADS
# --only real selects every workload of the group.
GROUPS = {"real": {w.name for w in real.REAL_WORKLOADS}}

REPORT_FULL = {"traces": 10_000_000, "tracebacks": 100_000}
REPORT_QUICK = {"traces": 100_000, "tracebacks": 10_000}
REPORT_COMMANDS = [
    ("top", lambda old, new: ["top", old]),
    ("top-traceback", lambda old, new: ["top", old, "--key-type", "traceback"]),
    ("diff", lambda old, new: ["diff", old, new]),
    ("html", lambda old, new: ["html", new, "-o", html_page_path(new)]),
    ("html-baseline", lambda old, new: ["html", new, "--baseline", old, "-o", html_page_path(new, "-baseline")]),
    ("pprof", lambda old, new: ["pprof", new, "-o", export_path(new, "profile.pb.gz")]),
    ("collapsed", lambda old, new: ["collapsed", new, "-o", export_path(new, "stacks.folded")]),
]


def html_page_path(new, suffix=""):
    """Where the html commands write their page: beside the snapshots."""
    return export_path(new, "report%s.html" % suffix)


def export_path(new, name):
    """Where an export command writes its file: beside the snapshots."""
    return os.path.join(os.path.dirname(new), name)

# (label, description, how to get the value from the summary, comparison, limit)
TARGETS = [
    # Issue 15's table, then the earlier targets that still hold.
    ("churn tm1 instructions", "churn, TRACEMALLOC=1: instructions added per malloc/free pair",
     ("pair_instructions", "churn", "tm1"), "<=", 120),
    ("churn tm1", "churn, TRACEMALLOC=1", ("ratio", "churn", "tm1"), "<=", 1.5),
    ("churn tm16", "churn, TRACEMALLOC=16", ("ratio", "churn", "tm16"), "<=", 1.6),
    ("containers tm1", "containers, TRACEMALLOC=1", ("ratio", "containers", "tm1"), "<=", 1.10),
    ("containers tm16", "containers, TRACEMALLOC=16", ("ratio", "containers", "tm16"), "<=", 1.15),
    ("parser off", "parser (call-heavy C++), instrumented, not tracing", ("ratio", "parser", "off"),
     "<=", 1.03),
    # The worst of the real workloads (each one's figures are in the tables).
    ("real off", "real projects, instrumented, not tracing", ("worst", "real", "off"), "<=", 1.03),
    ("real tm16", "real projects, TRACEMALLOC=16", ("worst", "real", "tm16"), "<=", 1.15),
    ("real sampled", "real projects, TRACEMALLOC=16 TRACEMALLOC_SAMPLE=524288", ("worst", "real", "sampled"),
     "<=", 1.03),
    ("binary size", "inst / plain .text+__tm_sites+relocations, worst", ("size", "counted"),
     "<=", 1.3),
    ("scaling-local tm1", "2 threads / 1, tracing exact, own-thread frees, relative to the plain program's",
     ("relative_scaling", "local", "tm1"), ">=", 0.9),
    ("churn sampled", "churn, TRACEMALLOC_SAMPLE=524288", ("ratio", "churn", "sampled"), "<=", 1.03),
    ("containers sampled", "containers, TRACEMALLOC_SAMPLE=524288", ("ratio", "containers", "sampled"),
     "<=", 1.03),
    ("threads-2 sampled", "threads-2, TRACEMALLOC_SAMPLE=524288", ("ratio", "threads-2", "sampled"),
     "<=", 1.03),
    ("sampled accuracy", "sampled at 64 KiB, lines with >= 5% of live bytes: worst median error (fraction)",
     ("accuracy",), "<=", 0.10),
    ("calls off", "calls, shadow stack compiled in, not tracing", ("ratio", "calls", "off"), "<=", 1.15),
    ("calls noss-off", "calls, built without shadow stack, not tracing", ("ratio", "calls", "noss-off"),
     "<=", 1.02),
    ("churn off", "churn, instrumented, not tracing", ("ratio", "churn", "off"), "<=", 1.02),
    ("containers off", "containers, instrumented, not tracing", ("ratio", "containers", "off"), "<=", 1.02),
    ("threads-2 off", "threads-2, instrumented, not tracing", ("ratio", "threads-2", "off"), "<=", 1.02),
    ("scaling tm1", "throughput 2 threads / 1, cross-thread frees, tm1", ("scaling", "cross", "tm1"), ">=", 1.8),
    ("memory/block", "tracer bytes per live block, nframe=1", ("memory", "tm1"), "<=", 24.0),
    ("report top", "tm-report top, 10M traces (seconds)", ("report", "top"), "<=", 2.0),
    ("report html", "tm-report html, 10M traces (seconds)", ("report", "html"), "<=", 5.0),
    ("report pprof", "tm-report pprof, 10M traces (seconds)", ("report", "pprof"), "<=", 3.0),
    ("report collapsed", "tm-report collapsed, 10M traces (seconds)", ("report", "collapsed"), "<=", 2.0),
    ("html open", "its page: drawn in headless Chromium (seconds)", ("page", "open"), "<=", 2.0),
]


def fail(message):
    sys.exit("bench/run.py: " + message)


# ---------------------------------------------------------------------------
# Building

class Toolchain:
    def __init__(self, build_dir):
        self.build_dir = build_dir
        bin_dir = os.path.join(build_dir, "bin")
        self.tm_clang = os.path.join(bin_dir, "tm-clang")
        self.tm_clangxx = os.path.join(bin_dir, "tm-clang++")
        self.tm_report = os.path.join(bin_dir, "tm-report")
        for tool in (self.tm_clang, self.tm_clangxx):
            if not os.access(tool, os.X_OK):
                fail("%s not found: build the tree first (cmake --build %s)" % (tool, build_dir))
        # The baseline must be compiled by the very clang the wrappers run.
        self.clang = self._wrapped_compiler(self.tm_clang)
        self.clangxx = self._wrapped_compiler(self.tm_clangxx)
        self.llvm_version = self._version(self.clang)

    @staticmethod
    def _wrapped_compiler(wrapper):
        with open(wrapper) as f:
            for line in f:
                match = re.match(r'compiler="([^"]+)"', line.strip())
                if match:
                    return match.group(1)
        fail("cannot find the compiler in %s" % wrapper)

    @staticmethod
    def _version(compiler):
        out = subprocess.run([compiler, "--version"], capture_output=True, text=True).stdout
        match = re.search(r"clang version (\S+)", out)
        return match.group(1) if match else "unknown"


def binaries_needed(workloads, variants_allowed):
    needed = {}
    for w in workloads:
        if isinstance(w, real.RealWorkload):
            continue
        for v in w.variants:
            if v in variants_allowed:
                needed.setdefault(w.name, set()).add(VARIANT_BINARY[v])
    return needed


def build_workloads(tools, out_dir, needed, with_memory_variant):
    """Compile every (program, binary kind) needed; returns {(program, kind): path}."""
    os.makedirs(out_dir, exist_ok=True)
    sources = {w.name: w.source for w in WORKLOADS if not isinstance(w, real.RealWorkload)}
    # A rebuilt pass or runtime must rebuild the instrumented binaries.
    lib_dir = os.path.join(tools.build_dir, "lib")
    inputs = [os.path.join(WORKLOAD_DIR, "bench_common.h"), tools.tm_clang, tools.tm_clangxx] + [
        os.path.join(lib_dir, name) for name in ("TraceMallocPass.so", "libtracemalloc.so")
        if os.path.exists(os.path.join(lib_dir, name))]
    binaries = {}
    for program in sorted(needed):
        kinds = set(needed[program])
        if with_memory_variant and program in ("churn", "containers"):
            kinds.add("mem")
        source = os.path.join(WORKLOAD_DIR, sources[program])
        is_cxx = source.endswith(".cpp")
        for kind in sorted(kinds):
            output = os.path.join(out_dir, "%s.%s" % (program, kind))
            flags = ["-O2", "-g", "-Wall", "-Wextra", "-Werror"]
            env = clean_env()
            if kind == "base":
                compiler = tools.clangxx if is_cxx else tools.clang
            elif kind == "dwarf4":
                compiler = tools.clangxx if is_cxx else tools.clang
                flags = ["-O2", "-gdwarf-4", "-Wall", "-Wextra", "-Werror"]
            elif kind == "asan":
                compiler = tools.clangxx if is_cxx else tools.clang
                flags += ["-fsanitize=address"]
            elif kind in ("inst", "noss", "mem"):
                compiler = tools.tm_clangxx if is_cxx else tools.tm_clang
                if kind == "noss":
                    env["TM_CLANG_NO_SHADOW_STACK"] = "1"
                if kind == "mem":
                    flags += ["-DTM_REPORT_MEMORY"]
            else:
                raise AssertionError(kind)
            command = [compiler] + flags + [source, "-o", output, "-lpthread"]
            binaries[(program, kind)] = output
            if is_up_to_date(output, inputs + [source], command):
                continue
            try:
                # A compiler that corrupted its heap can spin forever instead of crashing.
                result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
            except subprocess.TimeoutExpired:
                fail("building %s took more than 300 s (compiler hung?):\n  %s" % (output, " ".join(command)))
            if result.returncode != 0:
                fail("building %s failed:\n  %s\n%s" % (output, " ".join(command), result.stderr.strip()))
            with open(output + ".cmd", "w") as f:
                f.write(" ".join(command))
    return binaries


def build_all(args, tools, workloads, allowed, log, with_memory_variant):
    """Builds the workloads' programs and the real projects they run; returns the workloads that
    can run (a real one without its project's sources is left out, said in one line) and
    {(program, kind): path}."""
    binaries = build_workloads(tools, os.path.join(tools.build_dir, "bench", "bin"),
                               binaries_needed(workloads, allowed), with_memory_variant)
    real_ones = [w for w in workloads if isinstance(w, real.RealWorkload)]
    if not real_ones:
        return workloads, binaries
    kinds = {VARIANT_BINARY[v] for w in real_ones for v in w.variants if v in allowed}

    def sizes_of(w):
        if args.quick:
            return [w.quick_args[0]]
        if args.instructions:
            return [w.count_args[0]]
        # A full run also counts instructions, on the smaller input.
        return [w.full_args[0], w.count_args[0]]
    try:
        ready = real.prepare(real_ones, tools, args.real_work, kinds, sizes_of, SCRUBBED_ENV, log, clean_env())
    except RuntimeError as error:
        fail(str(error))
    return [w for w in workloads if not isinstance(w, real.RealWorkload) or w in ready], binaries


def is_up_to_date(output, inputs, command):
    """Like make: the binary exists, is newer than every input, and was built
    by the same command (so a changed flag or compiler rebuilds it)."""
    try:
        built = os.path.getmtime(output)
        with open(output + ".cmd") as f:
            if f.read() != " ".join(command):
                return False
        return all(os.path.getmtime(path) < built for path in inputs)
    except OSError:
        return False


# ---------------------------------------------------------------------------
# Running

def clean_env():
    env = dict(os.environ)
    for name in SCRUBBED_ENV:
        env.pop(name, None)
    return env


class RunResult:
    def __init__(self, wall, cpu, max_rss_kib, stdout, stderr):
        self.wall = wall
        self.cpu = cpu
        self.max_rss_kib = max_rss_kib
        self.stdout = stdout
        self.stderr = stderr


def run_measured(argv, extra_env=None, timeout=900, stdout_path=None):
    """Wall time, CPU time (user + sys of the process tree it waited for) and
    peak RSS of one run.  Output goes to files so that wait4 can collect the
    resource usage; with stdout_path, standard output is left in that file
    (RunResult.stdout is then empty)."""
    env = clean_env()
    env.update(extra_env or {})
    with (open(stdout_path, "w+b") if stdout_path else tempfile.TemporaryFile()) as out, \
            tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                fail("%s timed out after %d s" % (" ".join(argv), timeout))
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = "" if stdout_path else out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        fail("%s exited with %d:\n%s" % (" ".join(argv), proc.returncode, stderr.strip()[-2000:]))
    return RunResult(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout, stderr)


CHECKSUM_RE = re.compile(r"^\w+ checksum=.*$", re.M)


def command_for(workload, variant, binaries, args, scratch):
    if isinstance(workload, real.RealWorkload):
        argv = real.argv_of(workload, workload.trees[VARIANT_BINARY[variant]], workload.inputs[args[0]], scratch)
    else:
        argv = [binaries[(workload.name, VARIANT_BINARY[variant])]] + args
    if variant == "heaptrack":
        return ["heaptrack", "-o", os.path.join(scratch, "heaptrack.%s" % workload.label)] + argv
    if variant == "massif":
        return ["valgrind", "--tool=massif", "-q",
                "--massif-out-file=" + os.path.join(scratch, "massif.%s" % workload.label)] + argv
    if variant == "gperftools":
        return ["env", "LD_PRELOAD=" + PRELOADED[variant],
                "HEAPPROFILE=" + os.path.join(scratch, "gperftools.%s" % workload.label)] + argv
    if variant == "jemalloc":
        return ["env", "LD_PRELOAD=" + PRELOADED[variant],
                "MALLOC_CONF=prof:true,lg_prof_sample:19,prof_final:true,prof_prefix:"
                + os.path.join(scratch, "jemalloc.%s" % workload.label)] + argv
    return argv


def clear_dir(path):
    for entry in os.listdir(path):
        os.unlink(os.path.join(path, entry))


def run_variant(workload, variant, binaries, args, scratch, checksums, wrap=()):
    """Runs one variant of a workload (under `wrap`, e.g. cachegrind) and checks that it computed
    what the first variant run computed: the checksum line the program prints or, for a real
    workload, the hash of what it wrote."""
    argv = list(wrap) + command_for(workload, variant, binaries, args, scratch)
    env = dict(VARIANT_ENV.get(variant, {}))
    if isinstance(workload, real.RealWorkload):
        tree = workload.trees[VARIANT_BINARY[variant]]
        env.update(real.env_of(workload, tree))
        stdout_path = os.path.join(scratch, "stdout")
        result = run_measured(argv, env, stdout_path=stdout_path)
        checksum, error = real.output_digest(workload, workload.inputs[args[0]], stdout_path, scratch,
                                             under_heaptrack=variant == "heaptrack")
        if error:
            fail("%s: %s" % (" ".join(argv)[:500], error))
    else:
        result = run_measured(argv, env)
        match = CHECKSUM_RE.search(result.stdout)
        if not match:
            fail("%s printed no checksum:\n%s" % (" ".join(argv), result.stdout[-1000:]))
        checksum = match.group(0)
    clear_dir(scratch)
    expected = checksums.setdefault(workload.label, (checksum, variant))
    if checksum != expected[0]:
        fail("%s %s computed '%s', %s computed '%s'" % (workload.label, variant, checksum, expected[1], expected[0]))
    return result


def run_workloads(workloads, binaries, reps, peer_reps, quick, scratch, log):
    """samples[label][variant] = list of (wall, cpu, rss) per repetition, in
    repetition order, so ratios can pair runs of the same repetition."""
    samples = {w.label: {v: [] for v in w.variants} for w in workloads}
    checksums = {}
    for rep in range(reps):
        for w in workloads:
            args = w.quick_args if quick else w.full_args
            # Rotate the order so no variant always runs right after another.
            # Peers cost 3-50x: their ratios need fewer repetitions than ours.
            variants = [v for v in w.variants if v not in PEER_VARIANTS or rep < peer_reps]
            shift = rep % len(variants)
            order = variants[shift:] + variants[:shift]
            for variant in order:
                result = run_variant(w, variant, binaries, args, scratch, checksums)
                samples[w.label][variant].append((result.wall, result.cpu, result.max_rss_kib))
            log("rep %d/%d %-12s %s" % (rep + 1, reps, w.label, "  ".join(
                "%s=%.3f" % (v, samples[w.label][v][-1][0]) for v in variants)))
    return samples


COUNTED_VARIANTS = ["base", "off", "noss-off", "tm1", "tm1-nt", "tm16", "sampled", "noss-tm1"]
IREFS_RE = re.compile(r"I\s+refs:\s+([\d,]+)")


def count_instructions(workloads, binaries, quick, scratch, log):
    """counts[label][variant] = instructions executed (valgrind --tool=cachegrind):
    exact for one thread, within 0.1% for several, where times are not.  cachegrind leaves glibc's
    allocator alone, so the runtime takes the same paths as in a native run."""
    if shutil.which("valgrind") is None:
        fail("--instructions needs valgrind (Debian package valgrind)")
    counts = {}
    checksums = {}
    cachegrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    for w in workloads:
        args = w.quick_args if quick else w.count_args
        counts[w.label] = {}
        for variant in (v for v in w.variants if v in COUNTED_VARIANTS):
            result = run_variant(w, variant, binaries, args, scratch, checksums, wrap=cachegrind)
            match = IREFS_RE.search(result.stderr)
            if not match:
                fail("%s %s: no instruction count in:\n%s" % (w.label, variant, result.stderr[-1000:]))
            counts[w.label][variant] = int(match.group(1).replace(",", ""))
        base = counts[w.label].get("base")
        log("%-16s %s" % (w.label, "  ".join(
            "%s=%.1fM (%.3f)" % (v, n / 1e6, n / base if base else float("nan"))
            for v, n in counts[w.label].items())))
    return counts


def format_instruction_table(counts, workloads, args_of):
    variants = [v for v in COUNTED_VARIANTS if any(v in counts[w.label] for w in workloads)]
    lines = ["Instructions executed (valgrind --tool=cachegrind), ratio to the uninstrumented build:",
             "",
             "| workload | arguments | base | " + " | ".join(variants[1:]) + " |",
             "|---|---|---:|" + "---:|" * (len(variants) - 1)]
    for w in workloads:
        row = counts[w.label]
        base = row.get("base")
        cells = ["%.1f M" % (base / 1e6) if base else "–"]
        for v in variants[1:]:
            cells.append("%.3f×" % (row[v] / base) if v in row and base else "–")
        # A | inside a code span still ends a Markdown table cell.
        lines.append("| %s | `%s` | %s |" % (w.label, " ".join(args_of(w)).replace("|", "\\|"), " | ".join(cells)))
    return "\n".join(lines)


def median_ratio(numerators, denominators):
    return statistics.median(n / d for n, d in zip(numerators, denominators) if d > 0)


def summarise(samples):
    summary = {}
    for label, per_variant in samples.items():
        base = per_variant["base"]
        rows = {}
        for variant, runs in per_variant.items():
            if not runs:
                continue
            rows[variant] = {
                "wall_s": statistics.median(r[0] for r in runs),
                "cpu_s": statistics.median(r[1] for r in runs),
                "max_rss_kib": statistics.median(r[2] for r in runs),
                "wall_ratio": median_ratio([r[0] for r in runs], [b[0] for b in base]),
                "cpu_ratio": median_ratio([r[1] for r in runs], [b[1] for b in base]),
                "rss_ratio": median_ratio([r[2] for r in runs], [b[2] for b in base]),
                "reps": len(runs),
            }
        summary[label] = rows
    return summary


def thread_scaling(samples):
    """Throughput with 2 threads over throughput with 1 (each thread does the
    same work, so it is 2 * t1 / t2), median over repetitions: "wall" is the
    target's measure; "cpu" (2 * cpu1 / cpu2) is 1.0 when an operation costs
    the same CPU time with 2 threads as with 1, whatever else runs on the
    machine, so it separates contention in the tracer from a busy machine."""
    scaling = {}
    one = samples.get("threads-1")
    for mode, label in (("cross", "threads-2"), ("local", "threads-2-local")):
        two = samples.get(label)
        if not one or not two:
            continue
        for variant in one:
            if one[variant] and two.get(variant):
                scaling.setdefault(mode, {})[variant] = {
                    "wall": statistics.median(2 * a[0] / b[0] for a, b in zip(one[variant], two[variant])),
                    "cpu": statistics.median(2 * a[1] / b[1] for a, b in zip(one[variant], two[variant])),
                }
    return scaling


# ---------------------------------------------------------------------------
# Binary size: what instrumentation adds to the file a user ships

SHT_NOBITS = 8
SHF_ALLOC = 0x2
# The binary kinds compared: the plain build and the instrumented one.
SIZE_KINDS = ("base", "inst")


def elf_sizes(path):
    """Bytes of .text, of the site records (__tm_sites), of the dynamic
    relocations (.rela.dyn, .rela.plt) and of everything loaded from the
    file (sections with SHF_ALLOC and contents: not .bss, not debug info)
    of a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail("%s is not a 64-bit little-endian ELF file" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_at = headers[shstrndx][4]
    sizes = {"text": 0, "sites": 0, "rela_dyn": 0, "rela_plt": 0, "loaded": 0}
    for name_offset, kind, flags, _addr, _offset, size in headers:
        name = data[names_at + name_offset:data.index(b"\0", names_at + name_offset)].decode()
        key = {".text": "text", "__tm_sites": "sites", ".rela.dyn": "rela_dyn", ".rela.plt": "rela_plt"}.get(name)
        if key:
            sizes[key] += size
        if flags & SHF_ALLOC and kind != SHT_NOBITS:
            sizes["loaded"] += size
    # The figure of the target: code, site records and what the loader patches.
    sizes["counted"] = sizes["text"] + sizes["sites"] + sizes["rela_dyn"] + sizes["rela_plt"]
    return sizes


def measure_sizes(binaries):
    """sizes[program] = {"base": elf_sizes, "inst": elf_sizes, "counted_ratio", "loaded_ratio"}
    for every program built both plain and instrumented."""
    sizes = {}
    for program in sorted({p for p, _ in binaries}):
        if not all((program, kind) in binaries for kind in SIZE_KINDS):
            continue
        entry = {kind: elf_sizes(binaries[(program, kind)]) for kind in SIZE_KINDS}
        for figure in ("counted", "loaded"):
            entry[figure + "_ratio"] = entry["inst"][figure] / entry["base"][figure]
        sizes[program] = entry
    return sizes


# ---------------------------------------------------------------------------
# Tracer memory and dump size (workloads 1 and 2 built with -DTM_REPORT_MEMORY)

def memory_variants(binaries, quick):
    """(program, binary, arguments) of the workloads built with -DTM_REPORT_MEMORY, which dump
    their live set at its fullest."""
    for program in ("churn", "containers"):
        binary = binaries.get((program, "mem"))
        if binary is not None:
            workload = next(w for w in WORKLOADS if w.name == program)
            yield program, binary, workload.quick_args if quick else workload.full_args


def measure_memory(binaries, quick, scratch, tm_report):
    results = {}
    for program, binary, args in memory_variants(binaries, quick):
        for nframe in (1, 16):
            dump = os.path.join(scratch, "%s.%d.tmd" % (program, nframe))
            run = run_measured([binary] + args, {"TRACEMALLOC": str(nframe), "TM_BENCH_MEMORY": "1",
                                                 "TM_BENCH_DUMP": dump})
            match = re.search(r"tracer_memory_bytes=(\d+) live_blocks=(\d+) traced_bytes=(\d+) tracing=(\d)",
                              run.stderr)
            if not match:
                fail("%s printed no tracer memory line:\n%s" % (binary, run.stderr[-1000:]))
            memory, live, traced, tracing = (int(g) for g in match.groups())
            if tracing != 1:
                fail("%s with TRACEMALLOC=%d was not tracing" % (binary, nframe))
            traces = count_traces(tm_report, dump)
            dump_size = os.path.getsize(dump)
            entry = {"program": program, "nframe": nframe, "tracer_memory_bytes": memory,
                     "live_blocks": live, "traced_bytes": traced, "dump_bytes": dump_size,
                     "dump_traces": traces}
            if program == "churn":
                # Every live block is one trace: the program knows exactly how many there are.
                entry["bytes_per_live_block"] = memory / live
                entry["dump_bytes_per_trace"] = dump_size / live
            elif traces:
                entry["bytes_per_live_block"] = memory / traces
                entry["dump_bytes_per_trace"] = dump_size / traces
            results["%s-%d" % (program, nframe)] = entry
            clear_dir(scratch)
    return results


def count_traces(tm_report, dump):
    """Number of traces in a dump, as tm-report counts them (the sum of the
    statistics' counts), or None without tm-report."""
    if not os.access(tm_report, os.X_OK):
        return None
    result = subprocess.run([tm_report, "top", dump, "--key-type", "filename", "--limit", "0",
                             "--format", "json"], capture_output=True, text=True)
    if result.returncode != 0:
        fail("tm-report could not read %s: %s" % (dump, result.stderr.strip()))
    data = json.loads(result.stdout)
    stats = data["statistics"] if isinstance(data, dict) else data
    return sum(int(s["count"]) for s in stats)


# ---------------------------------------------------------------------------
# The sampled mode's accuracy: its estimates of each line's live bytes

ACCURACY_RATE = 65536
ACCURACY_SEEDS = 10


def line_sizes(tm_report, dump):
    """{"file:line": size} of a dump's lineno statistics (estimates when it is sampled)."""
    result = subprocess.run([tm_report, "top", dump, "--limit", "0", "--format", "json"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail("tm-report could not read %s: %s" % (dump, result.stderr.strip()))
    sizes = {}
    for stat in json.loads(result.stdout)["statistics"]:
        frame = stat["traceback"][-1]
        sizes["%s:%d" % (frame["filename"], frame["lineno"])] = int(stat["size"])
    return sizes


def measure_accuracy(binaries, quick, scratch, tm_report):
    """For churn and containers at their live set's fullest (the memory variant's dump): the
    exact lines, and for every line holding at least 5% of the live bytes, the median over
    ACCURACY_SEEDS seeds of its estimate at TRACEMALLOC_SAMPLE=ACCURACY_RATE."""
    if not os.access(tm_report, os.X_OK):
        return None
    lines = []
    for program, binary, args in memory_variants(binaries, quick):
        def dump_of(name, env):
            dump = os.path.join(scratch, "%s.%s.tmd" % (program, name))
            run_measured([binary] + args, dict(env, TRACEMALLOC="1", TM_BENCH_DUMP=dump))
            return line_sizes(tm_report, dump)

        exact = dump_of("exact", {})
        total = sum(exact.values())
        estimates = [dump_of("seed%d" % seed, {"TRACEMALLOC_SAMPLE": str(ACCURACY_RATE),
                                               "TRACEMALLOC_SAMPLE_SEED": str(seed)})
                     for seed in range(ACCURACY_SEEDS)]
        clear_dir(scratch)
        for line, size in sorted(exact.items()):
            if size < 0.05 * total:
                continue
            median = statistics.median(e.get(line, 0) for e in estimates)
            lines.append({"program": program, "line": line, "exact_bytes": size,
                          "median_estimate": median, "error": abs(median - size) / size})
    if not lines:
        return None
    return {"rate": ACCURACY_RATE, "seeds": ACCURACY_SEEDS, "lines": lines,
            "worst_median_error": max(l["error"] for l in lines)}


# ---------------------------------------------------------------------------
# Workload 5: tm-report on a large snapshot

def report_dumps(tools, quick, log):
    """The two synthetic snapshots of bench/report/bench_report.py (kept in the
    build tree: generating 10M traces takes a minute)."""
    shape = REPORT_QUICK if quick else REPORT_FULL
    workdir = os.path.join(tools.build_dir, "bench", "report-data",
                           "%d-%d" % (shape["traces"], shape["tracebacks"]))
    old, new = os.path.join(workdir, "old.tmd"), os.path.join(workdir, "new.tmd")
    if os.path.exists(old) and os.path.exists(new):
        return shape, old, new
    log("generating the report snapshots (%d traces, %d tracebacks) with bench/report/bench_report.py"
        % (shape["traces"], shape["tracebacks"]))
    generator = os.path.join(BENCH_DIR, "report", "bench_report.py")
    if not os.path.exists(generator):
        fail("%s is missing: it generates workload 5's snapshots" % generator)
    os.makedirs(workdir, exist_ok=True)
    command = [sys.executable, generator, "--tm-report", tools.tm_report, "--traces", str(shape["traces"]),
               "--tracebacks", str(shape["tracebacks"]), "--repeat", "1", "--no-json",
               "--workdir", workdir]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(old) or not os.path.exists(new):
        fail("%s failed:\n%s%s" % (" ".join(command), result.stdout[-1000:], result.stderr[-1000:]))
    with open(os.path.join(workdir, "bench_report.log"), "w") as f:
        f.write(result.stdout)
    return shape, old, new


def run_report(tools, reps, quick, log):
    shape, old, new = report_dumps(tools, quick, log)
    samples = {name: [] for name, _ in REPORT_COMMANDS}
    for rep in range(reps):
        shift = rep % len(REPORT_COMMANDS)
        for name, make_args in REPORT_COMMANDS[shift:] + REPORT_COMMANDS[:shift]:
            argv = make_args(old, new)
            if "-o" in argv and os.path.exists(argv[argv.index("-o") + 1]):
                os.unlink(argv[argv.index("-o") + 1])
            run = run_measured([tools.tm_report] + argv)
            if "-o" in argv:
                if not os.path.exists(argv[argv.index("-o") + 1]):
                    fail("tm-report %s wrote no file: %s" % (name, run.stderr.strip()))
            elif not run.stdout.strip():
                fail("tm-report %s printed nothing" % name)
            samples[name].append((run.wall, run.cpu, run.max_rss_kib))
        log("rep %d/%d report       %s" % (rep + 1, reps, "  ".join(
            "%s=%.3f" % (name, samples[name][-1][0]) for name, _ in REPORT_COMMANDS)))
    summary = {name: {"wall_s": statistics.median(r[0] for r in runs),
                      "cpu_s": statistics.median(r[1] for r in runs),
                      "max_rss_kib": max(r[2] for r in runs), "reps": len(runs)}
               for name, runs in samples.items()}
    return {"traces": shape["traces"], "tracebacks": shape["tracebacks"],
            "dump_bytes": os.path.getsize(old), "dump_bytes_per_trace": os.path.getsize(old) / shape["traces"],
            "commands": summary, "samples": samples, "page": measure_page_open(tools, new, reps, log)}


def measure_page_open(tools, new, reps, log):
    """How long the page of `tm-report html` takes to open: node with the
    playwright-core the build installed, and Chromium; None without them."""
    page = html_page_path(new)
    modules = os.path.join(tools.build_dir, "tools", "tm-report", "html", "node_modules")
    chromium = shutil.which("chromium")
    node = shutil.which("node")
    if not (node and chromium and os.path.isdir(os.path.join(modules, "playwright-core"))):
        log("page open time not measured: needs node, chromium and %s/playwright-core" % modules)
        return None
    env = dict(os.environ, NODE_PATH=modules, CHROMIUM=chromium)
    result = subprocess.run([node, os.path.join(BENCH_DIR, "report", "page_open.js"), page, str(max(3, reps))],
                            capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        fail("bench/report/page_open.js failed: %s" % result.stderr.strip()[-1000:])
    opened = json.loads(result.stdout)
    log("page of tm-report html: %.1f MiB, drawn in %.0f ms (median), %d frames drawn"
        % (os.path.getsize(page) / 2**20, opened["median_ms"], opened["frames"]))
    return {"open_s": opened["median_ms"] / 1000, "open_ms": opened["drawn_ms"],
            "page_bytes": os.path.getsize(page), "frames_drawn": opened["frames"]}


# ---------------------------------------------------------------------------
# Output

# Allocations (each freed once) a workload's arguments make: churn fills its
# slots, replaces one block per operation, frees them all, and has its slot array.
PAIRS = {"churn": lambda args: int(args[0]) + int(args[1]) + 1}


def pair_instructions(instructions, label, variant):
    """Instructions a variant adds to the uninstrumented program, per malloc/free pair."""
    if not instructions or label not in PAIRS:
        return None
    row = instructions.get("counts", {}).get(label, {})
    if "base" not in row or variant not in row:
        return None
    return (row[variant] - row["base"]) / PAIRS[label](instructions["arguments"][label])


def worst_of_group(key, summary, metric):
    """The highest ratio of the variant over the group's workloads, and that workload."""
    measured = [(summary[label][key[2]][metric + "_ratio"], label) for label in sorted(GROUPS[key[1]])
                if key[2] in summary.get(label, {})]
    return max(measured) if measured else (None, None)


def target_value(key, summary, scaling, memory, report, metric, extra):
    kind = key[0]
    if kind == "worst":
        return worst_of_group(key, summary, metric)[0]
    if kind == "ratio":
        return summary.get(key[1], {}).get(key[2], {}).get(metric + "_ratio")
    if kind == "scaling":
        return scaling.get(key[1], {}).get(key[2], {}).get("wall")
    if kind == "relative_scaling":
        per_variant = scaling.get(key[1], {})
        if key[2] not in per_variant or "base" not in per_variant:
            return None
        return per_variant[key[2]]["wall"] / per_variant["base"]["wall"]
    if kind == "pair_instructions":
        return pair_instructions(extra.get("instructions"), key[1], key[2])
    if kind == "accuracy":
        return (extra.get("accuracy") or {}).get("worst_median_error")
    if kind == "memory":
        return memory.get("churn-1", {}).get("bytes_per_live_block")
    if kind == "report":
        return (report or {}).get("commands", {}).get(key[1], {}).get(metric + "_s")
    if kind == "page":
        return ((report or {}).get("page") or {}).get("open_s")
    if kind == "size":
        return max((entry[key[1] + "_ratio"] for entry in (extra.get("sizes") or {}).values()),
                   default=None)
    raise AssertionError(kind)


def evaluate_targets(summary, scaling, memory, report, quick, metric, extra):
    rows = []
    counts = (extra.get("instructions") or {}).get("counts", {})
    for label, description, key, comparison, limit in TARGETS:
        value = target_value(key, summary, scaling, memory, report, metric, extra)
        if value is None:
            verdict = "not measured"
        elif key[0] in ("report", "page", "accuracy") and quick:
            verdict = "n/a (--quick: small snapshot)"
        elif key[0] == "worst" and quick:
            verdict = "n/a (--quick: tiny inputs)"
        else:
            met = value <= limit if comparison == "<=" else value >= limit
            verdict = "met" if met else "MISSED"
        if key[0] == "worst" and value is not None:
            description += " (worst: %s)" % worst_of_group(key, summary, metric)[1]
        row = {"target": label, "description": description, "value": value,
               "comparison": comparison, "limit": limit, "verdict": verdict}
        counted = key[1] if key[0] == "ratio" else (
            worst_of_group(key, summary, metric)[1] if key[0] == "worst" else None)
        if counted and counts.get(counted, {}).get("base") and key[2] in counts[counted]:
            # Beside the time: the same ratio in instructions (cachegrind), which noise cannot move.
            row["instruction_ratio"] = counts[counted][key[2]] / counts[counted]["base"]
        rows.append(row)
    return rows


def format_tables(summary, scaling, memory, report, sizes, targets, workloads, metric):
    other = "cpu" if metric == "wall" else "wall"
    lines = []
    lines.append("Median ratio to base: %s time (%s time) /peak RSS ratio" % (metric, other))
    shown = [v for v in VARIANTS if any(v in summary.get(w.label, {}) for w in workloads) and v != "base"]
    header = "%-16s %9s " % ("workload", "base %s s" % metric) + " ".join("%-19s" % v for v in shown)
    lines.append(header)
    for w in workloads:
        rows = summary.get(w.label)
        if not rows:
            continue
        cells = []
        for v in shown:
            r = rows.get(v)
            cells.append("%-19s" % ("%.2fx (%.2fx) /%.2f" % (r[metric + "_ratio"], r[other + "_ratio"],
                                                              r["rss_ratio"]) if r else "-"))
        lines.append("%-16s %9.3f " % (w.label, rows["base"][metric + "_s"]) + " ".join(cells))
    if scaling:
        lines.append("")
        lines.append("Throughput 2 threads / 1 thread, wall (CPU efficiency 2*cpu1/cpu2):")
        for mode, per_variant in scaling.items():
            lines.append("  %-6s " % mode + "  ".join(
                "%s=%.2f (%.2f)" % (v, s["wall"], s["cpu"]) for v, s in per_variant.items()))
    if memory:
        lines.append("")
        lines.append("Tracer memory (get_tracemalloc_memory at the full live set) and dump size:")
        for key, m in memory.items():
            lines.append("  %-14s %10d bytes for %6d live blocks = %6.1f B/block; dump %9d bytes = %5.1f B/trace"
                         % (key, m["tracer_memory_bytes"], m["live_blocks"], m.get("bytes_per_live_block", 0),
                            m["dump_bytes"], m.get("dump_bytes_per_trace", 0)))
    if sizes:
        lines.append("")
        lines.append("Binary size, plain -> instrumented (bytes; counted = .text + __tm_sites + .rela.dyn + .rela.plt):")
        for program, entry in sizes.items():
            base, inst = entry["base"], entry["inst"]
            lines.append("  %-11s .text %8d -> %8d  __tm_sites %7d  .rela.dyn %7d -> %7d  counted %.2fx  loaded %.2fx"
                         % (program, base["text"], inst["text"], inst["sites"], base["rela_dyn"], inst["rela_dyn"],
                            entry["counted_ratio"], entry["loaded_ratio"]))
    if report:
        lines.append("")
        lines.append("tm-report on %d traces / %d tracebacks (%.1f MiB dump, %.1f B/trace):"
                     % (report["traces"], report["tracebacks"], report["dump_bytes"] / 2**20,
                        report["dump_bytes_per_trace"]))
        for name, r in report["commands"].items():
            lines.append("  %-14s %7.3f s wall %7.3f s CPU %8.0f MiB peak RSS"
                         % (name, r["wall_s"], r["cpu_s"], r["max_rss_kib"] / 1024))
        if report.get("page"):
            lines.append("  page of html: %.1f MiB, drawn in %.3f s (median) in headless Chromium"
                         % (report["page"]["page_bytes"] / 2**20, report["page"]["open_s"]))
    lines.append("")
    lines.append("Targets:")
    for t in targets:
        value = "-" if t["value"] is None else "%.3f" % t["value"]
        lines.append("  %-18s %-66s %9s %s %-5g %s" % (t["target"], t["description"], value, t["comparison"],
                                                       t["limit"], t["verdict"]))
    return "\n".join(lines)


def write_results(out_dir, metadata, samples, summary, scaling, memory, report, targets, workloads, extra):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"metadata": metadata, "summary": summary, "thread_scaling": scaling,
                   "memory": memory, "report": report, "targets": targets, "samples": samples,
                   "accuracy": extra.get("accuracy"), "instructions": extra.get("instructions"),
                   "sizes": extra.get("sizes")},
                  f, indent=1, sort_keys=True)
    with open(os.path.join(out_dir, "results.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["workload", "variant", "reps", "wall_s", "cpu_s", "max_rss_kib",
                         "wall_ratio", "cpu_ratio", "rss_ratio"])
        for w in workloads:
            for v in VARIANTS:
                r = summary.get(w.label, {}).get(v)
                if r:
                    writer.writerow([w.label, v, r["reps"], "%.4f" % r["wall_s"], "%.4f" % r["cpu_s"],
                                     int(r["max_rss_kib"]), "%.4f" % r["wall_ratio"],
                                     "%.4f" % r["cpu_ratio"], "%.4f" % r["rss_ratio"]])


def write_markdown(out_dir, metadata, summary, scaling, memory, report, targets, workloads, metric, extra):
    """results.md: the tables of docs/performance.md, ready to paste."""
    sizes = extra.get("sizes")
    shown = [v for v in VARIANTS[1:] if any(v in summary.get(w.label, {}) for w in workloads)]
    lines = ["Measured %s, clang %s, %s repetitions, %s; load average %s at the start, %s at the end."
             % (metadata.get("date"), metadata.get("clang"), metadata.get("reps"), metadata.get("cpu_model"),
                " ".join("%.1f" % x for x in metadata.get("load_average_start", [])),
                " ".join("%.1f" % x for x in metadata.get("load_average_end", []))),
             "",
             "Median %s-time ratio to the uninstrumented build (peak RSS ratio below it):" % metric, "",
             "| workload | base %s s | " % metric + " | ".join(shown) + " |",
             "|---|---:|" + "---:|" * len(shown)]
    for w in workloads:
        rows = summary.get(w.label)
        if not rows:
            continue
        cells = ["%.2f×<br>%.2f" % (rows[v][metric + "_ratio"], rows[v]["rss_ratio"]) if v in rows else "–"
                 for v in shown]
        lines.append("| %s | %.3f | %s |" % (w.label, rows["base"][metric + "_s"], " | ".join(cells)))
    other = "wall" if metric == "cpu" else "cpu"
    lines += ["", "The same runs, %s-time ratio:" % other, "",
              "| workload | base %s s | " % other + " | ".join(shown) + " |", "|---|---:|" + "---:|" * len(shown)]
    for w in workloads:
        rows = summary.get(w.label)
        if rows:
            cells = ["%.2f×" % rows[v][other + "_ratio"] if v in rows else "–" for v in shown]
            lines.append("| %s | %.3f | %s |" % (w.label, rows["base"][other + "_s"], " | ".join(cells)))
    if scaling:
        variants = [v for v in VARIANTS if any(v in per for per in scaling.values())]
        lines += ["", "Throughput with 2 threads / with 1 thread, wall time (CPU efficiency 2·cpu₁/cpu₂):", "",
                  "| frees by | " + " | ".join(variants) + " |", "|---|" + "---:|" * len(variants)]
        for mode, per_variant in scaling.items():
            lines.append("| %s | %s |" % ("another thread" if mode == "cross" else "the same thread", " | ".join(
                "%.2f (%.2f)" % (per_variant[v]["wall"], per_variant[v]["cpu"]) if v in per_variant else "–"
                for v in variants)))
    if memory:
        lines += ["", "| program, nframe | tracer memory | live blocks | bytes / live block | dump bytes | "
                      "dump bytes / trace |", "|---|---:|---:|---:|---:|---:|"]
        for key, m in memory.items():
            lines.append("| %s, %d | %d | %d | %.1f | %d | %.1f |"
                         % (m["program"], m["nframe"], m["tracer_memory_bytes"], m["live_blocks"],
                            m.get("bytes_per_live_block", 0), m["dump_bytes"], m.get("dump_bytes_per_trace", 0)))
    if sizes:
        lines += ["", "Binary size in bytes, plain → instrumented; counted = `.text` + `__tm_sites` + relocations "
                      "(`.rela.dyn`, `.rela.plt`), loaded = every section loaded from the file:", "",
                  "| program | `.text` | `__tm_sites` | `.rela.dyn` | `.rela.plt` | counted | loaded |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for program, entry in sizes.items():
            base, inst = entry["base"], entry["inst"]
            lines.append("| %s | %d → %d | %d | %d → %d | %d → %d | %.2f× | %.2f× |"
                         % (program, base["text"], inst["text"], inst["sites"], base["rela_dyn"], inst["rela_dyn"],
                            base["rela_plt"], inst["rela_plt"], entry["counted_ratio"], entry["loaded_ratio"]))
    if report:
        lines += ["", "tm-report on a synthetic snapshot of %d traces, %d tracebacks (%.0f MiB, %.1f bytes/trace):"
                  % (report["traces"], report["tracebacks"], report["dump_bytes"] / 2**20,
                     report["dump_bytes_per_trace"]), "",
                  "| command | wall s | CPU s | peak RSS MiB |", "|---|---:|---:|---:|"]
        for name, r in report["commands"].items():
            lines.append("| `%s` | %.2f | %.2f | %.0f |" % (name, r["wall_s"], r["cpu_s"], r["max_rss_kib"] / 1024))
        if report.get("page"):
            lines += ["", "The page of `html`: %.1f MiB, drawn in %.2f s (median) in headless Chromium."
                      % (report["page"]["page_bytes"] / 2**20, report["page"]["open_s"])]
    instructions = extra.get("instructions")
    if instructions:
        counted = [w for w in workloads if w.label in instructions["counts"]]
        lines += ["", format_instruction_table(instructions["counts"], counted,
                                               lambda w: instructions["arguments"][w.label])]
    accuracy = extra.get("accuracy")
    if accuracy:
        lines += ["", "Sampled at %d bytes, %d seeds: every line holding at least 5%% of the live bytes, "
                      "exact and the median estimate:" % (accuracy["rate"], accuracy["seeds"]), "",
                  "| program | line | exact bytes | median estimate | error |", "|---|---|---:|---:|---:|"]
        for l in accuracy["lines"]:
            lines.append("| %s | `%s` | %d | %d | %.1f%% |" % (l["program"], l["line"], l["exact_bytes"],
                                                              l["median_estimate"], 100 * l["error"]))
    lines += ["", "| target | measured | instructions | limit | verdict |", "|---|---:|---:|---:|---|"]
    for t in targets:
        value = "–" if t["value"] is None else "%.2f" % t["value"]
        counted = "%.3f×" % t["instruction_ratio"] if t.get("instruction_ratio") else "–"
        lines.append("| %s | %s | %s | %s %g | %s |" % (
            t["description"], value, counted, t["comparison"].replace("<=", "≤").replace(">=", "≥"),
            t["limit"], t["verdict"]))
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


PLOT_VARIANTS = ["off", "noss-off", "tm1", "tm16", "sampled", "heaptrack", "gperftools", "jemalloc", "massif",
                 "asan"]


def write_plot(out_dir, summary, workloads, log, metric):
    """overhead.dat + overhead.gp, and overhead.png (or .svg) when gnuplot is installed."""
    labels = [w.label for w in workloads if w.label in summary]
    # An all-NaN column would still take a slot in every cluster.
    plotted = [v for v in PLOT_VARIANTS if any(v in summary[label] for label in labels)]
    if not plotted:
        # A run of only the report commands or the instruction counts has no
        # time ratios to draw.
        log("no workload timed in this run: no overhead plot")
        return None
    data_path = os.path.join(out_dir, "overhead.dat")
    with open(data_path, "w") as f:
        f.write("# median %s-time ratio to the uninstrumented build; NaN = not measured\n" % metric)
        f.write("# workload " + " ".join(plotted) + "\n")
        for label in labels:
            values = []
            for v in plotted:
                r = summary[label].get(v)
                values.append("%.4f" % r[metric + "_ratio"] if r else "NaN")
            f.write("%s %s\n" % (label, " ".join(values)))
    script_path = os.path.join(out_dir, "overhead.gp")
    columns = ", ".join("'overhead.dat' using %d:xtic(1) title '%s'" % (i + 2, v) if i == 0 else
                        "'' using %d title '%s'" % (i + 2, v) for i, v in enumerate(plotted))
    script = """# Generated by bench/run.py: gnuplot overhead.gp (in this directory)
set terminal %s
set output '%s'
set title '%s time relative to the uninstrumented build (median of alternating runs)'
set datafile missing 'NaN'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [0.5:*]
set ytics (0.5, 1, 1.25, 1.5, 2, 3, 5, 8, 12, 20, 40)
set xrange [-0.6:%d.6]
set grid ytics
set ylabel 'time / uninstrumented (log scale)'
set key outside right top vertical
set xtics nomirror
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb 'black' lw 1.5
plot %s
"""
    if shutil.which("gnuplot") is None:
        with open(script_path, "w") as f:
            f.write(script % ("svg", "overhead.svg", metric, len(labels) - 1, columns))
        log("gnuplot not installed (apt-get install gnuplot-nox): wrote %s, no plot" % script_path)
        return None
    # PNG through cairo when this gnuplot has it (gnuplot-nox does), SVG otherwise.
    errors = []
    for terminal, output in (("pngcairo size 1100,520 enhanced font 'sans,10' background rgb 'white'",
                              "overhead.png"),
                             ("svg size 1100,520 dynamic enhanced font 'sans,11' background rgb 'white'",
                              "overhead.svg")):
        with open(script_path, "w") as f:
            f.write(script % (terminal, output, {"cpu": "CPU", "wall": "Wall-clock"}[metric], len(labels) - 1,
                              columns))
        result = subprocess.run(["gnuplot", "overhead.gp"], cwd=out_dir, capture_output=True, text=True)
        if result.returncode == 0:
            return os.path.join(out_dir, output)
        errors.append(result.stderr.strip())
    fail("gnuplot failed: %s" % " / ".join(errors))


def machine_metadata(tools, args):
    def read(path):
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError:
            return None
    cpu_model = None
    for line in (read("/proc/cpuinfo") or "").splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    revision = subprocess.run(["git", "-C", REPO_DIR, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
    return {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "host_cpus": os.cpu_count(), "cpu_model": cpu_model, "kernel": platform.release(),
            "clang": tools.llvm_version, "git_revision": revision or None,
            "build_dir": tools.build_dir, "reps": args.reps, "quick": args.quick,
            "load_average_start": os.getloadavg()}


def rerender(args):
    try:
        with open(args.from_json) as f:
            data = json.load(f)
        samples, metadata = data["samples"], data["metadata"]
        memory, report = data.get("memory") or {}, data.get("report")
        extra = {"accuracy": data.get("accuracy"), "instructions": data.get("instructions"),
                 "sizes": data.get("sizes") or {}}
    except (OSError, ValueError, KeyError) as error:
        fail("cannot read %s: %s" % (args.from_json, error))
    out_dir = os.path.abspath(args.out or os.path.dirname(os.path.abspath(args.from_json)))
    workloads = [w for w in WORKLOADS if w.label in samples]
    summary = summarise(samples)
    scaling = thread_scaling(samples)
    targets = evaluate_targets(summary, scaling, memory, report, metadata.get("quick"), args.metric, extra)
    metadata["metric"] = args.metric
    print(format_tables(summary, scaling, memory, report, extra.get("sizes"), targets, workloads, args.metric))
    write_results(out_dir, metadata, samples, summary, scaling, memory, report, targets, workloads, extra)
    write_markdown(out_dir, metadata, summary, scaling, memory, report, targets, workloads, args.metric,
                   extra)
    plot = write_plot(out_dir, summary, workloads, print, args.metric)
    print("results: %s/results.{json,csv,md}%s" % (out_dir, ", " + plot if plot else ""))
    if args.check_targets and any(t["verdict"] == "MISSED" for t in targets):
        return 1
    return 0


def instructions_main(args, tools, build_dir, out_dir, workloads, allowed, metadata, log):
    workloads = [w for w in workloads if w.name != "report"]
    log("clang %s, build tree %s, instruction counts%s" % (tools.llvm_version, build_dir,
                                                            " (quick)" if args.quick else ""))
    scratch = tempfile.mkdtemp(prefix="tm-bench-")
    try:
        workloads, binaries = build_all(args, tools, workloads, allowed & set(COUNTED_VARIANTS), log,
                                        with_memory_variant=False)
        counts = count_instructions(workloads, binaries, args.quick, scratch, log)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def args_of(w):
        sizes = w.quick_args if args.quick else w.count_args
        return real.display_args(w, sizes[0]) if isinstance(w, real.RealWorkload) else sizes

    table = format_instruction_table(counts, workloads, args_of)
    log("")
    log(table)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "instructions.json"), "w") as f:
        json.dump({"metadata": metadata, "counts": counts,
                   "arguments": {w.label: args_of(w) for w in workloads}}, f, indent=1)
    with open(os.path.join(out_dir, "instructions.md"), "w") as f:
        f.write("Measured %s, clang %s.\n\n%s\n" % (metadata["date"], tools.llvm_version,
                                                    table))
    log("")
    log("results: %s/instructions.{json,md}" % out_dir)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--build-dir", default=os.path.join(REPO_DIR, "build"),
                        help="CMake build tree with bin/tm-clang, bin/tm-report (default: build/)")
    parser.add_argument("--reps", type=int, help="repetitions (default: 5, or 1 with --quick)")
    parser.add_argument("--peer-reps", type=int, default=3,
                        help="repetitions that also run heaptrack, massif and ASan (default: 3)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of a few seconds")
    parser.add_argument("--no-peers", action="store_true", help="skip heaptrack, massif and ASan")
    parser.add_argument("--only", action="append", metavar="WORKLOAD",
                        help="run only this workload (churn, containers, threads, calls, parser, report, "
                             "real or one of its real-NAME); repeatable")
    parser.add_argument("--real-work", metavar="DIR", default=real.real_projects.DEFAULT_WORK,
                        help="where scripts/real-projects keeps the real projects' sources, under "
                             "DIR/src (default: %(default)s)")
    parser.add_argument("--out", help="results directory (default: bench/results, or "
                                      "BUILD/bench/results-quick with --quick)")
    parser.add_argument("--metric", choices=("cpu", "wall"), default="cpu",
                        help="time the ratios and targets use (default: cpu, user + sys of the process "
                             "tree: on a shared machine wall time measures the wait for a core). "
                             "Thread scaling always uses wall time")
    parser.add_argument("--from-json", metavar="RESULTS_JSON",
                        help="run nothing: recompute the tables, targets and plot from a results.json "
                             "(e.g. with another --metric)")
    parser.add_argument("--check-targets", action="store_true",
                        help="exit with status 1 if a measured target is missed")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under valgrind's cachegrind instead of timing: one "
                             "run per variant, exact and repeatable; writes instructions.{json,md}")
    args = parser.parse_args()
    if args.from_json:
        return rerender(args)
    if args.reps is None:
        args.reps = 1 if args.quick else 5
    if args.reps < 1:
        fail("--reps must be at least 1")
    known = {w.name for w in WORKLOADS} | {"report"} | set(GROUPS)
    for name in args.only or []:
        if name not in known:
            fail("unknown workload '%s' (known: %s)" % (name, ", ".join(sorted(known))))
    selected = set()
    for name in args.only or known:
        selected |= GROUPS.get(name, {name})
    args.real_work = os.path.abspath(args.real_work)

    build_dir = os.path.abspath(args.build_dir)
    tools = Toolchain(build_dir)
    out_dir = os.path.abspath(args.out or (os.path.join(build_dir, "bench", "results-quick") if args.quick
                                           else os.path.join(BENCH_DIR, "results")))

    def log(message):
        print(message, flush=True)

    allowed = set(VARIANTS)
    if args.no_peers:
        allowed -= PEER_VARIANTS
    for tool, variant in (("heaptrack", "heaptrack"), ("valgrind", "massif")):
        if variant in allowed and shutil.which(tool) is None:
            log("%s not installed: skipping the %s variant" % (tool, variant))
            allowed.discard(variant)
    for variant, library in PRELOADED.items():
        if variant in allowed and not os.path.exists(library):
            log("%s not installed (libgoogle-perftools-dev, libjemalloc2): skipping the %s variant"
                % (library, variant))
            allowed.discard(variant)
    workloads = []
    for w in WORKLOADS:
        if w.name in selected:
            w.variants = [v for v in w.variants if v in allowed]
            workloads.append(w)

    metadata = machine_metadata(tools, args)
    if args.instructions:
        return instructions_main(args, tools, build_dir, out_dir, workloads, allowed, metadata, log)
    log("clang %s, build tree %s, %d repetitions%s" % (tools.llvm_version, build_dir, args.reps,
                                                        " (quick)" if args.quick else ""))
    started = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="tm-bench-")
    try:
        workloads, binaries = build_all(args, tools, workloads, allowed, log, with_memory_variant=True)
        sizes = measure_sizes(binaries)
        samples = run_workloads(workloads, binaries, args.reps, args.peer_reps, args.quick, scratch, log)
        summary = summarise(samples)
        scaling = thread_scaling(samples)
        memory = measure_memory(binaries, args.quick, scratch, tools.tm_report)
        extra = {"accuracy": measure_accuracy(binaries, args.quick, scratch, tools.tm_report),
                 "sizes": sizes}
        if args.quick:
            pass  # the smoke run stays short: --instructions counts on its own
        elif shutil.which("valgrind") is None:
            log("valgrind not installed: no instruction counts")
        else:
            log("instruction counts (cachegrind):")
            counted = [w for w in workloads if any(v in COUNTED_VARIANTS for v in w.variants)]
            extra["instructions"] = {
                "counts": count_instructions(counted, binaries, False, scratch, log),
                "arguments": {w.label: w.count_args for w in counted}}
        report = None
        if "report" in selected:
            if not os.access(tools.tm_report, os.X_OK):
                fail("%s not found: workload 'report' needs it" % tools.tm_report)
            report = run_report(tools, args.reps, args.quick, log)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    metadata["load_average_end"] = os.getloadavg()
    metadata["duration_s"] = round(time.perf_counter() - started, 1)

    targets = evaluate_targets(summary, scaling, memory, report, args.quick, args.metric, extra)
    metadata["metric"] = args.metric
    log("")
    log(format_tables(summary, scaling, memory, report, extra.get("sizes"), targets, workloads, args.metric))
    write_results(out_dir, metadata, samples, summary, scaling, memory, report, targets, workloads, extra)
    write_markdown(out_dir, metadata, summary, scaling, memory, report, targets, workloads, args.metric,
                   extra)
    plot = write_plot(out_dir, summary, workloads, log, args.metric)
    log("")
    log("results: %s/results.{json,csv,md}%s (%.0f s)" % (out_dir, ", " + plot if plot else "",
                                                       metadata["duration_s"]))
    if args.check_targets and any(t["verdict"] == "MISSED" for t in targets):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
