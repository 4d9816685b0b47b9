// The other side of KeyVault's age interoperability tests for the recipient types the stock age tool of Debian does
// not know: the npm "age-encryption" package (the TypeScript age by the format's author) does the file format, the
// hybrid post-quantum recipients and identities, and the tagged recipients; this file adds software identities for
// p256tag and piv-p256 stanzas, written from the published algorithms (C2SP age "p256tag recipient stanza" and
// c2sp.org/age-piv-p256) with the noble primitives, because hardware keep those private keys.
// Reads one JSON request on standard input and writes one JSON answer on standard output.
//   {"op":"keygen","type":"hybrid"|"tag"|"yubikey"}            -> {"identity":"...","recipient":"age1..."}
//   {"op":"recipient","identity":"AGE-SECRET-KEY-PQ-1..."}          -> {"recipient":"age1pq1..."}
//   {"op":"encrypt","recipients":["age1..."],"plaintext":"b64","armor":bool} -> {"file":"b64"}
//   {"op":"decrypt","identity":{"type":...,"identity":"..."},"file":"b64"}   -> {"plaintext":"b64","stanzas":[[args...]]}
import { Encrypter, Decrypter, identityToRecipient, generateHybridIdentity, armor } from "age-encryption";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { extract, expand, hkdf } from "@noble/hashes/hkdf.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { bech32, base64nopad } from "@scure/base";

const enc = new TextEncoder();
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const be16 = (v) => new Uint8Array([v >> 8, v & 0xff]);

// RFC 9180 with HKDF-SHA256 and ChaCha20Poly1305, base mode, as the age tagged stanzas use it.
const labeledExtract = (suite, salt, label, ikm) => extract(sha256, concat(enc.encode("HPKE-v1"), suite, enc.encode(label), ikm), salt);
const labeledExpand = (suite, prk, label, info, length) =>
  expand(sha256, prk, concat(be16(length), enc.encode("HPKE-v1"), suite, enc.encode(label), info), length);
function hpkeOpen(kemId, sharedSecret, info, body) {
  const suite = concat(enc.encode("HPKE"), be16(kemId), be16(1), be16(3));
  const context = concat(new Uint8Array([0]), labeledExtract(suite, undefined, "psk_id_hash", new Uint8Array(0)),
    labeledExtract(suite, undefined, "info_hash", info));
  const secret = labeledExtract(suite, sharedSecret, "secret", new Uint8Array(0));
  const key = labeledExpand(suite, secret, "key", context, 32);
  const nonce = labeledExpand(suite, secret, "base_nonce", context, 12);
  return chacha20poly1305(key, nonce).decrypt(body);
}

// A p256tag identity: DHKEM(P-256, HKDF-SHA256) Decap, then HPKE OpenBase with info "age-encryption.org/p256tag".
class TagIdentity {
  constructor(secretHex) {
    this.secret = Uint8Array.from(Buffer.from(secretHex, "hex"));
    this.compressed = p256.getPublicKey(this.secret, true);
    this.uncompressed = p256.getPublicKey(this.secret, false);
  }
  unwrapFileKey(stanzas) {
    const label = enc.encode("age-encryption.org/p256tag");
    for (const s of stanzas) {
      if (s.args[0] !== "p256tag") continue;
      if (s.args.length !== 3 || s.body.length !== 32) throw Error("invalid p256tag stanza");
      const tag = base64nopad.decode(s.args[1]);
      const encapsulated = base64nopad.decode(s.args[2]);
      if (tag.length !== 4 || encapsulated.length !== 65) throw Error("invalid p256tag stanza");
      const expected = extract(sha256, concat(encapsulated, sha256(this.compressed).subarray(0, 4)), label).subarray(0, 4);
      if (!equal(tag, expected)) continue;
      const dh = p256.getSharedSecret(this.secret, encapsulated, true).subarray(1);
      const kemSuite = concat(enc.encode("KEM"), be16(0x0010));
      const prk = labeledExtract(kemSuite, undefined, "eae_prk", dh);
      const shared = labeledExpand(kemSuite, prk, "shared_secret", concat(encapsulated, this.uncompressed), 32);
      try { return hpkeOpen(0x0010, shared, label, s.body); } catch { continue; }
    }
    return null;
  }
}

// A piv-p256 identity (age-plugin-yubikey's stanza) from a software key.
class PivIdentity {
  constructor(secretHex) {
    this.secret = Uint8Array.from(Buffer.from(secretHex, "hex"));
    this.compressed = p256.getPublicKey(this.secret, true);
  }
  unwrapFileKey(stanzas) {
    for (const s of stanzas) {
      if (s.args[0] !== "piv-p256") continue;
      if (s.args.length !== 3 || s.body.length !== 32) throw Error("invalid piv-p256 stanza");
      const tag = base64nopad.decode(s.args[1]);
      const share = base64nopad.decode(s.args[2]);
      if (tag.length !== 4 || share.length !== 33) throw Error("invalid piv-p256 stanza");
      if (!equal(tag, sha256(this.compressed).subarray(0, 4))) continue;
      const shared = p256.getSharedSecret(this.secret, share, true).subarray(1);
      const key = hkdf(sha256, shared, concat(share, this.compressed), enc.encode("piv-p256"), 32);
      try { return chacha20poly1305(key, new Uint8Array(12)).decrypt(s.body); } catch { continue; }
    }
    return null;
  }
}

// Captures the stanzas a file carries, so the tests can check their types; never unwraps anything.
class StanzaLog {
  constructor() { this.seen = []; }
  unwrapFileKey(stanzas) { this.seen = stanzas.map((s) => s.args); return null; }
}

async function handle(request) {
  switch (request.op) {
    case "keygen": {
      if (request.type === "hybrid") {
        const identity = await generateHybridIdentity();
        return { identity, recipient: await identityToRecipient(identity) };
      }
      const secret = p256.utils.randomSecretKey();
      const hrp = request.type === "tag" ? "age1tag" : "age1yubikey";
      return { identity: Buffer.from(secret).toString("hex"), recipient: bech32.encode(hrp, bech32.toWords(p256.getPublicKey(secret, true)), false) };
    }
    case "recipient":
      return { recipient: await identityToRecipient(request.identity) };
    case "encrypt": {
      const e = new Encrypter();
      for (const r of request.recipients) e.addRecipient(r);
      const file = await e.encrypt(Buffer.from(request.plaintext, "base64"));
      return { file: Buffer.from(request.armor ? enc.encode(armor.encode(file)) : file).toString("base64") };
    }
    case "decrypt": {
      const raw = Buffer.from(request.file, "base64");
      const file = raw.subarray(0, 5).toString() === "-----" ? armor.decode(raw.toString("ascii")) : raw;
      const log = new StanzaLog();
      const d = new Decrypter();
      d.addIdentity(log);
      const id = request.identity;
      d.addIdentity(id.type === "tag" ? new TagIdentity(id.identity) : id.type === "yubikey" ? new PivIdentity(id.identity) : id.identity);
      const plaintext = await d.decrypt(file);
      return { plaintext: Buffer.from(plaintext).toString("base64"), stanzas: log.seen };
    }
    default:
      throw Error(`unknown op ${request.op}`);
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  try {
    process.stdout.write(JSON.stringify(await handle(JSON.parse(input))) + "\n");
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
});
