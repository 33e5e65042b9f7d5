#!/usr/bin/env python3
"""Crafts damaged binary dumps for tm-report's error tests.

  patch_dump.py IN OUT truncate N        keep the first N bytes (N < 0: drop -N)
  patch_dump.py IN OUT flip OFFSET       invert one byte (the checksum no longer matches)
  patch_dump.py IN OUT u32 OFFSET VALUE  store a little-endian u32
  patch_dump.py IN OUT u32-crc OFFSET VALUE   the same, then recompute the
                                         CRC-32 trailer so only the structure is wrong
  patch_dump.py IN OUT replace OLD NEW   replace hex bytes OLD by NEW (same length,
                                         first occurrence), recompute the CRC-32
"""
import struct
import sys
import zlib


def main():
    src, dst, action = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    if action == "truncate":
        n = int(sys.argv[4])
        data = data[:n] if n >= 0 else data[:len(data) + n]
    elif action == "flip":
        offset = int(sys.argv[4])
        data[offset] ^= 0xFF
    elif action in ("u32", "u32-crc"):
        offset, value = int(sys.argv[4]), int(sys.argv[5])
        data[offset:offset + 4] = struct.pack("<I", value)
        if action == "u32-crc":
            # Trailer: CRC-32 (zlib's) of everything before it.
            data[-4:] = struct.pack("<I", zlib.crc32(bytes(data[:-4])))
    elif action == "replace":
        old, new = bytes.fromhex(sys.argv[4]), bytes.fromhex(sys.argv[5])
        at = data.find(old)
        if at < 0 or len(old) != len(new):
            sys.exit("patch_dump.py: %s not found or lengths differ" % sys.argv[4])
        data[at:at + len(old)] = new
        data[-4:] = struct.pack("<I", zlib.crc32(bytes(data[:-4])))
    else:
        sys.exit("patch_dump.py: unknown action " + action)
    open(dst, "wb").write(bytes(data))


if __name__ == "__main__":
    main()
