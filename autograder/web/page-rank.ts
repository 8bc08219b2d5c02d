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

/** A node during the iteration: where it passes its rank, its rank this round and its rank next round. */
interface Vertex {
  targets: Set<Vertex>;
  rank: number;
  next: number;
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
  const vertices = new Map<Node, Vertex>();
  const add = (node: Node): Vertex => {
    let vertex = vertices.get(node);
    if (vertex === undefined) {
      vertex = { targets: new Set(), rank: 0, next: 0 };
      vertices.set(node, vertex);
    }
    return vertex;
  };
  for (const node of options.nodes ?? []) add(node);
  for (const [from, to] of edges) {
    const [u, v] = [add(from), add(to)];
    u.targets.add(v);
  }
  const n = vertices.size;
  for (const u of vertices.values()) u.rank = 1 / n;
  for (let round = 0; round < maxIterations; round++) {
    let dangling = 0;
    for (const u of vertices.values()) if (u.targets.size === 0) dangling += u.rank;
    const base = (1 - damping) / n + (damping * dangling) / n;
    for (const u of vertices.values()) u.next = base;
    for (const u of vertices.values()) {
      const share = (damping * u.rank) / u.targets.size;
      for (const v of u.targets) v.next += share;
    }
    let change = 0;
    for (const u of vertices.values()) change += Math.abs(u.next - u.rank);
    for (const u of vertices.values()) u.rank = u.next;
    if (change < tolerance) return new Map([...vertices].map(([node, u]) => [node, u.rank]));
  }
  throw new RangeError(`Cannot compute PageRank: no convergence within ${maxIterations} iterations`);
}
