/**
 * Deliberately broken variants of the m0 reference, each one small edit that
 * models a bug students write. `npm run verify` applies each to a temporary
 * copy of reference/ and checks that at least one hidden test fails.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  // crawl
  {
    name: "robots-ignored",
    file: "robots.ts",
    find: 'if (agents.includes("*") && value !== "")',
    replace: 'if (agents.includes("my-crawler") && value !== "")',
    bug: "I read robots.txt but apply the wrong group's rules, so I fetch disallowed pages",
  },
  {
    name: "fragments-fetched-again",
    file: "crawl.ts",
    find: '  copy.hash = "";\n',
    replace: "",
    bug: "a.html and a.html#top look like two URLs to me, so I fetch the page twice",
  },
  {
    name: "crawl-leaves-the-site",
    file: "crawl.ts",
    find: "if (url.origin !== first.origin || seen.has(name)) return;",
    replace: "if (seen.has(name)) return;",
    bug: "I follow links to other sites",
  },
  {
    name: "redirects-not-followed",
    file: "crawl.ts",
    find: "            enqueue(new URL(answer.location, url));\n",
    replace: "",
    bug: "a 301 is not a page, so I drop it and miss the page it points to",
  },
  // getText
  {
    name: "script-content-kept",
    file: "html-tokens.ts",
    find: '  ["script", /<\\/script[\\s/>]/gi],\n',
    replace: "",
    bug: "I strip the tags but the JavaScript inside <script> ends up in the text",
  },
  {
    name: "entities-decoded-twice",
    file: "get-text.ts",
    find: "parts.push(decodeEntities(token.text));",
    replace: "parts.push(decodeEntities(decodeEntities(token.text)));",
    bug: "&amp;lt; comes out as < instead of &lt;",
  },
  {
    name: "inline-tags-split-words",
    file: "get-text.ts",
    find: "if (!inlineElements.has(token.name)) breakPending = true;",
    replace: "breakPending = true;",
    bug: "I replace every tag with a space, so Postgre<b>SQL</b> becomes two words",
  },
  {
    name: "numeric-reference-unchecked",
    file: "entities.ts",
    find: 'return isScalarValue(code) ? String.fromCodePoint(code) : "\\uFFFD";',
    replace: "return String.fromCodePoint(code);",
    bug: "&#x110000; makes String.fromCodePoint throw and the whole page is lost",
  },
  {
    name: "comment-ends-at-first-gt",
    file: "html-tokens.ts",
    find: 'if (html.startsWith("<!--", open)) {',
    replace: "if (false) {",
    bug: "a comment ends at its first >, so the rest of <!-- a > b --> shows up as text",
  },
  // getURLs
  {
    name: "fragment-kept",
    file: "get-urls.ts",
    find: '    link.hash = "";\n',
    replace: "",
    bug: "a.html#intro and a.html#usage count as two pages and get crawled twice",
  },
  {
    name: "href-entities-raw",
    file: "get-urls.ts",
    find: "hrefs.push(decodeEntities(href));",
    replace: "hrefs.push(href);",
    bug: "links come out as ?a=1&amp;b=2 because I take href exactly as written",
  },
  {
    name: "base-element-ignored",
    file: "get-urls.ts",
    find: "base = parse(decodeEntities(href), base) ?? base;",
    replace: "",
    bug: "I resolve links against the page's URL even when the page has a <base href>",
  },
  {
    name: "any-scheme-followed",
    file: "get-urls.ts",
    find: "if (link === undefined || !followedSchemes.has(link.protocol)) continue;",
    replace: "if (link === undefined) continue;",
    bug: "mailto: and javascript: links end up in the crawler's queue",
  },
  // process
  {
    name: "digits-split-words",
    file: "process.ts",
    find: "(code >= 0x30 && code <= 0x39)",
    replace: "false",
    bug: "I split on anything that is not a letter, so utf8 becomes utf and 15 disappears",
  },
  {
    name: "stopwords-kept",
    file: "process.ts",
    find: "if (!stopwords.has(term)) terms.push(term);",
    replace: "terms.push(term);",
    bug: "I forgot to filter the stopwords",
  },
  // stem
  {
    name: "short-words-stemmed",
    file: "stem.ts",
    find: "if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;",
    replace: "if (!/^[a-z]+$/.test(word)) return word;",
    bug: "two-letter words get stemmed: as becomes a",
  },
  {
    name: "y-always-vowel",
    file: "stem.ts",
    find: 'letter === "y" ? i === 0 || !result[i - 1]',
    replace: 'letter === "y" ? false',
    bug: "I treat y as a vowel everywhere, not only after a consonant",
  },
  {
    name: "ion-without-s-or-t",
    file: "stem.ts",
    find: ' && (suffix !== "ion" || /[st]$/.test(s))',
    replace: "",
    bug: "step 4 removes -ion after any letter, not only after s or t",
  },
  {
    name: "no-logi-rule",
    file: "stem.ts",
    find: "biliti>ble logi>log",
    replace: "biliti>ble",
    bug: "I followed the 1980 paper and missed the LOGI → LOG rule of Porter's published version",
  },
  // combine
  {
    name: "last-ngram-dropped",
    file: "combine.ts",
    find: "start + size <= terms.length",
    replace: "start + size < terms.length",
    bug: "off by one: the last n-gram of each size is missing",
  },
  // invert
  {
    name: "presence-counted",
    file: "invert.ts",
    find: "(counts.get(term) ?? 0) + 1",
    replace: "1",
    bug: "every term counts once, however often it occurs",
  },
  // merge
  {
    name: "old-index-forgotten",
    file: "merge.ts",
    find: "await readIndexIfAny(folder)",
    replace: "{ documents: new Map<string, number>(), terms: new Map<string, Map<string, number>>() }",
    bug: "each merge overwrites the index with just the new documents",
  },
  {
    name: "stale-postings-kept",
    file: "merge.ts",
    find: "  removeDocuments(index, new Set([...batch.keys()].filter((url) => index.documents.has(url))));\n",
    replace: "",
    bug: "a page indexed again keeps the terms of its old version",
  },
  // query
  {
    name: "idf-without-one",
    file: "scoring.ts",
    find: "Math.log(1 + (documents - containing + 0.5) / (containing + 0.5))",
    replace: "Math.log((documents - containing + 0.5) / (containing + 0.5))",
    bug: "I used the classic idf, which goes negative for terms in more than half the documents",
  },
  {
    name: "no-length-normalization",
    file: "scoring.ts",
    find: "(1 - b + (b * length) / averageLength)",
    replace: "1",
    bug: "BM25 without the length part: long pages win just by being long",
  },
  {
    name: "tfidf-raw-counts",
    file: "scoring.ts",
    find: "(count / length) * Math.log",
    replace: "count * Math.log",
    bug: "TF-IDF with raw counts instead of frequencies",
  },
  {
    name: "ties-unordered",
    file: "query.ts",
    find: " || (x.url < y.url ? -1 : x.url > y.url ? 1 : 0)",
    replace: "",
    bug: "equal scores come back in whatever order the index has them",
  },
  {
    name: "repeated-terms-counted",
    file: "query.ts",
    find: "for (const term of new Set(terms))",
    replace: "for (const term of terms)",
    bug: "a word that appears twice in the query counts twice",
  },
  {
    name: "limit-before-sort",
    file: "query.ts",
    find: "const hits = [...scores].map(",
    replace: "const hits = [...scores].slice(0, limit).map(",
    bug: "I cut the list to the limit before sorting it",
  },
];
