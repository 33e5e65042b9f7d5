"""Checks the dynamic symbols that libtracemalloc.so defines (llvm-nm -D
--defined-only -C output on stdin) against its interface: the C API of
tracemalloc.h, the entries of abi.h, the interposed allocation functions and
the C++ API.  Prints one line per symbol outside it and per missing one; exit
1 if any."""
import re
import sys

INTERPOSED = {"malloc", "free", "calloc", "realloc", "reallocarray", "memalign",
              "aligned_alloc", "posix_memalign", "valloc", "pvalloc", "malloc_usable_size"}
CXX_FUNCTIONS = ("start", "stop", "is_tracing", "clear_traces", "get_traced_memory",
                 "reset_peak", "get_tracemalloc_memory", "get_traceback_limit",
                 "get_object_traceback", "take_snapshot", "track", "untrack",
                 "parse_key_type", "format_size", "format_size_unsigned",
                 "format_size_float", "fnmatch", "timeline", "view_name", "get_sample_bytes",
                 "sample_weight", "estimated_totals")
CXX_CLASSES = ("Frame", "Traceback", "Statistic", "StatisticDiff", "Snapshot", "Error")
ALLOWED = [
    re.compile(r"tm_\w+$"),
    re.compile(r"__tm_\w+$"),
    re.compile(r"tracemalloc::(%s)(\[abi:cxx11\])?\(" % "|".join(CXX_FUNCTIONS)),
    re.compile(r"tracemalloc::(%s)::" % "|".join(CXX_CLASSES)),
    re.compile(r"(typeinfo|typeinfo name|vtable) for tracemalloc::Error$"),
]


def main():
    abi_h, api_h = sys.argv[1], sys.argv[2]
    with open(abi_h, encoding="utf-8") as f:
        abi = f.read()
    list_start = abi.index("TM_ALLOCATION_FUNCTIONS(X)")
    entries = {"__tm_" + name for name in re.findall(r"\bX\((\w+)", abi[list_start:])}
    entries |= {"__tm_register_module", "__tm_shadow_stack"}
    with open(api_h, encoding="utf-8") as f:
        c_api = set(re.findall(r"\b(tm_\w+)\s*\(", f.read()))
    defined = set()
    for line in sys.stdin:
        parts = line.rstrip("\n").split(" ", 2)
        if len(parts) == 3:
            defined.add(parts[2])
    status = 0
    for name in sorted(defined):
        if name in INTERPOSED or any(p.match(name) for p in ALLOWED):
            continue
        print("exported but not part of the interface: " + name)
        status = 1
    for name in sorted((c_api | entries) - defined):
        print("part of the interface but not exported: " + name)
        status = 1
    if len(entries) < 40 or len(c_api) < 15:
        print("could not read the interface from %s and %s" % (abi_h, api_h))
        status = 1
    if status == 0:
        print("%d symbols, all part of the interface" % len(defined))
    return status


if __name__ == "__main__":
    sys.exit(main())
