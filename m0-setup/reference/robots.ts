/**
 * robots.txt, as a polite crawler without a name of its own reads it: the
 * rules of the `User-agent: *` group. A path is disallowed when it starts
 * with a Disallow value, unless an Allow value at least as long also matches.
 */

export interface RobotsRules {
  disallow: string[];
  allow: string[];
}

/** The `User-agent: *` rules of a robots.txt (none: everything allowed). */
export function parseRobots(text: string): RobotsRules {
  const rules: RobotsRules = { disallow: [], allow: [] };
  let agents: string[] = [];
  let inRules = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === "user-agent") {
      if (inRules) agents = [];
      inRules = false;
      agents.push(value);
    } else if (field === "disallow" || field === "allow") {
      inRules = true;
      if (agents.includes("*") && value !== "") rules[field].push(value);
    }
  }
  return rules;
}

/** Whether the rules let a crawler fetch `path` (a path and query). */
export function isAllowed(rules: RobotsRules, path: string): boolean {
  const longest = (prefixes: string[]) => Math.max(-1, ...prefixes.filter((prefix) => path.startsWith(prefix)).map((prefix) => prefix.length));
  return longest(rules.disallow) <= longest(rules.allow) || longest(rules.disallow) === -1;
}
