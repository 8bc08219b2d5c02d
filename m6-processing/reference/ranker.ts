/**
 * `engine.rank(options)`: PageRank by MapReduce jobs (jobs.ts). The graph
 * job follows redirects, the edges job turns each page's incoming links
 * into outgoing ones, and the PageRank job iterates leaky ranks; then the
 * members divide their ranks by the sum of all ranks, which makes them
 * PageRank exactly (handouts/m6.md#rank). The jobs keep their intermediate
 * data in memory: a ranking is computed whole, so none of it needs to
 * outlive a restart.
 */
import type { RankOptions, RankReport } from "../api.ts";
import type { Group } from "./group.ts";
import { edgesJob, graphJob, pageRankJob } from "./jobs.ts";

/** Redirects a link may go through and still make an edge. */
const maxRedirects = 20;

export function checkRank(options: RankOptions): Required<RankOptions> {
  const { damping = 0.85, tolerance = 1e-9, maxRounds = 200 } = options;
  if (!(damping >= 0 && damping < 1)) throw new RangeError(`Cannot rank with damping ${damping}: expected a number in [0, 1)`);
  if (!(tolerance > 0 && Number.isFinite(tolerance))) throw new RangeError(`Cannot rank with tolerance ${tolerance}: expected a positive number`);
  if (!(Number.isInteger(maxRounds) && maxRounds > 0)) throw new RangeError(`Cannot rank with maxRounds ${maxRounds}: expected a positive integer`);
  return { damping, tolerance, maxRounds };
}

export async function rankPages(group: Group, { damping, tolerance, maxRounds }: Required<RankOptions>): Promise<RankReport> {
  const { node, stores } = group;
  await group.clear(stores.graph, stores.links, stores.ranks);
  try {
    await node.mr(stores.crawl).exec({ ...graphJob(maxRedirects + 1), out: stores.graph, memory: true });
    const edges = await node.mr(stores.graph).exec({ ...edgesJob, out: stores.links, memory: true });
    // Each page emits one pair for itself and one for each of its incoming edges; each page is reduced once.
    let pages = 0;
    let emitted = 0;
    for (const counts of edges.counts.values()) {
      pages += counts.reduces;
      emitted += counts.emitted;
    }
    if (pages === 0) return { rounds: 0, links: 0 };
    await group.everyMember("seedRanks", [stores.links, damping]);
    // Leaky ranks sum to at least pages × (1 − d): this bounds the change of the ranks divided by their sum.
    const leakyTolerance = tolerance * pages * (1 - damping);
    const ranked = await node.mr(stores.links).exec({ ...pageRankJob(maxRounds, leakyTolerance), out: stores.ranks, memory: true });
    if (!((ranked.change ?? 0) <= leakyTolerance)) {
      await group.clear(stores.ranks);
      throw new RangeError(`Cannot rank the pages of group "${group.gid}": no convergence within ${maxRounds} rounds`);
    }
    const sums = await group.everyMember<number>("sumRanks", [stores.ranks]);
    await group.everyMember("scaleRanks", [stores.ranks, sums.reduce((sum, value) => sum + value, 0)]);
    return { rounds: ranked.rounds, links: emitted - pages };
  } finally {
    await group.clear(stores.graph, stores.links);
  }
}
