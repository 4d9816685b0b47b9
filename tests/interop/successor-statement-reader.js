// Independent reader of test-vectors/rotation/ (docs/rotation.md), written from the format text, not from KeyVault's
// source. Usage: node successor-statement-reader.js FILE...  One JSON line per file; exit 1 when a file's verdict is
// not the one its expect line names (test-vectors/README.md, "One layout").
"use strict";
const c = require("./reader-common");
const { reject } = c;

const HEX66 = /^0[23][0-9a-f]{64}$/;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
function exactMembers(o, required, optional, where) {
  if (!isObj(o)) reject(`${where} is not an object`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) reject(`${where}: unknown member ${k}`);
  for (const k of required) if (!(k in o)) reject(`${where}: member ${k} missing`);
}
function key(hex, where) {
  if (typeof hex !== "string" || !HEX66.test(hex)) reject(`${where} is not lowercase compressed hex`);
  c.decodePoint(hex);
  return hex;
}
function without(obj, ...names) {
  const copy = { ...obj };
  for (const n of names) delete copy[n];
  return Buffer.from(c.canonicalize(copy), "utf8");
}
function signatureOf(s, member, expectedKey, message) {
  exactMembers(s[member], ["scheme", "publicKey", "value"], [], member);
  if (s[member].scheme !== "stacks-signed-message-rsv") reject(`${member}: unknown signature scheme`);
  key(s[member].publicKey, `${member}.publicKey`);
  if (s[member].publicKey !== expectedKey) return `${member} is not by the key it must be by`;
  const v = c.verifyRsv(message, s[member].value, s[member].publicKey);
  return v.ok ? null : `${member}: ${v.why}`;
}

function check(s) {
  exactMembers(s, ["format", "version", "createdAt", "tool", "oldPublicKey", "newPublicKey", "signature"], ["acceptance"], "statement");
  if (s.format !== "keyvault-successor-statement" || s.version !== 1) reject("not keyvault-successor-statement version 1");
  if (!c.isUtcSeconds(s.createdAt)) reject("createdAt is not YYYY-MM-DDTHH:MM:SSZ");
  exactMembers(s.tool, ["name", "version"], [], "tool");
  key(s.oldPublicKey, "oldPublicKey");
  key(s.newPublicKey, "newPublicKey");
  if (s.oldPublicKey === s.newPublicKey) reject("old and new key are the same");
  const facts = { oldPublicKey: s.oldPublicKey, newPublicKey: s.newPublicKey };
  // The old key signs the statement without both signatures; the new key signs it with the old key's signature.
  const old = signatureOf(s, "signature", s.oldPublicKey, without(s, "signature", "acceptance"));
  if (old) return { verdict: "rejected", reason: old, facts };
  if (!("acceptance" in s)) return { verdict: "not accepted", reason: "no acceptance by the new key", facts };
  const accepted = signatureOf(s, "acceptance", s.newPublicKey, without(s, "acceptance"));
  if (accepted) return { verdict: "rejected", reason: accepted, facts };
  return { verdict: "valid", facts };
}

c.runReader("rotation", process.argv.slice(2), (file) => {
  const v = c.readVector(file);
  let out;
  try {
    out = check(c.readJsonBytes(v.body));
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "rejected", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
