#!/usr/bin/env python3
"""Lists, extracts or compares the files inside a .NET single-file executable (bundle format 6, .NET 6 and later).

    tools/bundle.py list keyvault              one line per embedded file: type, size, compressed size, path
    tools/bundle.py extract keyvault DIR       writes every embedded file under DIR
    tools/bundle.py diff keyvault-1 keyvault-2 which embedded files differ between two builds

The layout (dotnet/runtime, Microsoft.NET.HostModel Bundle/Manifest.cs and FileEntry.cs): the apphost holds a fixed
32-byte bundle signature; the 8 bytes before it are the little-endian offset of the
bundle header. The header is: uint32 major, uint32 minor, int32 file count, bundle ID (length-prefixed string), and
from major version 2 on int64 deps.json offset and size, int64 runtimeconfig.json offset and size, uint64 flags. Then
one entry per file: int64 offset, int64 size, int64 compressed size (major 6+, 0 = stored), byte type, path.
Strings are .NET BinaryWriter strings: a 7-bit variable-length byte count, then UTF-8. Compressed files are raw
DEFLATE. The C# reader the tests use is tests/KeyVault.Tests/Support/SingleFileBundle.cs.
"""
import os
import struct
import sys
import zlib

# The constant the apphost is compiled with (described in the runtime sources as a SHA-256 for ".net core bundle").
SIGNATURE = bytes.fromhex("8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae")
TYPES = {0: "unknown", 1: "assembly", 2: "native", 3: "deps.json", 4: "runtimeconfig", 5: "symbols"}


def _string(data, pos):
    length, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    return data[pos:pos + length].decode("utf-8"), pos + length


def read(path):
    data = open(path, "rb").read()
    at = data.find(SIGNATURE)
    if at < 8:
        sys.exit(f"{path}: not a single-file bundle (no bundle signature)")
    (pos,) = struct.unpack_from("<q", data, at - 8)
    major, minor, count = struct.unpack_from("<IIi", data, pos)
    pos += 12
    bundle_id, pos = _string(data, pos)
    if major >= 2:
        pos += 40
    entries = []
    for _ in range(count):
        offset, size = struct.unpack_from("<qq", data, pos)
        pos += 16
        compressed = 0
        if major >= 6:
            (compressed,) = struct.unpack_from("<q", data, pos)
            pos += 8
        kind = data[pos]
        pos += 1
        name, pos = _string(data, pos)
        raw = data[offset:offset + (compressed or size)]
        content = zlib.decompress(raw, -15) if compressed else raw
        entries.append((name, TYPES.get(kind, str(kind)), size, compressed, content))
    return (major, minor, bundle_id), entries


def main(argv):
    if len(argv) < 3 or argv[1] not in ("list", "extract", "diff"):
        sys.exit(__doc__)
    command = argv[1]
    if command == "list":
        header, entries = read(argv[2])
        print(f"bundle version {header[0]}.{header[1]}, id {header[2]}, {len(entries)} files")
        for name, kind, size, compressed, _ in entries:
            print(f"{kind:14} {size:>10} {compressed:>10}  {name}")
    elif command == "extract":
        _, entries = read(argv[2])
        for name, _, _, _, content in entries:
            target = os.path.join(argv[3], name)
            os.makedirs(os.path.dirname(target) or argv[3], exist_ok=True)
            with open(target, "wb") as f:
                f.write(content)
    else:
        (h1, e1), (h2, e2) = read(argv[2]), read(argv[3])
        if h1 != h2:
            print(f"header: {h1} vs {h2}")
        f1 = {e[0]: e[4] for e in e1}
        f2 = {e[0]: e[4] for e in e2}
        for name in sorted(set(f1) | set(f2)):
            if name not in f1 or name not in f2:
                print(f"only in one build: {name}")
            elif f1[name] != f2[name]:
                print(f"differs: {name}")


if __name__ == "__main__":
    main(sys.argv)
