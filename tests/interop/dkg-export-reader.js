// Independent reader of test-vectors/dkg-export/ (docs/dkg-export-format.md: layout, private part, QR framing),
// written from the format text, not from KeyVault's source; its own Base45 (RFC 9285) decoder. Each row's
// encrypted_private_shares is opened with AES-256-GCM under test key 1 (docs/drill.md section 2) and must not open
// under test key 2. Usage: node dkg-export-reader.js FILE...  (vector files: an export, a private part, or QR texts one part
// per line, after the header lines).
"use strict";
const fs = require("fs");
const path = require("path");
const c = require("./reader-common");
const { reject } = c;

const MAGIC = { E: Buffer.from("894b56444b0d0a1a", "hex"), P: Buffer.from("894b5644500d0a1a", "hex") };
const STATUS = ["absent", "unverified", "verified", "failed"];

function reader(buf) {
  let o = 0;
  const need = (n) => { if (o + n > buf.length) reject(`a length runs past the end at offset ${o}`); };
  return {
    u8() { need(1); return buf[o++]; },
    u32() { need(4); const v = buf.readUInt32BE(o); o += 4; return v; },
    i32() { need(4); const v = buf.readInt32BE(o); o += 4; return v; },
    i64() { need(8); const v = buf.readBigInt64BE(o); o += 8; return v; },
    bytes() { const n = this.u32(); need(n); const v = buf.subarray(o, o + n); o += n; return v; },
    get offset() { return o; },
  };
}
const iso = (us) => new Date(Number(us / 1000n)).toISOString().replace(/\.\d{3}Z$/, "Z") + (us % 1000000n ? ` (+${us % 1000000n} µs)` : "");

function parse(buf, kind) {
  if (buf.length > 64 * 1024 * 1024) reject("file larger than 64 MiB");
  if (buf.length < 53) reject("shorter than the 53-byte minimum");
  if (!buf.subarray(0, 8).equals(MAGIC[kind])) reject(`bad magic for ${kind === "E" ? "an export" : "a private part"}`);
  const body = buf.subarray(0, buf.length - 32);
  if (!c.sha256(body).equals(buf.subarray(buf.length - 32))) reject("checksum does not match");
  const r = reader(body);
  r.bytes = r.bytes.bind(r);
  for (let k = 0; k < 8; k++) r.u8();
  const version = r.u8();
  if (version !== 1) reject(`version ${version} is not 1`);
  const exportedAt = r.i64();
  const count = r.u32();
  const rows = [];
  for (let k = 0; k < count; k++) {
    const row = {};
    row.aggregate_key = r.bytes();
    if (kind === "E") {
      row.tweaked_aggregate_key = r.bytes();
      row.encrypted_private_shares = r.bytes();
      row.public_shares = r.bytes();
      row.script_pubkey = r.bytes();
      const n = r.u32();
      row.signer_set_public_keys = [];
      for (let j = 0; j < n; j++) row.signer_set_public_keys.push(r.bytes());
      row.signature_share_threshold = r.i32();
    } else row.encrypted_private_shares = r.bytes();
    row.created_at = r.i64();
    const st = r.u8();
    if (st > 3) reject(`status byte ${st}`);
    row.status = STATUS[st];
    if (kind === "E") {
      const h = r.u8();
      if (h > 1) reject(`presence byte ${h}`);
      row.started_at_bitcoin_block_hash = h ? r.bytes() : null;
      const b = r.u8();
      if (b > 1) reject(`presence byte ${b}`);
      row.started_at_bitcoin_block_height = b ? r.i64() : null;
    }
    rows.push(row);
  }
  if (r.offset !== body.length) reject("bytes follow the last row");
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1], b = rows[k];
    if (a.created_at > b.created_at || (a.created_at === b.created_at && Buffer.compare(a.aggregate_key, b.aggregate_key) > 0)) reject("rows are not in the order created_at, aggregate_key");
  }
  return { version, exportedAt, rows };
}

function describe(parsed, kind) {
  const keys = c.developmentKeys();
  return {
    kind: kind === "E" ? "export" : "private part",
    exportedAt: iso(parsed.exportedAt),
    rows: parsed.rows.map((row) => {
      const b = row.encrypted_private_shares;
      const open = (k) => b.length >= 28 ? c.aesGcmOpen(Buffer.from(k, "hex"), b.subarray(0, 12), b.subarray(12, b.length - 16), b.subarray(b.length - 16), null) : null;
      const p1 = open(keys.key1);
      const out = {
        aggregateKey: c.hex(row.aggregate_key), createdAt: iso(row.created_at), status: row.status, encryptedLength: b.length,
        nonce: c.hex(b.subarray(0, 12)), opensWithKey1: !!p1, opensWithKey2: !!open(keys.key2),
        plaintextLength: p1 ? p1.length : null, plaintextAllZero: p1 ? p1.every((x) => x === 0) : null,
      };
      if (kind === "E") Object.assign(out, {
        tweakedAggregateKey: c.hex(row.tweaked_aggregate_key), publicSharesLength: row.public_shares.length, scriptPubkey: c.hex(row.script_pubkey),
        signerSet: row.signer_set_public_keys.length, threshold: row.signature_share_threshold,
        startedAtBlockHash: row.started_at_bitcoin_block_hash && c.hex(row.started_at_bitcoin_block_hash),
        startedAtBlockHeight: row.started_at_bitcoin_block_height === null ? null : Number(row.started_at_bitcoin_block_height),
      });
      return out;
    }),
  };
}

// RFC 9285, strict: rejects non-canonical groups and a length of 3m + 1.
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
function base45(s) {
  if (s.length % 3 === 1) reject("Base45 length 3m + 1");
  const out = [];
  for (let i = 0; i < s.length; i += 3) {
    const d = [...s.slice(i, i + 3)].map((ch) => { const v = B45.indexOf(ch); if (v < 0) reject(`not a Base45 character: ${JSON.stringify(ch)}`); return v; });
    const n = d[0] + d[1] * 45 + (d.length === 3 ? d[2] * 45 * 45 : 0);
    if (d.length === 3) { if (n > 65535) reject("Base45 group over 65535"); out.push(n >> 8, n & 255); }
    else { if (n > 255) reject("Base45 final pair over 255"); out.push(n); }
  }
  if (out.length === 0) reject("part decodes to no bytes");
  return Buffer.from(out);
}
const PART = /^KVDK1-([EP])-(\d\d)-(\d\d)-([0-9A-F]{8})-([0-9A-F]{8}):(.*)$/s;
function reassemble(lines) {
  const parts = new Map();
  let C = null, n = null, set = null;
  for (const line of lines) {
    const m = PART.exec(line);
    if (!m) reject(`not a KVDK1 part: ${JSON.stringify(line.slice(0, 40))}`);
    const [, kind, kk, nn, sss, ccc, data] = m;
    const k = +kk, total = +nn;
    if (k < 1 || total < 1 || k > total) reject(`part ${kk} of ${nn}: k out of range`);
    const bytes = base45(data);
    const check = c.sha256(Buffer.concat([Buffer.from(line.slice(0, 23), "ascii"), bytes])).subarray(0, 4).toString("hex").toUpperCase();
    if (check !== ccc) reject(`part ${k}: check ${ccc} does not match (${check})`);
    if (C === null) { C = kind; n = total; set = sss; }
    else if (C !== kind || n !== total || set !== sss) reject("parts of different sets (C, n or set checksum differ)");
    if (parts.has(k) && !parts.get(k).equals(bytes)) reject(`two parts ${k} with different data`);
    parts.set(k, bytes);
  }
  if (C === null) reject("no parts");
  for (let k = 1; k <= n; k++) if (!parts.has(k)) reject(`part ${k} of ${n} missing`);
  const chunks = [...Array(n).keys()].map((k) => parts.get(k + 1));
  const payload = Buffer.concat(chunks);
  if (c.sha256(payload).subarray(0, 4).toString("hex").toUpperCase() !== set) reject("payload SHA-256 does not begin with the set checksum");
  return { kind: C, n, set, payload, partSizes: chunks.map((x) => x.length) };
}

c.runReader("dkg-export", process.argv.slice(2), (file) => {
  const base = path.basename(file);
  const v = c.readVector(file);
  const isQr = /-qr(-|$)/.test(base);
  let out;
  try {
    if (isQr) {
      const lines = v.body.toString("utf8").split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.length);
      const q = reassemble(lines);
      const facts = { parts: q.n, payload: q.kind === "E" ? "export" : "private part", setChecksum: q.set, partSizes: q.partSizes, payloadLength: q.payload.length, payloadSha256: c.hex(c.sha256(q.payload)) };
      facts.decoded = describe(parse(q.payload, q.kind), q.kind);
      if (v.header.payload) {
        facts.equalsStoredFile = c.readVector(path.join(path.dirname(file), v.header.payload)).body.equals(q.payload);
        if (!facts.equalsStoredFile) out = { verdict: "rejected", reason: `the reassembled payload differs from ${v.header.payload}`, facts };
      }
      if (!out && String(q.n) !== v.header.parts) out = { verdict: "rejected", reason: `${q.n} parts, the vector says ${v.header.parts}`, facts };
      out = out || { verdict: "reassembles", facts };
    } else {
      const buf = v.body;
      const kind = buf.subarray(0, 8).equals(MAGIC.P) ? "P" : "E";
      const facts = describe(parse(buf, kind), kind);
      facts.length = buf.length;
      facts.sha256 = c.hex(c.sha256(buf));
      const keys = c.developmentKeys();
      const bad = facts.rows.find((r) => !r.opensWithKey1 || r.opensWithKey2);
      if (v.header.key && v.header.key !== keys.key1) out = { verdict: "rejected", reason: "the vector names a key this reader does not try", facts };
      else if (v.header.expect === "success" && (!("rows" in v.header) || !("key" in v.header) || v.header["exported at"] !== facts.exportedAt))
        out = { verdict: "rejected", reason: `exported at ${facts.exportedAt}, rows and key must be as the vector says`, facts };
      else if (v.header.rows && Number(v.header.rows) !== facts.rows.length) out = { verdict: "rejected", reason: `${facts.rows.length} rows, the vector says ${v.header.rows}`, facts };
      else out = bad ? { verdict: "rejected", reason: `row ${bad.aggregateKey}: encrypted_private_shares does not open with test key 1 only`, facts } : { verdict: "success", facts };
    }
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: isQr ? "refused" : "damaged", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
