// Independent reader of test-vectors/restore-session/ (docs/restore-session-format.md; Argon2id and passphrase rules
// from docs/key-file-format.md; group/member numbering from docs/manifest.md), written from the format text, not
// from KeyVault's source. Usage: node restore-session-reader.js FILE...  One JSON line per file, in runReader's shape
// (reader-common.js); exit 1 when a file's verdict is not the one its expect line names, 2 without arguments.
// The driver is our own because the pinned argon2 module is asynchronous.
"use strict";
const path = require("path");
const argon2 = require("argon2");
const slip39 = require("slip39");
const c = require("./reader-common");

// A conclusion other than success: verdict is one of the vector expect values, or "rejected" (vector header and
// file disagree), or "cost cap" (the spec does not name this outcome; see key-file-format.md "Cost caps").
class Verdict extends Error {
  constructor(verdict, why) {
    super(why);
    this.verdict = verdict;
  }
}
const fail = (verdict, why) => { throw new Verdict(verdict, why); };
const damaged = (why) => fail("damaged", why);

const MAGIC = Buffer.from("894b5652530d0a1a", "hex");
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
const isIntOrNull = (v) => v === null || Number.isInteger(v);
function exactMembers(o, names, where) {
  if (!isObj(o)) damaged(`status: ${where} is not an object`);
  for (const k of Object.keys(o)) if (!names.includes(k)) damaged(`status: ${where} has unknown member ${k}`);
  for (const k of names) if (!(k in o)) damaged(`status: ${where} lacks member ${k}`);
}

// ---------------------------------------------------------------- section 1: outer layout, before any key derivation
function parseOuter(f) {
  const u32 = (at) => f.readUInt32BE(at);
  if (f.length < 22) damaged(`file of ${f.length} bytes is shorter than the fixed header`);
  if (!f.subarray(0, 8).equals(MAGIC)) damaged("not the restore-session magic");
  if (f[8] !== 1) fail("unsupported", `version ${f[8]}, not 1`);
  const m = u32(9), t = u32(13), p = u32(17), s = f[21];
  // key-file rules: t >= 1, p >= 1, m >= 8p
  if (t < 1 || p < 1 || m < 8 * p) damaged(`Argon2 parameters m=${m} t=${t} p=${p} break t>=1, p>=1, m>=8p`);
  if (s < 16 || s > 64) damaged(`salt length ${s} outside 16-64`);
  if (f.length < 38 + s) damaged("file ends inside the salt, nonce or status length");
  const salt = f.subarray(22, 22 + s);
  const nonce = f.subarray(22 + s, 34 + s);
  const j = u32(34 + s);
  if (j < 1 || j > 65536) damaged(`status length ${j} outside 1-65536`);
  if (f.length < 42 + s + j) damaged("file ends inside the status or ciphertext length");
  const status = f.subarray(38 + s, 38 + s + j);
  const cl = u32(38 + s + j);
  if (cl < 4 || cl > 262144) damaged(`ciphertext length ${cl} outside 4-262144`);
  const want = 42 + s + j + cl + 16;
  if (f.length !== want) damaged(`file is ${f.length} bytes, the lengths say ${want}`);
  // key-file work caps (4 GiB, 16 passes, 16 lanes, m*t <= 16 GiB), checked before deriving any key
  if (m > 4194304 || t > 16 || p > 16 || m * t > 16777216) fail("cost cap", `m=${m} t=${t} p=${p} exceed the key-file caps`);
  return {
    m, t, p, salt, nonce, status,
    header: f.subarray(0, 42 + s + j), // everything before the ciphertext: the associated data
    ciphertext: f.subarray(42 + s + j, 42 + s + j + cl),
    tag: f.subarray(42 + s + j + cl),
  };
}

// ---------------------------------------------------------------- section 2: key derivation (key-file-format.md)
async function deriveKey(passphraseBytes, o) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(passphraseBytes);
  } catch {
    fail("rejected", "vector passphrase is not UTF-8");
  }
  // P = UTF-8(NFC(passphrase)). The spec pins Unicode 14.0.0 NFC; Node's normalize() uses its own (newer) data,
  // which agrees for every assigned 14.0.0 code point (all vectors here are ASCII).
  const P = Buffer.from(text.normalize("NFC"), "utf8");
  if (P.length < 1 || P.length > 1024) fail("rejected", `passphrase of ${P.length} bytes, not 1-1024`);
  return argon2.hash(P, {
    type: argon2.argon2id, version: 0x13, raw: true, salt: o.salt, memoryCost: o.m, timeCost: o.t, parallelism: o.p, hashLength: 32,
  });
}

// ---------------------------------------------------------------- section 2: plaintext layout and the share set
function parsePlaintext(pt) {
  let at = 0;
  const need = (n, what) => { if (at + n > pt.length) damaged(`plaintext ends inside ${what}`); };
  need(2, "version and share count");
  // The spec names no outcome for another plaintext version; treated like the outer version (unsupported).
  if (pt[0] !== 1) fail("unsupported", `plaintext version ${pt[0]}, not 1`);
  const k = pt[1];
  at = 2;
  if (k > 64) damaged(`share count ${k} above 64`);
  const mnemonics = [];
  for (let i = 0; i < k; i++) {
    need(2, `share ${i + 1}'s length`);
    const L = pt.readUInt16BE(at);
    at += 2;
    if (L > 1024) damaged(`share ${i + 1}: length ${L} above 1024`);
    need(L, `share ${i + 1}`);
    const raw = pt.subarray(at, at + L);
    at += L;
    if (raw.some((b) => b > 0x7f)) damaged(`share ${i + 1}: not ASCII`);
    mnemonics.push(raw.toString("ascii"));
  }
  need(2, "the identity length");
  const I = pt.readUInt16BE(at);
  at += 2;
  if (I > 4096) damaged(`identity length ${I} above 4096`);
  need(I, "the identity");
  const identity = pt.subarray(at, at + I);
  at += I;
  if (at !== pt.length) damaged(`${pt.length - at} byte(s) after the identity ("Nothing may follow")`);
  return { mnemonics, identity };
}

// "decode every stored share with full SLIP-0039 checks" and "a consistent set (one backup, no conflicting member)".
function decodeShares(mnemonics) {
  const shares = mnemonics.map((w, i) => {
    let s;
    try {
      s = c.decodeShare(w);
    } catch (e) {
      if (e instanceof c.Reject) damaged(`share ${i + 1}: ${e.message}`);
      throw e;
    }
    // Canonical form: lowercase list words separated by single spaces, nothing else.
    if (w !== s.canonical) damaged(`share ${i + 1} is not in canonical form`);
    if (s.groupIndex >= s.groupCount) damaged(`share ${i + 1}: group index ${s.groupIndex} not below group count ${s.groupCount}`);
    return s;
  });
  const first = shares[0];
  for (const [i, s] of shares.entries()) {
    for (const f of ["identifier", "extendable", "iterationExponent", "groupThreshold", "groupCount"])
      if (s[f] !== first[f]) damaged(`share ${i + 1}: ${f} differs from share 1's (not one backup)`);
    if (s.value.length !== first.value.length) damaged(`share ${i + 1}: value length differs from share 1's`);
    for (const [j, r] of shares.slice(0, i).entries()) {
      if (r.groupIndex === s.groupIndex && r.memberThreshold !== s.memberThreshold) damaged(`shares ${j + 1} and ${i + 1}: one group, two member thresholds`);
      // Two shares at one (group, member) slot: the same share twice, or conflicting ones.
      if (r.groupIndex === s.groupIndex && r.memberIndex === s.memberIndex) damaged(`shares ${j + 1} and ${i + 1}: both group ${s.groupIndex + 1} member ${s.memberIndex + 1}`);
    }
  }
  return shares;
}

// ---------------------------------------------------------------- section 3: the status, and its agreement with the shares
function checkStatus(st, shares) {
  exactMembers(st, ["format", "version", "createdAt", "updatedAt", "manifest", "backupId", "groupThreshold", "groupCount", "shares", "groups", "canRebuild"], "the status");
  if (st.format !== "keyvault-restore-session") damaged("status: format is not keyvault-restore-session");
  if (st.version !== 1) damaged("status: version is not 1");
  for (const k of ["createdAt", "updatedAt"]) if (!c.isUtcSeconds(st[k])) damaged(`status: ${k} is not YYYY-MM-DDTHH:MM:SSZ`);
  for (const k of ["backupId", "groupThreshold", "groupCount"]) if (!isIntOrNull(st[k])) damaged(`status: ${k} is not an integer or null`);
  if (typeof st.canRebuild !== "boolean") damaged("status: canRebuild is not a boolean");
  if (!Array.isArray(st.shares) || !Array.isArray(st.groups)) damaged("status: shares or groups is not an array");
  if (st.manifest !== null) {
    exactMembers(st.manifest, ["publicKey", "fingerprint", "sha256"], "manifest");
    // Opening MUST check the folder's manifest.json; a vector file carries no folder, so this reader cannot.
    fail("unchecked", "the status names a manifest; a vector holds no manifest.json to check against it");
  }
  for (const x of st.shares) {
    exactMembers(x, ["group", "member", "custodian", "addedAt"], "shares[]");
    if (!Number.isInteger(x.group) || !Number.isInteger(x.member) || x.member < 1 || x.member > 16) damaged("status: shares[] group/member not integers (member 1-16)");
    // custodian is "the manifest's name for that share, or null": without a manifest, null.
    if (x.custodian !== null) damaged("status: shares[].custodian is not null in a session without a manifest");
    // The spec gives addedAt no type; read as a date of createdAt's form.
    if (!c.isUtcSeconds(x.addedAt)) damaged("status: shares[].addedAt is not YYYY-MM-DDTHH:MM:SSZ");
  }
  for (const g of st.groups) {
    exactMembers(g, ["group", "memberThreshold", "collected", "needed"], "groups[]");
    if (!Number.isInteger(g.group) || !isIntOrNull(g.memberThreshold) || !Number.isInteger(g.collected) || !isIntOrNull(g.needed)) damaged("status: groups[] member types");
  }

  // MUST (section 3): needed and canRebuild agree with the other members.
  for (const g of st.groups) {
    const needed = g.memberThreshold === null ? null : Math.max(0, g.memberThreshold - g.collected);
    if (g.needed !== needed) damaged(`status: group ${g.group} needed ${g.needed}, its members say ${needed}`);
  }
  const full = st.groups.filter((g) => g.memberThreshold !== null && g.collected >= g.memberThreshold).length;
  // With groupThreshold null (nothing known yet) no rebuild is possible (the spec leaves this case implicit).
  const canRebuild = st.groupThreshold !== null && full >= st.groupThreshold;
  if (st.canRebuild !== canRebuild) damaged(`status: canRebuild ${st.canRebuild}, its other members say ${canRebuild}`);

  // MUST (section 2): the shares list names the stored shares (group and number, 1-based as in manifest.md) in order.
  const listed = st.shares.map((x) => `${x.group}/${x.member}`);
  const stored = shares.map((s) => `${s.groupIndex + 1}/${s.memberIndex + 1}`);
  if (listed.join(",") !== stored.join(",")) damaged(`status lists shares [${listed}] but the plaintext stores [${stored}]`);

  // The member table's definitions, without a manifest: the backup fields come from the first share, one groups
  // entry per group once the group count is known, memberThreshold from a share of the group, collected counted.
  const s0 = shares[0];
  const want = { backupId: s0 ? s0.identifier : null, groupThreshold: s0 ? s0.groupThreshold : null, groupCount: s0 ? s0.groupCount : null };
  for (const k of Object.keys(want)) if (st[k] !== want[k]) damaged(`status: ${k} ${st[k]}, the stored shares say ${want[k]}`);
  const groupCount = want.groupCount || 0;
  if (st.groups.length !== groupCount) damaged(`status: ${st.groups.length} groups entries for group count ${groupCount}`);
  st.groups.forEach((g, i) => {
    const inGroup = shares.filter((s) => s.groupIndex === i);
    const mt = inGroup.length ? inGroup[0].memberThreshold : null;
    if (g.group !== i + 1) damaged(`status: groups[${i}].group is ${g.group}, not ${i + 1}`);
    if (g.memberThreshold !== mt) damaged(`status: group ${i + 1} memberThreshold ${g.memberThreshold}, the shares say ${mt}`);
    if (g.collected !== inGroup.length) damaged(`status: group ${i + 1} collected ${g.collected}, ${inGroup.length} stored`);
  });
  return listed;
}

// ---------------------------------------------------------------- one vector
async function check(file) {
  const v = c.readVector(file);
  const h = v.header;
  const facts = {};
  const out = (verdict, reason) => ({ expected: h.expect, verdict, reason, facts });
  try {
    const o = parseOuter(v.body);
    Object.assign(facts, { m: o.m, t: o.t, p: o.p, saltLength: o.salt.length, statusLength: o.status.length, ciphertextLength: o.ciphertext.length });
    const key = await deriveKey(Buffer.from(h.passphrase, "hex"), o);
    const pt = c.aesGcmOpen(key, o.nonce, o.ciphertext, o.tag, o.header);
    if (pt === null) return out("auth failure", "the AES-256-GCM tag does not verify (wrong session passphrase or damaged session file)");
    // The vector gives the sealed plaintext so decryption is checked apart from parsing.
    if (c.hex(pt) !== h.plaintext) fail("rejected", "decrypted plaintext differs from the vector's plaintext line");
    const { mnemonics, identity } = parsePlaintext(pt);
    const shares = decodeShares(mnemonics);
    let status;
    try {
      status = c.readJsonBytes(o.status);
    } catch (e) {
      if (e instanceof c.Reject) damaged(`status: ${e.message}`);
      throw e;
    }
    const listed = checkStatus(status, shares);
    Object.assign(facts, { shares: mnemonics, identity: c.hex(identity), statusShares: listed, canRebuild: status.canRebuild });

    // Cross-checks against the vector's header lines.
    const headerShares = Object.keys(h).filter((k) => /^share \d+$/.test(k));
    const want = headerShares.map((_, i) => h[`share ${i + 1}`]);
    if (want.includes(undefined) || want.length !== mnemonics.length || want.some((w, i) => w !== mnemonics[i]))
      fail("rejected", "the stored shares differ from the vector's share lines");
    if ((h.identity || "") !== c.hex(identity)) fail("rejected", "the stored identity differs from the vector's identity line");
    if (("public key" in h) !== status.canRebuild) fail("rejected", `the vector ${"public key" in h ? "has" : "lacks"} a public key line but canRebuild is ${status.canRebuild}`);
    if ("public key" in h) {
      let secret;
      try {
        secret = Buffer.from(slip39.recoverSecret(mnemonics, "")).toString("hex");
      } catch (e) {
        damaged(`the npm slip39 module cannot rebuild the secret: ${e.message || e}`);
      }
      if (secret.length !== 64) fail("rejected", `rebuilt secret is ${secret.length / 2} bytes, not 32`);
      facts.publicKey = c.publicKeyOf(secret);
      if (facts.publicKey !== h["public key"]) fail("rejected", `the shares rebuild public key ${facts.publicKey}, the vector says ${h["public key"]}`);
    }
    return out("success", null);
  } catch (e) {
    if (e instanceof Verdict) return out(e.verdict, e.message);
    if (e instanceof c.Reject) return out("rejected", e.message);
    throw e;
  }
}

// ---------------------------------------------------------------- driver (runReader's output, asynchronous)
async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: node restore-session-reader.js FILE...\n");
    process.exit(2);
  }
  let mismatches = 0;
  for (const file of files) {
    let line;
    try {
      line = await check(file);
    } catch (e) {
      line = { expected: null, verdict: "error", reason: String((e && e.stack) || e), facts: {} };
    }
    const ok = line.expected != null && line.expected === line.verdict;
    if (!ok) mismatches++;
    process.stdout.write(JSON.stringify({ file: path.basename(file), reader: "restore-session", verdict: line.verdict, expected: line.expected, ok, reason: line.reason || null, facts: line.facts || {} }) + "\n");
  }
  process.exit(mismatches ? 1 : 0);
}
main(process.argv.slice(2));
