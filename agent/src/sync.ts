import { randomUUID } from "node:crypto";
import { type DirectoryUser, SYNC_PAGE_MAX_USERS, type SyncPageRequest, type SyncPageResponse } from "../../shared/directory/protocol.js";
import { AgentFatalError } from "./fatal.js";
import { log } from "./log.js";
import { SyncPageRefused } from "./worker-api.js";

export interface DirectoryRead {
  users: DirectoryUser[];
  groups: string[];
  errors: string[];
  /** Settings the admin should fix that did not stop any entry being read (the sync stays complete). */
  warnings: string[];
  /** Stable ids of users read but not sent (a value OpenSSPR cannot store): not gone. */
  seen: string[];
  skipped: string[];
  /** Failed binds after which the directory locks an account (null: it locks no one, or unknown). */
  lockoutThreshold: number | null;
}

const GROUPS_PER_PAGE = SYNC_PAGE_MAX_USERS * 10;
const ERRORS_MAX = 100;

function cappedErrors(errors: string[]): string[] {
  const kept = errors.slice(0, ERRORS_MAX).map((error) => error.slice(0, 1000));
  if (errors.length > ERRORS_MAX) kept[ERRORS_MAX - 1] = `… and ${errors.length - ERRORS_MAX + 1} more problems`;
  return kept;
}

/**
 * Bytes of users and group names a page may carry: the worker takes a sync page of up to 8 MiB, and
 * the last page's errors (at most 100 of 1000 characters) need room too. Users can be large (1000
 * groups each), so a page of 1000 of them could pass the worker's limit on its own.
 */
export const PAGE_BYTES = 6 * 1024 * 1024;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) + 1;

/**
 * A directory read as the worker's pages, in order: up to 1000 users and 10,000 group names a page,
 * within PAGE_BYTES, the errors on the last page (where the worker decides whether users not seen are
 * disabled).
 */
export function syncPages(syncId: string, read: DirectoryRead, readStartedAt: number): SyncPageRequest[] {
  const pages: { users: DirectoryUser[]; groups: string[]; seen: string[]; bytes: number }[] = [{ users: [], groups: [], seen: [], bytes: 0 }];
  for (const user of read.users) {
    const bytes = jsonBytes(user);
    let page = pages.at(-1)!;
    if (page.users.length === SYNC_PAGE_MAX_USERS || (page.users.length > 0 && page.bytes + bytes > PAGE_BYTES)) pages.push((page = { users: [], groups: [], seen: [], bytes: 0 }));
    page.users.push(user);
    page.bytes += bytes;
  }
  // Group names, then the ids of users not sent, fill the pages from the first where room is left, then pages of their own.
  const fill = (items: string[], list: "groups" | "seen", max: number) => {
    let at = 0;
    for (const item of items) {
      const bytes = jsonBytes(item);
      while (at < pages.length && (pages[at]![list].length === max || pages[at]!.bytes + bytes > PAGE_BYTES)) at++;
      if (at === pages.length) pages.push({ users: [], groups: [], seen: [], bytes: 0 });
      pages[at]![list].push(item);
      pages[at]!.bytes += bytes;
    }
  };
  fill(read.groups, "groups", GROUPS_PER_PAGE);
  fill(read.seen, "seen", SYNC_PAGE_MAX_USERS);
  return pages.map(({ users, groups, seen }, page) => ({
    syncId,
    page,
    last: page === pages.length - 1,
    users,
    groups,
    // Only when there are any: a worker from before `seen` refuses a page with a field it does not know.
    ...(seen.length > 0 ? { seen } : {}),
    errors: page === pages.length - 1 ? cappedErrors(read.errors) : [],
    // Only when there are any: a worker from before warnings refuses a page with a field it does not know.
    ...(page === pages.length - 1 && read.warnings.length > 0 ? { warnings: cappedErrors(read.warnings) } : {}),
    ...(page === 0 ? { readStartedAt, directoryLockout: { threshold: read.lockoutThreshold } } : {}),
  }));
}

export interface SyncDeps {
  read: () => Promise<DirectoryRead>;
  post: (page: SyncPageRequest) => Promise<SyncPageResponse>;
  /** A failure no retry fixes (the worker removed this agent). */
  onFatal: (error: AgentFatalError) => void;
}

/**
 * Full syncs, one at a time: a request during a sync runs one more after it (however many came), so
 * a change made while the directory was being read is never missed.
 */
export class SyncRunner {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: SyncDeps) {}

  /** Runs one full sync now and throws its failure (runFirst and the loop decide what a failure means). */
  async runOnce(): Promise<void> {
    const started = Date.now();
    const read = await this.deps.read();
    const syncId = randomUUID();
    const pages = syncPages(syncId, read, started);
    let skipped = 0;
    for (const page of pages) skipped += (await this.deps.post(page)).skipped.length;
    if (read.skipped.length > 0) log(`sync: ${read.skipped.length} entries without the username attribute left out (first: ${read.skipped[0]})`);
    const problems = read.errors.length > 0 ? `, ${read.errors.length} errors (first: ${read.errors[0]})` : "";
    log(`sync: ${read.users.length} users, ${read.groups.length} groups in ${pages.length} pages, ${skipped} skipped by the worker${problems} (${Date.now() - started} ms)`);
  }

  /**
   * The first full sync, at start: run as `request` runs one, so a sync asked for meanwhile waits for
   * it (two overlapping syncs of one agent would each count the other's users as gone), but its
   * failure is thrown.
   */
  async runFirst(): Promise<void> {
    // A 409: another agent's sync of the directory is under way (or took over): not a setting to fix,
    // and the directory is being synced, so this agent is ready and syncs at its next interval.
    const first = this.runOnce().catch((error: unknown) => {
      if (!(error instanceof SyncPageRefused && error.status === 409)) throw error;
      log(`sync: ${error.message}`);
    });
    this.running = first
      .then(
        () => (this.again ? this.loop() : undefined),
        () => undefined,
      )
      .finally(() => {
        this.running = null;
      });
    await first;
  }

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (error) {
        if (error instanceof AgentFatalError) {
          this.deps.onFatal(error);
          return;
        }
        log(`sync failed: ${(error as Error).message}`);
      }
    } while (this.again);
  }

  /** Waits for a sync in progress (shutdown lets it finish its page, not the whole read). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
