import { m0 } from "../deps.ts";

/** The text of a page's first `<title>`, whitespace collapsed; the URL when that is empty. */
export function pageTitle(html: string, url: string): string {
  const inner = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? "";
  const title = m0.getText(inner).replace(/\s+/g, " ").trim();
  return title === "" ? url : title;
}
