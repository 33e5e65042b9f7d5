"""Prints the frames of the traces of a JSON snapshot whose allocation site
is in FILE: one line per frame, oldest first, as
`function linkage_name lineno inlined=BOOL` (linkage_name = function when the
snapshot has none)."""
import json
import sys

snapshot = json.load(open(sys.argv[1]))
for trace in snapshot["traces"]:
    frames = trace["traceback"]
    if not frames[-1]["filename"].endswith(sys.argv[2]):
        continue
    print("traceback")
    for f in frames:
        function = f.get("function", "?")
        print(function, f.get("linkage_name", function), f["lineno"],
              "inlined=%s" % f.get("inlined", False))
