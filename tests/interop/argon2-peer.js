// The other side of KeyVault's Argon2id differential tests: the reference C implementation (phc-winner-argon2) as
// packaged by the npm "argon2" module. Reads a JSON array of cases on standard input and writes one hex tag per line:
//   [{"password":"hex","salt":"hex","secret":"hex","ad":"hex","m":KiB,"t":passes,"p":lanes,"length":bytes}, ...]
"use strict";
const argon2 = require("argon2");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const out = [];
  for (const c of JSON.parse(input)) {
    const tag = await argon2.hash(Buffer.from(c.password, "hex"), {
      type: argon2.argon2id,
      version: 0x13,
      raw: true,
      salt: Buffer.from(c.salt, "hex"),
      secret: Buffer.from(c.secret || "", "hex"),
      associatedData: Buffer.from(c.ad || "", "hex"),
      memoryCost: c.m,
      timeCost: c.t,
      parallelism: c.p,
      hashLength: c.length,
    });
    out.push(tag.toString("hex"));
  }
  process.stdout.write(out.join("\n") + "\n");
});
