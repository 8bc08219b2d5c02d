/**
 * What lives at a URL of the generated web (the layout is in
 * page-facts.ts). Pure: the server answers from it and the ground truth
 * crawls it, so the two cannot disagree. Matching is exact: a path or query
 * string that the web never links to is missing.
 *
 * @example
 * route(web, "/old/12.html"); // { kind: "redirect", status: 301, location: "/kamu/12.html" } if page 12 moved
 */
import { contentPage } from "./content-page.ts";
import type { Document } from "./document.ts";
import type { Web } from "./generated-web.ts";
import { hubPage, rootPage } from "./index-pages.ts";
import { type Attachment, factsOf, movedPath, type PageFacts, pagePath, printQuery } from "./page-facts.ts";

/** What a URL holds. */
export type Resource =
  | { kind: "document"; document: Document; delayMs: number }
  | { kind: "redirect"; status: 301 | 302; location: string }
  | { kind: "file"; facts: PageFacts; format: Exclude<Attachment, "none"> }
  | { kind: "robots" }
  | { kind: "missing" };

const missing: Resource = { kind: "missing" };

/** What the generated web holds at `path` (a path and query, as in "/go?to=5"). */
export function route(web: Web, path: string): Resource {
  if (path === "/") return { kind: "document", document: rootPage(web), delayMs: 0 };
  if (path === "/robots.txt") return { kind: "robots" };
  let match: RegExpExecArray | null;
  if ((match = /^\/go\?to=(\d+)$/.exec(path))) {
    const facts = pageFacts(web, match[1]);
    if (facts?.alias === "tracked") return { kind: "redirect", status: 302, location: pagePath(web, facts) };
    if (facts?.alias === "chain") return { kind: "redirect", status: 302, location: movedPath(facts.id) };
    return missing;
  }
  if ((match = /^\/old\/(\d+)\.html$/.exec(path))) {
    const facts = pageFacts(web, match[1]);
    const moved = facts?.alias === "moved" || facts?.alias === "chain";
    return facts && moved ? { kind: "redirect", status: 301, location: pagePath(web, facts) } : missing;
  }
  if ((match = /^\/files\/(\d+)\.(txt|pdf|png)$/.exec(path))) {
    const facts = pageFacts(web, match[1]);
    const format = match[2] as Exclude<Attachment, "none">;
    return facts && facts.attachment === format ? { kind: "file", facts, format } : missing;
  }
  if ((match = /^\/([a-z]+)\/$/.exec(path))) {
    const topic = web.topics.findIndex((candidate) => candidate.slug === match?.[1]);
    return topic < 0 ? missing : { kind: "document", document: hubPage(web, topic), delayMs: 0 };
  }
  if ((match = /^(\/[a-z]+\/(\d+)\.html)(\?.*)?$/.exec(path))) {
    const facts = pageFacts(web, match[2]);
    if (!facts || facts.kind === "missing" || pagePath(web, facts) !== match[1]) return missing;
    if (match[3] !== undefined && !(facts.kind === "twin" && match[3] === printQuery)) return missing;
    return { kind: "document", document: contentPage(web, facts), delayMs: facts.kind === "slow" ? web.slowMs : 0 };
  }
  return missing;
}

/** The facts of the page whose id is written `digits`, if there is one. */
function pageFacts(web: Web, digits: string | undefined): PageFacts | undefined {
  const id = Number(digits);
  return /^(0|[1-9]\d{0,6})$/.test(digits ?? "") && id < web.pages ? factsOf(web, id) : undefined;
}
