/**
 * Documents as HTML, the way real pages are: a <style> and a <script> in the
 * head, an HTML comment, special characters as entities (named and numeric),
 * links in many forms. What a crawler or a text extractor must cope with:
 * the script and the comment hold `<a href>` snippets that are not links,
 * and the style and script hold the topic's word, which is not visible text.
 * Whoever strips <script>, <style> and comments, treats tags as word
 * breaks and decodes entities gets exactly `wordsOf(document)`.
 *
 * @example
 * renderHtml(rootPage(web), "127.0.0.1:8080"); // "<!DOCTYPE html>\n<html lang=\"en\">…"
 */
import { hash } from "../harness/random.ts";
import type { Block, Document, Inline, Link } from "./document.ts";

/** Each special character and its entity; "&" first, so that no entity is escaped twice. */
const entities: ReadonlyArray<readonly [string, string]> = [
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
  ["\u00a0", "&nbsp;"],
  ["\u2014", "&#8212;"],
  ["\u2026", "&hellip;"],
  ["\u00a9", "&copy;"],
  ["\u00b7", "&#xB7;"],
];

const special = /[&<>"'\u00a0\u2014\u2026\u00a9\u00b7]/;

/** The HTML of a document as served to a client that asked for `host` (the Host header). */
export function renderHtml(doc: Document, host: string): string {
  const color = (hash(doc.topic) & 0xffffff).toString(16).padStart(6, "0");
  const topicRule = doc.topic ? `.topic-${doc.topic} h1 { border-bottom: 3px solid #${color} }\n` : "";
  const canonical = doc.canonical === undefined ? "" : `<link rel="canonical" href="${escape(doc.canonical)}">\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.title)}</title>
${canonical}<style>
body { font: 17px/1.5 Georgia, serif; max-width: 42em; margin: 2em auto; padding: 0 1em; color: #222 }
nav a, footer a { margin-right: 0.75em }
${topicRule}</style>
<script>
window.dataLayer = window.dataLayer || [];
window.dataLayer.push({ topic: "${doc.topic}", path: ${JSON.stringify(doc.path)} });
if (window.dataLayer.length < 0) document.write('<a href="/trap/script.html">never shown</a>');
</script>
</head>
<body id="top"${doc.topic ? ` class="topic-${doc.topic}"` : ""}>
<!-- an old draft: <a href="/trap/comment.html">not a link</a> -->
${doc.blocks.map((block) => renderBlock(block, host)).join("\n")}
</body>
</html>
`;
}

/** Text with its special characters as entities, safe in content and in attribute values. */
function escape(text: string): string {
  if (!special.test(text)) return text;
  for (const [char, entity] of entities) if (text.includes(char)) text = text.replaceAll(char, entity);
  return text;
}

function renderBlock(block: Block, host: string): string {
  if (block.tag === "ul") return `<ul>\n${block.items.map((item) => `<li>${renderInlines(item, host)}</li>`).join("\n")}\n</ul>`;
  const id = block.tag === "h2" ? ` id="${block.id}"` : "";
  return `<${block.tag}${id}>${renderInlines(block.content, host)}</${block.tag}>`;
}

function renderInlines(inlines: Inline[], host: string): string {
  return inlines.map((inline) => (typeof inline === "string" ? escape(inline) : renderLink(inline, host))).join(" ");
}

function renderLink(link: Link, host: string): string {
  const prefix = link.absolute === "origin" ? `http://${host}` : link.absolute === "host" ? `//${host}` : "";
  return `<a href="${escape(prefix + link.href)}">${escape(link.text)}</a>`;
}
