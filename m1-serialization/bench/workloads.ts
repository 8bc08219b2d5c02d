/**
 * m1's performance workloads: plain data, the bulk of what nodes exchange,
 * encoded and decoded. The grader scores a student's throughput on each
 * against the reference's; `npm run bench m1` also sets the reference beside
 * JSON and devalue (baselines.ts).
 */
import type * as Api from "../api.ts";
import type { Workload } from "../../autograder/bench/workload.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { Random } from "../../autograder/harness/random.ts";

type M1 = typeof Api;

/** A nested object of about 10 KB of JSON, like a configuration or an API response. */
export function nestedObject(random = new Random(1)): unknown {
  const node = (depth: number): Record<string, unknown> => {
    const object: Record<string, unknown> = {
      id: random.int(1, 1_000_000),
      name: `item-${random.int(1, 9999)}`,
      enabled: random.bool(),
      ratio: Math.round(random.next() * 1000) / 1000,
      note: `generated entry ${random.int(1, 99999)} of the sample data set`,
      tags: ["alpha", "beta", "gamma"].slice(0, random.int(0, 3)),
    };
    if (depth < 3) object.children = Array.from({ length: 4 }, () => node(depth + 1));
    return object;
  };
  return { version: 3, generated: "2026-01-01T00:00:00Z", root: node(0) };
}

/** 100,000 small records, about 3 MB of JSON. */
export function records(count = 100_000, random = new Random(2)): unknown[] {
  return Array.from({ length: count }, (_, id) => ({ id, name: `n${random.int(0, 999)}`, v: random.int(0, 999) }));
}

/** 1,000,000 integers. */
export function integers(count = 1_000_000, random = new Random(3)): number[] {
  return Array.from({ length: count }, () => random.int(-1_000_000, 1_000_000));
}

function encode(name: string, data: () => unknown): Workload<M1, unknown> {
  return {
    name: `encode ${name}`,
    prepare: () => data(),
    run: (api, value) => api.serialize(value),
    check: (api, value, text) => assertIsomorphic(api.deserialize(text as string), value),
    output: (api, _value, text) => api.deserialize(text as string),
  };
}

function decode(name: string, data: () => unknown): Workload<M1, { value: unknown; text: string }> {
  return {
    name: `decode ${name}`,
    prepare: (api) => {
      const value = data();
      return { value, text: api.serialize(value) };
    },
    run: (api, input) => api.deserialize(input.text),
    check: (_api, input, copy) => assertIsomorphic(copy, input.value),
    output: (_api, _input, copy) => copy,
  };
}

export const workloads: Array<Workload<M1, never>> = [
  encode("10 KB nested object", nestedObject),
  decode("10 KB nested object", nestedObject),
  encode("100 k records", records),
  decode("100 k records", records),
  encode("1 M integers", integers),
  decode("1 M integers", integers),
] as Array<Workload<M1, never>>;
