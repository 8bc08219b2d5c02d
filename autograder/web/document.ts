/**
 * A page before it becomes HTML: a title and blocks of text and links. The
 * renderer turns it into HTML; the ground truth reads its links and words
 * from the same value, so the two always agree.
 *
 * @example
 * const doc: Document = {
 *   path: "/", title: "Home", topic: "", blocks: [
 *     { tag: "p", content: ["Read", { text: "this", target: "/a/1.html", href: "a/1.html" }] },
 *   ],
 * };
 * linksOf(doc); // [{ text: "this", target: "/a/1.html", href: "a/1.html" }]
 * wordsOf(doc); // ["home", "read", "this"]
 */

/** A link as written in a page. */
export interface Link {
  /** The anchor text. */
  text: string;
  /**
   * The path and query string the link leads to on this site, "" for the
   * page itself (a fragment-only link), null for another site or scheme.
   */
  target: string | null;
  /** The href as written, relative to the document's path unless `absolute`. */
  href: string;
  /** Write the site's origin ("http://host") or host ("//host") before `href`. */
  absolute?: "origin" | "host";
}

/** A run of text (words, punctuation, special characters) or a link. */
export type Inline = string | Link;

/** A block of a page, in order. */
export type Block =
  | { tag: "nav" | "h1" | "p" | "footer"; content: Inline[] }
  | { tag: "h2"; id: string; content: Inline[] }
  | { tag: "ul"; items: Inline[][] };

/** A page before rendering. */
export interface Document {
  /** The path it is served at, which relative hrefs are relative to. */
  path: string;
  title: string;
  /** The topic's slug, used by the page's style and script; "" for none. */
  topic: string;
  /** Another URL (path) serving the same bytes names this one as canonical. */
  canonical?: string;
  blocks: Block[];
}

/** The document's links, in the order they appear. */
export function linksOf(doc: Document): Link[] {
  return inlinesOf(doc).filter((inline): inline is Link => typeof inline !== "string");
}

/**
 * The document's visible words, in order: the title's, then the body's
 * (text and anchor text). A word is a maximal run of the letters a–z after
 * lowercasing; digits, punctuation and special characters separate words.
 */
export function wordsOf(doc: Document): string[] {
  const texts = [doc.title, ...inlinesOf(doc).map((inline) => (typeof inline === "string" ? inline : inline.text))];
  return texts.flatMap((text) => text.toLowerCase().match(/[a-z]+/g) ?? []);
}

function inlinesOf(doc: Document): Inline[] {
  return doc.blocks.flatMap((block) => ("items" in block ? block.items.flat() : block.content));
}
