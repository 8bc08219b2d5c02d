/**
 * What `npm run bench m1` sets the implementations beside: the runtime's
 * JSON, and devalue, a popular library that also handles cycles, Maps and
 * Dates (a benchmark-only dev dependency). The bars are this milestone's
 * performance goals for the reference.
 */
import * as devalue from "devalue";
import type { Bar, Baselines } from "../../autograder/bench/baseline.ts";
import type * as Api from "../api.ts";

export const baselines: Baselines<typeof Api> = {
  JSON: { api: { serialize: JSON.stringify, deserialize: JSON.parse } as typeof Api },
  devalue: { api: { serialize: devalue.stringify, deserialize: devalue.parse } as typeof Api },
};

export const bars: Bar[] = [
  { subject: "reference", baseline: "JSON", atLeast: 0.8 },
  { subject: "reference", baseline: "devalue", atLeast: 1 },
];
