/**
 * The server half of the bare baseline: node:http and JSON, nothing else. It
 * answers every POST with the same 64-character id a node's status would
 * give, prints its port, and exits when stdin closes.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const id = "0".repeat(64);
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const body = JSON.stringify(id);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ ready: { ip: "127.0.0.1", port: (server.address() as AddressInfo).port, id } })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
