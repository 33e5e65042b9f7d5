#!/usr/bin/env python3
"""Helpers of the html-*.test files.

  page_data.py PAGE summary      what a page embeds, one fact a line
  page_data.py PAGE tree         the live flame tree's shape
  page_data.py OUT make-many N   a JSON snapshot of N small tracebacks and a big one
"""
import json
import re
import sys


def page_data(path):
    text = open(path, encoding="utf-8").read()
    match = re.search(r'<script type="application/json" id="tm-data">(.*?)</script>', text, re.S)
    return match.group(1), json.loads(match.group(1))


def walk(node):
    yield node
    for child in node.get("c", []):
        yield from walk(child)


def main():
    path, action = sys.argv[1:3]
    if action == "make-many":
        n = int(sys.argv[3])
        main_frame = {"filename": "src/main.c", "lineno": 1, "function": "main"}
        traces = [{"domain": 0, "size": 1000000, "traceback": [
            main_frame, {"filename": "src/big.c", "lineno": 1, "function": "big"}]}]
        traces += [{"domain": 0, "size": 1, "traceback": [
            main_frame, {"filename": "src/small%d.c" % (i % 100), "lineno": i, "function": "f%d" % i}]}
            for i in range(n)]
        json.dump({"format": "tracemalloc-snapshot", "version": 2, "traceback_limit": 2,
                   "traces": traces}, open(path, "w"))
        return
    raw, data = page_data(path)
    frames = data["frames"]
    if action == "summary":
        print("escaped:", "<" not in raw and "\\u003c" in raw)
        print("filters:", data["filters"])
        print("views:", " ".join(v["name"] for v in data["views"]))
        table = data["views"][0]["tables"]["lineno"]
        print("live lineno rows: %d of %d" % (len(table["rows"]), table["total"]))
        print("first:", table["rows"][0][5])
        print("timeline points:", len(data["timeline"]["t"]))
    elif action == "tree":
        tree = data["views"][0]["tree"]
        nodes = list(walk(tree))
        others = sum(1 for n in nodes if n.get("o"))
        print("live tree: nodes <= 20000: %s, other nodes: %d, root size: %d"
              % (len(nodes) <= 20000, others, tree["v"]))
        top = max((n for n in nodes if n["f"] >= 0 and frames[n["f"]][0] != "src/main.c"),
                  key=lambda n: n["v"])
        f = frames[top["f"]]
        print("largest frame: %s (%s:%d)" % (f[2], f[0], f[1]))


main()
