import { describe, expect, test, vi } from "vitest";
import type { DirectoryRead } from "../../../agent/src/sync.js";
import { SyncRunner } from "../../../agent/src/sync.js";
import { SyncPageRefused } from "../../../agent/src/worker-api.js";

const EMPTY: DirectoryRead = { users: [], groups: [], errors: [], warnings: [], seen: [], skipped: [], lockoutThreshold: null };

/** A runner whose reads wait until the test releases them, counting how many run at once. */
function runner() {
  const releases: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  let reads = 0;
  const sync = new SyncRunner({
    read: () =>
      new Promise<DirectoryRead>((resolve) => {
        reads++;
        most = Math.max(most, ++inFlight);
        releases.push(() => {
          inFlight--;
          resolve(EMPTY);
        });
      }),
    post: async () => ({ accepted: 0, skipped: [] }),
    onFatal: () => {},
  });
  const releaseNext = async () => {
    await vi.waitFor(() => expect(releases.length).toBeGreaterThan(0));
    releases.shift()!();
  };
  return { sync, releaseNext, stats: () => ({ reads, most }) };
}

describe("the agent's syncs", () => {
  test("a sync asked for during the first one runs after it, never beside it (overlapping syncs disable each other's users)", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { sync, releaseNext, stats } = runner();
    const first = sync.runFirst();
    sync.request();
    sync.request();
    await releaseNext();
    await first;
    await releaseNext();
    await sync.idle();
    expect(stats()).toEqual({ reads: 2, most: 1 });
    vi.restoreAllMocks();
  });

  test("a first sync refused because another agent's sync is under way (409) does not stop the agent", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    let posts = 0;
    const sync = new SyncRunner({
      read: async () => EMPTY,
      post: async () => {
        posts++;
        throw new SyncPageRefused("the worker refused sync page 0: Another agent's sync of this directory is under way", 409);
      },
      onFatal: () => {},
    });
    await sync.runFirst();
    expect(posts).toBe(1);
    const refusing = new SyncRunner({ read: async () => EMPTY, post: async () => Promise.reject(new SyncPageRefused("the worker refused sync page 0: HTTP 400", 400)), onFatal: () => {} });
    await expect(refusing.runFirst()).rejects.toThrow("HTTP 400");
    vi.restoreAllMocks();
  });

  test("the first sync's failure is thrown to the caller (the agent's start)", async () => {
    const sync = new SyncRunner({ read: async () => Promise.reject(new Error("no directory")), post: async () => ({ accepted: 0, skipped: [] }), onFatal: () => {} });
    await expect(sync.runFirst()).rejects.toThrow("no directory");
    await sync.idle();
  });
});
