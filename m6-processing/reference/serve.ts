/**
 * `engine.serve(options)`: the engine's HTTP front end, built on its
 * `search` alone. /search answers the result as JSON and / the search page;
 * parameters that `search` refuses are a 400, a search that fails a 500,
 * and nothing a client sends stops the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Engine, SearchOptions, SearchResult, SearchServer, ServeOptions } from "../api.ts";
import { checkSearch } from "./search.ts";
import { searchPage } from "./search-page.ts";

export function checkServe(options: ServeOptions): Required<ServeOptions> {
  const { port = 0, host = "127.0.0.1" } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`Cannot listen on port ${port}: expected an integer in [0, 65535]`);
  if (typeof host !== "string" || host === "") throw new RangeError(`Cannot listen on host ${String(host)}: expected an address`);
  return { port, host };
}

/** The query and the search options that a request's parameters name. */
function requested(params: URLSearchParams): { query: string; options: SearchOptions } {
  const options: SearchOptions = {};
  for (const name of ["k", "offset", "weight"] as const) {
    const value = params.get(name);
    if (value !== null) options[name] = Number(value);
  }
  const scoring = params.get("scoring");
  if (scoring !== null) options.scoring = scoring as SearchOptions["scoring"];
  return { query: params.get("q") ?? "", options };
}

/** What a search asked over HTTP came to: its result and time, or its status and why. */
type Outcome =
  | { status: 200; result?: SearchResult; took?: number }
  | { status: 400 | 500; error: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function outcomeOf(engine: Engine, query: string, options: SearchOptions, needed: boolean): Promise<Outcome> {
  try {
    checkSearch(query, options);
  } catch (error) {
    return { status: 400, error: messageOf(error) };
  }
  if (!needed) return { status: 200 };
  const started = performance.now();
  try {
    const result = await engine.search(query, options);
    return { status: 200, result, took: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 500, error: messageOf(error) };
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "content-type": `${type}; charset=utf-8`, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/**
 * The URL a request asks for: a path read as a path ("//search" is a path,
 * not a host named search), an absolute URL as itself, and undefined when
 * it cannot be read ("http://[").
 */
function targetOf(request: IncomingMessage): URL | undefined {
  const target = request.url ?? "/";
  try {
    return target.startsWith("/") ? new URL(`http://engine.invalid${target}`) : new URL(target, "http://engine.invalid");
  } catch {
    return undefined;
  }
}

function handler(engine: Engine) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("allow", "GET, HEAD");
      return send(response, 405, "application/json", JSON.stringify({ error: `Cannot ${request.method} here: only GET and HEAD` }));
    }
    const url = targetOf(request);
    if (url === undefined) return send(response, 400, "application/json", JSON.stringify({ error: `Cannot read the request target ${JSON.stringify(request.url)}` }));
    const { query, options } = requested(url.searchParams);
    if (url.pathname === "/search") {
      const outcome = await outcomeOf(engine, query, options, true);
      return send(response, outcome.status, "application/json", JSON.stringify(outcome.status === 200 ? outcome.result : { error: outcome.error }));
    }
    if (url.pathname === "/") {
      const outcome = await outcomeOf(engine, query, options, query !== "");
      return send(response, outcome.status, "text/html", searchPage({ query, ...outcome }));
    }
    send(response, 404, "application/json", JSON.stringify({ error: `Cannot find ${url.pathname}: try / or /search` }));
  };
}

/** The search servers a node has open, so that stopping the node closes them. */
export class SearchServers {
  #open = new Set<SearchServer>();

  async open(engine: Engine, { port, host }: Required<ServeOptions>): Promise<SearchServer> {
    const server: Server = createServer(handler(engine));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { address, family, port: bound } = server.address() as AddressInfo;
    let closed: Promise<void> | undefined;
    const opened: SearchServer = {
      url: `http://${family === "IPv6" ? `[${address}]` : address}:${bound}`,
      close: () =>
        (closed ??= new Promise<void>((resolve) => {
          this.#open.delete(opened);
          server.close(() => resolve());
          server.closeAllConnections();
        })),
    };
    this.#open.add(opened);
    return opened;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((server) => server.close()));
  }
}
