/**
 * Martin Porter's stemmer: "An algorithm for suffix stripping", Program 14(3),
 * 130–137, 1980, step by step as the paper gives it, with the two changes of
 * his published implementation (step 2: BLI → BLE instead of ABLI → ABLE, and
 * LOGI → LOG added).
 *
 * The paper's notation: a consonant is a letter other than a, e, i, o, u, and
 * other than y after a consonant. Writing C for a run of consonants and V for
 * a run of vowels, every word is [C](VC)^m[V]; m is its measure. A condition
 * (m > 0) is about the stem left once the suffix is removed; *v* means that
 * stem has a vowel, *d that it ends in a double consonant, *o that it ends
 * consonant–vowel–consonant with the last not w, x or y.
 *
 * Within a step, the rule with the longest matching suffix is the only one
 * tried: if its condition fails, the step leaves the word alone.
 */

type Rule = { suffix: string; replacement: string };
type Condition = (stem: string, suffix: string) => boolean;

/** A step's rules, by the last letter of their suffix. */
type Rules = Map<string, Rule[]>;

/**
 * Reads a step's rules, written "suffix>replacement …", grouped by the last
 * letter of the suffix (Porter's own program switches on it) and sorted so
 * that the first suffix that matches is the longest.
 */
function rules(table: string): Rules {
  const grouped: Rules = new Map();
  for (const rule of table.split(" ")) {
    const [suffix, replacement] = rule.split(">") as [string, string];
    const last = suffix.at(-1) as string;
    grouped.set(last, [...(grouped.get(last) ?? []), { suffix, replacement }]);
  }
  for (const group of grouped.values()) group.sort((a, b) => b.suffix.length - a.suffix.length);
  return grouped;
}

const step1aRules = rules("sses>ss ies>i ss>ss s>");
const step2Rules = rules(
  "ational>ate tional>tion enci>ence anci>ance izer>ize bli>ble alli>al entli>ent eli>e ousli>ous " +
    "ization>ize ation>ate ator>ate alism>al iveness>ive fulness>ful ousness>ous aliti>al iviti>ive " +
    "biliti>ble logi>log",
);
const step3Rules = rules("icate>ic ative> alize>al iciti>ic ical>ic ful> ness>");
/** In step 4, "ion" has a second condition: the stem ends in s or t. */
const step4Rules = rules(
  "al> ance> ence> er> ic> able> ible> ant> ement> ment> ent> ion> ou> ism> ate> iti> ous> ive> ize>",
);

/** Stems a word; words of one or two letters, and words not all a–z, come back unchanged. */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let w = apply(word, step1aRules, () => true);
  w = step1b(w);
  if (w.endsWith("y") && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`; // step 1c
  w = apply(w, step2Rules, (s) => measure(s) > 0);
  w = apply(w, step3Rules, (s) => measure(s) > 0);
  w = apply(w, step4Rules, (s, suffix) => measure(s) > 1 && (suffix !== "ion" || /[st]$/.test(s)));
  return step5(w);
}

/** Applies the rule with the longest matching suffix if the stem meets the condition. */
function apply(word: string, table: Rules, condition: Condition): string {
  for (const { suffix, replacement } of table.get(word.at(-1) as string) ?? []) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return condition(stem, suffix) ? stem + replacement : word;
  }
  return word;
}

/** Step 1b: (m > 0) EED → EE; (*v*) ED → ; (*v*) ING → ; then tidy the stem. */
function step1b(word: string): string {
  if (word.endsWith("eed")) {
    return measure(word.slice(0, -3)) > 0 ? word.slice(0, -1) : word;
  }
  const suffix = word.endsWith("ed") ? "ed" : word.endsWith("ing") ? "ing" : "";
  const stem = word.slice(0, word.length - suffix.length);
  if (suffix === "" || !hasVowel(stem)) return word;
  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return `${stem}e`;
  if (endsDoubleConsonant(stem) && !/[lsz]$/.test(stem)) return stem.slice(0, -1);
  if (measure(stem) === 1 && endsCvc(stem)) return `${stem}e`;
  return stem;
}

/** Step 5: (m > 1) E → ; (m = 1 and not *o) E → ; (m > 1 and *d and *L) → single letter. */
function step5(word: string): string {
  let w = word;
  if (w.endsWith("e")) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem;
  }
  if (w.endsWith("ll") && measure(w) > 1) w = w.slice(0, -1);
  return w;
}

/** Whether each letter of a word is a consonant: not a, e, i, o, u, nor a y after a consonant. */
function consonants(word: string): boolean[] {
  const result: boolean[] = [];
  for (let i = 0; i < word.length; i++) {
    const letter = word[i] as string;
    result.push(letter === "y" ? i === 0 || !result[i - 1] : !"aeiou".includes(letter));
  }
  return result;
}

/** m in [C](VC)^m[V]: how many times a vowel is followed by a consonant. */
function measure(word: string): number {
  const consonant = consonants(word);
  let m = 0;
  for (let i = 1; i < consonant.length; i++) if (consonant[i] && !consonant[i - 1]) m++;
  return m;
}

/** *v*: the word holds a vowel. */
function hasVowel(word: string): boolean {
  return consonants(word).includes(false);
}

/** *d: the word ends in two equal consonants. */
function endsDoubleConsonant(word: string): boolean {
  return word.length >= 2 && word.at(-1) === word.at(-2) && consonants(word).at(-1) === true;
}

/** *o: the word ends consonant–vowel–consonant, and the last is not w, x or y. */
function endsCvc(word: string): boolean {
  const [c1, v, c2] = consonants(word).slice(-3);
  return word.length >= 3 && c1 === true && v === false && c2 === true && !/[wxy]$/.test(word);
}
