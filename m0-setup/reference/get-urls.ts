import { decodeEntities } from "./entities.ts";
import { tokenize } from "./html-tokens.ts";

/** Elements whose `href` is a link to follow. */
const linkElements = new Set(["a", "area"]);

/** The schemes of links worth following: web pages, and files for local folders. */
const followedSchemes = new Set(["http:", "https:", "file:"]);

/**
 * Extracts the links of an HTML page: the `href` of every `a` and `area`,
 * resolved against the first `<base href>` if there is one and the page's URL
 * otherwise, without fragments, each once, in order of first appearance.
 *
 * @throws TypeError when `url` is not an absolute URL.
 */
export function getURLs(html: string, url: string): string[] {
  let base = new URL(url);
  let baseSeen = false;
  const hrefs: string[] = [];
  for (const token of tokenize(html)) {
    if (token.kind !== "start") continue;
    const href = token.attributes.find(([name]) => name === "href")?.[1];
    if (href === undefined) continue;
    if (token.name === "base" && !baseSeen) {
      baseSeen = true;
      base = parse(decodeEntities(href), base) ?? base;
    } else if (linkElements.has(token.name)) {
      hrefs.push(decodeEntities(href));
    }
  }
  const links = new Set<string>();
  for (const href of hrefs) {
    const link = parse(href, base);
    if (link === undefined || !followedSchemes.has(link.protocol)) continue;
    link.hash = "";
    links.add(link.href);
  }
  return [...links];
}

/** The absolute URL an href stands for, or undefined if it cannot be parsed. */
function parse(href: string, base: URL): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}
