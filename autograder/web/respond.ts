/**
 * The generated web as a function from a request to a Reply, callable
 * without a server (in the manner of Hono's `app.request`). The server is a
 * thin adapter around it.
 *
 * Responses are a function of the web's options, the path and the Host
 * header only (absolute links name the host the client asked for): the same
 * seed gives byte-identical responses.
 *
 * @example
 * const reply = respond(createWeb({ pages: 100 }), "/robots.txt", "127.0.0.1:8080");
 * reply.status; // 200
 */
import { attachmentReply } from "./attachments.ts";
import type { Web } from "./generated-web.ts";
import { renderHtml } from "./render-html.ts";
import { htmlType, notFound, redirect, type Reply } from "./reply.ts";
import { robotsTxt } from "./robots.ts";
import { route } from "./route.ts";

/** The generated web's answer to a GET of `path` (a path and query) sent with Host header `host`. */
export function respond(web: Web, path: string, host: string): Reply {
  const resource = route(web, path);
  switch (resource.kind) {
    case "document":
      return { status: 200, headers: { "content-type": htmlType }, body: renderHtml(resource.document, host), delayMs: resource.delayMs };
    case "redirect":
      return redirect(resource.status, resource.location);
    case "file":
      return attachmentReply(web, resource.facts, resource.format);
    case "robots":
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: robotsTxt };
    case "missing":
      return notFound();
  }
}
