/** Per-request cost, reported in `Server-Timing` in development (contract) and read by the benchmark. */
export class RequestTiming {
  d1RoundTrips = 0;
  d1Ms = 0;
  kdfMs: number | null = null;

  /** Times a KDF run. Workers' clocks only move on I/O in production, so this reads 0 there. */
  kdf<T>(run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.kdfMs = (this.kdfMs ?? 0) + (performance.now() - start);
    }
  }

  header(): string {
    const parts = [`d1;desc="${this.d1RoundTrips} round trips";dur=${this.d1Ms.toFixed(1)}`];
    if (this.kdfMs !== null) parts.push(`kdf;dur=${this.kdfMs.toFixed(1)}`);
    return parts.join(", ");
  }
}
