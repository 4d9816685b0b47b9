// Independent reader of test-vectors/handover/ (docs/migration.md), written from the format text, not from
// KeyVault's source. Usage: node handover-reader.js FILE...  One JSON line per file; exit 1 when a file's verdict is
// not the one its expect line names (test-vectors/README.md, "One layout").
"use strict";
const c = require("./reader-common");
const { reject } = c;

const HEX64 = /^[0-9a-f]{64}$/;
const HEX66 = /^0[23][0-9a-f]{64}$/;
const PRINTABLE = /^[\x20-\x7e]+$/;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
function exactMembers(o, required, optional, where) {
  if (!isObj(o)) reject(`${where} is not an object`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) reject(`${where}: unknown member ${k}`);
  for (const k of required) if (!(k in o)) reject(`${where}: member ${k} missing`);
}
const str = (v, where) => { if (typeof v !== "string") reject(`${where} is not a string`); return v; };
const int = (v, lo, hi, where) => { if (!Number.isSafeInteger(v) || v < lo || v > hi) reject(`${where} is not an integer from ${lo} to ${hi}`); return v; };
const bool = (v, where) => { if (typeof v !== "boolean") reject(`${where} is not true or false`); return v; };
const time = (v, where) => { if (!c.isUtcSeconds(v)) reject(`${where} is not YYYY-MM-DDTHH:MM:SSZ`); return Date.parse(v); };

// The rules of the format; any broken one makes the file malformed, before its signature is looked at.
function rules(h) {
  exactMembers(h, ["format", "version", "createdAt", "tool", "signerPublicKey", "oldInstance", "dump", "drill", "newHost", "signature"], [], "record");
  if (h.format !== "keyvault-handover" || h.version !== 1) reject("not keyvault-handover version 1");
  const created = time(h.createdAt, "createdAt");
  exactMembers(h.tool, ["name", "version"], [], "tool");
  str(h.tool.name, "tool.name");
  str(h.tool.version, "tool.version");
  if (!HEX66.test(str(h.signerPublicKey, "signerPublicKey"))) reject("signerPublicKey is not lowercase compressed hex");
  c.decodePoint(h.signerPublicKey);

  exactMembers(h.oldInstance, ["stoppedAt", "stoppedAtBitcoinBlock"], [], "oldInstance");
  const stopped = time(h.oldInstance.stoppedAt, "oldInstance.stoppedAt");
  const block = h.oldInstance.stoppedAtBitcoinBlock;
  exactMembers(block, ["height"], ["hash"], "oldInstance.stoppedAtBitcoinBlock");
  int(block.height, 0, 2147483647, "height");
  if ("hash" in block && !HEX64.test(str(block.hash, "hash"))) reject("the block hash is not 64 lowercase hex");

  const d = h.dump;
  exactMembers(d, ["fileName", "size", "sha256", "format", "tables", "dkgShareRows", "newestVerifiedAggregateKey"], [], "dump");
  const name = str(d.fileName, "dump.fileName");
  if (name.length < 1 || name.length > 255 || name === "." || name === ".." || /[\/\\\x00-\x1f\x7f-\x9f]/.test(name)) reject("dump.fileName is not a file name");
  int(d.size, 1, 2 ** 53 - 1, "dump.size");
  if (!HEX64.test(str(d.sha256, "dump.sha256"))) reject("dump.sha256 is not 64 lowercase hex");
  if (!["plain", "custom", "tar"].includes(d.format)) reject("dump.format is not plain, custom or tar");
  exactMembers(d.tables, ["dkgShares", "p2pPeers"], [], "dump.tables");
  if (!bool(d.tables.dkgShares, "dkgShares")) reject("dump.tables.dkgShares is false");
  bool(d.tables.p2pPeers, "p2pPeers");
  int(d.dkgShareRows, 1, 2147483647, "dump.dkgShareRows");
  if (!HEX66.test(str(d.newestVerifiedAggregateKey, "aggregate key"))) reject("dump.newestVerifiedAggregateKey is not 66 lowercase hex starting 02 or 03");

  exactMembers(h.drill, ["reportSha256", "createdAt", "result"], [], "drill");
  if (!HEX64.test(str(h.drill.reportSha256, "drill.reportSha256"))) reject("drill.reportSha256 is not 64 lowercase hex");
  const drilled = time(h.drill.createdAt, "drill.createdAt");
  if (h.drill.result !== "pass") reject("drill.result is not pass");
  if (!(stopped <= drilled && drilled <= created)) reject("not stoppedAt <= drill.createdAt <= createdAt");

  const host = str(h.newHost, "newHost");
  if (host.length < 1 || host.length > 100 || !PRINTABLE.test(host) || host[0] === " " || host[host.length - 1] === " ")
    reject("newHost is not 1 to 100 printable ASCII characters without a space at either end");
  exactMembers(h.signature, ["scheme", "publicKey", "value"], [], "signature");
}

function check(h) {
  rules(h);
  const facts = { signerPublicKey: h.signerPublicKey, dumpSha256: h.dump.sha256, newHost: h.newHost };
  const s = h.signature;
  if (s.scheme !== "stacks-signed-message-rsv") return { verdict: "rejected", reason: "unknown signature scheme", facts };
  if (s.publicKey !== h.signerPublicKey) return { verdict: "rejected", reason: "signature.publicKey is not signerPublicKey", facts };
  const copy = { ...h };
  delete copy.signature;
  const v = c.verifyRsv(Buffer.from(c.canonicalize(copy), "utf8"), s.value, s.publicKey);
  return v.ok ? { verdict: "valid", facts } : { verdict: "rejected", reason: v.why, facts };
}

c.runReader("handover", process.argv.slice(2), (file) => {
  const v = c.readVector(file);
  let out;
  try {
    out = check(c.readJsonBytes(v.body));
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "malformed", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
