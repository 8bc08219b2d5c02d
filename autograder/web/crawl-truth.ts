/**
 * The ground truth of a crawl: what a polite crawler that starts at "/"
 * fetches from a generated web, and the link graph among the HTML pages it
 * finds. Computed from the web's pure description (route.ts), no server.
 *
 * The polite crawler this describes:
 * - starts at "/", reads /robots.txt first (that fetch is not listed here),
 *   and never fetches a path that the `User-agent: *` group disallows;
 * - finds links in the href of `<a>` elements of 200 text/html responses
 *   only (not in scripts, comments, other elements, redirect or error
 *   bodies, or non-HTML files), and follows the Location of 301 and 302;
 * - resolves each href against the URL of the response it is in (WHATWG
 *   URL: dot segments resolved, `&amp;` decoded), drops the #fragment, and
 *   keeps only URLs of the same origin as "/" (scheme, host and port), which
 *   it names by path + query string: "/kamu/12.html?view=print&lang=en". No
 *   other normalization: query strings are kept as they are, and two URLs
 *   that serve the same bytes are two URLs;
 * - fetches each such URL once, in breadth-first order.
 *
 * So `fetched` holds every URL fetched, each once: HTML pages, redirect
 * sources (301, 302) and their targets once the crawler reaches them, 404s
 * and non-HTML files. A twin is two pages, one per URL. The graph's nodes
 * are the pages; it has an edge u → v when u links to a URL that is v or
 * that redirects (in one or more hops, none disallowed) to v; links to 404s,
 * files, disallowed and off-site URLs make no edge, u → u is dropped, and
 * each pair appears once.
 *
 * @example
 * const truth = crawlTruth(createWeb({ pages: 300, seed: 7 }));
 * truth.fetched.get("/"); // { status: 200, type: "text/html; charset=utf-8" }
 */
import { attachmentTypes } from "./attachments.ts";
import { linksOf } from "./document.ts";
import type { Web } from "./generated-web.ts";
import { htmlType } from "./reply.ts";
import { isAllowed } from "./robots.ts";
import { type Resource, route } from "./route.ts";

/** How a URL answered. */
export interface Outcome {
  status: 200 | 301 | 302 | 404;
  /** The content type of a 200. */
  type?: string;
  /** Where a 301 or 302 leads (a path and query). */
  location?: string;
}

/** What a polite crawler of a generated web finds. */
export interface CrawlTruth {
  /** Every URL fetched (path and query), in breadth-first order, with its answer. */
  fetched: Map<string, Outcome>;
  /** The HTML pages (200 text/html) among them, in the same order: the graph's nodes. */
  pages: string[];
  /** URLs met in links or redirects that robots.txt disallows, never fetched. */
  blocked: string[];
  /** The links between pages, [from, to], redirects followed. */
  edges: Array<[string, string]>;
}

/** The ground truth of a polite crawl of `web` from "/". It generates every page it reaches: about 0.1 s per thousand pages. */
export function crawlTruth(web: Web): CrawlTruth {
  const fetched = new Map<string, Outcome>();
  const blocked = new Set<string>();
  const linked = new Map<string, string[]>();
  const queue = ["/"];
  const seen = new Set(queue);
  const meet = (path: string): void => {
    if (!isAllowed(path)) blocked.add(path);
    else if (!seen.has(path)) {
      seen.add(path);
      queue.push(path);
    }
  };
  for (const path of queue) {
    // The loop also visits the paths that meet() appends to the queue.
    const resource = route(web, path);
    fetched.set(path, outcomeOf(resource));
    if (resource.kind === "redirect") meet(resource.location);
    if (resource.kind === "document") {
      const targets = linksOf(resource.document).flatMap((link) => (link.target === null ? [] : [link.target || path]));
      linked.set(path, targets);
      targets.forEach(meet);
    }
  }
  const edges: Array<[string, string]> = [];
  for (const [from, targets] of linked) {
    const to = new Set(targets.map((target) => landing(fetched, target)));
    for (const page of to) if (page !== undefined && page !== from) edges.push([from, page]);
  }
  return { fetched, pages: [...linked.keys()], blocked: [...blocked], edges };
}

/** The page a link to `path` lands on after redirects, if it lands on a page. */
function landing(fetched: Map<string, Outcome>, path: string): string | undefined {
  for (let hops = 0; hops < 20 && isAllowed(path); hops++) {
    const outcome = fetched.get(path);
    if (outcome?.location === undefined) return outcome?.type === htmlType ? path : undefined;
    path = outcome.location;
  }
  return undefined;
}

function outcomeOf(resource: Resource): Outcome {
  switch (resource.kind) {
    case "document":
      return { status: 200, type: htmlType };
    case "redirect":
      return { status: resource.status, location: resource.location };
    case "file":
      return { status: 200, type: attachmentTypes[resource.format] };
    case "robots":
      return { status: 200, type: "text/plain; charset=utf-8" };
    case "missing":
      return { status: 404 };
  }
}
