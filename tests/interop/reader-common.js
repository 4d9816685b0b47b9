// Shared pieces of the independent vector readers (drill-reader.js, manifest-reader.js, dkg-export-reader.js,
// restore-session-reader.js). Written from the format texts in docs/ (drill-report.md, cli.md "identity",
// manifest.md, slip39 layout from SLIP-0039 itself), not from KeyVault's C# source: this is a second implementation.
// Only Node's built-in crypto is used here; secp256k1 arithmetic is done with BigInt, and each ECDSA verification is
// repeated with Node's own (OpenSSL) ECDSA so two implementations must agree.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

class Reject extends Error {}
const reject = (why) => {
  throw new Reject(why);
};

const sha256 = (b) => crypto.createHash("sha256").update(b).digest();
const hash160 = (b) => crypto.createHash("ripemd160").update(sha256(b)).digest();
const hex = (b) => Buffer.from(b).toString("hex");

// ---------------------------------------------------------------- secp256k1 (SEC 1 / SEC 2)
const P = 2n ** 256n - 2n ** 32n - 977n;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const G = {
  x: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
  y: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
};
const mod = (a, m) => ((a % m) + m) % m;
function powmod(b, e, m) {
  let r = 1n;
  b = mod(b, m);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
const inv = (a, m) => powmod(a, m - 2n, m); // m prime
function add(A, B) {
  if (A === null) return B;
  if (B === null) return A;
  if (A.x === B.x) {
    if (mod(A.y + B.y, P) === 0n) return null;
    const l = mod(3n * A.x * A.x * inv(2n * A.y, P), P);
    const x = mod(l * l - 2n * A.x, P);
    return { x, y: mod(l * (A.x - x) - A.y, P) };
  }
  const l = mod((B.y - A.y) * inv(B.x - A.x, P), P);
  const x = mod(l * l - A.x - B.x, P);
  return { x, y: mod(l * (A.x - x) - A.y, P) };
}
function mul(k, A) {
  let R = null;
  let Q = A;
  while (k > 0n) {
    if (k & 1n) R = add(R, Q);
    Q = add(Q, Q);
    k >>= 1n;
  }
  return R;
}
const big = (b) => BigInt("0x" + (hex(b) || "0"));
const be32 = (x) => Buffer.from(x.toString(16).padStart(64, "0"), "hex");
function liftX(x, odd) {
  if (x >= P) return null;
  const y2 = mod(x * x * x + 7n, P);
  let y = powmod(y2, (P + 1n) / 4n, P);
  if ((y * y) % P !== y2) return null;
  if ((y & 1n) !== (odd ? 1n : 0n)) y = P - y;
  return { x, y };
}
function decodePoint(h) {
  if (typeof h !== "string" || !/^0[23][0-9a-f]{64}$/.test(h)) reject(`not a compressed public key in lowercase hex: ${JSON.stringify(h).slice(0, 20)}`);
  const x = BigInt("0x" + h.slice(2));
  if (x >= P) reject("public key x-coordinate not below p");
  const pt = liftX(x, h.slice(0, 2) === "03");
  if (!pt) reject("public key is not on secp256k1");
  return pt;
}
const encodePoint = (pt) => ((pt.y & 1n) ? "03" : "02") + pt.x.toString(16).padStart(64, "0");
function publicKeyOf(privHex) {
  const d = BigInt("0x" + privHex);
  if (d === 0n || d >= N) reject("private key out of range");
  return encodePoint(mul(d, G));
}

// ---------------------------------------------------------------- Stacks signed message (drill-report.md section 2)
const PREFIX = Buffer.from("17537461636b73205369676e6564204d6573736167653a0a", "hex");
function compactSize(n) {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) { const b = Buffer.alloc(3); b[0] = 0xfd; b.writeUInt16LE(n, 1); return b; }
  if (n <= 0xffffffff) { const b = Buffer.alloc(5); b[0] = 0xfe; b.writeUInt32LE(n, 1); return b; }
  const b = Buffer.alloc(9); b[0] = 0xff; b.writeBigUInt64LE(BigInt(n), 1); return b;
}
function encodeMessage(m) {
  const mb = Buffer.isBuffer(m) ? m : Buffer.from(m, "utf8");
  return Buffer.concat([PREFIX, compactSize(mb.length), mb]);
}
const SPKI_PREFIX = Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex");

// Verifies a 65-byte RSV signature over message m against publicKeyHex. Returns {ok, why, recovered, hash, encoded}.
function verifyRsv(m, sigHex, publicKeyHex) {
  const encoded = encodeMessage(m);
  const hash = sha256(encoded);
  const out = { ok: false, why: null, recovered: null, hash: hex(hash), encoded: hex(encoded) };
  if (typeof sigHex !== "string" || !/^[0-9a-f]{130}$/.test(sigHex)) { out.why = "signature.value is not 130 lowercase hex characters"; return out; }
  const r = BigInt("0x" + sigHex.slice(0, 64));
  const s = BigInt("0x" + sigHex.slice(64, 128));
  const v = parseInt(sigHex.slice(128), 16);
  if (v > 3) { out.why = `recovery id ${v} > 3`; return out; }
  if (r < 1n || r >= N || s < 1n || s >= N) { out.why = "r or s outside [1, n-1]"; return out; }
  if (s > N / 2n) { out.why = "high-s signature"; return out; }
  const e = big(hash);
  // SEC 1 v2 4.1.6 public key recovery
  const R = liftX(r + (v & 2 ? N : 0n), (v & 1) === 1);
  if (!R) { out.why = "R is not a curve point"; return out; }
  if (mul(N, R) !== null) { out.why = "nR is not the point at infinity"; return out; }
  const rInv = inv(r, N);
  const Q = mul(rInv, add(mul(s, R), mul(mod(-e, N), G)));
  if (Q === null) { out.why = "recovered the point at infinity"; return out; }
  out.recovered = encodePoint(Q);
  const pub = decodePoint(publicKeyHex);
  if (out.recovered !== publicKeyHex) { out.why = `signature recovers ${out.recovered}, not ${publicKeyHex}: signature invalid`; return out; }
  // ECDSA verification, once with BigInt arithmetic ...
  const w = inv(s, N);
  const X = add(mul(mod(e * w, N), G), mul(mod(r * w, N), pub));
  const mine = X !== null && mod(X.x, N) === r;
  // ... and once with OpenSSL (Node crypto), which hashes `encoded` with SHA-256 itself.
  const key = crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKeyHex, "hex")]), format: "der", type: "spki" });
  const openssl = crypto.verify("sha256", encoded, { key, dsaEncoding: "ieee-p1363" }, Buffer.from(sigHex.slice(0, 128), "hex"));
  if (mine !== openssl) { out.why = `the two ECDSA verifications disagree (BigInt ${mine}, OpenSSL ${openssl})`; return out; }
  if (!mine) { out.why = "ECDSA verification failed: signature invalid"; return out; }
  out.ok = true;
  return out;
}

// ---------------------------------------------------------------- strict JSON (RFC 8259, drill-report.md section 3 limits)
function parseStrictJson(text) {
  let i = 0;
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const fail = (why) => reject(`not well-formed JSON at offset ${i}: ${why}`);
  function value() {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj = Object.create(null);
      const keys = [];
      ws();
      if (text[i] === "}") { i++; return { obj, keys }; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("member name expected");
        const k = string();
        if (keys.includes(k)) reject(`duplicate member name ${JSON.stringify(k)}`);
        ws();
        if (text[i] !== ":") fail("':' expected");
        i++;
        obj[k] = value();
        keys.push(k);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; break; }
        fail("',' or '}' expected");
      }
      return wrapObject(obj, keys);
    }
    if (c === "[") {
      i++;
      const arr = [];
      ws();
      if (text[i] === "]") { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; break; }
        fail("',' or ']' expected");
      }
      return arr;
    }
    if (c === '"') return string();
    for (const [lit, v] of [["true", true], ["false", false], ["null", null]])
      if (text.startsWith(lit, i)) { i += lit.length; return v; }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) fail("value expected");
    i += m[0].length;
    if (m[2] || m[3]) reject(`non-integer number ${m[0]}`);
    const n = Number(m[0]);
    if (Math.abs(n) >= 2 ** 53) reject(`integer of magnitude >= 2^53: ${m[0]}`);
    return n === 0 ? 0 : n; // -0 → 0
  }
  function string() {
    i++;
    let s = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text[i];
      const code = c.charCodeAt(0);
      if (c === '"') { i++; break; }
      if (code < 0x20) fail("control character in string");
      if (c === "\\") {
        const e = text[i + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) { s += simple[e]; i += 2; continue; }
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
        fail("bad escape");
      }
      s += c;
      i++;
    }
    for (let k = 0; k < s.length; k++) {
      const u = s.charCodeAt(k);
      if (u >= 0xd800 && u <= 0xdbff) {
        const l = s.charCodeAt(k + 1);
        if (!(l >= 0xdc00 && l <= 0xdfff)) reject("lone surrogate in string");
        k++;
      } else if (u >= 0xdc00 && u <= 0xdfff) reject("lone surrogate in string");
    }
    return s;
  }
  // Objects are plain objects; the member order as read is kept in a hidden property for diagnostics only.
  function wrapObject(obj, keys) {
    const o = {};
    for (const k of keys) o[k] = obj[k];
    return o;
  }
  const v = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return v;
}

function readJsonFile(file) {
  return readJsonBytes(fs.readFileSync(file));
}

function readJsonBytes(bytes) {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  return parseStrictJson(text.replace(/^\uFEFF/, "") === text ? text : reject("byte order mark"));
}

// RFC 8785 for the value types the formats hold (strings, safe integers, booleans, null, arrays, objects).
function canonicalize(v) {
  if (v === null) return "null";
  if (v === true) return "true";
  if (v === false) return "false";
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) reject("non-integer number");
    return String(v);
  }
  if (typeof v === "string") {
    let s = '"';
    for (const ch of v) {
      const c = ch.codePointAt(0);
      if (ch === '"') s += '\\"';
      else if (ch === "\\") s += "\\\\";
      else if (c === 8) s += "\\b";
      else if (c === 9) s += "\\t";
      else if (c === 10) s += "\\n";
      else if (c === 12) s += "\\f";
      else if (c === 13) s += "\\r";
      else if (c < 0x20) s += "\\u" + c.toString(16).padStart(4, "0");
      else s += ch;
    }
    return s + '"';
  }
  if (Array.isArray(v)) return "[" + v.map(canonicalize).join(",") + "]";
  // Default sort compares UTF-16 code units, as RFC 8785 requires.
  const keys = Object.keys(v).sort();
  return "{" + keys.map((k) => canonicalize(k) + ":" + canonicalize(v[k])).join(",") + "}";
}
function signedMessageOf(obj) {
  const copy = { ...obj };
  delete copy.signature;
  return Buffer.from(canonicalize(copy), "utf8");
}

// ---------------------------------------------------------------- identity (docs/cli.md, keyvault identity)
const C32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
function c32encode(bytes) {
  let n = big(bytes);
  let s = "";
  while (n > 0n) { s = C32[Number(n & 31n)] + s; n >>= 5n; }
  for (const b of bytes) { if (b !== 0) break; s = "0" + s; }
  return s;
}
function c32checkAddress(version, h160) {
  const checksum = sha256(sha256(Buffer.concat([Buffer.from([version]), h160]))).subarray(0, 4);
  return "S" + C32[version] + c32encode(Buffer.concat([h160, checksum]));
}
function c32decodeAddress(addr) {
  const a = addr.toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^S[0-9A-HJKMNP-TV-Z]+$/.test(a)) reject("address: not c32 characters after 'S'");
  const version = C32.indexOf(a[1]);
  const body = a.slice(2);
  const zeros = /^0*/.exec(body)[0].length;
  let n = 0n;
  for (const ch of body) n = n * 32n + BigInt(C32.indexOf(ch));
  let h = n === 0n ? "" : n.toString(16);
  if (h.length % 2) h = "0" + h;
  const bytes = Buffer.concat([Buffer.alloc(zeros), Buffer.from(h, "hex")]);
  if (bytes.length !== 24) reject("address: wrong length");
  const h160 = bytes.subarray(0, 20);
  const checksum = sha256(sha256(Buffer.concat([Buffer.from([version]), h160]))).subarray(0, 4);
  if (!checksum.equals(bytes.subarray(20))) reject("address: c32check checksum mismatch");
  return { version, hash160: hex(h160) };
}
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes) {
  let n = big(bytes);
  let s = "";
  while (n > 0n) { s = B58[Number(n % 58n)] + s; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; s = "1" + s; }
  return s;
}
function identityOf(publicKeyHex) {
  decodePoint(publicKeyHex);
  const pub = Buffer.from(publicKeyHex, "hex");
  const h = hash160(pub);
  return {
    publicKey: publicKeyHex,
    fingerprint: hex(h.subarray(0, 4)),
    stacksAddress: { mainnet: c32checkAddress(22, h), testnet: c32checkAddress(26, h) },
    peerId: base58(Buffer.concat([Buffer.from("002508021221", "hex"), pub])),
  };
}
// Rejects unless `id` is exactly an identity object and every field is the one derived from id.publicKey.
function checkIdentity(id, where) {
  if (!id || typeof id !== "object" || Array.isArray(id)) reject(`${where}: not an object`);
  const want = identityOf(id.publicKey);
  if (canonicalize(Object.keys(id).sort()) !== canonicalize(Object.keys(want).sort())) reject(`${where}: members are not publicKey, fingerprint, stacksAddress, peerId`);
  for (const f of ["fingerprint", "peerId"]) if (id[f] !== want[f]) reject(`${where}.${f} is not that of ${where}.publicKey`);
  const sa = id.stacksAddress;
  if (!sa || typeof sa !== "object" || canonicalize(Object.keys(sa).sort()) !== '["mainnet","testnet"]') reject(`${where}.stacksAddress: members are not mainnet, testnet`);
  for (const f of ["mainnet", "testnet"]) if (sa[f] !== want.stacksAddress[f]) reject(`${where}.stacksAddress.${f} is not that of ${where}.publicKey`);
  return want;
}

// ---------------------------------------------------------------- SLIP-0039 share decoding (the standard's layout)
let WORDS = null;
function wordlist() {
  if (!WORDS) {
    WORDS = fs.readFileSync(path.join(__dirname, "..", "..", "test-vectors", "slip39", "wordlist.txt"), "utf8").split("\n").filter((w) => w);
    if (WORDS.length !== 1024) throw new Error("wordlist.txt does not hold 1024 words");
  }
  return WORDS;
}
const GEN = [0xe0e040, 0x1c1c080, 0x3838100, 0x7070200, 0xe0e0009, 0x1c0c2412, 0x38086c24, 0x3090fc48, 0x21b1f890, 0x3f3f120];
function rs1024Polymod(values) {
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 20;
    chk = (((chk & 0xfffff) << 10) ^ v) >>> 0;
    for (let i = 0; i < 10; i++) if ((b >>> i) & 1) chk = (chk ^ GEN[i]) >>> 0;
  }
  return chk;
}
function decodeShare(mnemonic) {
  const words = mnemonic.trim().split(/\s+/).map((w) => w.toLowerCase());
  const list = wordlist();
  const idx = words.map((w) => {
    const k = list.indexOf(w);
    if (k < 0) reject(`share: "${w}" is not a SLIP-0039 word`);
    return k;
  });
  if (idx.length < 20) reject(`share: ${idx.length} words, fewer than 20`);
  let bits = 0n;
  for (const k of idx) bits = (bits << 10n) | BigInt(k);
  const total = 10 * idx.length;
  const field = (from, len) => Number((bits >> BigInt(total - from - len)) & ((1n << BigInt(len)) - 1n));
  const identifier = field(0, 15);
  const extendable = field(15, 1) === 1;
  const custom = Buffer.from(extendable ? "shamir_extendable" : "shamir", "ascii");
  if (rs1024Polymod([...custom, ...idx]) !== 1) reject("share: RS1024 checksum does not verify");
  const valueBits = 10 * (idx.length - 7);
  const padding = valueBits % 16;
  if (padding > 8) reject("share: invalid length");
  if (field(40, padding) !== 0) reject("share: padding bits are not zero");
  const valueLen = (valueBits - padding) / 8;
  const vbits = (bits >> 30n) & ((1n << BigInt(valueBits - padding)) - 1n);
  const value = Buffer.from(vbits.toString(16).padStart(valueLen * 2, "0"), "hex");
  const s = {
    identifier,
    extendable,
    iterationExponent: field(16, 4),
    groupIndex: field(20, 4),
    groupThreshold: field(24, 4) + 1,
    groupCount: field(28, 4) + 1,
    memberIndex: field(32, 4),
    memberThreshold: field(36, 4) + 1,
    value,
    canonical: words.join(" "),
  };
  if (s.groupThreshold > s.groupCount) reject("share: group threshold exceeds group count");
  if (value.length < 16 || value.length % 2) reject("share: value length is not even and >= 16 bytes");
  return s;
}

// manifest.md section 3
const COMMIT_TAG = Buffer.from("keyvault/backup-manifest/share-commitment/v1", "ascii");
function committedBytes(s) {
  const fixed = Buffer.alloc(2 + 7 + 2);
  fixed.writeUInt16BE(s.identifier, 0);
  [s.extendable ? 1 : 0, s.iterationExponent, s.groupIndex, s.groupThreshold, s.groupCount, s.memberIndex, s.memberThreshold].forEach((b, k) => (fixed[2 + k] = b));
  fixed.writeUInt16BE(s.value.length, 9);
  return Buffer.concat([Buffer.from([COMMIT_TAG.length]), COMMIT_TAG, fixed, s.value]);
}
const commitmentOf = (s) => hex(sha256(committedBytes(s)));

// ---------------------------------------------------------------- development keys (published; never real keys)
// Taken from the vectors themselves: test-vectors/slip39/3-of-5 (key 1) and 2-of-3-passphrase (key 2).
function developmentKeys() {
  // The master secrets of the SLIP-0039 sets (test-vectors/slip39/): test keys 1 and 2.
  const dir = path.join(__dirname, "..", "..", "test-vectors", "slip39");
  return { key1: readVector(path.join(dir, "3-of-5")).header["master secret"], key2: readVector(path.join(dir, "2-of-3-passphrase")).header["master secret"] };
}

function aesGcmOpen(key, nonce, ciphertext, tag, aad) {
  try {
    const d = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    if (aad) d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    return null;
  }
}

const UTC_SECONDS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
const isUtcSeconds = (s) => typeof s === "string" && UTC_SECONDS.test(s) && !Number.isNaN(Date.parse(s));

// Runs check(file) for each file and prints one JSON line each; check returns {expected, verdict, reason, facts}.
// Exit code 1 when any verdict differs from what the vector is expected to be.
// test-vectors/README.md, "One layout": header lines "name: value" (expect first, comment last), one empty line,
// then the exact bytes of the file under test.
function readVector(file) {
  const buf = fs.readFileSync(file);
  const header = {};
  const order = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf(0x0a, at);
    if (end < 0) throw new Error(`${path.basename(file)}: the header does not end with an empty line`);
    if (end === at) break;
    const line = buf.subarray(at, end).toString("utf8");
    const colon = line.indexOf(": ");
    if (colon <= 0) throw new Error(`${path.basename(file)}: header line "${line}" is not NAME: VALUE`);
    if (line.slice(0, colon) in header) throw new Error(`${path.basename(file)}: header line ${line.slice(0, colon)} appears twice`);
    header[line.slice(0, colon)] = line.slice(colon + 2);
    order.push(line.slice(0, colon));
    at = end + 1;
  }
  if (order[0] !== "expect" || order[order.length - 1] !== "comment") throw new Error(`${path.basename(file)}: the header must start with expect and end with comment`);
  return { header, body: buf.subarray(at + 1) };
}

function runReader(kind, files, check) {
  if (files.length === 0) {
    process.stderr.write(`usage: node ${kind}-reader.js FILE...\n`);
    process.exit(2);
  }
  let mismatches = 0;
  for (const file of files) {
    let line;
    try {
      line = check(file);
    } catch (e) {
      line = { expected: null, verdict: "error", reason: String(e && e.stack || e), facts: {} };
    }
    const ok = line.expected !== null && line.expected === line.verdict;
    if (!ok) mismatches++;
    process.stdout.write(JSON.stringify({ file: path.basename(file), reader: kind, verdict: line.verdict, expected: line.expected, ok, reason: line.reason || null, facts: line.facts || {} }) + "\n");
  }
  process.exit(mismatches ? 1 : 0);
}

module.exports = {
  Reject, reject, sha256, hash160, hex, publicKeyOf, decodePoint, encodeMessage, verifyRsv, parseStrictJson,
  readJsonFile, readJsonBytes, canonicalize, signedMessageOf, identityOf, checkIdentity, c32decodeAddress, decodeShare,
  committedBytes, commitmentOf, developmentKeys, aesGcmOpen, isUtcSeconds, runReader, readVector, rs1024Polymod,
};
