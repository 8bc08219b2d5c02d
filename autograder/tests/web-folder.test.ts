/**
 * Folder mode: a folder of real pages served as static files, with correct
 * content types, index.html for folders, and nothing outside the folder in
 * reach, however the path is written.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWeb } from "../web/index.ts";

interface Raw {
  status: number;
  headers: string;
  body: string;
}

/** Sends one request exactly as written (no client normalizes the target) and reads the answer. */
function raw(url: string, target: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("end", () => {
      const [head = "", ...body] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body: body.join("\r\n\r\n") });
    });
    socket.on("error", reject);
  });
}

const secret = "TOP SECRET: outside the folder";
const top = await mkdtemp(join(tmpdir(), "web-folder-"));
const site = join(top, "site");
await mkdir(join(site, "docs", "deep"), { recursive: true });
await writeFile(join(top, "outside.txt"), secret);
await writeFile(join(site, "index.html"), '<a href="docs/">docs</a>');
await writeFile(join(site, "docs", "index.html"), '<a href="page.html">page</a>');
await writeFile(join(site, "docs", "page.html"), "<p>page</p>");
await writeFile(join(site, "docs", "deep", "note.txt"), "a note");
await writeFile(join(site, "style.css"), "body {}");
await writeFile(join(site, "paper.pdf"), "%PDF-1.4");
await writeFile(join(site, "blob.bin"), "bytes");
await writeFile(join(site, "with space.html"), "<p>space</p>");
await writeFile(join(site, ".env"), secret);
await symlink(top, join(site, "up"));
await symlink(join(top, "outside.txt"), join(site, "leak.txt"));
const server = await startWeb({ folder: site });

test.after(async () => {
  await server.close();
  await rm(top, { recursive: true, force: true });
});

test("files are served with the content type of their extension", async () => {
  const types: Record<string, string> = {
    "/docs/page.html": "text/html; charset=utf-8",
    "/docs/deep/note.txt": "text/plain; charset=utf-8",
    "/style.css": "text/css; charset=utf-8",
    "/paper.pdf": "application/pdf",
    "/blob.bin": "application/octet-stream",
    "/with%20space.html": "text/html; charset=utf-8",
  };
  for (const [path, type] of Object.entries(types)) {
    const answer = await raw(server.url, path);
    assert.equal(answer.status, 200, path);
    assert.ok(answer.headers.includes(`content-type: ${type}`), `${path}: ${answer.headers}`);
  }
  assert.equal((await raw(server.url, "/docs/page.html?version=2")).body, "<p>page</p>", "the query string is ignored");
});

test("a folder answers with its index.html, and without its trailing slash redirects to it", async () => {
  assert.equal((await raw(server.url, "/")).body, '<a href="docs/">docs</a>');
  assert.equal((await raw(server.url, "/docs/")).body, '<a href="page.html">page</a>');
  const redirect = await raw(server.url, "/docs?x=1");
  assert.equal(redirect.status, 301);
  assert.ok(redirect.headers.includes("location: /docs/?x=1"));
  assert.equal((await raw(server.url, "/docs/deep/")).status, 404, "a folder without index.html");
});

test("missing files answer 404", async () => {
  for (const path of ["/nothing.html", "/docs/nothing/", "/style.css/more"]) assert.equal((await raw(server.url, path)).status, 404, path);
});

test("no way of writing a path reaches outside the folder or a hidden file", async () => {
  const attempts = [
    "/../outside.txt",
    "/docs/../../outside.txt",
    "/%2e%2e/outside.txt",
    "/%2E%2E/%2E%2E/outside.txt",
    "/..%2foutside.txt",
    "/docs/..%2F..%2Foutside.txt",
    "/..%5coutside.txt",
    "/..\\outside.txt",
    "/%252e%252e/outside.txt",
    "/.%2e/outside.txt",
    "/outside.txt%00.html",
    "/%00",
    "/docs/page.html%00",
    "/up/outside.txt",
    "/leak.txt",
    "/.env",
    "/%2eenv",
    "/%zz",
    `/${"../".repeat(40)}etc/passwd`,
  ];
  for (const target of attempts) {
    const answer = await raw(server.url, target);
    assert.ok(answer.status === 404 || answer.status === 400, `${target} answered ${answer.status}`);
    assert.ok(!answer.body.includes(secret) && !answer.body.includes("root:"), `${target} leaked`);
  }
  assert.equal((await raw(server.url, "/docs/page.html")).status, 200, "the server still answers");
});

test("startWeb() refuses a folder that does not exist", async () => {
  await assert.rejects(startWeb({ folder: join(top, "missing") }), TypeError);
  await assert.rejects(startWeb({ folder: join(top, "outside.txt") }), TypeError);
});
