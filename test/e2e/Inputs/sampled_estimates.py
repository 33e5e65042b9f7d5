"""Runs a sampled-mode program with 10 seeds and checks the median estimates.

Usage: sampled_estimates.py PROGRAM TM_REPORT WORKDIR
The program's lines hold known byte totals (EXPECTED below); a line is
checked when it holds at least 5% of the live bytes.
"""
import json
import os
import statistics
import subprocess
import sys

program, tm_report, workdir = sys.argv[1:4]
os.makedirs(workdir, exist_ok=True)
EXPECTED = {28: 40 * 5000 * 64, 29: 40 * 400 * 1000, 30: 40 * 10 * 40000, 31: 40 * 300000,
            32: 40 * 25 * 16}
TOTAL = sum(EXPECTED.values())


def run(name, extra_env):
    dump = os.path.join(workdir, name + ".tmd")
    env = dict(os.environ, TRACEMALLOC="1", TRACEMALLOC_DUMP=dump, **extra_env)
    for key in ("TRACEMALLOC_SAMPLE", "TRACEMALLOC_SAMPLE_SEED"):
        if key not in extra_env:
            env.pop(key, None)
    out = subprocess.run([program], env=env, check=True, capture_output=True, text=True).stdout
    traced = int(out.split()[1])
    top = json.loads(subprocess.run([tm_report, "top", "--format", "json", "--limit", "0", dump],
                                    check=True, capture_output=True, text=True).stdout)
    text = subprocess.run([tm_report, "top", dump], check=True, capture_output=True,
                          text=True).stdout
    lines = {}
    for stat in top["statistics"]:
        frame = stat["traceback"][-1] if isinstance(stat["traceback"], list) else None
        lineno = frame["lineno"] if isinstance(frame, dict) else None
        if lineno is None:
            lineno = stat["traceback"]["frames"][0]["lineno"]
        lines[lineno] = (stat["size"], stat["count"])
    return lines, traced, top.get("sample_bytes"), text


exact, traced, rate, text = run("exact", {})
sizes_ok = all(exact.get(line, (0, 0))[0] == size for line, size in EXPECTED.items())
counts_ok = exact[28][1] == 200000 and exact[31][1] == 40
print("exact: sizes %s, counts %s, %s" % (
    "equal" if sizes_ok else "differ: %r" % exact, "equal" if counts_ok else "differ",
    "no sampled note" if rate is None and not text.startswith("#") else "a sampled note"))

estimates = {line: [] for line in EXPECTED}
traced_estimates = []
rates = set()
seen = []
for seed in range(10):
    lines, traced, rate, text = run("seed%d" % seed, {"TRACEMALLOC_SAMPLE": "65536",
                                                       "TRACEMALLOC_SAMPLE_SEED": str(seed)})
    rates.add((rate, text.splitlines()[0]))
    seen.append(sorted(lines.items()))
    for line in EXPECTED:
        estimates[line].append(lines.get(line, (0, 0))[0])
    traced_estimates.append(traced)
if rates == {(65536, "# sampled: 1 in 65536 bytes, figures are estimates")}:
    print("sampled: every dump records 1 in 65536 bytes")
else:
    print("sampled: rates %r" % rates)
for line, size in sorted(EXPECTED.items()):
    if size < 0.05 * TOTAL:
        continue
    median = statistics.median(estimates[line])
    verdict = "median within 10%" if abs(median - size) <= 0.10 * size else (
        "median %d off (%r)" % (median, estimates[line]))
    print("line %d (%d bytes): %s" % (line, size, verdict))
median = statistics.median(traced_estimates)
print("traced memory: %s" % ("median within 10%" if abs(median - TOTAL) <= 0.10 * TOTAL
                            else "median %d off %d (%r)" % (median, TOTAL, traced_estimates)))
print("seeds differ:", len({repr(s) for s in seen}) == len(seen))
