"""Counts the dynamic relocations that patch each named section of a linked
ELF file (`llvm-readelf --wide --sections --relocations` output on stdin).
Prints `NAME: N relocations` per section argument, or `NAME: missing` when
the file has no such section (or an empty one), so a check for zero cannot
pass because the section went away."""
import re
import sys

SECTION = re.compile(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s")
RELOCATION = re.compile(r"^([0-9a-f]{8,16})\s+[0-9a-f]+\s+R_\w+")


def main():
    wanted = sys.argv[1:]
    ranges = {}
    counts = {name: 0 for name in wanted}
    for line in sys.stdin:
        section = SECTION.match(line)
        if section and section.group(1) in counts:
            start, size = int(section.group(2), 16), int(section.group(3), 16)
            if size:
                ranges[section.group(1)] = (start, start + size)
            continue
        relocation = RELOCATION.match(line)
        if relocation:
            offset = int(relocation.group(1), 16)
            for name, (start, end) in ranges.items():
                if start <= offset < end:
                    counts[name] += 1
    for name in wanted:
        print("%s: %s" % (name, "%d relocations" % counts[name] if name in ranges else "missing"))


if __name__ == "__main__":
    main()
