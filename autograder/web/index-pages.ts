/**
 * The web's index pages. The root "/" says what the web is and links to
 * page 0 (the root of the tree of ids), to every topic's hub, to the most
 * linked pages and to one example of each feature (a redirect, a slow page,
 * a broken link …), so a person can click through it and a crawler starting
 * at "/" meets every kind of URL. A hub `/<topic>/` lists its topic's twenty
 * most linked pages.
 *
 * @example
 * rootPage(createWeb({ pages: 100 })).title; // "A generated web"
 */
import { Random } from "../harness/random.ts";
import type { Document, Inline, Link } from "./document.ts";
import { topicOf, type Web } from "./generated-web.ts";
import { externalLink, pageLink, siteLink } from "./links.ts";
import { factsOf, filePath, hubPath, movedPath, type PageFacts, pagePath, printQuery, trackedPath } from "./page-facts.ts";
import { capitalize } from "./text.ts";

const footer: Inline[] = ["© the generated web"];

/** The document at "/". */
export function rootPage(web: Web): Document {
  const random = Random.from(web.seed, "root");
  const summary = `${web.pages} pages on ${web.topics.length} topics, generated from seed ${web.seed}: the same seed always gives the same web. Polite crawlers read robots.txt first.`;
  const top = Array.from({ length: 10 }, (_, rank) => [pageLink(web, random, "/", web.popular(rank))]);
  return {
    path: "/",
    title: "A generated web",
    topic: "",
    blocks: [
      { tag: "h1", content: ["A generated web"] },
      { tag: "p", content: [summary] },
      { tag: "h2", id: "start", content: ["Start here"] },
      { tag: "ul", items: [[pageLink(web, random, "/", 0)]] },
      { tag: "h2", id: "topics", content: ["Topics"] },
      { tag: "ul", items: web.topics.map((topic, t) => [siteLink(random, "/", hubPath(web, t), capitalize(topic.slug))]) },
      { tag: "h2", id: "popular", content: ["Most linked"] },
      { tag: "ul", items: top },
      { tag: "h2", id: "tour", content: ["A tour of what crawlers meet"] },
      { tag: "ul", items: tour(web, random) },
      { tag: "footer", content: footer },
    ],
  };
}

/** The document at `/<topic>/`. */
export function hubPage(web: Web, topic: number): Document {
  const random = Random.from(web.seed, "hub", topic);
  const { slug, size, popular } = topicOf(web, topic);
  const path = hubPath(web, topic);
  const pages = Array.from({ length: Math.min(20, size) }, (_, rank) => [pageLink(web, random, path, popular(rank))]);
  return {
    path,
    title: capitalize(slug),
    topic: slug,
    blocks: [
      { tag: "nav", content: [siteLink(random, path, "/", "Home")] },
      { tag: "h1", content: [capitalize(slug)] },
      { tag: "p", content: [`Pages about ${slug}, most linked first.`] },
      { tag: "ul", items: pages },
      { tag: "footer", content: footer },
    ],
  };
}

/** One example of each feature, for the pages that have it (a small web may lack some). */
function tour(web: Web, random: Random): Inline[][] {
  const link = (target: string, text: string): Link => siteLink(random, "/", target, text);
  const examples: Array<[(facts: PageFacts) => boolean, (facts: PageFacts) => Inline[]]> = [
    [(f) => f.alias === "moved", (f) => [link(movedPath(f.id), "A page that moved"), "(301)"]],
    [(f) => f.alias === "tracked", (f) => [link(trackedPath(f.id), "A tracked link"), "(302)"]],
    [(f) => f.alias === "chain", (f) => [link(trackedPath(f.id), "A chain of redirects"), "(302, then 301)"]],
    [(f) => f.kind === "slow", (f) => [link(pagePath(web, f), "A slow page")]],
    [(f) => f.kind === "twin", (f) => [link(pagePath(web, f), "One page"), "under", link(pagePath(web, f) + printQuery, "two URLs")]],
    [(f) => f.kind === "private", (f) => [link(pagePath(web, f), "A page robots.txt disallows")]],
    [(f) => f.kind === "missing", (f) => [link(pagePath(web, f), "A broken link"), "(404)"]],
    [(f) => f.attachment === "txt", (f) => [link(filePath(f.id, "txt"), "A text file")]],
    [(f) => f.attachment === "pdf", (f) => [link(filePath(f.id, "pdf"), "A PDF document")]],
    [(f) => f.attachment === "png", (f) => [link(filePath(f.id, "png"), "An image")]],
  ];
  const found = new Map<number, Inline[]>();
  for (let id = 1; id < Math.min(web.pages, 10_000) && found.size < examples.length; id++) {
    const facts = factsOf(web, id);
    examples.forEach(([wanted, item], i) => {
      if (!found.has(i) && wanted(facts)) found.set(i, item(facts));
    });
  }
  const items = [...found].sort(([a], [b]) => a - b).map(([, item]) => item);
  return [...items, [externalLink(web, random, 0), "(another site: not to be followed)"]];
}
