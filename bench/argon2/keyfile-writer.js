// Writes a KeyVault key file (docs/key-file-format.md, binary form) without KeyVault: Argon2id from the reference C
// implementation in the npm "argon2" module, AES-256-GCM and secp256k1 from Node's crypto. For bench/argon2/release.sh,
// so that the released keyvault unlocks a file it did not write.
//
//   node keyfile-writer.js OUT M_KIB T P SALT_HEX KEY_HEX < passphrase
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const argon2 = require("argon2");

const [out, m, t, p, saltHex, keyHex] = process.argv.slice(2);
if (!keyHex) {
  process.stderr.write("usage: node keyfile-writer.js OUT M_KIB T P SALT_HEX KEY_HEX < passphrase\n");
  process.exit(2);
}
const passphrase = Buffer.from(fs.readFileSync(0, "utf8").normalize("NFC"), "utf8");
const salt = Buffer.from(saltHex, "hex");
const key = Buffer.from(keyHex, "hex");
const ecdh = crypto.createECDH("secp256k1");
ecdh.setPrivateKey(key);
const publicKey = ecdh.getPublicKey(null, "compressed");

const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(Number(v)); return b; };
const nonce = crypto.randomBytes(12);
const header = Buffer.concat([
  Buffer.from([0x89, 0x4b, 0x56, 0x4b, 0x46, 0x0d, 0x0a, 0x1a, 0x01]),
  u32(m), u32(t), u32(p),
  Buffer.from([salt.length]), salt, nonce, publicKey,
  Buffer.from([0]), // no label
]);

(async () => {
  const fileKey = await argon2.hash(passphrase, {
    type: argon2.argon2id, version: 0x13, raw: true, salt, hashLength: 32,
    memoryCost: Number(m), timeCost: Number(t), parallelism: Number(p),
  });
  const cipher = crypto.createCipheriv("aes-256-gcm", fileKey, nonce);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  fs.writeFileSync(out, Buffer.concat([header, body]), { mode: 0o600, flag: "wx" });
})();
