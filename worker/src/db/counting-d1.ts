import type { RequestTiming } from "../timing.js";

/**
 * Wraps the D1 binding so that every round trip (a statement or a whole batch) is counted and timed.
 * The spec's budget is ≤ 2 round trips per request; this is how the budget is observed.
 */
export function countingD1(db: D1Database, timing: RequestTiming): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();

  const measure = async <T>(run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      timing.d1RoundTrips += 1;
      timing.d1Ms += performance.now() - start;
    }
  };

  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      first: (column?: string) => measure(() => (column ? statement.first(column) : statement.first())),
      all: () => measure(() => statement.all()),
      run: () => measure(() => statement.run()),
      raw: (options?: { columnNames?: boolean }) =>
        measure(() => (options?.columnNames ? statement.raw({ columnNames: true }) : statement.raw())),
    } as unknown as D1PreparedStatement;
    real.set(wrapped, statement);
    return wrapped;
  };

  return {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: (statements: D1PreparedStatement[]) =>
      measure(() => db.batch(statements.map((s) => real.get(s) ?? s))),
    exec: (query: string) => measure(() => db.exec(query)),
    dump: () => db.dump(),
    withSession: (constraint?: string) => db.withSession(constraint),
  } as unknown as D1Database;
}
