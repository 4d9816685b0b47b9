// The other side of KeyVault's tests of the Stacks signer's two structured-data signatures: @stacks/transactions
// (stacks.js) builds the Clarity values, serializes them, hashes them as SIP-018 says and signs the hash with its own
// secp256k1 (noble), independently of KeyVault's C#.
// Reads one JSON request on standard input and writes one JSON answer on standard output.
//   {"op":"grant","privateKey":"hex","signerManager":"SP…[.name]","authId":"decimal","chainId":n}
//        -> {"hash":"hex","signatureRsv":"hex","publicKey":"hex"}
//   {"op":"vote","privateKey":"hex","sip":n,"vote":"yes"|"no"}
//        -> {"hash":"hex","signatureVrs":"hex","publicKey":"hex"}
//   {"op":"recover","hash":"hex","signatureRsv":"hex"} -> {"publicKey":"hex"}
"use strict";
const { Cl, signStructuredData, encodeStructuredDataBytes, publicKeyFromSignatureRsv, privateKeyToPublic } = require("@stacks/transactions");
const { bytesToHex, signatureRsvToVrs } = require("@stacks/common");
const { sha256 } = require("@noble/hashes/sha2.js");

function structured(message, domain, privateKey) {
  const hash = bytesToHex(sha256(encodeStructuredDataBytes({ message, domain })));
  const signatureRsv = signStructuredData({ message, domain, privateKey });
  return { hash, signatureRsv, publicKey: privateKeyToPublic(privateKey) };
}

function answer(request) {
  switch (request.op) {
    case "grant":
      return structured(
        Cl.tuple({
          topic: Cl.stringAscii("grant-authorization"),
          "signer-manager": Cl.principal(request.signerManager),
          "auth-id": Cl.uint(BigInt(request.authId)),
        }),
        Cl.tuple({ name: Cl.stringAscii("pox-5-signer"), version: Cl.stringAscii("1.0.0"), "chain-id": Cl.uint(request.chainId) }),
        request.privateKey);
    case "vote": {
      const signed = structured(
        Cl.tuple({ sip: Cl.uint(request.sip), vote: Cl.uint(request.vote === "yes" ? 0 : 1) }),
        Cl.tuple({ name: Cl.stringAscii("signer-sip-voting"), version: Cl.stringAscii("1.0.0"), "chain-id": Cl.uint(1) }),
        request.privateKey);
      return { hash: signed.hash, signatureVrs: signatureRsvToVrs(signed.signatureRsv), publicKey: signed.publicKey };
    }
    case "recover":
      return { publicKey: publicKeyFromSignatureRsv(request.hash, request.signatureRsv) };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => process.stdout.write(JSON.stringify(answer(JSON.parse(input)))));
