/**
 * What a page id is, decided by the seed alone, and where it lives. Each id
 * has a topic (id mod the number of topics), a kind, maybe older URLs that
 * redirect to it, and maybe an attached file. The URL layout:
 *
 * | URL                                       | answer                              |
 * |-------------------------------------------|-------------------------------------|
 * | `/`                                       | the root: an index of the web       |
 * | `/robots.txt`                             | disallows `/private/`               |
 * | `/<topic>/`                               | the topic's hub: its top pages      |
 * | `/<topic>/<id>.html`                      | page id (404 for a missing page)    |
 * | `/<topic>/<id>.html?view=print&lang=en`   | a twin again, byte for byte         |
 * | `/private/<id>.html`                      | a private page                      |
 * | `/old/<id>.html`                          | 301 to the page                     |
 * | `/go?to=<id>`                             | 302 to the page, or to its `/old/`  |
 * | `/files/<id>.txt`, `.pdf`, `.png`         | the page's attachment               |
 *
 * Any other path or query string is 404.
 */
import { Random } from "../harness/random.ts";
import { topicOf, type Web } from "./generated-web.ts";

/**
 * `page` is ordinary; `slow` answers after the web's delay; `twin` is also
 * served at a second URL; `private` lives under a path robots.txt disallows;
 * `missing` is linked to but answers 404.
 */
export type PageKind = "page" | "slow" | "twin" | "private" | "missing";

/**
 * `moved`: /old/<id>.html answers 301; `tracked`: /go?to=<id> answers 302;
 * `chain`: both, and /go?to=<id> leads to /old/<id>.html.
 */
export type Alias = "none" | "moved" | "tracked" | "chain";

/** The page's attached file, linked from the page. */
export type Attachment = "none" | "txt" | "pdf" | "png";

/** Everything that the seed decides about one page id. */
export interface PageFacts {
  id: number;
  /** An index into `web.topics`. */
  topic: number;
  kind: PageKind;
  alias: Alias;
  attachment: Attachment;
}

/** The query string of a twin's second URL. */
export const printQuery = "?view=print&lang=en";

const kinds: ReadonlyArray<readonly [PageKind, number]> = [["private", 0.04], ["missing", 0.07], ["slow", 0.1], ["twin", 0.13], ["page", 1]];
const aliases: ReadonlyArray<readonly [Alias, number]> = [["moved", 0.05], ["tracked", 0.09], ["chain", 0.11], ["none", 1]];
const attachments: ReadonlyArray<readonly [Attachment, number]> = [["txt", 0.06], ["pdf", 0.1], ["png", 0.14], ["none", 1]];

/**
 * The facts of page `id`. Page 0 is always an ordinary page.
 *
 * @throws RangeError when `id` is not an integer in [0, web.pages).
 */
export function factsOf(web: Web, id: number): PageFacts {
  if (!Number.isInteger(id) || id < 0 || id >= web.pages) throw new RangeError(`Cannot find page ${id}: expected an id from 0 to ${web.pages - 1}`);
  const random = Random.from(web.seed, "facts", id);
  const kind = id === 0 ? "page" : choose(kinds, random.next());
  const alias = choose(aliases, random.next());
  const attachment = kind === "missing" ? "none" : choose(attachments, random.next());
  return { id, topic: id % web.topics.length, kind, alias, attachment };
}

/** The URL path at which a page is (or, when missing, would be) served. */
export function pagePath(web: Web, facts: PageFacts): string {
  const folder = facts.kind === "private" ? "private" : topicOf(web, facts.topic).slug;
  return `/${folder}/${facts.id}.html`;
}

/** The path of a topic's hub. */
export function hubPath(web: Web, topic: number): string {
  return `/${topicOf(web, topic).slug}/`;
}

/** The old URL of a page that moved (301). */
export function movedPath(id: number): string {
  return `/old/${id}.html`;
}

/** The tracking URL of a page (302). */
export function trackedPath(id: number): string {
  return `/go?to=${id}`;
}

/** The URL of a page's attachment. */
export function filePath(id: number, attachment: Exclude<Attachment, "none">): string {
  return `/files/${id}.${attachment}`;
}

function choose<T>(table: ReadonlyArray<readonly [T, number]>, u: number): T {
  const row = table.find(([, below]) => u < below) ?? table.at(-1);
  if (row === undefined) throw new RangeError("Cannot choose from an empty table");
  return row[0];
}
