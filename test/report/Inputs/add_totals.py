"""Adds up the totals export_totals.py prints ("size=N count=M"), one file each.

  add_totals.py TOTALS...     prints "size=SUM count=SUM"
"""
import sys

sums = {}
for path in sys.argv[1:]:
    for field in open(path).read().split():
        key, _, value = field.partition("=")
        sums[key] = sums.get(key, 0) + int(value)
print(" ".join("%s=%d" % item for item in sums.items()))
