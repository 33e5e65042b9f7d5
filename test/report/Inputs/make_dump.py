#!/usr/bin/env python3
"""Writes binary dumps of hostile shapes for tm-report's limit tests.

  make_dump.py OUT count N            one trace entry counting N identical traces
  make_dump.py OUT deep TRACES FRAMES NAME_LENGTH
                                      TRACES traces, each with its own traceback
                                      of FRAMES frames in one file whose name is
                                      NAME_LENGTH bytes long
"""
import struct
import sys
import zlib


def section(tag, payload):
    return tag.encode() + struct.pack("<IQ", 0, len(payload)) + payload


def dump(strings, frames, tracebacks, traces):
    # Version 2 (docs/file-formats.md): META with the time fields, 24-byte
    # frames (linkage name "" and no flags added to each).
    body = section("META", struct.pack("<IIQQQQ", 1000, 0, 0, 0, 0, 0))
    body += section("STRS", struct.pack("<I", len(strings)) +
                    b"".join(struct.pack("<I", len(s)) + s for s in strings))
    body += section("FRMS", struct.pack("<I", len(frames)) +
                    b"".join(struct.pack("<IIIIII", *f, 0, 0) for f in frames))
    body += section("TBKS", struct.pack("<I", len(tracebacks)) +
                    b"".join(struct.pack("<IIQ", 0, len(tb), 0) +
                             struct.pack("<%dI" % len(tb), *tb) for tb in tracebacks))
    body += section("TRCS", struct.pack("<Q", len(traces)) +
                    b"".join(struct.pack("<QQQI", *t) for t in traces))
    data = b"TMSNAP\0\0" + struct.pack("<IIQ", 2, 0, len(body)) + body
    return data + struct.pack("<I", zlib.crc32(data))


def main():
    out, shape = sys.argv[1:3]
    if shape == "count":
        data = dump([b"", b"a.c"], [(1, 1, 0, 0)], [[0]], [(0, 16, int(sys.argv[3]), 0)])
    else:
        n_traces, n_frames, name_length = map(int, sys.argv[3:6])
        name = b"d/" + b"x" * (name_length - 4) + b".c"
        frames = [(1, line, 0, 0) for line in range(1, n_frames + n_traces + 1)]
        # Traceback t: frames t .. t + n_frames - 1, so every one differs.
        tracebacks = [list(range(t, t + n_frames)) for t in range(n_traces)]
        traces = [(0, 16 + t, 1, t) for t in range(n_traces)]
        data = dump([b"", name], frames, tracebacks, traces)
    open(out, "wb").write(data)


if __name__ == "__main__":
    main()
