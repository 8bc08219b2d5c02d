/**
 * A performance workload: one operation, timed many times, against any
 * implementation of a milestone's api. The same workloads serve `npm run bench`
 * (the reference next to baselines) and the grader's performance points (a
 * student's implementation against the reference).
 *
 * @example
 * const encodeRecords: Workload<typeof Api, unknown[]> = {
 *   name: "encode 100 k records",
 *   prepare: () => records(100_000),
 *   run: (api, input) => api.serialize(input),
 *   check: (api, input, output) => assertIsomorphic(api.deserialize(output as string), input),
 *   output: (api, _input, text) => api.deserialize(text as string),
 * };
 */
export interface Workload<Api, Input = unknown> {
  /** What one operation does, e.g. "encode 100 k records". */
  name: string;
  /** Builds the input for one implementation (not timed). */
  prepare(api: Api): Input | Promise<Input>;
  /** One operation (timed). */
  run(api: Api, input: Input): unknown;
  /** Throws unless `output`, one operation's result, is correct (not timed). */
  check(api: Api, input: Input, output: unknown): void | Promise<void>;
  /**
   * What one operation's result says, as JSON-able data that every correct
   * implementation gives alike (not timed). The grader compares these, for a
   * sample of the operations it timed, with the reference's: a run that was
   * fast because it did not do the work shows there.
   */
  output(api: Api, input: Input, result: unknown): unknown;
  /** Frees what `prepare` made (nodes, child processes), once the workload is measured or failed its check. */
  dispose?(api: Api, input: Input): void | Promise<void>;
}
