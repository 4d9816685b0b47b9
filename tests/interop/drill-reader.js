// Independent reader of test-vectors/drill/ (docs/drill-report.md, docs/drill.md section 2), written from the format
// text, not from KeyVault's source. Usage: node drill-reader.js FILE...  One JSON line per file; exit 1 when a file's
// verdict is not the one its expect line names (test-vectors/README.md, "One layout").
"use strict";
const fs = require("fs");
const path = require("path");
const c = require("./reader-common");
const { reject } = c;

const HEX64 = /^[0-9a-f]{64}$/;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);

function exactMembers(o, names, where, optional = []) {
  if (!isObj(o)) reject(`${where} is not an object`);
  for (const k of Object.keys(o)) if (!names.includes(k) && !optional.includes(k)) reject(`${where}: unknown member ${k}`);
  for (const k of names) if (!(k in o)) reject(`${where}: member ${k} missing`);
}

// Section 1 and 3 structure; returns the derived identity.
function checkReportStructure(r) {
  exactMembers(r, ["format", "version", "createdAt", "tool", "tested", "expected", "derived", "checks", "result", "signature"], "report", ["signerSet"]);
  if ("signerSet" in r) {
    exactMembers(r.signerSet, ["fingerprint", "signaturesRequired", "signers"], "signerSet");
    if (!HEX64.test(r.signerSet.fingerprint)) reject("signerSet.fingerprint is not 64 lowercase hex");
    const { signaturesRequired: t, signers: n } = r.signerSet;
    if (!Number.isInteger(t) || !Number.isInteger(n) || t < 1 || n < t) reject("signerSet: need 1 <= signaturesRequired <= signers");
  }
  if (r.format !== "keyvault-drill-report") reject("format is not keyvault-drill-report");
  if (r.version !== 1) reject("version is not 1");
  if (!c.isUtcSeconds(r.createdAt)) reject("createdAt is not YYYY-MM-DDTHH:MM:SSZ");
  exactMembers(r.tool, ["name", "version"], "tool", ["executableSha256", "selfTest"]);
  if (r.tool.name !== "keyvault" || typeof r.tool.version !== "string") reject("tool.name/version");
  if (("executableSha256" in r.tool) !== ("selfTest" in r.tool)) reject("only one of tool.executableSha256 and tool.selfTest");
  if ("executableSha256" in r.tool && !HEX64.test(r.tool.executableSha256)) reject("tool.executableSha256 is not 64 lowercase hex");
  if ("selfTest" in r.tool && !["pass", "fail"].includes(r.tool.selfTest)) reject("tool.selfTest is not pass or fail");
  exactMembers(r.tested, ["keyFile", "shares"], "tested");
  if (r.tested.keyFile === null && r.tested.shares === null) reject("tested: neither keyFile nor shares");
  if (r.tested.keyFile !== null) {
    exactMembers(r.tested.keyFile, ["path", "sha256"], "tested.keyFile");
    if (typeof r.tested.keyFile.path !== "string" || !HEX64.test(r.tested.keyFile.sha256)) reject("tested.keyFile types");
  }
  if (r.tested.shares !== null) {
    const s = r.tested.shares;
    exactMembers(s, ["identifier", "groupThreshold", "groupCount", "shares"], "tested.shares");
    for (const k of ["identifier", "groupThreshold", "groupCount"]) if (!Number.isInteger(s[k])) reject(`tested.shares.${k} is not an integer`);
    if (!Array.isArray(s.shares)) reject("tested.shares.shares is not an array");
    for (const x of s.shares) {
      exactMembers(x, ["groupIndex", "memberIndex", "memberThreshold"], "tested.shares.shares[]");
      for (const k of Object.keys(x)) if (!Number.isInteger(x[k])) reject(`tested.shares.shares[].${k} is not an integer`);
    }
  }
  exactMembers(r.expected, ["kind", "value"], "expected");
  if (!["publicKey", "stacksAddress", "identityFile", "signerConfig"].includes(r.expected.kind)) reject("expected.kind unknown");
  const derived = c.checkIdentity(r.derived, "derived");
  if (!Array.isArray(r.checks) || r.checks.length === 0) reject("checks: not a non-empty array");
  for (const k of r.checks) {
    exactMembers(k, ["name", "subject", "result", "detail"], "checks[]");
    for (const f of Object.keys(k)) if (typeof k[f] !== "string") reject(`checks[].${f} is not a string`);
    if (!["pass", "fail", "info"].includes(k.result)) reject(`checks[].result ${k.result}`);
  }
  exactMembers(r.signature, ["scheme", "publicKey", "value"], "signature");
  return derived;
}

// Section 1 consistency rules: result from checks; identity checks follow from expected and derived.
function checkConsistency(r) {
  const counted = r.checks.filter((k) => k.result !== "info");
  let result;
  if (counted.every((k) => k.result === "pass")) result = "pass";
  else if (counted.some((k) => k.name === "identity" && k.result === "fail")) result = "identity-mismatch";
  else if (counted.some((k) => k.name === "dkg-shares" && k.result === "fail")) result = "dkg-shares-not-opened";
  else result = "fail";
  if (r.result !== result) reject(`result ${r.result} disagrees with the checks (${result})`);

  const ids = r.checks.filter((k) => k.name === "identity");
  if (ids.length === 0) reject("no identity check");
  const pub = r.derived.publicKey;
  let matches;
  if (r.expected.kind === "stacksAddress") {
    const a = c.c32decodeAddress(r.expected.value);
    if (a.version !== 22 && a.version !== 26) reject(`expected address version ${a.version} is not SP/ST`);
    matches = a.hash160 === c.hex(c.hash160(Buffer.from(pub, "hex")));
  } else {
    c.decodePoint(r.expected.value);
    matches = r.expected.value === pub;
  }
  if (!matches && ids.every((k) => k.result === "pass")) reject("derived key is not the expected one, yet every identity check passes");
  if (matches && ids.every((k) => k.result === "fail")) reject("derived key is the expected one, yet every identity check fails");
  return matches;
}

function checkReport(body) {
  const r = c.readJsonBytes(body);
  const derived = checkReportStructure(r);
  const derivedMatchesExpected = checkConsistency(r);
  if (r.signature.scheme !== "stacks-signed-message-rsv") reject("signature.scheme");
  const m = c.signedMessageOf(r);
  const v = c.verifyRsv(m, r.signature.value, r.signature.publicKey);
  const facts = {
    createdAt: r.createdAt, result: r.result, signer: r.signature.publicKey, derivedPublicKey: derived.publicKey,
    fingerprint: derived.fingerprint, mainnet: derived.stacksAddress.mainnet, expectedKind: r.expected.kind,
    derivedMatchesExpected, signatureValid: v.ok, signedMessageLength: m.length, signedMessageSha256: c.hex(c.sha256(m)),
    checks: r.checks.map((k) => `${k.name}:${k.result}`),
  };
  if (!v.ok) return { verdict: "signature invalid", reason: v.why, facts };
  if (r.signature.publicKey !== r.derived.publicKey) return { verdict: "signer not derived", reason: "signature valid, but signer is not derived.publicKey: not a valid drill report", facts };
  return { verdict: "valid", facts };
}

function checkSignedMessage(v, dir) {
  const expected = c.signedMessageOf(c.readJsonBytes(c.readVector(path.join(dir, v.header.report)).body));
  const facts = { report: v.header.report, length: v.body.length, canonicalLength: expected.length };
  if (!v.body.equals(expected)) return { verdict: "not canonical", reason: "differs from the RFC 8785 form computed from the report", facts };
  return { verdict: "canonical", facts };
}

function checkMessage(v) {
  const h = v.header;
  const facts = { length: Buffer.byteLength(h.message, "utf8") };
  if (c.publicKeyOf(h["private key"]) !== h["public key"]) return { verdict: "rejected", reason: "public key is not that of private key", facts };
  const r = c.verifyRsv(h.message, v.body.toString("utf8").trim(), h["public key"]);
  if (r.encoded !== h.encoded) return { verdict: "rejected", reason: "encoded bytes differ", facts };
  if (r.hash !== h.hash) return { verdict: "rejected", reason: "hash differs", facts };
  if (!r.ok) return { verdict: "rejected", reason: r.why, facts };
  return { verdict: "valid", facts };
}

// docs/drill.md, "--dkg-blob FILE" and "What the drill does".
function parseBlobHex(text) {
  let t = text.replace(/^\s+/, "");
  if (t.startsWith("\\x") || t.startsWith("0x") || t.startsWith("0X")) t = t.slice(2);
  t = t.replace(/\s+/g, "");
  if (t.length === 0) reject("empty blob");
  const bad = t.search(/[^0-9a-fA-F]/);
  if (bad >= 0) reject(`non-hex character at ${bad}`);
  if (t.length % 2) reject("odd number of hex digits");
  return Buffer.from(t, "hex");
}
function openBlob(b, keyHex) {
  if (b.length < 28 || b.length > 16 * 1024 * 1024) return "malformed";
  const pt = c.aesGcmOpen(Buffer.from(keyHex, "hex"), b.subarray(0, 12), b.subarray(12, b.length - 16), b.subarray(b.length - 16), null);
  return pt ? { plaintextLength: pt.length, plaintext: c.hex(pt) } : null;
}
function checkBlob(v) {
  const b = parseBlobHex(v.body.toString("utf8"));
  const opened = openBlob(b, v.header.key);
  const facts = { blobLength: b.length, ciphertextLength: b.length - 28, opensWithKey: !!opened && opened !== "malformed" };
  if (v.header["other key"]) {
    const other = openBlob(b, v.header["other key"]);
    facts.opensWithOtherKey = !!other && other !== "malformed";
    if (facts.opensWithOtherKey) return { verdict: "opens with other key", reason: "opens with the other key as well", facts };
  }
  if (!facts.opensWithKey) return { verdict: "does not open", reason: "the AES-256-GCM tag does not verify with the key: not opened", facts };
  facts.plaintextLength = opened.plaintextLength;
  if ("plaintext" in v.header && v.header.plaintext !== opened.plaintext) return { verdict: "rejected", reason: "the plaintext differs from the vector's", facts };
  return { verdict: "opens", facts };
}

c.runReader("drill", process.argv.slice(2), (file) => {
  const base = path.basename(file);
  const v = c.readVector(file);
  let out;
  try {
    if (v.header.expect === "canonical") out = checkSignedMessage(v, path.dirname(file));
    else if (base.startsWith("message-")) out = checkMessage(v);
    else if (base.startsWith("dkg-blob")) out = checkBlob(v);
    else {
      out = checkReport(v.body);
      // The header's facts must be the report's too.
      // The header's facts must be the report's too: a valid report names its signer and result, any other its signer if given.
      const required = out.verdict === "valid" ? ["signer", "result"] : [];
      for (const k of ["signer", "result"])
        if ((required.includes(k) || k in v.header) && out.facts && v.header[k] !== out.facts[k]) out = { verdict: "rejected", reason: `${k} is ${out.facts[k]}, the vector says ${v.header[k]}`, facts: out.facts };
    }
  } catch (e) {
    if (!(e instanceof c.Reject)) throw e;
    out = { verdict: "rejected", reason: e.message, facts: {} };
  }
  return { expected: v.header.expect, ...out };
});
