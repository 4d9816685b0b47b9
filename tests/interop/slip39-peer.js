// The other side of KeyVault's SLIP-0039 interoperability tests: the independent npm "slip39" implementation.
// Reads one JSON request on standard input and writes the answer on standard output.
//   {"op":"recover","mnemonics":[...],"passphrase":"..."}                      -> master secret, hex
//   {"op":"split","secret":"hex","passphrase":"...","groupThreshold":G,
//    "groups":[[K,N],...],"iterationExponent":E,"extendable":true}            -> JSON array (per group) of mnemonic arrays
"use strict";
const slip39 = require("slip39");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  if (request.op === "recover") {
    const secret = slip39.recoverSecret(request.mnemonics, request.passphrase || "");
    process.stdout.write(Buffer.from(secret).toString("hex") + "\n");
  } else if (request.op === "split") {
    const backup = slip39.fromArray(Array.from(Buffer.from(request.secret, "hex")), {
      passphrase: request.passphrase || "",
      threshold: request.groupThreshold,
      groups: request.groups,
      iterationExponent: request.iterationExponent,
      extendableBackupFlag: request.extendable ? 1 : 0,
    });
    const groups = request.groups.map((_, i) => backup.fromPath(`r/${i}`).mnemonics);
    process.stdout.write(JSON.stringify(groups) + "\n");
  } else {
    process.stderr.write(`unknown op ${request.op}\n`);
    process.exit(2);
  }
});
