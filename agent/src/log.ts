/**
 * Operational log on stderr (stdout carries only the ready line). Callers pass job kinds, outcomes
 * and counts: never a password, a sealed secret or a job's payload.
 */
export function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}
