/** A hit's text score plus `weight` × ln(1 + pages × rank): an average page (rank 1 / pages) adds weight × ln 2. */
export function finalScore(text: number, rank: number, pages: number, weight: number): number {
  return text + weight * Math.log1p(pages * rank);
}
