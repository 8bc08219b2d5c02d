/**
 * A small HTML tokenizer: splits a page into text, start tags and end tags,
 * and skips comments, doctypes and the contents of script and style. It
 * follows the HTML standard where that matters for text and links:
 * - `<` starts a tag only before a letter, `/`, `!` or `?`; otherwise it is text;
 * - `>` inside a quoted attribute value does not end the tag;
 * - script and style hold raw text up to their end tag (`"</script>"` inside
 *   a script string ends it, as in a browser);
 * - a tag or comment cut off by the end of the input is dropped.
 * Every step moves forward and searches with `indexOf` or sticky regexes, so
 * the time is linear in the length of the input, whatever it holds.
 */

/** A piece of a page. Text is raw: character references are not decoded. */
export type Token =
  | { kind: "text"; text: string }
  | { kind: "start"; name: string; attributes: Array<[name: string, value: string]> }
  | { kind: "end"; name: string };

/** Elements whose content is raw text, skipped, with the pattern of their end tag. */
const rawTextEnd = new Map([
  ["script", /<\/script[\s/>]/gi],
  ["style", /<\/style[\s/>]/gi],
]);

const tagName = /[^\s/>]*/y;
const spaceOrSlash = /[\s/]*/y;
const space = /\s*/y;
const attributeName = /[^\s/>][^\s/>=]*/y;
const unquotedValue = /[^\s>]*/y;

/**
 * Yields the tokens of a page, in order. Without `withAttributes`, start tags
 * come with no attributes (they are still read past, quotes and all), which
 * spares the work when only the text matters.
 */
export function* tokenize(html: string, withAttributes = true): Generator<Token> {
  let at = 0;
  let textStart = 0;
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open === -1) break;
    const next = html[open + 1] ?? "";
    if (!isLetter(next) && next !== "/" && next !== "!" && next !== "?") {
      at = open + 1; // a "<" that starts no tag is text
      continue;
    }
    if (open > textStart) yield { kind: "text", text: html.slice(textStart, open) };
    if (isLetter(next)) {
      const tag = readTag(html, open + 1, withAttributes);
      if (tag === undefined) return; // cut off by the end of the input
      yield { kind: "start", name: tag.name, attributes: tag.attributes };
      at = skipRawText(html, tag.name, tag.end);
    } else if (next === "/" && isLetter(html[open + 2] ?? "")) {
      const tag = readTag(html, open + 2, false);
      if (tag === undefined) return;
      yield { kind: "end", name: tag.name };
      at = tag.end;
    } else {
      at = skipComment(html, open);
    }
    textStart = at;
  }
  if (textStart < html.length) yield { kind: "text", text: html.slice(textStart) };
}

/**
 * Reads a tag's name and, if asked, its attributes, from `at` (just after `<`
 * or `</`); undefined if the input ends first.
 */
function readTag(html: string, at: number, withAttributes: boolean) {
  let i = skip(tagName, html, at);
  const name = html.slice(at, i).toLowerCase();
  const attributes: Array<[string, string]> = [];
  for (;;) {
    i = skip(spaceOrSlash, html, i);
    if (i >= html.length) return undefined;
    if (html[i] === ">") return { name, attributes, end: i + 1 };
    const keyStart = i;
    i = skip(attributeName, html, i);
    const keyEnd = i;
    i = skip(space, html, i);
    let value = "";
    if (html[i] === "=") {
      i = skip(space, html, i + 1);
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close === -1) return undefined;
        if (withAttributes) value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueStart = i;
        i = skip(unquotedValue, html, i);
        if (withAttributes) value = html.slice(valueStart, i);
      }
    }
    if (withAttributes) attributes.push([html.slice(keyStart, keyEnd).toLowerCase(), value]);
  }
}

/** Where the page goes on after a start tag: past the raw text of script and style. */
function skipRawText(html: string, name: string, at: number): number {
  const end = rawTextEnd.get(name);
  if (end === undefined) return at;
  end.lastIndex = at;
  return end.exec(html)?.index ?? html.length;
}

/** Where the page goes on after a comment, doctype or other `<!…>`, `<?…>` or `</…>`. */
function skipComment(html: string, open: number): number {
  if (html.startsWith("<!--", open)) {
    const close = html.indexOf("-->", open + 2);
    return close === -1 ? html.length : close + 3;
  }
  const close = html.indexOf(">", open + 1);
  return close === -1 ? html.length : close + 1;
}

/** Whether a character is an ASCII letter, which a tag name starts with. */
function isLetter(character: string): boolean {
  return (character >= "a" && character <= "z") || (character >= "A" && character <= "Z");
}

/** Where a sticky regex's match at `at` ends (`at` itself for an empty match or none), without building the match. */
function skip(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : at;
}
