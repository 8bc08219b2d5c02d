/**
 * A folder of real pages as a web: static files with their content types.
 * A folder answers with its index.html; a folder asked for without its
 * trailing slash redirects (301) to it, so that relative links resolve. The
 * query string is ignored. Anything outside the folder is out of reach:
 * each path segment is percent-decoded on its own, and a segment that
 * decodes to "..", ".", or holds "/", "\" or NUL, or starts with "." (a
 * hidden file), answers 404, as does a symbolic link that leads outside.
 *
 * @example
 * const respond = await folderResponder("/usr/share/doc/postgresql-doc-15/html");
 * (await respond("/index.html", "127.0.0.1:8080")).status; // 200
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { contentType } from "./content-types.ts";
import { notFound, redirect, type Reply, type Responder } from "./reply.ts";

/**
 * A Responder that serves the files under `root`.
 *
 * @throws TypeError when `root` is not a folder.
 */
export async function folderResponder(root: string): Promise<Responder> {
  const base = await realpath(root).catch(() => root);
  if (!(await stat(base).catch(() => undefined))?.isDirectory()) throw new TypeError(`Cannot serve ${root}: it is not a folder`);
  return async (path) => {
    const mark = path.includes("?") ? path.indexOf("?") : path.length;
    const [pathname, query] = [path.slice(0, mark), path.slice(mark)];
    const segments = safeSegments(pathname);
    if (segments === undefined) return notFound();
    const found = await within(base, join(base, ...segments));
    if (found?.isFolder && !pathname.endsWith("/")) return redirect(301, `${pathname}/${query}`);
    const file = found?.isFolder ? await within(base, join(found.path, "index.html")) : found;
    return file && !file.isFolder ? serve(file.path) : notFound();
  };
}

/** The decoded segments of a path, or undefined when one of them could step outside the folder. */
function safeSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split("/").slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith(".") || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

/** The real path of `file` and whether it is a folder, if it exists inside `base`. */
async function within(base: string, file: string): Promise<{ path: string; isFolder: boolean } | undefined> {
  try {
    const path = await realpath(file);
    if (path !== base && !path.startsWith(base + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() || info.isDirectory() ? { path, isFolder: info.isDirectory() } : undefined;
  } catch {
    return undefined;
  }
}

async function serve(file: string): Promise<Reply> {
  try {
    return { status: 200, headers: { "content-type": contentType(file) }, body: await readFile(file) };
  } catch {
    return notFound();
  }
}
