/** The names of an engine's stores (api.ts), each a group id over the same members. */
export function storesOf(gid: string) {
  return {
    crawl: `${gid}-crawl`,
    pages: `${gid}-pages`,
    terms: `${gid}-terms`,
    stats: `${gid}-stats`,
    ranks: `${gid}-ranks`,
    /** Scratch outputs of rank's jobs, removed when it ends. */
    graph: `${gid}-graph`,
    links: `${gid}-links`,
  };
}

export type Stores = ReturnType<typeof storesOf>;

/** The name of the service every member runs for its engines. */
export const engineServiceName = "engine";
