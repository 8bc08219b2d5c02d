/** Loops forever at import. */
for (;;) {
  // Nothing: no test file that loads this ever gets to run a test.
}

export * from "./base-index.ts";
