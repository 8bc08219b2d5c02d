/**
 * The grading section of a handout, made from the milestone's weights: each
 * visible test with its points, the hidden tests counted by file (their
 * names stay hidden), and the performance workloads. `npm run handouts`
 * writes it between the markers below; a test checks it is current.
 */
import { isBlackBoxFile, testFolders } from "./test-files.ts";
import type { Weights } from "./weights.ts";

export const tableStart = "<!-- grading table: made from weights.json by `npm run handouts`; do not edit by hand -->";
export const tableEnd = "<!-- end of grading table -->";

const points = (value: number) => String(Math.round(value * 100) / 100);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function gradingTable(weights: Weights): string {
  const files = Object.entries(weights.tests);
  const visible = files.filter(([file]) => file.startsWith(`${testFolders.visible}/`));
  const hidden = files.filter(([file]) => file.startsWith(`${testFolders.hidden}/`));
  const lines = ["| tests | points |", "|---|---|"];
  for (const [file, tests] of visible) {
    for (const [name, value] of Object.entries(tests)) lines.push(`| \`${file}\`: ${name} | ${points(value)} |`);
  }
  for (const [file, tests] of hidden) {
    const count = Object.keys(tests).length;
    const kind = isBlackBoxFile(file) ? "hidden, black-box: your nodes as separate processes, checked through the network" : "hidden";
    lines.push(`| \`${file}\` (${kind}): ${count} test${count === 1 ? "" : "s"} | ${points(sum(Object.values(tests)))} |`);
  }
  for (const [name, value] of Object.entries(weights.performance)) lines.push(`| performance: ${name} | ${points(value)} |`);
  const total = sum(files.flatMap(([, tests]) => Object.values(tests))) + sum(Object.values(weights.performance));
  const visibleTotal = sum(visible.flatMap(([, tests]) => Object.values(tests)));
  const hiddenTotal = sum(hidden.flatMap(([, tests]) => Object.values(tests)));
  const performanceTotal = sum(Object.values(weights.performance));
  lines.push(`| **total** (visible ${points(visibleTotal)}, hidden ${points(hiddenTotal)}, performance ${points(performanceTotal)}) | **${points(total)}** |`);
  return [tableStart, "", ...lines, "", tableEnd].join("\n");
}

/** The handout with its grading table replaced (or put where the GRADING-TABLE placeholder is). */
export function withGradingTable(handout: string, weights: Weights): string {
  const table = gradingTable(weights);
  const start = handout.indexOf(tableStart);
  const end = handout.indexOf(tableEnd);
  if (start !== -1 && end > start) return handout.slice(0, start) + table + handout.slice(end + tableEnd.length);
  if (handout.includes("GRADING-TABLE")) return handout.replace("GRADING-TABLE", table);
  throw new RangeError("Cannot place the grading table: the handout has neither its markers nor a GRADING-TABLE line");
}
