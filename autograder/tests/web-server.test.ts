/**
 * The server: keep-alive, GET and HEAD only, hits counted per path + query,
 * a million pages in little memory, and no request can bring it down.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, get, request } from "node:http";
import { connect } from "node:net";
import { factsOf, pagePath, startWeb } from "../web/index.ts";

/** Writes bytes on a fresh connection and resolves with whatever comes back until the server closes it (or 30 s pass). */
function exchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let text = "";
    socket.setEncoding("latin1");
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

function status(url: string, path: string, agent: Agent, method = "GET"): Promise<{ status: number; reused: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url + path, { agent, method }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, reused: outgoing.reusedSocket, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

test("one keep-alive connection serves many requests", async () => {
  const server = await startWeb({ pages: 100, seed: 3 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await status(server.url, "/", agent));
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.ok(answers.slice(1).every((answer) => answer.reused), "requests after the first reuse the connection");
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("hits() counts requests per path and query string; resetHits() forgets them", async () => {
  const server = await startWeb({ pages: 100, seed: 3 });
  const agent = new Agent({ keepAlive: true });
  try {
    for (const path of ["/", "/", "/robots.txt", "/nothing?a=1", "/a/../nothing?a=1"]) await status(server.url, path, agent);
    assert.deepEqual(server.hits(), new Map([["/", 2], ["/robots.txt", 1], ["/nothing?a=1", 2]]));
    server.resetHits();
    assert.equal(server.hits().size, 0);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("HEAD answers without a body; other methods get 405", async () => {
  const server = await startWeb({ pages: 100, seed: 3 });
  const agent = new Agent({ keepAlive: true });
  try {
    const head = await status(server.url, "/", agent, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    for (const method of ["POST", "PUT", "DELETE"]) assert.equal((await status(server.url, "/", agent, method)).status, 405, method);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("malformed requests get 400 or 431, and the server keeps answering", async () => {
  const server = await startWeb({ pages: 100, seed: 3 });
  try {
    const attacks: Array<[string, RegExp]> = [
      ["GARBAGE\r\n\r\n", /^HTTP\/1\.1 400/],
      ["GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", /^HTTP\/1\.1 400/],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`, /^HTTP\/1\.1 (431|400)/],
      ["GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", /^HTTP\/1\.1 400/],
      ["GET relative HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", /^HTTP\/1\.1 400/],
      ["GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", /^HTTP\/1\.1 400/],
      ["GET /%zz%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", /^HTTP\/1\.1 404/],
      ["GET / HTTP/1.1\r\nHost: <script>\r\nConnection: close\r\n\r\n", /^HTTP\/1\.1 200/],
      ["GET http://elsewhere/robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", /^HTTP\/1\.1 200/],
      ["GET / HTTP/1.1\r\nHost: x\r\n", /^(HTTP\/1\.1 400[^]*)?$/],
    ];
    for (const [bytes, answer] of attacks) assert.match(await exchange(server.url, bytes), answer, JSON.stringify(bytes.slice(0, 60)));
    const agent = new Agent();
    assert.equal((await status(server.url, "/robots.txt", agent)).status, 200);
  } finally {
    await server.close();
  }
});

test("a Host header that is not a plain host does not reach the page's links", async () => {
  const server = await startWeb({ pages: 100, seed: 3 });
  try {
    const page = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: "><script>x\r\nConnection: close\r\n\r\n');
    assert.ok(!page.includes("<script>x"));
    assert.ok(page.includes(`http:${server.url.slice("http:".length)}/`) || page.includes(`//${server.url.slice("http://".length)}/`));
  } finally {
    await server.close();
  }
});

test("close() ends open connections and waiting slow pages at once, not when the slow page would answer", async () => {
  const slowMs = 60_000;
  const server = await startWeb({ pages: 100, seed: 3, slowMs });
  const web = server.web!;
  let id = 1;
  while (factsOf(web, id).kind !== "slow") id++;
  const pending = new Promise((resolve) => get(server.url + pagePath(web, factsOf(web, id)), resolve).on("error", resolve));
  while (server.hits().size === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const start = performance.now();
  await server.close();
  await pending;
  const elapsed = performance.now() - start;
  assert.ok(elapsed < slowMs / 2, `close() took ${Math.round(elapsed)} ms, as if it waited for the slow page`);
});

test("a web of a million pages answers for its last pages as fast as a web of a thousand, in little memory", async () => {
  const small = await startWeb({ pages: 1_000, seed: 11 });
  const before = process.memoryUsage().heapUsed;
  const big = await startWeb({ pages: 1_000_000, seed: 11 });
  const agent = new Agent({ keepAlive: true });
  /** The time the last 100 pages of a server's web take, one after the other. */
  const lastPages = async (server: typeof big) => {
    const web = server.web!;
    const start = performance.now();
    for (let id = web.pages - 1; id > web.pages - 101; id--) {
      const facts = factsOf(web, id);
      const answer = await status(server.url, pagePath(web, facts), agent);
      assert.equal(answer.status, facts.kind === "missing" ? 404 : 200);
    }
    return performance.now() - start;
  };
  try {
    // Each size three times, in turns, the fastest of each compared: a page costs the same in any size of web
    // (a web that built or scanned its pages would take a thousand times as long), whatever the machine's speed.
    const times = { small: [] as number[], big: [] as number[] };
    for (let turn = 0; turn < 3; turn++) {
      times.small.push(await lastPages(small));
      times.big.push(await lastPages(big));
    }
    const [smallMs, bigMs] = [Math.min(...times.small), Math.min(...times.big)];
    assert.ok(bigMs < 10 * smallMs, `100 pages took ${Math.round(bigMs)} ms in a million pages, ${Math.round(smallMs)} ms in a thousand`);
    const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    assert.ok(grown < 40, `the heap grew by ${grown.toFixed(1)} MB`);
  } finally {
    agent.destroy();
    await Promise.all([small.close(), big.close()]);
  }
});
