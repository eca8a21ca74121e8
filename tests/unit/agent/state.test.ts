import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { generateAgentKeyPair, readAgentState, writeAgentState } from "../../../agent/src/state.js";

describe("the agent's saved state", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("is used only with the worker address it was enrolled with: the credential never goes to another", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agent-state-"));
    dirs.push(dir);
    const keys = await generateAgentKeyPair();
    const state = { workerUrl: "https://sspr.example.test", agentId: "agt_1", credential: "secret-credential", publicKey: keys.publicKey, privateKey: keys.privateKey as Record<string, unknown> };
    writeAgentState(join(dir, "state"), state);
    expect(readAgentState(join(dir, "state"), "https://sspr.example.test/")).toEqual(state);
    expect(() => readAgentState(join(dir, "state"), "https://sspr.example.com")).toThrow(/enrolled with https:\/\/sspr\.example\.test/);
    expect(readAgentState(join(dir, "none"), "https://sspr.example.com")).toBeNull();
  });
});
