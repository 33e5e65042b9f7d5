#!/usr/bin/env python3
"""Differential test of tm-report against CPython's own tracemalloc classes.

Generates random snapshots, writes them as JSON snapshots (and converts some
to binary dumps with `tm-report convert`), then runs thousands of random
tm-report queries and compares every output, text and JSON, with what
tracemalloc.Snapshot computes on the same raw traces.

Exit status 0 when every query agrees; on the first mismatches prints the
random seed, the query and a diff, and exits 1.
"""
import argparse
import difflib
import fnmatch
import json
import linecache
import os
import random
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

KEY_TYPES = ("lineno", "filename", "traceback")

# Filenames chosen to exercise fnmatch: '*' crossing '/', '?', ranges,
# negated sets, dots, brackets in names, '<unknown>'.
FILENAMES = [
    "a.c", "b.c", "c.c", "x.c", "ab.c", "main.cpp", "util.h",
    "src/a.c", "src/sub/b.cpp", "src/sub/deep/x.c", "/usr/include/c++/12/bits/new_allocator.h",
    "lib.so.1.c", ".hidden.c", "noext", "<unknown>", "[x].c", "a?b.c", "star*.c",
    "dir.with.dots/file.name.c", "caf\u00e9.c", "src/a.c.orig",
]

PATTERNS = [
    "*", "*.c", "*.cpp", "*.h", "?.c", "??.c", "[a-c].c", "[!x].c", "[!a-c]*", "src/*",
    "src/*.c", "*/b.cpp", "src/*/b.cpp", "src/sub/*", "*sub*", "a.c", "src/a.c", "<unknown>",
    "<*>", "*.so.*", "[[]x].c", "[", "[]", "[!]", "[]a-c]*", "*[0-9]*", "a[?]b.c", "star[*].c",
    "*.*.*", ".*", "noext", "*e*", "dir.with.dots/*", "caf?.c", "*\u00e9*", "/usr/*", "*/new_allocator.h",
    "src/a.c*", "[a-z][a-z].c", "[!s]*/*",
]

DOMAINS = [0, 0, 0, 1, 2, 42, 2**32 - 1]

# Sizes around every boundary of _format_size: 100 and 10*1024 of each unit.
def boundary_sizes():
    sizes = {0, 1, 2, 7, 99, 100, 101, 1023, 1024, 1025}
    for exp in range(0, 5):
        unit = 1024 ** exp
        for base in (100 * unit, 10 * 1024 * unit):
            for delta in (-1, 0, 1):
                if base + delta >= 0:
                    sizes.add(base + delta)
            sizes.add(base * 1024 // 1000)
            sizes.add(base - unit // 20)  # rounds up to the boundary
    return sorted(sizes)

BOUNDARY_SIZES = boundary_sizes()
# Keep any group's total below 2**63 so the C++ side's integers do not wrap.
HUGE_LIMIT = 2 ** 52

SOURCE_FILES = {
    # Real files (relative to the working directory) so source lines are
    # compared as well; leading/trailing blanks test .strip().
    "src/a.c": ["int x = 1;", "   p = malloc(n);   ", "\tq = calloc(1, n);", "", "    ", "return p;"],
    "main.cpp": ["#include <vector>", "  auto *v = new std::vector<int>(n);", "  delete v;"],
    "src/sub/b.cpp": ["\t\tbuf.resize(4096);\t"],
}


def rand_size(rng):
    r = rng.random()
    if r < 0.45:
        return rng.choice(BOUNDARY_SIZES)
    if r < 0.75:
        return rng.randint(0, 5000)
    if r < 0.97:
        return rng.randint(0, 50 * 1024 * 1024)
    return rng.randint(0, HUGE_LIMIT)


def make_frame_pool(rng):
    frames = []
    for name in FILENAMES:
        for lineno in rng.sample(range(1, 8), 3):
            frames.append((name, lineno))
    return frames


def make_tracebacks(rng, pool, count, max_frames):
    """Tracebacks most-recent-first, with shared prefixes and recursion."""
    tracebacks = []
    for _ in range(count):
        r = rng.random()
        if tracebacks and r < 0.3:
            # Same oldest frames as an existing one, one frame more or less
            # or a different most recent frame: equal-prefix ordering cases.
            base = list(rng.choice(tracebacks))
            choice = rng.random()
            if choice < 0.4 and len(base) < max_frames:
                base.insert(0, rng.choice(pool))
            elif choice < 0.7 and len(base) > 1:
                base.pop(0)
            else:
                base[0] = rng.choice(pool)
            tb = tuple(base)
        elif tracebacks and r < 0.4:
            # Recursion: one frame repeated (counted twice when cumulative).
            frame = rng.choice(pool)
            other = rng.choice(pool)
            tb = tuple([frame, other, frame][: max(1, min(3, max_frames))])
        else:
            n = rng.randint(1, max_frames)
            tb = tuple(rng.choice(pool) for _ in range(n))
        tracebacks.append(tb)
    return tracebacks


def make_snapshot(rng, pool):
    max_frames = rng.choice([1, 1, 2, 3, 5])
    tracebacks = make_tracebacks(rng, pool, rng.randint(1, 40), max_frames)
    traces = []
    # Some snapshots draw sizes from a tiny set, so many statistics tie on
    # size and count and the traceback decides the order.
    few_sizes = [0, 16, 4096] if rng.random() < 0.15 else None
    for _ in range(rng.randint(0, 400) if rng.random() < 0.95 else 0):
        tb = rng.choice(tracebacks)
        r = rng.random()
        if r < 0.5:
            total = None
        elif r < 0.8:
            total = len(tb)
        else:
            total = len(tb) + rng.randint(1, 100)
        size = rng.choice(few_sizes) if few_sizes else rand_size(rng)
        traces.append((rng.choice(DOMAINS), size, tb, total))
    return traces, max_frames


def write_json_snapshot(path, traces, traceback_limit):
    """A JSON snapshot as docs/file-formats.md describes it (frames oldest
    first, while raw tracemalloc traces list them most recent first)."""
    def trace_json(trace):
        domain, size, tb, total = trace
        return {"domain": domain, "size": size, "total_nframe": total,
                "traceback": [{"filename": f, "lineno": n} for f, n in reversed(tb)]}
    document = {
        "format": "tracemalloc-snapshot",
        "version": 1,
        "traceback_limit": traceback_limit,
        "traces": [trace_json(t) for t in traces],
    }
    with open(path, "w", encoding="utf-8") as f:
        # Half the files escape non-ASCII names, half write them raw.
        json.dump(document, f, ensure_ascii=bool(len(traces) % 2))


def random_filters(rng):
    """(command-line flags, tracemalloc filters) with the same meaning."""
    flags, filters = [], []
    all_frames = rng.random() < 0.25
    domain = rng.choice(DOMAINS) if rng.random() < 0.2 else None
    n_patterns = rng.choice([0, 0, 1, 1, 2, 3])
    for _ in range(n_patterns):
        inclusive = rng.random() < 0.5
        pattern = rng.choice(PATTERNS)
        lineno = rng.randint(1, 7) if rng.random() < 0.25 else None
        spec = pattern if lineno is None else "%s:%d" % (pattern, lineno)
        flags.append(("--include=" if inclusive else "--exclude=") + spec)
        filters.append(tracemalloc.Filter(inclusive, pattern, lineno, all_frames, domain))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        inclusive = rng.random() < 0.5
        d = rng.choice(DOMAINS)
        flags.append(("--include-domain=" if inclusive else "--exclude-domain=") + str(d))
        filters.append(tracemalloc.DomainFilter(inclusive, d))
    if n_patterns:
        if all_frames:
            flags.append("--all-frames")
        if domain is not None:
            flags.append("--domain=%d" % domain)
    return flags, filters


def traceback_json(tb):
    return [{"filename": f.filename, "lineno": f.lineno} for f in tb]


def stat_json(stat, diff):
    entry = {"traceback": traceback_json(stat.traceback), "size": stat.size, "count": stat.count}
    if diff:
        entry["size_diff"] = stat.size_diff
        entry["count_diff"] = stat.count_diff
    return entry


def listed(stats, limit):
    return stats if limit == 0 else stats[:limit]


def expected_top(snap, key_type, cumulative, limit, fmt):
    stats = snap.statistics(key_type, cumulative)
    shown = listed(stats, limit)
    if fmt == "json":
        return {"key_type": key_type, "cumulative": cumulative,
                "statistics": [stat_json(s, False) for s in shown]}
    lines = ["[ Top %d ]" % len(shown)]
    for stat in shown:
        lines.append(str(stat))
        if key_type == "traceback":
            lines.extend(stat.traceback.format())
    return "\n".join(lines) + "\n"


def expected_diff(old, new, key_type, cumulative, limit, fmt):
    stats = new.compare_to(old, key_type, cumulative)
    shown = listed(stats, limit)
    if fmt == "json":
        return {"key_type": key_type, "cumulative": cumulative,
                "statistics": [stat_json(s, True) for s in shown]}
    lines = ["[ Top %d differences ]" % len(shown)]
    for stat in shown:
        lines.append(str(stat))
        if key_type == "traceback":
            lines.extend(stat.traceback.format())
    return "\n".join(lines) + "\n"


def expected_display_top(snapshot, key_type, limit):
    """display_top() of the "Pretty top" recipe in CPython's tracemalloc
    documentation, printing into a string.  The recipe also drops
    "<frozen importlib._bootstrap>" frames, which only Python programs have:
    tm-report --source drops "<unknown>" frames only."""
    out = []
    snapshot = snapshot.filter_traces((tracemalloc.Filter(False, "<unknown>"),))
    top_stats = snapshot.statistics(key_type)
    shown_limit = limit if limit else len(top_stats)
    out.append("Top %s lines" % shown_limit)
    for index, stat in enumerate(top_stats[:shown_limit], 1):
        frame = stat.traceback[0]
        out.append("#%s: %s:%s: %.1f KiB" % (index, frame.filename, frame.lineno, stat.size / 1024))
        line = linecache.getline(frame.filename, frame.lineno).strip()
        if line:
            out.append('    %s' % line)
    other = top_stats[shown_limit:]
    if other:
        size = sum(stat.size for stat in other)
        out.append("%s other: %.1f KiB" % (len(other), size / 1024))
    total = sum(stat.size for stat in top_stats)
    out.append("Total allocated size: %.1f KiB" % (total / 1024))
    return "\n".join(out) + "\n"


def expected_traceback(snap, limit, most_recent_first):
    stats = snap.statistics("traceback")
    if not stats:
        return None
    stat = stats[0]
    lines = ["%s memory blocks: %.1f KiB" % (stat.count, stat.size / 1024)]
    lines.extend(stat.traceback.format(limit, most_recent_first))
    return "\n".join(lines) + "\n"


class Mismatch(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tm-report", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--snapshots", type=int, default=40)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-failures", type=int, default=5)
    parser.add_argument("--separate", type=int, default=150,
                        help="queries run as separate processes rather than in batch")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    args.tm_report = os.path.abspath(args.tm_report)

    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="tm-differential-")
    # Relative filenames resolve against the working directory, for linecache
    # and for tm-report alike.
    os.chdir(workdir)
    for name, lines in SOURCE_FILES.items():
        os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
        with open(name, "w") as f:
            f.write("\n".join(lines) + "\n")
    linecache.clearcache()

    pool = make_frame_pool(rng)
    snapshots = []  # (path, tracemalloc.Snapshot)
    for i in range(args.snapshots):
        traces, limit = make_snapshot(rng, pool)
        path = os.path.join(workdir, "snap%d.json" % i)
        write_json_snapshot(path, traces, limit)
        snap = tracemalloc.Snapshot(traces, limit)
        paths = [path]
        if i % 3 == 0:
            binary = os.path.join(workdir, "snap%d.tmd" % i)
            result = subprocess.run([args.tm_report, "convert", path, binary],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                print("seed %d: convert %s failed (%d): %s"
                      % (args.seed, path, result.returncode, result.stderr.strip()))
                return 1
            paths.append(binary)
            # And back to JSON: a round trip must not change any answer.
            if i % 6 == 0:
                again = os.path.join(workdir, "snap%d.back.json" % i)
                result = subprocess.run([args.tm_report, "convert", binary, again],
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    print("seed %d: convert %s failed (%d): %s"
                          % (args.seed, binary, result.returncode, result.stderr.strip()))
                    return 1
                paths.append(again)
        snapshots.append((paths, snap))

    queries = []
    for q in range(args.queries):
        flags, filters = random_filters(rng)
        kind = rng.choices(["top", "diff", "source", "traceback"], [45, 40, 8, 7])[0]
        key_type = rng.choice(KEY_TYPES)
        cumulative = key_type != "traceback" and rng.random() < 0.35
        limit = rng.choice([0, 0, 1, 3, 10, 10, 25])
        fmt = rng.choice(["text", "json"])
        paths, snap = rng.choice(snapshots)
        path = rng.choice(paths)
        snap_f = snap.filter_traces(filters)
        if kind == "top":
            cmd = ["top", path, "--key-type", key_type, "--limit", str(limit), "--format", fmt]
            if cumulative:
                cmd.append("--cumulative")
            expected = expected_top(snap_f, key_type, cumulative, limit, fmt)
        elif kind == "diff":
            # Sometimes against itself (another format of it): all diffs 0.
            old_paths, old = (paths, snap) if rng.random() < 0.1 else rng.choice(snapshots)
            old_path = rng.choice(old_paths)
            cmd = ["diff", old_path, path, "--key-type", key_type, "--limit", str(limit),
                   "--format", fmt]
            if cumulative:
                cmd.append("--cumulative")
            expected = expected_diff(old.filter_traces(filters), snap_f, key_type, cumulative,
                                     limit, fmt)
        elif kind == "source":
            key_type = rng.choice(KEY_TYPES)
            cmd = ["top", "--source", path, "--key-type", key_type, "--limit", str(limit)]
            expected = expected_display_top(snap_f, key_type, limit)
            fmt = "text"
        else:
            frame_limit = rng.choice([None, None, 1, 2, 3, -1, -2, 0])
            most_recent_first = rng.random() < 0.5
            cmd = ["traceback", path]
            if frame_limit is not None:
                cmd.append("--limit=%d" % frame_limit)
            if most_recent_first:
                cmd.append("--most-recent-first")
            expected = expected_traceback(snap_f, frame_limit, most_recent_first)
            fmt = "text"
        queries.append((q, cmd + flags, expected, fmt))

    def compare(query, status, stdout, stderr):
        q, cmd, expected, fmt = query
        if expected is None:
            # traceback of an empty snapshot: nothing to show, status 1.
            if status == 1 and not stdout and stderr.count("\n") == 1:
                return None
            return "expected exit 1 and one stderr line, got %d\nstdout:\n%s\nstderr:\n%s" % (
                status, stdout, stderr)
        if status != 0:
            return "exit status %d, stderr: %s" % (status, stderr)
        if fmt == "json":
            try:
                actual = json.loads(stdout)
            except ValueError as e:
                return "invalid JSON output (%s):\n%s" % (e, stdout[:2000])
            if actual == expected:
                return None
            exp_text = json.dumps(expected, indent=1, ensure_ascii=False).splitlines()
            act_text = json.dumps(actual, indent=1, ensure_ascii=False).splitlines()
        else:
            if stdout == expected:
                return None
            exp_text, act_text = expected.splitlines(), stdout.splitlines()
        diff = difflib.unified_diff(exp_text, act_text, "python tracemalloc", "tm-report",
                                    lineterm="", n=2)
        return "\n".join(list(diff)[:60])

    def run_alone(query):
        """One process per query: exit status and streams as a user sees them."""
        result = subprocess.run([args.tm_report] + query[1], capture_output=True)
        return compare(query, result.returncode, result.stdout.decode("utf-8", "replace"),
                       result.stderr.decode("utf-8", "replace"))

    def run_batch(chunk):
        """Many queries through one `tm-report batch` process."""
        lines = "".join(json.dumps(query[1]) + "\n" for query in chunk)
        result = subprocess.run([args.tm_report, "batch"], input=lines.encode(),
                                capture_output=True)
        outputs = result.stdout.decode("utf-8").splitlines()
        if result.returncode != 0 or len(outputs) != len(chunk):
            problem = "batch failed (%d, %d of %d results): %s" % (
                result.returncode, len(outputs), len(chunk), result.stderr.decode(errors="replace"))
            return [problem] * len(chunk)
        problems = []
        for query, line in zip(chunk, outputs):
            record = json.loads(line)
            problems.append(compare(query, record["status"], record["stdout"], record["stderr"]))
        return problems

    # Most queries go through batch processes (process start-up would
    # dominate); a sample runs as separate processes.
    alone = set(rng.sample(range(len(queries)), min(len(queries), args.separate)))
    batched = [query for query in queries if query[0] not in alone]
    chunks = [batched[i::args.jobs] for i in range(args.jobs)]
    results = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool_exec:
        for chunk, problems in zip(chunks, pool_exec.map(run_batch, chunks)):
            for query, problem in zip(chunk, problems):
                results[query[0]] = problem
        separate = [query for query in queries if query[0] in alone]
        for query, problem in zip(separate, pool_exec.map(run_alone, separate)):
            results[query[0]] = problem

    failures = 0
    for query in queries:
        problem = results[query[0]]
        if problem is None:
            continue
        failures += 1
        if failures <= args.max_failures:
            print("MISMATCH seed=%d query=%d: tm-report %s" % (args.seed, query[0],
                                                               " ".join(query[1])))
            print(problem)
    if failures:
        print("seed %d: %d of %d queries differ (work directory kept: %s)"
              % (args.seed, failures, len(queries), workdir))
        return 1
    print("seed %d: %d snapshots, %d queries, all equal" % (args.seed, len(snapshots), len(queries)))
    if not args.keep:
        os.chdir("/")
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
