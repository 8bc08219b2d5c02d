#!/usr/bin/env bash
# The whole m0 engine as one shell pipeline: index a folder of HTML pages, or
# a web site (crawled), with the m0 tools, then answer a query, just as you
# would type it by hand.
#
#   m0-setup/bin/search.sh [OPTIONS] FOLDER|URL QUERY...
#
#   --no-stem      leave words unstemmed      --ngrams N    index 1- to N-grams (default 3)
#   --tfidf        rank by TF-IDF, not BM25   --limit K     print the best K (default 10)
#   --index DIR    keep the index in DIR (default: a temporary folder, removed afterwards)
#
# Prints the best pages for QUERY, one "url<TAB>score" line each.
# DIST_IMPL picks the implementation (default: implementations.json), e.g.
# DIST_IMPL=m0=reference; DIST_RUN the runtime: "node --import tsx" (default),
# "bun" or "deno run -A".
set -euo pipefail

stem=yes ngrams=3 index="" ranking=()
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --no-stem) stem=""; shift ;;
    --ngrams) ngrams=$2; shift 2 ;;
    --tfidf) ranking+=(--tfidf); shift ;;
    --limit) ranking+=(--limit "$2"); shift 2 ;;
    --index) index=$2; shift 2 ;;
    *) echo "search.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -lt 2 ]]; then
  sed -n '6,15p' "$0" | cut -c3- >&2
  exit 2
fi
if [[ $1 == http://* || $1 == https://* ]]; then
  source=(crawl "$1")
else
  source=(pages "$(cd "$1" && pwd)")
fi
shift
query="$*"

if [[ -z $index ]]; then
  index=$(mktemp -d)
  trap 'rm -rf "$index"' EXIT
fi
mkdir -p "$index"
index=$(cd "$index" && pwd)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
run=${DIST_RUN:-node --import tsx}

# One m0 tool, run from the repository's root (where tsx is installed).
tool() { (cd "$root" && $run "$here/tool.ts" "$@"); }
stem() { if [[ -n $stem ]]; then tool stem; else cat; fi; }

tool "${source[@]}" | tool getText | tool process | stem | tool combine "$ngrams" | tool invert | tool merge "$index"
printf '%s\n' "$query" | tool lines | tool process | stem | tool combine "$ngrams" |
  tool query "$index" ${ranking[@]+"${ranking[@]}"}
