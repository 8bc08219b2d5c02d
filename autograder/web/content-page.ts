/**
 * The document of page id: a navigation bar, a title, sections of text with
 * links to other pages in them, "Read next" links to its children in a
 * three-way tree of ids (3·id + 1 … 3·id + 3, which make every page
 * reachable from page 0 unless a robots.txt rule or a broken link cuts the
 * way), its attachment, and a footer.
 *
 * Where the links go: two to ten pages drawn by popularity (Zipf over ranks,
 * so a few pages get most links), three in five within the page's own
 * topic. Every page links home and to its topic's hub, which gives "/" the
 * most links of all.
 *
 * @example
 * contentPage(web, factsOf(web, 12)).title; // titleOf(web, 12)
 */
import { Random } from "../harness/random.ts";
import type { Block, Document, Inline } from "./document.ts";
import { topicOf, type Web } from "./generated-web.ts";
import { externalLink, pageLink, siteLink } from "./links.ts";
import { filePath, hubPath, type PageFacts, pagePath, printQuery } from "./page-facts.ts";
import { capitalize, phrase, sentences, titleOf } from "./text.ts";

/** The document of a page that is not missing. */
export function contentPage(web: Web, facts: PageFacts): Document {
  const random = Random.from(web.seed, "page", facts.id);
  const path = pagePath(web, facts);
  const topic = topicOf(web, facts.topic);
  const title = titleOf(web, facts.id);
  const nav: Inline[] = [siteLink(random, path, "/", "Home"), siteLink(random, path, hubPath(web, facts.topic), capitalize(topic.slug))];
  if (facts.kind === "twin") nav.push(siteLink(random, path, path + printQuery, "Print version"));
  const paragraphs = paragraphsOf(random, sentences(web, random, facts.topic, 50 + Math.floor(450 * random.next() * random.next())));
  for (let n = random.int(2, 10); n > 0; n--) {
    const target = random.bool(0.6) ? topic.popular(topic.drawRank(random)) : web.popular(web.drawRank(random));
    const paragraph = random.pick(paragraphs);
    paragraph.splice(random.int(0, paragraph.length), 0, pageLink(web, random, path, target));
  }
  const blocks: Block[] = [{ tag: "nav", content: nav }, { tag: "h1", content: [title] }];
  let sections = 0;
  for (const [i, content] of paragraphs.entries()) {
    if (i === 1 || (i > 1 && random.bool(0.5))) {
      sections++;
      blocks.push({ tag: "h2", id: `s${sections}`, content: [capitalize(phrase(web, random, facts.topic, random.int(1, 3)))] });
    }
    blocks.push({ tag: "p", content });
  }
  const children = [1, 2, 3].map((k) => 3 * facts.id + k).filter((child) => child < web.pages);
  if (children.length > 0) {
    blocks.push({ tag: "h2", id: "next", content: ["Read next"] }, { tag: "ul", items: children.map((child) => [pageLink(web, random, path, child)]) });
  }
  if (facts.attachment !== "none") {
    const file = filePath(facts.id, facts.attachment);
    blocks.push({ tag: "p", content: ["Attached:", siteLink(random, path, file, `${title} (${facts.attachment})`)] });
  }
  const footer: Inline[] = [{ text: "Back to top", target: "", href: "#top" }, "© the generated web"];
  if (random.bool(0.3)) footer.push("·", externalLink(web, random, facts.topic));
  blocks.push({ tag: "footer", content: footer });
  return { path, title, topic: topic.slug, canonical: facts.kind === "twin" ? path : undefined, blocks };
}

/** Groups sentences into paragraphs of two to five. */
function paragraphsOf(random: Random, all: string[]): Inline[][] {
  const paragraphs: Inline[][] = [];
  for (let i = 0; i < all.length; ) {
    const size = random.int(2, 5);
    paragraphs.push(all.slice(i, i + size));
    i += size;
  }
  return paragraphs;
}
