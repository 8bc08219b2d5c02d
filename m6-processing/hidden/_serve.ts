/**
 * Shared by serve.test.ts: asking an engine's HTTP front end (fetch, a
 * kept-alive connection, a bare TCP connect), and reading its search page
 * with small regular expressions, as a client without a browser would:
 * forms, fields, `<ol id="hits">` and its items, links and `<mark>`s,
 * character references decoded. Nothing here loads code under test.
 */
import assert from "node:assert/strict";
import { Agent, get as httpGet } from "node:http";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import type { SearchResult, SearchServer } from "../api.ts";
import { within } from "../../m5-mapreduce/hidden/_jobs.ts";

/** How long one request may take before a test gives up: a bound on a hang, never on speed. */
export const requestLimitMs = 60_000;

/** An HTTP answer, its body read as text. */
export interface Answer {
  status: number;
  type: string;
  body: string;
}

/** Asks `url` with fetch. */
export function ask(url: string, init: RequestInit = {}): Promise<Answer> {
  const asking = (async () => {
    const response = await fetch(url, init);
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
  })();
  return within(asking, requestLimitMs, `${init.method ?? "GET"} ${url.slice(0, 120)}`);
}

/** A value as it comes back from JSON. */
export const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** GET /search with a query string (without "?"), checked to be a 200 JSON answer; its parsed body. */
export async function searchOver(server: SearchServer, query: string): Promise<unknown> {
  const answer = await ask(`${server.url}/search${query === "" ? "" : `?${query}`}`);
  assert.equal(answer.status, 200, `/search?${query.slice(0, 80)} answers 200 (${answer.body.slice(0, 200)})`);
  assert.match(answer.type, /^application\/json\b/i, `/search?${query.slice(0, 80)}: the content type`);
  return JSON.parse(answer.body);
}

/** A query string of `q` (when given) and options, as a form encodes it. */
export const queryString = (q: string | undefined, params: Record<string, string> = {}): string => new URLSearchParams({ ...(q === undefined ? {} : { q }), ...params }).toString();

// Reading the search page, with small regular expressions.

const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Text with its character references decoded. */
export const decode = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return named[name.toLowerCase()] ?? whole;
  });

/** The text of some HTML: its tags removed, its references decoded. */
export const textOf = (fragment: string): string => decode(fragment.replace(/<[^>]*>/g, ""));

/** Runs of whitespace made one space, the ends trimmed. */
export const squeeze = (text: string): string => text.replace(/\s+/g, " ").trim();

/** The attributes of a start tag (what follows its name), by lowercase name, decoded. */
export function attributesOf(inside: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name = "", double, single, bare] of inside.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes.set(name.toLowerCase(), decode(double ?? single ?? bare ?? ""));
  }
  return attributes;
}

/** A start tag's pattern: its name, then attributes whose quoted values may hold ">". */
const startTag = (name: string): string => `<${name}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`;

/** The start tags named `name` in some HTML, as attribute maps. */
export const tagsOf = (fragment: string, name: string): Array<Map<string, string>> =>
  [...fragment.matchAll(new RegExp(startTag(name), "gi"))].map(([, inside = ""]) => attributesOf(inside));

/** What a search page shows. */
export interface SearchPage {
  /** The value of the text field named q in a GET form that asks "/" (undefined when there is no such form). */
  field: string | undefined;
  /** The hits of `<ol id="hits">`, in order (undefined when there is none). */
  hits: Array<{ href: string | undefined; title: string; marks: string[]; text: string }> | undefined;
  /** All the page's text. */
  text: string;
}

/** Reads a search page served at `server`. */
export function readPage(body: string, server: SearchServer): SearchPage {
  let field: string | undefined;
  for (const [, inside = "", content = ""] of body.matchAll(new RegExp(`${startTag("form")}([\\s\\S]*?)</form>`, "gi"))) {
    const form = attributesOf(inside);
    const method = (form.get("method") ?? "get").toLowerCase();
    if (method !== "get" || new URL(form.get("action") ?? "", `${server.url}/`).pathname !== "/") continue;
    const input = tagsOf(content, "input").find((attributes) => attributes.get("name") === "q" && ["text", "search"].includes((attributes.get("type") ?? "text").toLowerCase()));
    if (input !== undefined) field = input.get("value") ?? "";
  }
  const list = new RegExp(`${startTag("ol")}([\\s\\S]*?)</ol>`, "gi");
  const ol = [...body.matchAll(list)].find(([, inside = ""]) => attributesOf(inside).get("id") === "hits");
  const hits = ol?.[2]
    ?.split(/<li\b[^>]*>/i)
    .slice(1)
    .map((item) => {
      const li = item.split(/<\/li\s*>/i)[0] ?? "";
      const link = new RegExp(`${startTag("a")}([\\s\\S]*?)</a\\s*>`, "i").exec(li);
      return {
        href: link === null ? undefined : attributesOf(link[1] ?? "").get("href"),
        title: link === null ? "" : squeeze(textOf(link[2] ?? "")),
        marks: [...li.matchAll(/<mark\b[^>]*>([\s\S]*?)<\/mark\s*>/gi)].map(([, mark = ""]) => squeeze(textOf(mark))),
        text: squeeze(textOf(li)),
      };
    });
  return { field, hits, text: squeeze(textOf(body.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ""))) };
}

/** GET /?q=… (or / alone), checked to be a 200 HTML answer, read. */
export async function pageOver(server: SearchServer, q: string | undefined): Promise<{ page: SearchPage; body: string }> {
  const path = q === undefined ? "/" : `/?${queryString(q)}`;
  const answer = await ask(`${server.url}${path}`);
  assert.equal(answer.status, 200, `${path.slice(0, 80)} answers 200 (${answer.body.slice(0, 200)})`);
  assert.match(answer.type, /^text\/html\b/i, `${path.slice(0, 80)}: the content type`);
  return { page: readPage(answer.body, server), body: answer.body };
}

/** Problems of a page's hits against search's, "" when none: each <li>'s first link goes to the hit's URL and reads its title, and its snippet follows with each [word] in a <mark>. */
export function pageHitProblems(page: SearchPage, result: SearchResult, query: string): string {
  if (page.hits === undefined) return `${JSON.stringify(query)}: no <ol id="hits">`;
  const problems: string[] = [];
  if (page.hits.length !== result.hits.length) problems.push(`${page.hits.length} <li>, search gives ${result.hits.length} hits`);
  for (const [i, hit] of result.hits.entries()) {
    const shown = page.hits[i];
    if (shown === undefined) break;
    if (shown.href !== hit.url) problems.push(`hit ${i}: the first link goes to ${JSON.stringify(shown.href)}, expected ${JSON.stringify(hit.url)}`);
    if (shown.title !== squeeze(hit.title)) problems.push(`hit ${i}: the first link reads ${JSON.stringify(shown.title)}, expected ${JSON.stringify(hit.title)}`);
    const marked = [...hit.snippet.matchAll(/\[([^\]]*)\]/g)].map(([, word = ""]) => word);
    if (JSON.stringify(shown.marks) !== JSON.stringify(marked)) problems.push(`hit ${i}: <mark> holds ${JSON.stringify(shown.marks)}, expected ${JSON.stringify(marked)}`);
    const words = squeeze(hit.snippet.replace(/[[\]]/g, ""));
    if (!squeeze(shown.text.replace(/[[\]]/g, "")).includes(words)) problems.push(`hit ${i}: the snippet ${JSON.stringify(words)} is not in ${JSON.stringify(shown.text)}`);
  }
  return problems.length === 0 ? "" : `${JSON.stringify(query)}: ${problems.slice(0, 4).join("; ")}`;
}

// Connections.

/** How a new TCP connection to a server's port ends: "connected", or the error's code. */
export function connection(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return within(
    new Promise<string>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    }),
    requestLimitMs,
    `a connection to ${url}`,
  );
}

/** The status a server answers to a GET of `target` written as is on the request line (say, an absolute URL). */
export function rawStatus(url: string, target: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return within(
    new Promise<number>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let answer = "";
      socket.setEncoding("latin1");
      socket.on("data", (chunk: string) => (answer += chunk));
      socket.once("connect", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
      socket.once("close", () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0)));
      socket.once("error", reject);
    }),
    requestLimitMs,
    `GET ${target} on ${url}`,
  );
}

/** A port no one listens on at the moment. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** GET `url` on a kept-alive connection of its own; resolves with the status and the connection, still open. */
export function keptAlive(url: string): Promise<{ status: number; socket: Socket }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return within(
    new Promise((resolve, reject) => {
      const request = httpGet(url, { agent }, (response) => {
        response.resume();
        response.once("end", () => resolve({ status: response.statusCode ?? 0, socket: request.socket as Socket }));
      });
      request.once("error", reject);
    }),
    requestLimitMs,
    `a kept-alive GET ${url}`,
  );
}
