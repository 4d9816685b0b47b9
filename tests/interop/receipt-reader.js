// Independent reader of test-vectors/receipt/ (docs/status.md, "The share check receipt, exactly"), written from the
// format text, not from KeyVault's source. Usage: node receipt-reader.js FILE...  One JSON line per file; exit 1 when
// a file's verdict is not the one its expect line names (test-vectors/README.md, "One layout"). A valid receipt's
// manifest hash and commitment are also recomputed from the manifest and share vectors its header names.
"use strict";
const path = require("path");
const c = require("./reader-common");
const { reject } = c;

const HEX64 = /^[0-9a-f]{64}$/;
const ORDER = ["format", "version", "checkedAt", "tool", "publicKey", "manifest", "backupId", "group", "member", "custodian", "commitment", "sha256"];
const int = (v, where, lo, hi) => { if (!Number.isInteger(v) || v < lo || v > hi) reject(`${where} is not an integer in ${lo}..${hi}`); };

function check(r) {
  if (r === null || typeof r !== "object" || Array.isArray(r)) reject("not an object");
  for (const k of Object.keys(r)) if (!ORDER.includes(k)) reject(`unknown member ${k}`);
  for (const k of ORDER) if (!(k in r)) reject(`member ${k} missing`);
  if (r.format !== "keyvault-share-check-receipt" || r.version !== 1) reject("not keyvault-share-check-receipt version 1");
  if (!c.isUtcSeconds(r.checkedAt)) reject("checkedAt is not YYYY-MM-DDTHH:MM:SSZ");
  if (typeof r.tool !== "object" || r.tool === null || Object.keys(r.tool).sort().join() !== "name,version" || r.tool.name !== "keyvault") reject("tool");
  if (typeof r.publicKey !== "string" || !/^0[23][0-9a-f]{64}$/.test(r.publicKey)) reject("publicKey");
  c.decodePoint(r.publicKey);
  for (const k of ["manifest", "commitment", "sha256"]) if (typeof r[k] !== "string" || !HEX64.test(r[k])) reject(`${k} is not 64 lowercase hex`);
  int(r.backupId, "backupId", 0, 32767);
  int(r.group, "group", 1, 16);
  int(r.member, "member", 1, 16);
  if (typeof r.custodian !== "string" || r.custodian.length === 0 || Buffer.byteLength(r.custodian, "utf8") > 100) reject("custodian");
  const copy = { ...r };
  delete copy.sha256;
  if (c.hex(c.sha256(Buffer.from(c.canonicalize(copy), "utf8"))) !== r.sha256) reject("sha256 is not the hash of the rest");
  return { verdict: "valid", facts: { backupId: r.backupId, group: r.group, member: r.member, custodian: r.custodian, commitment: r.commitment } };
}

c.runReader("receipt", process.argv.slice(2), (file) => {
  const v = c.readVector(file);
  let out;
  try {
    const r = c.readJsonBytes(v.body);
    out = check(r);
    if (v.header.manifest) {
      const vectors = path.join(path.dirname(file), "..");
      const manifest = c.readJsonBytes(c.readVector(path.join(vectors, v.header.manifest)).body);
      if (c.hex(c.sha256(Buffer.from(c.canonicalize(manifest), "utf8"))) !== r.manifest) reject(`manifest is not the hash of ${v.header.manifest}`);
      const share = manifest.shares.find((s) => s.group === r.group && s.member === r.member);
      if (!share || share.commitment !== r.commitment || share.custodian !== r.custodian) reject("the manifest registers no such share for that custodian");
      const words = c.readVector(path.join(vectors, v.header.share)).body.toString("utf8").trim();
      if (c.commitmentOf(c.decodeShare(words)) !== r.commitment) reject(`commitment is not that of ${v.header.share}`);
    }
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "damaged", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
