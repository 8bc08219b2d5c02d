/**
 * Finds a milestone's performance workloads (`bench/workloads.ts`), if it has any.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type MilestoneId, milestoneFolder } from "../kit/milestones.ts";
import type { Workload } from "./workload.ts";

/** The workloads of a milestone, or none. */
export async function loadWorkloads(id: MilestoneId): Promise<Array<Workload<unknown, unknown>>> {
  const path = join(milestoneFolder(id), "bench", "workloads.ts");
  if (!existsSync(path)) return [];
  const module = (await import(pathToFileURL(path).href)) as { workloads: Array<Workload<unknown, unknown>> };
  return module.workloads;
}
