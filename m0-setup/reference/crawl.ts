import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { CrawlOptions, Page } from "../api.ts";

/** Crawls a site from a start page; see ../api.ts. */
export function crawl(start: string, options?: CrawlOptions): AsyncIterable<Page> {
  throw new NotImplemented("crawl: arrives with the local web");
}
