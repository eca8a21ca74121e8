/**
 * Loads INSERT statements into the local D1 of a wrangler state folder, the one `wrangler dev
 * --persist-to <stateDir>` then serves. This is what `wrangler d1 execute DB --local --persist-to
 * <stateDir> --file …` does (a Miniflare with that D1, one batch), minus its SQL splitter, which
 * takes about 4 s of CPU per MB: for a directory of 100,000 users (140 MB of SQL) the splitter alone
 * would take minutes, while the statements are already split here.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { ROOT } from "../wrangler.js";

/** The database id wrangler uses for the local D1 of binding DB (wrangler.toml). */
function localDatabaseId(): string {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const preview = /preview_database_id\s*=\s*"([^"]+)"/.exec(toml)?.[1];
  const id = /database_id\s*=\s*"([^"]+)"/.exec(toml)?.[1];
  if (!id) throw new Error("wrangler.toml has no [[d1_databases]] database_id");
  return preview ?? id;
}

/** Runs each chunk as one D1 batch (one transaction), in order. Call it while no worker serves the folder. */
export async function loadIntoLocalD1(stateDir: string, chunks: string[][]): Promise<void> {
  const mf = new Miniflare({ modules: true, script: "", d1Persist: join(stateDir, "v3", "d1"), d1Databases: { DATABASE: localDatabaseId() } });
  try {
    const db = await mf.getD1Database("DATABASE");
    for (const chunk of chunks) await db.batch(chunk.map((statement) => db.prepare(statement)));
  } finally {
    await mf.dispose();
  }
}
