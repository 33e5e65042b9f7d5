"""Totals of the exports against tm-report top's.

  export_totals.py top JSON_OF_TOP          size and count summed over the statistics
  export_totals.py folded FILE              the sum of the values of folded stacks
  export_totals.py pprof TOP_OUTPUT         the bytes `go tool pprof -top -unit=B` accounts for
"""
import json
import re
import sys

kind, path = sys.argv[1:3]
if kind == "top":
    stats = json.load(open(path))["statistics"]
    print("size=%d count=%d" % (sum(s["size"] for s in stats), sum(s["count"] for s in stats)))
elif kind == "folded":
    total = 0
    for line in open(path, "rb"):
        stack, _, value = line.rstrip(b"\n").rpartition(b" ")
        assert stack, line
        total += int(value)
    print("size=%d" % total)
else:
    text = open(path).read()
    m = re.search(r"Showing nodes accounting for (\d+)B, 100% of (\d+)B total", text)
    print("size=%s" % m.group(2) if m else "no total in:\n" + text)
