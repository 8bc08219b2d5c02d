/**
 * A file of records, each written as its length, a colon, its text and a
 * newline ("5:hello\n"). Appending a record adds to the end of the file; a
 * crash in the middle of an append can leave a prefix of the last record,
 * which reading drops: a record counts only when all of it, newline
 * included, is there.
 */

/** One record, ready to be written or appended. */
export function record(text: string): string {
  return `${text.length}:${text}\n`;
}

/** The whole records at the start of a file's contents, and whether nothing else follows them. */
export function readRecords(contents: string): { records: string[]; whole: boolean } {
  const records: string[] = [];
  let at = 0;
  while (at < contents.length) {
    const colon = contents.indexOf(":", at);
    const length = colon > at && /^\d+$/.test(contents.slice(at, colon)) ? Number(contents.slice(at, colon)) : -1;
    const end = colon + 1 + length;
    if (length < 0 || contents[end] !== "\n") return { records, whole: false };
    records.push(contents.slice(colon + 1, end));
    at = end + 1;
  }
  return { records, whole: true };
}
