/**
 * PageRank by power iteration, to convergence: the exact figures that a
 * distributed PageRank (m6) is checked against.
 *
 * Each round, every node keeps (1 − d) / n, and passes d times its rank
 * along its out-edges in equal shares; a node without out-edges (dangling)
 * spreads d times its rank over all n nodes. Ranks start at 1 / n and
 * always sum to 1. Edges are a set: a repeated edge counts once; a self-loop
 * counts as an out-edge to itself, as in networkx.
 *
 * @example
 * pageRank([["a", "b"], ["b", "a"]]); // Map { "a" => 0.5, "b" => 0.5 }
 */

/** How to run PageRank. */
export interface PageRankOptions<Node> {
  /** The damping factor d, in [0, 1] (default 0.85). */
  damping?: number;
  /** Stop when the ranks move less than this in total (L1) in a round (default 1e-12). */
  tolerance?: number;
  /** Give up after this many rounds (default 1,000). */
  maxIterations?: number;
  /** Nodes besides those in edges (nodes without any edge). */
  nodes?: Iterable<Node>;
}

/**
 * The PageRank of every node of a directed graph.
 *
 * @param edges the graph's edges, [from, to]
 * @returns each node's rank, in order of first appearance (`nodes` first)
 * @throws RangeError on a damping factor outside [0, 1], or when the ranks do
 *   not converge within `maxIterations`
 * @example
 * pageRank([[1, 2], [1, 3], [3, 1]], { damping: 0.9 }).get(2);
 */
export function pageRank<Node>(edges: Iterable<readonly [Node, Node]>, options: PageRankOptions<Node> = {}): Map<Node, number> {
  const { damping = 0.85, tolerance = 1e-12, maxIterations = 1000 } = options;
  if (!(damping >= 0 && damping <= 1)) throw new RangeError(`Cannot compute PageRank with damping ${damping}: expected a number in [0, 1]`);
  const index = new Map<Node, number>();
  const add = (node: Node): number => {
    if (!index.has(node)) index.set(node, index.size);
    return index.get(node) as number;
  };
  for (const node of options.nodes ?? []) add(node);
  const out: Array<Set<number>> = [];
  for (const [from, to] of edges) {
    const [u, v] = [add(from), add(to)];
    (out[u] ??= new Set()).add(v);
  }
  const n = index.size;
  const targets = Array.from({ length: n }, (_, u) => [...(out[u] ?? [])]);
  let rank = new Float64Array(n).fill(1 / n);
  for (let round = 0; round < maxIterations; round++) {
    let dangling = 0;
    for (let u = 0; u < n; u++) if (targets[u].length === 0) dangling += rank[u];
    const next = new Float64Array(n).fill((1 - damping) / n + (damping * dangling) / n);
    for (let u = 0; u < n; u++) {
      const share = (damping * rank[u]) / targets[u].length;
      for (const v of targets[u]) next[v] += share;
    }
    let change = 0;
    for (let u = 0; u < n; u++) change += Math.abs(next[u] - rank[u]);
    rank = next;
    if (change < tolerance) return new Map([...index].map(([node, u]) => [node, rank[u]]));
  }
  throw new RangeError(`Cannot compute PageRank: no convergence within ${maxIterations} iterations`);
}
