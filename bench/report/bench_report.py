#!/usr/bin/env python3
"""Times tm-report on large snapshots.

Writes two binary dumps (docs/file-formats.md, binary dump version 1) of
--traces traces over --tracebacks distinct tracebacks, the second one a
mutation of the first (some traces freed, some added, for `diff`), then
times tm-report commands on them: median wall time of --repeat runs and the
peak RSS of the tm-report process.

  bench/report/bench_report.py --tm-report build/bin/tm-report           # 1M traces
  bench/report/bench_report.py --tm-report build/bin/tm-report --large   # 10M traces

The dumps are generated directly (not through tm-report) so generation does
not depend on the code being measured.
"""
import argparse
import array
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MAGIC = b"TMSNAP\0\0"


def section(tag, payload):
    return tag + struct.pack("<IQ", 0, len(payload)) + payload


def build_tables(rng, n_tracebacks, max_frames):
    """Strings, frames and tracebacks shaped like a C++ program's: a few
    thousand files, a few lines each, tracebacks sharing their oldest frames."""
    n_files = 3000
    strings = [b""] + [("src/module%d/file%d.cpp" % (i % 97, i)).encode() for i in range(n_files)]
    strings += [("function_%d" % i).encode() for i in range(2000)]
    n_functions_base = 1 + n_files
    frames = []
    for file_id in range(1, n_files + 1):
        for line in range(1, 9):
            frames.append((file_id, line * 10 + file_id % 7, n_functions_base + rng.randrange(2000), 0))
    n_frames = len(frames)
    roots = [rng.randrange(n_frames) for _ in range(50)]
    tracebacks = []
    for _ in range(n_tracebacks):
        depth = rng.randint(1, max_frames)
        tb = [rng.choice(roots)] + [rng.randrange(n_frames) for _ in range(depth - 1)]
        tracebacks.append(tb)
    return strings, frames, tracebacks


def encode_dump(strings, frames, tracebacks, traces, traceback_limit):
    """traces: array of (domain, size, count, traceback id) flattened."""
    meta = struct.pack("<IIQQ", traceback_limit, 0, 0, 0)
    strs = bytearray(struct.pack("<I", len(strings)))
    for s in strings:
        strs += struct.pack("<I", len(s)) + s
    frms = bytearray(struct.pack("<I", len(frames)))
    for f in frames:
        frms += struct.pack("<IIII", *f)
    tbks = bytearray(struct.pack("<I", len(tracebacks)))
    for tb in tracebacks:
        tbks += struct.pack("<IIQ", 1, len(tb), len(tb) + 2)
        tbks += struct.pack("<%dI" % len(tb), *tb)
    n = len(traces) // 4
    trcs = bytearray(struct.pack("<Q", n))
    record = struct.Struct("<QQQI")
    buf = bytearray(record.size * n)
    for i in range(n):
        record.pack_into(buf, i * record.size, *traces[4 * i:4 * i + 4])
    trcs += buf
    body = (section(b"META", meta) + section(b"STRS", bytes(strs)) + section(b"FRMS", bytes(frms))
            + section(b"TBKS", bytes(tbks)) + section(b"TRCS", bytes(trcs)))
    head = MAGIC + struct.pack("<IIQ", 1, 0, len(body))
    data = head + body
    return data + struct.pack("<I", zlib.crc32(data))


def make_traces(rng, n_traces, n_tracebacks):
    traces = array.array("Q")
    for i in range(n_traces):
        domain = 0 if rng.random() < 0.9 else rng.randrange(1, 4)
        # Sizes spread so few (domain, size, traceback) entries collide.
        size = int(rng.lognormvariate(5, 2)) + 1
        traces.extend((domain, size, 1, rng.randrange(n_tracebacks)))
    return traces


def mutate(rng, traces, n_tracebacks):
    """The 'later' snapshot: 10% of traces freed, 10% new ones."""
    n = len(traces) // 4
    out = array.array("Q")
    for i in range(n):
        if rng.random() >= 0.1:
            out.extend(traces[4 * i:4 * i + 4])
    out.extend(make_traces(rng, n // 10, n_tracebacks))
    return out


def run_timed(cmd):
    """Wall time and peak RSS (MiB) of one run; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit("bench_report: %s failed (%d): %s" % (" ".join(cmd), proc.returncode, err.strip()))
    return elapsed, usage.ru_maxrss / 1024.0


def generate(args, old_path, new_path):
    rng = random.Random(args.seed)
    strings, frames, tracebacks = build_tables(rng, args.tracebacks, args.max_frames)
    old_traces = make_traces(rng, args.traces, args.tracebacks)
    new_traces = mutate(rng, old_traces, args.tracebacks)
    for path, traces in ((old_path, old_traces), (new_path, new_traces)):
        with open(path, "wb") as f:
            f.write(encode_dump(strings, frames, tracebacks, traces, args.max_frames))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tm-report", required=True)
    parser.add_argument("--traces", type=int, default=1_000_000)
    parser.add_argument("--tracebacks", type=int, default=100_000)
    parser.add_argument("--large", action="store_true", help="10M traces (overrides --traces)")
    parser.add_argument("--max-frames", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-json", action="store_true", help="skip the JSON conversion and load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="where to write the snapshots (default: a temp dir)")
    args = parser.parse_args()
    if args.large:
        args.traces = 10_000_000
    tm_report = os.path.abspath(args.tm_report)

    workdir = args.workdir or tempfile.mkdtemp(prefix="tm-bench-report-")
    os.makedirs(workdir, exist_ok=True)
    old_path = os.path.join(workdir, "old.tmd")
    new_path = os.path.join(workdir, "new.tmd")
    t0 = time.perf_counter()
    # Generated in a child process: Linux counts the RSS a process had when
    # it forked in its children's ru_maxrss, so the generator's arrays would
    # inflate every measurement below.
    pid = os.fork()
    if pid == 0:
        try:
            generate(args, old_path, new_path)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0 or not os.path.exists(new_path):
        sys.exit("bench_report: generating the snapshots failed")
    print("generated %d traces, %d tracebacks in %.1f s: %s (%.0f MiB), %s"
          % (args.traces, args.tracebacks, time.perf_counter() - t0,
             old_path, os.path.getsize(old_path) / 2**20, new_path))

    json_path = os.path.join(workdir, "old.json")
    runs = [
        ("top (load + lineno)", ["top", old_path]),
        ("top --key-type filename", ["top", old_path, "--key-type", "filename"]),
        ("top --key-type traceback", ["top", old_path, "--key-type", "traceback"]),
        ("top --cumulative", ["top", old_path, "--cumulative"]),
        ("top --format json --limit 0", ["top", old_path, "--format", "json", "--limit", "0"]),
        ("top --exclude 'src/module1*'", ["top", old_path, "--exclude", "src/module1*"]),
        ("diff (two loads + compare)", ["diff", old_path, new_path]),
        ("diff --key-type traceback", ["diff", old_path, new_path, "--key-type", "traceback"]),
        ("traceback", ["traceback", old_path]),
    ]
    if not args.no_json:
        runs += [
            ("convert tmd -> json", ["convert", old_path, json_path]),
            ("top (JSON load + lineno)", ["top", json_path]),
        ]

    print("%-32s %10s %10s %10s" % ("command", "median s", "min s", "max RSS MiB"))
    for name, cmd in runs:
        times, peak = [], 0.0
        for _ in range(args.repeat):
            elapsed, rss = run_timed([tm_report] + cmd)
            times.append(elapsed)
            peak = max(peak, rss)
        print("%-32s %10.3f %10.3f %10.0f" % (name, statistics.median(times), min(times), peak))
        sys.stdout.flush()
    if os.path.exists(json_path):
        print("JSON snapshot: %.0f MiB" % (os.path.getsize(json_path) / 2**20))
    if not args.workdir:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
