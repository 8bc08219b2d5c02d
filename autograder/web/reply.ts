/**
 * What a web answers to one request, as data: status, headers, body and how
 * long to wait before answering. Both the generated web and a folder of
 * pages are Responders that answer with Replies; the server only writes
 * them out.
 *
 * @example
 * redirect(301, "/kamu/12.html"); // { status: 301, headers: { location: "/kamu/12.html", … }, … }
 */

/** One answer. Header names are lowercase. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** Milliseconds to wait before answering (a slow page); 0 or absent for none. */
  delayMs?: number;
}

/** A web as a function: the reply to a GET of `path` (a path and query) sent with Host header `host`. */
export type Responder = (path: string, host: string) => Reply | Promise<Reply>;

/** The content type of the generated web's HTML pages. */
export const htmlType = "text/html; charset=utf-8";

/** A 404, with a small HTML page that links home. */
export function notFound(): Reply {
  return { status: 404, headers: { "content-type": htmlType }, body: page("Not found", 'No page here. <a href="/">Home</a>') };
}

/** A redirect to `location` (a path, or a path and query). */
export function redirect(status: 301 | 302, location: string): Reply {
  const body = page(status === 301 ? "Moved permanently" : "Found", `Now at <a href="${location.replace(/&/g, "&amp;")}">a new address</a>.`);
  return { status, headers: { location, "content-type": htmlType }, body };
}

/** An answer to a request the server cannot serve: 400, 405 (which says what is allowed) or 500. */
export function refusal(status: 400 | 405 | 500, message: string): Reply {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (status === 405) headers.allow = "GET, HEAD";
  return { status, headers, body: `${message}\n` };
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${body}</p></body>\n</html>\n`;
}
