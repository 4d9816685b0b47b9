// Independent reader of test-vectors/signer-set/ (docs/signer-set.md), written from the format text, not from
// KeyVault's source. Usage: node signer-set-reader.js FILE...  One JSON line per file; exit 1 when a file's verdict
// is not the one its expect line names (test-vectors/README.md, "One layout").
"use strict";
const c = require("./reader-common");
const { reject } = c;

const HEX66 = /^0[23][0-9a-f]{64}$/;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
function exactMembers(o, names, where) {
  if (!isObj(o)) reject(`${where} is not an object`);
  for (const k of Object.keys(o)) if (!names.includes(k)) reject(`${where}: unknown member ${k}`);
  for (const k of names) if (!(k in o)) reject(`${where}: member ${k} missing`);
}

// Section 2: the set object; returns its fingerprint.
function checkSet(s) {
  exactMembers(s, ["aggregateKey", "deployer", "format", "network", "signaturesRequired", "signingSet", "version"], "signerSet");
  if (s.format !== "sbtc-signer-set" || s.version !== 1) reject("signerSet is not sbtc-signer-set version 1");
  if (!Array.isArray(s.signingSet) || s.signingSet.length < 1 || s.signingSet.length > 16) reject("signingSet must hold 1 to 16 keys");
  for (const k of s.signingSet) { if (typeof k !== "string" || !HEX66.test(k)) reject(`signingSet key ${k} is not lowercase compressed hex`); c.decodePoint(k); }
  for (let i = 1; i < s.signingSet.length; i++) if (!(s.signingSet[i - 1] < s.signingSet[i])) reject("signingSet is not sorted ascending without repeats");
  if (!Number.isInteger(s.signaturesRequired) || s.signaturesRequired < 1 || s.signaturesRequired > s.signingSet.length) reject("signaturesRequired out of range");
  if (s.aggregateKey !== null) { if (!HEX66.test(s.aggregateKey)) reject("aggregateKey is not lowercase compressed hex"); c.decodePoint(s.aggregateKey); }
  if (s.network !== null && !["mainnet", "testnet", "regtest"].includes(s.network)) reject("network is not mainnet, testnet or regtest");
  if (s.deployer !== null) {
    const a = c.c32decodeAddress(s.deployer);
    const mainnet = a.version === 22 || a.version === 20;
    if (s.network !== null && mainnet !== (s.network === "mainnet")) reject("deployer's network is not the set's");
  }
  return c.hex(c.sha256(Buffer.from(c.canonicalize(s), "utf8")));
}

function checkAttestation(a) {
  exactMembers(a, ["format", "version", "createdAt", "tool", "signerSet", "fingerprint", "signature"], "attestation");
  if (a.format !== "keyvault-signer-set-attestation" || a.version !== 1) reject("not keyvault-signer-set-attestation version 1");
  if (!c.isUtcSeconds(a.createdAt)) reject("createdAt is not YYYY-MM-DDTHH:MM:SSZ");
  exactMembers(a.tool, ["name", "version"], "tool");
  const fingerprint = checkSet(a.signerSet);
  if (a.fingerprint !== fingerprint) reject(`fingerprint ${a.fingerprint} is not SHA-256 of the canonical set (${fingerprint})`);
  exactMembers(a.signature, ["scheme", "publicKey", "value"], "signature");
  if (a.signature.scheme !== "stacks-signed-message-rsv") reject("unknown signature scheme");
  const v = c.verifyRsv(c.signedMessageOf(a), a.signature.value, a.signature.publicKey);
  const facts = { fingerprint, signer: a.signature.publicKey };
  if (!v.ok) return { verdict: "rejected", reason: `signature: ${v.why}`, facts };
  if (!a.signerSet.signingSet.includes(a.signature.publicKey)) return { verdict: "signer outside set", reason: "the signer is not in the set it attests", facts };
  return { verdict: "valid", facts };
}

c.runReader("signer-set", process.argv.slice(2), (file) => {
  const v = c.readVector(file);
  let out;
  try {
    if (v.header.expect === "canonical") {
      const set = c.readJsonBytes(v.body);
      const fingerprint = checkSet(set);
      const canonical = Buffer.from(c.canonicalize(set), "utf8");
      out = !canonical.equals(v.body) ? { verdict: "not canonical", reason: "the body is not its own RFC 8785 form", facts: { fingerprint } }
        : v.header.fingerprint !== fingerprint ? { verdict: "rejected", reason: `fingerprint is ${fingerprint}`, facts: { fingerprint } }
        : { verdict: "canonical", facts: { fingerprint } };
    } else {
      out = checkAttestation(c.readJsonBytes(v.body));
      if (out.verdict === "valid" && v.header.fingerprint !== out.facts.fingerprint) out = { verdict: "rejected", reason: "fingerprint differs from the header's", facts: out.facts };
    }
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "rejected", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
