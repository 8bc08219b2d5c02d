import { decodeEntities } from "./entities.ts";
import { tokenize } from "./html-tokens.ts";

/**
 * Elements that flow inside a line of text: their tags join the text on each
 * side ("Postgre<b>SQL</b>" is one word). Every other tag separates words.
 */
const inlineElements = new Set([
  "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
  "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
  "tt", "u", "var", "wbr",
]);

/**
 * Extracts the text of an HTML page: the text between tags, decoded, with a
 * line break wherever a tag that is not inline separates two pieces.
 */
export function getText(html: string): string {
  const parts: string[] = [];
  let breakPending = false;
  for (const token of tokenize(html, false)) {
    if (token.kind !== "text") {
      if (!inlineElements.has(token.name)) breakPending = true;
      continue;
    }
    if (breakPending && parts.length > 0) parts.push("\n");
    breakPending = false;
    parts.push(decodeEntities(token.text));
  }
  return parts.join("").trim();
}
