/**
 * The search page that `engine.serve` answers at /: one HTML page,
 * rendered on the server (it works without JavaScript), with a query box,
 * the hits (title, URL, scores and a snippet whose matched words are
 * marked) and how long the search took; when the engine learns, the
 * trending queries, and hit links that ping /click as they are followed.
 * Everything shown is escaped.
 *
 * @example
 * searchPage({ query: "vacuum", took: 12 }).includes("<form"); // true
 */
import type { Insights, SearchResult } from "../api.ts";

/** What the page shows. */
export interface PageView {
  query: string;
  /** The search's answer, when a query was asked. */
  result?: SearchResult;
  /** How long the search took, ms. */
  took?: number;
  /** Why the search failed, if it did. */
  error?: string;
  /** What the engine learnt, when it learns. */
  learnt?: Insights;
  /** Whether each hit's link pings /click as it is followed. */
  pings?: boolean;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe inside HTML elements and quoted attributes. */
function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] as string);
}

/** A snippet's [marked] words as <mark> elements, the rest escaped. */
function markedSnippet(snippet: string): string {
  return escapeHTML(snippet).replace(/\[([^\]]*)\]/g, "<mark>$1</mark>");
}

/** How often a page was clicked when shown this hour, when the engine learns of it. */
function clickThrough(views: Insights["pages"][number] | undefined): string {
  if (views === undefined || views.shown === 0) return "";
  return `\n      <div class="ctr">clicked ${views.clicked} of ${views.shown} times shown this hour (${Math.round((100 * views.clicked) / views.shown)}%)</div>`;
}

/** The page for a query: the form alone, or with the hits or the reason the search failed. */
export function searchPage({ query, result, took, error, learnt, pings = false }: PageView): string {
  const views = new Map(learnt?.pages.map((page) => [page.url, page]));
  const hits = (result?.hits ?? []).map((hit) => `
    <li>
      <a href="${escapeHTML(hit.url)}"${pings ? ` ping="/click?url=${escapeHTML(encodeURIComponent(hit.url))}"` : ""}>${escapeHTML(hit.title)}</a>
      <div class="url">${escapeHTML(hit.url)} · score ${hit.score.toFixed(3)} (text ${hit.text.toFixed(3)}, PageRank ${hit.rank.toExponential(2)})</div>
      <p>${markedSnippet(hit.snippet)}</p>${clickThrough(views.get(hit.url))}
    </li>`).join("");
  const summary = error !== undefined
    ? `<p class="error">${escapeHTML(error)}</p>`
    : result === undefined
    ? ""
    : `<p class="summary">${result.total} pages match (${took ?? 0} ms)</p>`;
  const trends = learnt === undefined ? "" : `
<h2>Trending this minute</h2>
<ol id="trending">${learnt.trending.map(({ query: asked, count }) => `
  <li><a href="/?q=${escapeHTML(encodeURIComponent(asked))}">${escapeHTML(asked)}</a> (${count})</li>`).join("")}
</ol>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${query === "" ? "Search" : `${escapeHTML(query)} – Search`}</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
  input[type=search] { width: 70%; font-size: 1.1rem; padding: .3rem; }
  ol { padding-left: 1.2rem; } li { margin-bottom: 1rem; }
  .url, .ctr { color: #067; font-size: .85rem; } .summary { color: #555; } .error { color: #a00; }
  mark { background: #ffe58a; } h2 { font-size: 1rem; color: #555; }
</style>
</head>
<body>
<form action="/" method="get">
  <input type="search" name="q" value="${escapeHTML(query)}" autofocus placeholder="Search the crawled pages">
  <button type="submit">Search</button>
</form>
${summary}
<ol id="hits">${hits}</ol>${trends}
</body>
</html>
`;
}
