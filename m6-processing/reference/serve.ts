/**
 * `engine.serve(options)`: the engine's HTTP front end, built on its
 * `search` alone. /search answers the result as JSON and / the search page;
 * parameters that `search` refuses are a 400, a search that fails a 500,
 * and nothing a client sends stops the server. With a user log (`learn`),
 * it logs each search with terms before answering, takes the clicks that
 * the page's links ping at POST /click, answers /insights, and shows the
 * trending queries on the page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Engine, Insights, SearchOptions, SearchResult, SearchServer, ServeOptions } from "../api.ts";
import type { UserLog } from "./learning.ts";
import { checkSearch } from "./search.ts";
import { searchPage } from "./search-page.ts";

export function checkServe(options: ServeOptions): Required<ServeOptions> {
  const { port = 0, host = "127.0.0.1", learn = false } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`Cannot listen on port ${port}: expected an integer in [0, 65535]`);
  if (typeof host !== "string" || host === "") throw new RangeError(`Cannot listen on host ${String(host)}: expected an address`);
  if (typeof learn !== "boolean") throw new RangeError(`Cannot serve with learn ${String(learn)}: expected true or false`);
  return { port, host, learn };
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

async function outcomeOf(engine: Engine, users: UserLog | undefined, query: string, options: SearchOptions, needed: boolean): Promise<Outcome> {
  try {
    checkSearch(query, options);
  } catch (error) {
    return { status: 400, error: messageOf(error) };
  }
  if (!needed) return { status: 200 };
  const started = performance.now();
  try {
    const result = await engine.search(query, options);
    const took = Math.round(performance.now() - started);
    await users?.searched(query, result);
    return { status: 200, result, took };
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

const json = (response: ServerResponse, status: number, body: unknown) => send(response, status, "application/json", JSON.stringify(body));

/** What the engine learnt, for the page: none when it does not learn, or when reading it failed (the page still shows the hits). */
const insightsOf = (engine: Engine, users: UserLog | undefined): Promise<Insights | undefined> =>
  users === undefined ? Promise.resolve(undefined) : engine.insights().catch(() => undefined);

function handler(engine: Engine, users: UserLog | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = targetOf(request);
    const click = users !== undefined && url?.pathname === "/click";
    if (request.method !== "GET" && request.method !== "HEAD" && !(click && request.method === "POST")) {
      response.setHeader("allow", click ? "POST" : "GET, HEAD");
      return json(response, 405, { error: `Cannot ${request.method} here: only ${click ? "POST" : "GET and HEAD"}` });
    }
    if (url === undefined) return json(response, 400, { error: `Cannot read the request target ${JSON.stringify(request.url)}` });
    const { query, options } = requested(url.searchParams);
    if (url.pathname === "/search") {
      const outcome = await outcomeOf(engine, users, query, options, true);
      return json(response, outcome.status, outcome.status === 200 ? outcome.result : { error: outcome.error });
    }
    if (url.pathname === "/") {
      const [outcome, learnt] = await Promise.all([outcomeOf(engine, users, query, options, query !== ""), insightsOf(engine, users)]);
      return send(response, outcome.status, "text/html", searchPage({ query, ...outcome, learnt, pings: users !== undefined }));
    }
    if (users !== undefined && url.pathname === "/click") {
      const clicked = url.searchParams.get("url");
      if (clicked === null || clicked === "") return json(response, 400, { error: "Cannot log a click without the url it went to" });
      await users.clicked(clicked);
      response.writeHead(204).end();
      return;
    }
    if (users !== undefined && url.pathname === "/insights") {
      const k = url.searchParams.get("k");
      try {
        return json(response, 200, await engine.insights(k === null ? undefined : Number(k)));
      } catch (error) {
        return json(response, error instanceof RangeError ? 400 : 500, { error: messageOf(error) });
      }
    }
    json(response, 404, { error: `Cannot find ${url.pathname}: try / or /search` });
  };
}

/** The search servers a node has open, so that stopping the node closes them. */
export class SearchServers {
  #open = new Set<SearchServer>();

  async open(engine: Engine, { port, host }: Required<ServeOptions>, users?: UserLog): Promise<SearchServer> {
    const server: Server = createServer(handler(engine, users));
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
