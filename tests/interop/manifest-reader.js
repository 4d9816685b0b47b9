// Independent reader of test-vectors/manifest/ (docs/manifest.md), written from the format text, not from KeyVault's
// source. Usage: node manifest-reader.js FILE...  One JSON line per file; exit 1 when a file's verdict is not what
// test-vectors/README.md says it must be. Manifests are checked against sections 1, 3 and 5; shares.json by
// recomputing every share's fields, committed bytes and commitment from the mnemonic alone (SLIP-0039 decoding,
// section 3); the reissued share and the retirement by the share check of section 6.
"use strict";
const fs = require("fs");
const path = require("path");
const c = require("./reader-common");
const { reject } = c;

const EXPECT = {
  "shares.json": "valid",
  "manifest-valid.json": "valid",
  "manifest-valid.signed-message.txt": "valid",
  "manifest-groups.json": "valid",
  "manifest-tampered.json": "rejected",
  "manifest-commitment-tampered.json": "rejected",
  "manifest-other-signer.json": "rejected",
  "manifest-reissued.json": "valid",
  "reissued-share-4.txt": "valid",
  "manifest-retires-valid.json": "valid",
};
const HEX64 = /^[0-9a-f]{64}$/;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
function members(o, names, where) {
  if (!isObj(o)) reject(`${where} is not an object`);
  for (const k of Object.keys(o)) if (!names.includes(k)) reject(`${where}: member ${k} not listed in the format`);
  for (const k of names) if (!(k in o)) reject(`${where}: member ${k} missing`);
}
const int = (v, where, lo, hi) => {
  if (!Number.isInteger(v) || v < lo || v > hi) reject(`${where} is not an integer in ${lo}..${hi}`);
  return v;
};
const bool = (v, where) => { if (typeof v !== "boolean") reject(`${where} is not a boolean`); };
// Rule 2. NFC is checked with Node's ICU data (a later Unicode version than 14.0.0; identical for these texts).
function text(v, where, maxBytes, nullable) {
  if (v === null && nullable) return;
  if (typeof v !== "string" || v.length === 0) reject(`${where} is not a non-empty string`);
  if (v.normalize("NFC") !== v) reject(`${where} is not in NFC`);
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/.test(v)) reject(`${where} holds a forbidden character`);
  if (Buffer.byteLength(v, "utf8") > maxBytes) reject(`${where} is longer than ${maxBytes} UTF-8 bytes`);
}

function checkStructure(m) {
  members(m, ["format", "version", "createdAt", "tool", "label", "org", "contact", "identity", "backup", "shares", "retired", "history", "signature"], "manifest");
  if (m.format !== "keyvault-backup-manifest") reject("format is not keyvault-backup-manifest");
  if (m.version !== 1) reject("version is not 1");
  if (!c.isUtcSeconds(m.createdAt)) reject("createdAt is not YYYY-MM-DDTHH:MM:SSZ");
  members(m.tool, ["name", "version", "executableSha256"], "tool");
  if (m.tool.name !== "keyvault" || typeof m.tool.version !== "string") reject("tool.name/version");
  if (m.tool.executableSha256 !== null && !HEX64.test(m.tool.executableSha256)) reject("tool.executableSha256");
  text(m.label, "label", 100, true);
  text(m.org, "org", 100, true);
  text(m.contact, "contact", 100, true);
  c.checkIdentity(m.identity, "identity"); // rule 1
  const b = m.backup;
  members(b, ["id", "iterationExponent", "extendable", "slip39Passphrase", "secretLength", "groupThreshold", "groups"], "backup");
  int(b.id, "backup.id", 0, 32767);
  int(b.iterationExponent, "backup.iterationExponent", 0, 15);
  bool(b.extendable, "backup.extendable");
  bool(b.slip39Passphrase, "backup.slip39Passphrase");
  int(b.secretLength, "backup.secretLength", 16, 64);
  if (b.secretLength % 2) reject("backup.secretLength is odd");
  if (!Array.isArray(b.groups) || b.groups.length < 1 || b.groups.length > 16) reject("backup.groups: 1 to 16 groups");
  int(b.groupThreshold, "backup.groupThreshold", 1, b.groups.length);
  if (!Array.isArray(m.shares)) reject("shares is not an array");
  const seen = new Set();
  const commitments = new Set();
  let prev = null;
  for (const [k, s] of m.shares.entries()) {
    members(s, ["group", "member", "custodian", "commitment", "ageRecipient"], `shares[${k}]`);
    int(s.group, `shares[${k}].group`, 1, b.groups.length); // rule 4: names an existing group
    int(s.member, `shares[${k}].member`, 1, 16);
    text(s.custodian, `shares[${k}].custodian`, 100, false);
    if (!HEX64.test(s.commitment)) reject(`shares[${k}].commitment is not 64 lowercase hex`);
    text(s.ageRecipient, `shares[${k}].ageRecipient`, 500, true);
    const key = `${s.group}/${s.member}`;
    if (seen.has(key)) reject(`share ${key} registered twice`);
    if (commitments.has(s.commitment)) reject("commitments are not pairwise distinct");
    seen.add(key);
    commitments.add(s.commitment);
    if (prev && (s.group < prev.group || (s.group === prev.group && s.member < prev.member))) reject("shares are not sorted by group then member");
    prev = s;
  }
  b.groups.forEach((g, k) => {
    members(g, ["memberThreshold", "memberCount"], `backup.groups[${k}]`);
    int(g.memberCount, `backup.groups[${k}].memberCount`, 1, 16);
    int(g.memberThreshold, `backup.groups[${k}].memberThreshold`, 1, g.memberCount); // rule 3
    if (g.memberThreshold === 1 && g.memberCount !== 1) reject(`group ${k + 1}: 1-of-n with n > 1`);
    if (m.shares.filter((s) => s.group === k + 1).length !== g.memberCount) reject(`group ${k + 1}: memberCount is not the number of registered shares`);
  });
  if (!Array.isArray(m.retired)) reject("retired is not an array");
  const retiredIds = new Set();
  for (const [k, r] of m.retired.entries()) {
    members(r, ["backupId", "retiredAt", "reason", "commitments"], `retired[${k}]`);
    int(r.backupId, `retired[${k}].backupId`, 0, 32767);
    if (r.backupId === b.id) reject("a retired entry has the manifest's own backup.id"); // rule 5
    if (retiredIds.has(r.backupId)) reject(`backup ${r.backupId} retired twice`);
    retiredIds.add(r.backupId);
    if (!c.isUtcSeconds(r.retiredAt)) reject(`retired[${k}].retiredAt`);
    text(r.reason, `retired[${k}].reason`, 500, false);
    if (!Array.isArray(r.commitments) || r.commitments.length < 1 || r.commitments.length > 256 || !r.commitments.every((x) => HEX64.test(x))) reject(`retired[${k}].commitments`);
  }
  if (!Array.isArray(m.history) || m.history.length === 0) reject("history is not a non-empty array");
  for (const [k, h] of m.history.entries()) {
    members(h, ["at", "action", "reason", "group", "member", "custodian", "backupId"], `history[${k}]`);
    if (!c.isUtcSeconds(h.at)) reject(`history[${k}].at`);
    text(h.reason, `history[${k}].reason`, 500, false);
    if (k === 0 && h.action !== "split") reject("history does not start with a split entry"); // rule 6
    const share = h.group !== null || h.member !== null || h.custodian !== null;
    if (h.action === "split") { if (share || h.backupId !== null) reject(`history[${k}]: split with share or backupId`); }
    else if (h.action === "reissue") {
      int(h.group, `history[${k}].group`, 1, 16); int(h.member, `history[${k}].member`, 1, 16);
      text(h.custodian, `history[${k}].custodian`, 100, false);
      if (h.backupId !== null) reject(`history[${k}]: reissue with backupId`);
    } else if (h.action === "retire") {
      if (share) reject(`history[${k}]: retire with share fields`);
      int(h.backupId, `history[${k}].backupId`, 0, 32767);
    } else reject(`history[${k}].action ${h.action}`);
  }
  members(m.signature, ["scheme", "publicKey", "value"], "signature");
  if (m.signature.scheme !== "stacks-signed-message-rsv") reject("signature.scheme");
}

// Section 5: returns {authentic, why, facts}.
function verifyManifest(file) {
  const m = c.readJsonFile(file);
  checkStructure(m);
  const msg = c.signedMessageOf(m);
  const v = c.verifyRsv(msg, m.signature.value, m.signature.publicKey);
  const facts = {
    backupId: m.backup.id, groupThreshold: m.backup.groupThreshold, groups: m.backup.groups.map((g) => `${g.memberThreshold}-of-${g.memberCount}`),
    registeredShares: m.shares.length, identity: m.identity.publicKey, fingerprint: m.identity.fingerprint, signer: m.signature.publicKey,
    signatureValid: v.ok, retired: m.retired.map((r) => r.backupId), history: m.history.map((h) => h.action),
    signedMessageLength: msg.length, signedMessageSha256: c.hex(c.sha256(msg)),
  };
  if (!v.ok) return { m, authentic: false, why: `${v.why}: not authentic`, facts };
  if (m.signature.publicKey !== m.identity.publicKey) return { m, authentic: false, why: "signature valid, but signer is not identity.publicKey: not authentic", facts };
  return { m, authentic: true, facts };
}

// Section 6.
function shareCheck(m, words) {
  const s = c.decodeShare(words);
  const commitment = c.commitmentOf(s);
  if (s.identifier === m.backup.id) {
    const e = m.shares.find((x) => x.commitment === commitment);
    if (e) return { verdict: "registered", custodian: e.custodian, group: e.group, member: e.member, commitment };
  }
  if (m.retired.some((r) => r.backupId === s.identifier && r.commitments.includes(commitment))) return { verdict: "retired", commitment };
  return { verdict: "not in this manifest", commitment };
}

function sharesJson(file) {
  const list = c.readJsonFile(file);
  const fields = ["identifier", "extendable", "iterationExponent", "groupIndex", "groupThreshold", "groupCount", "memberIndex", "memberThreshold"];
  const byBackup = {};
  for (const [k, e] of list.entries()) {
    if (c.hex(c.sha256(Buffer.from(e.committedBytes, "hex"))) !== e.commitment) return { verdict: "rejected", reason: `#${k}: SHA-256(committedBytes) != commitment` };
    const s = c.decodeShare(e.mnemonic);
    for (const f of fields) if (s[f] !== e[f]) return { verdict: "rejected", reason: `#${k}: ${f} decoded ${s[f]}, file says ${e[f]}` };
    if (c.hex(s.value) !== e.value) return { verdict: "rejected", reason: `#${k}: value differs` };
    if (c.hex(c.committedBytes(s)) !== e.committedBytes) return { verdict: "rejected", reason: `#${k}: committed bytes recomputed from the mnemonic differ` };
    if (c.commitmentOf(s) !== e.commitment) return { verdict: "rejected", reason: `#${k}: commitment recomputed from the mnemonic differs` };
    byBackup[e.backup] = (byBackup[e.backup] || 0) + 1;
  }
  return { verdict: "valid", facts: { shares: list.length, byBackup, committedBytesLength: list.map((e) => e.committedBytes.length / 2)[0] } };
}

function manifestFile(file) {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const r = verifyManifest(file);
  if (!r.authentic) return { verdict: "rejected", reason: r.why, facts: r.facts };
  // Every registered commitment must be that of the share at that slot in shares.json (when it is beside the file).
  const sharesPath = path.join(dir, "shares.json");
  if (fs.existsSync(sharesPath)) {
    const all = JSON.parse(fs.readFileSync(sharesPath, "utf8"));
    let found = 0;
    for (const s of r.m.shares) {
      const e = all.find((x) => x.identifier === r.m.backup.id && x.groupIndex === s.group - 1 && x.memberIndex === s.member - 1);
      if (e) {
        found++;
        const check = shareCheck(r.m, e.mnemonic);
        if (check.verdict !== "registered" || check.group !== s.group || check.member !== s.member) return { verdict: "rejected", reason: `share ${s.group}/${s.member} of shares.json is not registered at its slot`, facts: r.facts };
      }
    }
    r.facts.sharesJsonRegistered = found;
    if (base === "manifest-retires-valid.json") {
      const old = all.filter((x) => r.m.retired.some((t) => t.backupId === x.identifier));
      const verdicts = old.map((x) => shareCheck(r.m, x.mnemonic).verdict);
      r.facts.retiredShares = verdicts.length;
      if (verdicts.length === 0 || verdicts.some((v) => v !== "retired")) return { verdict: "rejected", reason: `the retired backup's shares check as ${verdicts.join(",")}`, facts: r.facts };
    }
  }
  return { verdict: "valid", facts: r.facts };
}

function shareText(file) {
  const words = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#")).join(" ");
  const s = c.decodeShare(words);
  const manifest = path.join(path.dirname(file), "manifest-reissued.json");
  const r = verifyManifest(manifest);
  const facts = { identifier: s.identifier, group: s.groupIndex + 1, member: s.memberIndex + 1, commitment: c.commitmentOf(s), manifest: path.basename(manifest) };
  if (!r.authentic) return { verdict: "rejected", reason: `${path.basename(manifest)} is not authentic: ${r.why}`, facts };
  const check = shareCheck(r.m, words);
  facts.check = check.verdict;
  facts.custodian = check.custodian || null;
  if (check.verdict !== "registered") return { verdict: "rejected", reason: `share is ${check.verdict}`, facts };
  if (path.basename(file) === "reissued-share-4.txt" && (check.custodian !== "Zoe Adams" || check.member !== 4)) return { verdict: "rejected", reason: `registered for ${check.custodian} #${check.member}, not Zoe Adams #4`, facts };
  return { verdict: "valid", facts };
}

function signedMessage(file) {
  const json = file.replace(/\.signed-message\.txt$/, ".json");
  const expected = c.signedMessageOf(c.readJsonFile(json));
  const actual = fs.readFileSync(file);
  const facts = { manifest: path.basename(json), length: actual.length };
  return actual.equals(expected) ? { verdict: "valid", facts } : { verdict: "rejected", reason: "differs from the RFC 8785 form computed from the manifest", facts };
}

c.runReader("manifest", process.argv.slice(2), (file) => {
  const base = path.basename(file);
  let out;
  try {
    if (base.endsWith(".signed-message.txt")) out = signedMessage(file);
    else if (base === "shares.json") out = sharesJson(file);
    else if (base.endsWith(".txt")) out = shareText(file);
    else out = manifestFile(file);
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "rejected", reason: e.message, facts: {} };
  }
  return { expected: EXPECT[base] || null, ...out };
});
