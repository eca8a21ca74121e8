export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): exponential from 1 s, capped at
 * 60 s, with "full jitter" in the upper half so a fleet of agents restarted together spreads out
 * without ever retrying at once.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
