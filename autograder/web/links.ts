/**
 * Links as generated pages write them. A link to a page goes to its URL, or
 * sometimes to one of its older URLs (a redirect) or to a twin's second URL;
 * the href is written root-relative, relative (`12.html`, `./12.html`,
 * `../kamu/12.html`), absolute (`http://host/…`) or scheme-relative
 * (`//host/…`), sometimes with a `#fragment`. Every form resolves, against the
 * document's path, to the same target, so a twin's two URLs serve identical
 * bytes whose links lead to the same places.
 *
 * @example
 * relativeHref("/kamu/12.html", "/lofe/3.html"); // "../lofe/3.html"
 */
import type { Random } from "../harness/random.ts";
import type { Link } from "./document.ts";
import { topicOf, type Web } from "./generated-web.ts";
import { factsOf, movedPath, pagePath, printQuery, trackedPath } from "./page-facts.ts";
import { titleOf } from "./text.ts";

/** A link from the document at `base` to `target` (a path and query), its href in a random form. */
export function siteLink(random: Random, base: string, target: string, text: string): Link {
  const fragment = random.bool(0.15) ? `#s${random.int(1, 3)}` : "";
  const form = random.int(0, 9);
  if (form < 4) return { text, target, href: target + fragment };
  if (form < 8) {
    const relative = relativeHref(base, target);
    const dotted = form >= 6 && !relative.startsWith(".") ? `./${relative}` : relative;
    return { text, target, href: dotted + fragment };
  }
  return { text, target, href: target + fragment, absolute: form === 8 ? "origin" : "host" };
}

/** A link to page `id`, by one of its URLs, with the page's title as anchor text. */
export function pageLink(web: Web, random: Random, base: string, id: number): Link {
  const facts = factsOf(web, id);
  const roll = random.next();
  let target = pagePath(web, facts);
  if (facts.alias === "moved" && roll < 0.4) target = movedPath(id);
  else if (facts.alias === "tracked" && roll < 0.4) target = trackedPath(id);
  else if (facts.alias === "chain" && roll < 0.4) target = roll < 0.2 ? movedPath(id) : trackedPath(id);
  else if (facts.kind === "twin" && roll < 0.6) target += printQuery;
  return siteLink(random, base, target, titleOf(web, id));
}

/** A link that leaves the site: another origin (on loopback, so nothing leaves the machine) or a mail address. */
export function externalLink(web: Web, random: Random, topic: number): Link {
  const slug = topicOf(web, topic).slug;
  return random.bool(0.5)
    ? { text: "Elsewhere", target: null, href: `http://127.0.0.1:9/${slug}/` }
    : { text: "Write to the editors", target: null, href: `mailto:editors@${slug}.invalid` };
}

/**
 * The shortest relative href from the document at `base` to `target`, both
 * root-relative paths (`target` may carry a query string).
 */
export function relativeHref(base: string, target: string): string {
  const folders = base.split("/").slice(1, -1);
  const parts = target.split("/").slice(1);
  let shared = 0;
  while (shared < folders.length && shared < parts.length - 1 && folders[shared] === parts[shared]) shared++;
  return "../".repeat(folders.length - shared) + parts.slice(shared).join("/") || "./";
}
