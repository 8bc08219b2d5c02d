/**
 * A milestone's rules table, `rules.md`: each rule its handout states, in the
 * handout's own words, with the hidden tests that check it and the mutants
 * that break it. autograder/tests/staff/rules.test.ts keeps the tables honest: every
 * quote is in the handout, every test and mutant named exists, every rule has
 * a hidden test, and every hidden test checks some rule.
 *
 * @example
 * | rule | tests | mutants |
 * |---|---|---|
 * | "Each call is delivered at most once" | `hidden/simulated-faults.test.ts`: a duplicated request runs once | `no-dedup` |
 *
 * Several tests or mutants in one cell are separated by `<br>`.
 */

export interface Rule {
  /** The handout's words, without the quotes. */
  quote: string;
  /** "file: test name". */
  tests: string[];
  mutants: string[];
  /** The row's line in rules.md (1-based). */
  line: number;
}

/** The rows of a rules table whose first cell is a quote. */
export function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  text.split("\n").forEach((line, index) => {
    const cells = /^\|\s*"(.*)"\s*\|(.*)\|(.*)\|\s*$/.exec(line);
    if (cells === null) return;
    const items = (cell: string) => cell.split("<br>").map((item) => item.trim()).filter(Boolean);
    rules.push({
      quote: cells[1] as string,
      tests: items(cells[2] as string).map((item) => item.replace(/^`([^`]+)`:\s*/, "$1: ")),
      mutants: items(cells[3] as string).map((item) => item.replace(/^`|`$/g, "")),
      line: index + 1,
    });
  });
  return rules;
}

/** Text as a reader sees it: markdown's emphasis and code marks gone, whitespace collapsed. */
export function plainText(text: string): string {
  return text.replace(/[*_`]/g, "").replace(/\s+/g, " ").trim();
}
