"""Checks that the Markdown configuration tables list exactly the runtime's
environment variables (TM_FLAG entries of flags.inc); exit 1 naming each
difference."""
import re
import sys


def flag_names(flags_inc):
    with open(flags_inc, encoding="utf-8") as f:
        return set(re.findall(r"^TM_FLAG\((\w+),", f.read(), re.M))


def table_names(markdown):
    # First cell of each table row: `NAME=...` or `NAME`.
    with open(markdown, encoding="utf-8") as f:
        return set(re.findall(r"^\| `(TRACEMALLOC\w*)[=`]", f.read(), re.M))


def main():
    flags = flag_names(sys.argv[1])
    if not flags:
        print(f"{sys.argv[1]}: no TM_FLAG entries")
        return 1
    status = 0
    for doc in sys.argv[2:]:
        rows = table_names(doc)
        for name in sorted(flags - rows):
            print(f"{doc}: no row for {name} (runtime/config/flags.inc)")
            status = 1
        for name in sorted(rows - flags):
            print(f"{doc}: row for {name}, which the runtime does not read")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
