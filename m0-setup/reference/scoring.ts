/**
 * The two scoring functions: how much one query term found in one document
 * adds to the document's score. A document's score is the sum over the
 * (distinct) query terms it contains.
 */

/** What scoring needs to know about the collection and the term. */
export interface Collection {
  /** N: how many documents the index holds. */
  documents: number;
  /** The average document length. */
  averageLength: number;
  /** n: how many documents contain the term. */
  containing: number;
}

/** BM25's parameters: k1 saturates the term count, b normalizes by length. */
export const k1 = 1.2;
export const b = 0.75;

/** BM25: idf × f (k1 + 1) / (f + k1 (1 − b + b · length / average length)). */
export function bm25(count: number, length: number, collection: Collection): number {
  const { documents, averageLength, containing } = collection;
  const idf = Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
  return (idf * count * (k1 + 1)) / (count + k1 * (1 - b + (b * length) / averageLength));
}

/** TF-IDF: (f / length) × ln(N / n). */
export function tfidf(count: number, length: number, collection: Collection): number {
  return (count / length) * Math.log(collection.documents / collection.containing);
}
