#!/usr/bin/env python3
# Rebuilds src/KeyVault/Text/WordLists/*.txt.z, the ranked lists the passphrase strength estimator matches against
# (docs/passphrase-strength.md). Input: the unpacked npm tarballs of @zxcvbn-ts/language-common 4.1.3 and
# @zxcvbn-ts/language-en 4.1.1 (`npm pack` them, then `tar xzf` each into its own folder). Output is deterministic:
# zlib level 9 of the words in rank order, one per line, lowercase printable ASCII of 2 to 32 characters, at most
# 30,000 per list. Usage: tools/wordlists.py COMMON_PACKAGE_DIR EN_PACKAGE_DIR
import json, sys, zlib, os

common, en = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(__file__), "..", "src", "KeyVault", "Text", "WordLists")

def keep(w):
    return w.isascii() and w.isprintable() and 2 <= len(w) <= 32 and w == w.lower() and " " not in w

for name, src in [("passwords", os.path.join(common, "src", "passwords.json")),
                  ("english", os.path.join(en, "src", "commonWords.json"))]:
    words = [w for w in json.load(open(src, encoding="utf-8")) if keep(w)]
    seen, ranked = set(), []
    for w in words:
        if w not in seen:
            seen.add(w)
            ranked.append(w)
    ranked = ranked[:30000]
    data = zlib.compress("\n".join(ranked).encode("ascii"), 9)
    with open(os.path.join(out, name + ".txt.z"), "wb") as f:
        f.write(data)
    print(f"{name}: {len(ranked)} words, {len(data)} bytes")
