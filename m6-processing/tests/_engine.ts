/**
 * Shared by the visible tests: the implementation under test, milestone 0's
 * reference (the single-process truth for text and ranking), and a group of
 * members with an engine, beside a generated web, stopped after the test.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import type * as M0 from "../../m0-setup/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { type CrawlTruth, crawlTruth, startWeb, type WebServer } from "../../autograder/web/index.ts";

export const m6 = await load<typeof Api>("m6");
export const m0 = await load<typeof M0>("m0", "reference");

/** A generated web, its ground truth, and members of the group "web" with an outsider that runs the engine. */
export interface Site {
  server: WebServer;
  truth: CrawlTruth;
  members: Api.EngineNode[];
  outsider: Api.EngineNode;
  engine: Api.Engine;
}

export async function site(t: TestContext, pages: number, seed: number, count = 3): Promise<Site> {
  const server = await startWeb({ pages, seed });
  const nodes: Api.EngineNode[] = [];
  t.after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await server.close();
  });
  for (let i = 0; i <= count; i++) nodes.push(await m6.startNode());
  const [outsider, ...members] = nodes as [Api.EngineNode, ...Api.EngineNode[]];
  for (const node of nodes) await node.groups.put("web", members.map((member) => member.address));
  return { server, truth: crawlTruth(server.web as NonNullable<WebServer["web"]>), members, outsider, engine: outsider.engine("web") };
}

/** Milestone 0's index of a site's pages, fetched here: the truth a search is compared with. */
export async function indexByMilestone0(site: Site): Promise<M0.Index> {
  const index: M0.Index = { documents: new Map(), terms: new Map() };
  for (const path of site.truth.pages) {
    const url = site.server.url + path;
    const html = await (await fetch(url)).text();
    let length = 0;
    for (const [term, count] of m0.invert(m0.combine(m0.process(m0.getText(html)).map(m0.stem)))) {
      length += count;
      let postings = index.terms.get(term);
      if (postings === undefined) index.terms.set(term, (postings = new Map()));
      postings.set(url, count);
    }
    index.documents.set(url, length);
  }
  return index;
}
