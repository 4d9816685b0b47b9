// Independent reader of test-vectors/manifest/ (docs/manifest.md), written from the format text, not from KeyVault's
// source. Usage: node manifest-reader.js FILE...  One JSON line per file; exit 1 when a file's verdict is not what
// its expect line names (test-vectors/README.md, "One layout"). Manifests are checked against sections 1, 3 and 5; the
// share-* vectors by recomputing every share's fields, committed bytes and commitment from the mnemonic alone
// (SLIP-0039 decoding, section 3); the reissued share and the retirement by the share check of section 6; version 4's
// rotation entries by rule 10, verifying the embedded successor statement's two signatures.
"use strict";
const fs = require("fs");
const path = require("path");
const c = require("./reader-common");
const { reject } = c;

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

// The stanza type a recipient seals with, from its prefix (docs/age.md, "Recipient types"); null for a paper share.
function recipientTypeOf(r) {
  if (r === null) return null;
  if (/^ssh-ed25519 [A-Za-z0-9+/]+=*$/.test(r)) return "ssh-ed25519";
  const m = /^age(?:1(pq|tag|yubikey))?1[02-9ac-hj-np-z]+$/.exec(r); // canonical lower-case Bech32; other prefixes are refused
  if (m === null) return undefined;
  return { pq: "mlkem768x25519", tag: "p256tag", yubikey: "piv-p256" }[m[1]] ?? "X25519";
}

function checkStructure(m) {
  if (![1, 2, 3, 4].includes(m.version)) reject("version is not 1 to 4");
  const v2 = m.version >= 2; // version 3 is version 2 with shares[].recipientType
  const v3 = m.version >= 3;
  const v4 = m.version === 4; // version 4 is version 3 with retired[].rotation
  members(m, ["format", "version", "createdAt", ...(v2 ? ["revision", "supersedes"] : []), "tool", "label", "org", "contact", "identity", "backup", "shares", "retired", "history", "signature"], "manifest");
  if (m.format !== "keyvault-backup-manifest") reject("format is not keyvault-backup-manifest");
  if (!c.isUtcSeconds(m.createdAt)) reject("createdAt is not YYYY-MM-DDTHH:MM:SSZ");
  if (v2) {
    int(m.revision, "revision", 1, Number.MAX_SAFE_INTEGER);
    if (m.revision === 1 ? m.supersedes !== null : !HEX64.test(m.supersedes)) reject("supersedes is not null in revision 1 and 64 lowercase hex after"); // rule 8
  }
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
    members(s, ["group", "member", "custodian", "commitment", "ageRecipient", ...(v2 ? ["contact", "timeZone", "departed"] : []), ...(v3 ? ["recipientType"] : [])], `shares[${k}]`);
    if (v3 && s.recipientType !== recipientTypeOf(s.ageRecipient)) reject(`shares[${k}].recipientType does not name the type of its ageRecipient`);
    if (v2) {
      text(s.contact, `shares[${k}].contact`, 100, true);
      text(s.timeZone, `shares[${k}].timeZone`, 64, true);
      if (s.departed !== null) {
        members(s.departed, ["at", "reason"], `shares[${k}].departed`);
        if (!c.isUtcSeconds(s.departed.at)) reject(`shares[${k}].departed.at`);
        text(s.departed.reason, `shares[${k}].departed.reason`, 500, false);
        if (!m.history.some((h) => h.action === "depart" && h.group === s.group && h.member === s.member)) reject(`shares[${k}] departed without a depart entry`); // rule 9
      }
    }
    int(s.group, `shares[${k}].group`, 1, b.groups.length); // rule 4: names an existing group
    int(s.member, `shares[${k}].member`, 1, 16);
    text(s.custodian, `shares[${k}].custodian`, 100, false);
    if (!HEX64.test(s.commitment)) reject(`shares[${k}].commitment is not 64 lowercase hex`);
    text(s.ageRecipient, `shares[${k}].ageRecipient`, 2000, true);
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
    members(r, ["backupId", "retiredAt", "reason", "commitments", ...(v4 ? ["rotation"] : [])], `retired[${k}]`);
    if (v4 && r.rotation !== null) checkRotation(r.rotation, m.identity.publicKey, `retired[${k}].rotation`); // rule 10
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
    else if (h.action === "reissue" || (v2 && h.action === "depart")) {
      int(h.group, `history[${k}].group`, 1, 16); int(h.member, `history[${k}].member`, 1, 16);
      text(h.custodian, `history[${k}].custodian`, 100, false);
      if (h.backupId !== null) reject(`history[${k}]: ${h.action} with backupId`);
    } else if (h.action === "retire") {
      if (share) reject(`history[${k}]: retire with share fields`);
      int(h.backupId, `history[${k}].backupId`, 0, 32767);
    } else if (v4 && h.action === "supersede") {
      if (share) reject(`history[${k}]: supersede with share fields`);
      if (!m.retired.some((r) => r.backupId === h.backupId && r.rotation !== null)) reject(`history[${k}]: supersede of a backup no rotation entry names`);
    } else reject(`history[${k}].action ${h.action}`);
  }
  members(m.signature, ["scheme", "publicKey", "value"], "signature");
  if (m.signature.scheme !== "stacks-signed-message-rsv") reject("signature.scheme");
}

// Rule 10: the embedded successor statement (docs/rotation.md) holds in both signatures and links exactly the
// previous key to this manifest's key.
const HEX66 = /^0[23][0-9a-f]{64}$/;
function point(hex, where) {
  if (typeof hex !== "string" || !HEX66.test(hex)) reject(`${where} is not a compressed point in lowercase hex`);
  c.decodePoint(hex);
}
function checkRotation(rot, identity, where) {
  members(rot, ["previousPublicKey", "previousManifest", "successorStatement", "drill"], where);
  point(rot.previousPublicKey, `${where}.previousPublicKey`);
  if (rot.previousPublicKey === identity) reject(`${where}.previousPublicKey is the manifest's own key`);
  if (!HEX64.test(rot.previousManifest)) reject(`${where}.previousManifest is not 64 lowercase hex`);
  const st = rot.successorStatement;
  members(st, ["format", "version", "createdAt", "tool", "oldPublicKey", "newPublicKey", "signature", "acceptance"], `${where}.successorStatement`);
  if (st.format !== "keyvault-successor-statement" || st.version !== 1) reject(`${where}.successorStatement is not a version-1 successor statement`);
  if (!c.isUtcSeconds(st.createdAt)) reject(`${where}.successorStatement.createdAt`);
  if (st.oldPublicKey !== rot.previousPublicKey || st.newPublicKey !== identity) reject(`${where}.successorStatement does not rotate previousPublicKey to identity.publicKey`);
  for (const [member, signer, drop] of [["signature", st.oldPublicKey, ["signature", "acceptance"]], ["acceptance", st.newPublicKey, ["acceptance"]]]) {
    members(st[member], ["scheme", "publicKey", "value"], `${where}.successorStatement.${member}`);
    if (st[member].scheme !== "stacks-signed-message-rsv" || st[member].publicKey !== signer) reject(`${where}.successorStatement.${member} is not by the key it must be by`);
    const copy = { ...st };
    for (const d of drop) delete copy[d];
    const v = c.verifyRsv(Buffer.from(c.canonicalize(copy), "utf8"), st[member].value, signer);
    if (!v.ok) reject(`${where}.successorStatement.${member} does not hold: ${v.why}`);
  }
  if (rot.drill !== null) {
    members(rot.drill, ["reportSha256", "createdAt", "aggregateKey"], `${where}.drill`);
    if (!HEX64.test(rot.drill.reportSha256)) reject(`${where}.drill.reportSha256`);
    if (!c.isUtcSeconds(rot.drill.createdAt)) reject(`${where}.drill.createdAt`);
    point(rot.drill.aggregateKey, `${where}.drill.aggregateKey`);
  }
}

// Section 5: returns {authentic, why, facts}.
function verifyManifest(body) {
  const m = c.readJsonBytes(body);
  checkStructure(m);
  const msg = c.signedMessageOf(m);
  const v = c.verifyRsv(msg, m.signature.value, m.signature.publicKey);
  const facts = {
    backupId: m.backup.id, groupThreshold: m.backup.groupThreshold, groups: m.backup.groups.map((g) => `${g.memberThreshold}-of-${g.memberCount}`),
    registeredShares: m.shares.length, identity: m.identity.publicKey, fingerprint: m.identity.fingerprint, signer: m.signature.publicKey,
    signatureValid: v.ok, retired: m.retired.map((r) => r.backupId), history: m.history.map((h) => h.action),
    signedMessageLength: msg.length, signedMessageSha256: c.hex(c.sha256(msg)),
  };
  if (!v.ok) return { m, authentic: false, verdict: "signature invalid", why: `${v.why}: not authentic`, facts };
  if (m.signature.publicKey !== m.identity.publicKey) return { m, authentic: false, verdict: "signer not identity", why: "signature valid, but signer is not identity.publicKey: not authentic", facts };
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
  const r = m.retired.find((x) => x.backupId === s.identifier && x.commitments.includes(commitment));
  if (r) return { verdict: r.rotation && r.rotation.drill === null ? "superseded" : "retired", commitment };
  return { verdict: "not in this manifest", commitment };
}

// The share vectors of the folder (share-*): header fields, body the mnemonic.
function shareVectors(dir) {
  return fs.readdirSync(dir).filter((f) => f.startsWith("share-")).sort().map((f) => {
    const v = c.readVector(path.join(dir, f));
    return { name: f, header: v.header, mnemonic: v.body.toString("utf8").trim() };
  });
}

const FIELDS = {
  identifier: "identifier", "iteration exponent": "iterationExponent", "group index": "groupIndex", "group threshold": "groupThreshold",
  "group count": "groupCount", "member index": "memberIndex", "member threshold": "memberThreshold",
};

function shareCase(v, dir) {
  const h = v.header;
  const s = c.decodeShare(v.body.toString("utf8").trim());
  for (const [k, f] of Object.entries(FIELDS)) if (String(s[f]) !== h[k]) return { verdict: "rejected", reason: `${k} decoded ${s[f]}, the vector says ${h[k]}` };
  if (String(s.extendable) !== h.extendable) return { verdict: "rejected", reason: "extendable differs" };
  if (c.hex(s.value) !== h.value) return { verdict: "rejected", reason: "value differs" };
  const bytes = c.committedBytes(s);
  if (c.hex(bytes) !== h["committed bytes"]) return { verdict: "rejected", reason: "committed bytes recomputed from the mnemonic differ" };
  if (c.hex(c.sha256(bytes)) !== h.commitment || c.commitmentOf(s) !== h.commitment) return { verdict: "rejected", reason: "commitment recomputed from the mnemonic differs" };
  const facts = { backup: h.backup, committedBytesLength: bytes.length };
  if (!h["registered in"]) return { verdict: "rejected", reason: "the vector names no manifest the share is registered in", facts };
  for (const [line, want] of [["registered in", "registered"], ["retired in", "retired"], ["superseded in", "superseded"]]) {
    if (!h[line]) continue;
    const r = verifyManifest(c.readVector(path.join(dir, h[line])).body);
    if (!r.authentic) return { verdict: "rejected", reason: `${h[line]} is not authentic`, facts };
    const got = shareCheck(r.m, v.body.toString("utf8").trim()).verdict;
    facts[line.replace(" in", "")] = got;
    if (got !== want) return { verdict: "rejected", reason: `the share checks as ${got} against ${h[line]}, not ${want}`, facts };
  }
  return { verdict: "commitment", facts };
}

function manifestCase(v, dir) {
  const r = verifyManifest(v.body);
  if ("signer" in v.header && v.header.signer !== r.facts.signer) return { verdict: "rejected", reason: `signer is ${r.facts.signer}, the vector says ${v.header.signer}`, facts: r.facts };
  if (!r.authentic) return { verdict: r.verdict, reason: r.why, facts: r.facts };
  // Section 7: a later revision names its predecessor by the SHA-256 of its whole canonical form, signature included.
  r.facts.revision = r.m.version >= 2 ? r.m.revision : 1;
  if (v.header.supersedes) {
    const previous = c.readJsonBytes(c.readVector(path.join(dir, v.header.supersedes)).body);
    const want = c.hex(c.sha256(Buffer.from(c.canonicalize(previous), "utf8")));
    if (r.m.supersedes !== want) return { verdict: "rejected", reason: `supersedes is not the hash of ${v.header.supersedes}`, facts: r.facts };
    if (r.facts.revision !== (previous.version >= 2 ? previous.revision : 1) + 1) return { verdict: "rejected", reason: "revision does not follow its predecessor's", facts: r.facts };
  } else if (r.facts.revision !== 1) return { verdict: "rejected", reason: "a later revision without the vector naming its predecessor", facts: r.facts };
  if (v.header.signer && v.header.signer !== r.facts.signer) return { verdict: "rejected", reason: `signer is ${r.facts.signer}, the vector says ${v.header.signer}`, facts: r.facts };
  // Every registered commitment must be that of the share vector at that slot, where one is in the folder.
  const all = shareVectors(dir);
  let found = 0;
  for (const s of r.m.shares) {
    const e = all.find((x) => Number(x.header.identifier) === r.m.backup.id && Number(x.header["group index"]) === s.group - 1 && Number(x.header["member index"]) === s.member - 1);
    if (e) {
      found++;
      const check = shareCheck(r.m, e.mnemonic);
      if (check.verdict !== "registered" || check.group !== s.group || check.member !== s.member) return { verdict: "rejected", reason: `${e.name} is not registered at its slot`, facts: r.facts };
    }
  }
  r.facts.shareVectorsRegistered = found;
  const old = all.filter((x) => r.m.retired.some((t) => t.backupId === Number(x.header.identifier)));
  r.facts.retiredShares = old.length;
  if (r.m.retired.length > 0 && old.length === 0) return { verdict: "rejected", reason: "no share vector of the retired backup to check", facts: r.facts };
  const expected = (x) => (r.m.retired.find((t) => t.backupId === Number(x.header.identifier)).rotation?.drill === null ? "superseded" : "retired");
  const verdicts = old.map((x) => shareCheck(r.m, x.mnemonic).verdict);
  if (verdicts.some((x, i) => x !== expected(old[i]))) return { verdict: "rejected", reason: `the retired backup's shares check as ${verdicts.join(",")}`, facts: r.facts };
  r.facts.retiredShareVerdicts = [...new Set(verdicts)];
  return { verdict: "authentic", facts: r.facts };
}

function registeredCase(v, dir) {
  const words = v.body.toString("utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#")).join(" ");
  const s = c.decodeShare(words);
  const r = verifyManifest(c.readVector(path.join(dir, v.header.manifest)).body);
  const facts = { identifier: s.identifier, group: s.groupIndex + 1, member: s.memberIndex + 1, commitment: c.commitmentOf(s), manifest: v.header.manifest };
  if (!r.authentic) return { verdict: "rejected", reason: `${v.header.manifest} is not authentic: ${r.why}`, facts };
  const check = shareCheck(r.m, words);
  facts.custodian = check.custodian || null;
  if (check.verdict !== "registered") return { verdict: check.verdict, reason: `share is ${check.verdict}`, facts };
  if (check.custodian !== v.header.custodian || String(check.member) !== v.header.member)
    return { verdict: "rejected", reason: `registered for ${check.custodian} #${check.member}, not ${v.header.custodian} #${v.header.member}`, facts };
  return { verdict: "registered", facts };
}

function canonicalCase(v, dir) {
  const expected = c.signedMessageOf(c.readJsonBytes(c.readVector(path.join(dir, v.header.manifest)).body));
  const facts = { manifest: v.header.manifest, length: v.body.length };
  return v.body.equals(expected) ? { verdict: "canonical", facts } : { verdict: "not canonical", reason: "differs from the RFC 8785 form computed from the manifest", facts };
}

c.runReader("manifest", process.argv.slice(2), (file) => {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const v = c.readVector(file);
  let out;
  try {
    if (v.header.expect === "canonical") out = canonicalCase(v, dir);
    else if (base.startsWith("share-")) out = shareCase(v, dir);
    else if (v.header.expect === "registered") out = registeredCase(v, dir);
    else out = manifestCase(v, dir);
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "rejected", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
