/**
 * The generated web's robots.txt and the rule a polite crawler follows from
 * it. The file has a group for one named robot that disallows everything,
 * then the group for every other robot (`User-agent: *`), which disallows
 * the paths that start with `/private/`.
 *
 * @example
 * isAllowed("/private/3.html"); // false
 * isAllowed("/kamu/3.html"); // true
 */

/** The path prefixes that robots.txt disallows for `User-agent: *`. */
export const disallowedPrefixes: readonly string[] = ["/private/"];

/** The text of /robots.txt. */
export const robotsTxt = `# The generated web welcomes polite robots.
User-agent: BadBot
Disallow: /

User-agent: *
${disallowedPrefixes.map((prefix) => `Disallow: ${prefix}`).join("\n")}
`;

/** Whether robots.txt lets any robot (`User-agent: *`) fetch `path` (a path and query). */
export function isAllowed(path: string): boolean {
  return !disallowedPrefixes.some((prefix) => path.startsWith(prefix));
}
