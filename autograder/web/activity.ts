/**
 * The users of the local web's search engine, simulated: searches for
 * queries chosen by a Zipf law (the i-th most popular asked with weight
 * 1 / i^s), at a steady rate with one burst of a query, each with the time
 * it happened (its event time) and the time it reaches the engine, later
 * by a random delay: out of order, and now and then very late. Seeded, so
 * a test knows exactly what it sent; `perMinute` is the truth a job that
 * counts queries per minute must find.
 *
 * @example
 * const { searches, perMinute } = userActivity({ seed: 1, queries: ["vacuum", "index"], start: 0, durationMs: 60_000, rate: 10 });
 * searches.length; // about 600, in the order they arrive
 */
import { Random } from "../harness/random.ts";

export interface ActivityOptions {
  seed: number;
  /** The queries users ask, the most popular first. */
  queries: readonly string[];
  /** When the first search happens, and for how long they go on, ms. */
  start: number;
  durationMs: number;
  /** Searches per second, on average. */
  rate: number;
  /** The Zipf exponent s (default 1.1). */
  zipf?: number;
  /** A burst: during [at, at + ms) the query is asked `factor` times as often as it would be. */
  burst?: { query: string; at: number; ms: number; factor: number };
  /** Each search reaches the engine up to this long after it happened (default 0), ms. */
  outOfOrderMs?: number;
  /** The share of searches that reach it `lateMs` later still (default 0). */
  lateShare?: number;
  lateMs?: number;
}

/** A search: its query, when it happened, and when it reaches the engine. */
export interface Search {
  query: string;
  time: number;
  arrival: number;
}

export interface Activity {
  /** Every search, in the order they reach the engine. */
  searches: Search[];
  /** How often each query was asked in each minute of event time [m, m + 60,000), by the minute's start. */
  perMinute: Map<number, Map<string, number>>;
}

export function userActivity(options: ActivityOptions): Activity {
  const { seed, queries, start, durationMs, rate, zipf = 1.1, burst, outOfOrderMs = 0, lateShare = 0, lateMs = 0 } = options;
  if (queries.length === 0) throw new RangeError("Cannot simulate users without queries to ask");
  if (!(rate > 0 && durationMs > 0)) throw new RangeError(`Cannot simulate ${rate} searches per second for ${durationMs} ms: expected positive numbers`);
  const random = Random.from("activity", seed);
  const weights = queries.map((_, i) => 1 / (i + 1) ** zipf);
  const burstAt = burst === undefined ? -1 : queries.indexOf(burst.query);
  const searches: Search[] = [];
  for (let time = start + exponential(random, rate); time < start + durationMs; time += exponential(random, rate)) {
    const bursting = burst !== undefined && burstAt >= 0 && time >= burst.at && time < burst.at + burst.ms;
    const query = queries[weighted(random, weights, bursting ? burstAt : -1, burst?.factor ?? 1)] as string;
    const delay = random.next() * outOfOrderMs + (random.bool(lateShare) ? lateMs : 0);
    const at = Math.floor(time);
    searches.push({ query, time: at, arrival: at + delay });
  }
  searches.sort((a, b) => a.arrival - b.arrival);
  const perMinute = new Map<number, Map<string, number>>();
  for (const { query, time } of searches) {
    const minute = Math.floor(time / 60_000) * 60_000;
    const counts = perMinute.get(minute) ?? new Map<string, number>();
    perMinute.set(minute, counts.set(query, (counts.get(query) ?? 0) + 1));
  }
  return { searches, perMinute };
}

/** The wait until the next search of a Poisson process of `rate` per second, ms. */
const exponential = (random: Random, rate: number): number => (-Math.log(1 - random.next()) / rate) * 1000;

/** An index drawn with the weights, the one at `boosted` weighing `factor` times more. */
function weighted(random: Random, weights: readonly number[], boosted: number, factor: number): number {
  const weightOf = (i: number) => (weights[i] as number) * (i === boosted ? factor : 1);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weightOf(i);
  let left = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    left -= weightOf(i);
    if (left < 0) return i;
  }
  return weights.length - 1;
}
