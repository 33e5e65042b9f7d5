"""Checks a `tm-report timeline --format csv` output against the program's peak."""
import csv
import sys

peak = int(open(sys.argv[1]).read().split("peak=")[1].split()[0])
with open(sys.argv[2]) as f:
    header = f.readline().strip()
    rows = list(csv.reader(f))
print("header", header)
print("samples 5..8", int(5 <= len(rows) <= 8))
print("max high == peak", int(max(int(r[2]) for r in rows) == peak))
times = [float(r[0]) for r in rows]
print("times increase", int(all(a <= b for a, b in zip(times, times[1:]))))
print("rss > 0", int(all(int(r[3]) > 0 for r in rows)))
