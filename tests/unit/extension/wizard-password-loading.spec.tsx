import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { atPassword, COMMON_RULE, PASSWORD, rule } from "./support/password-step.js";
import { alertText } from "./support/render-popup.js";

// The popup loads the common-password list when the password step opens (issue 13): hold that load
// back until a test lets it through, to see what the user sees meanwhile.
const gate = vi.hoisted(() => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open: () => open(), opened };
});
vi.mock("../../../shared/password/common-passwords.js", async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

const type = (value: string) => fireEvent.input(screen.getByLabelText("New password"), { target: { value } });

describe("wizard: new password while the common-password list loads", () => {
  it("says the common rule is being checked, never ticks it, and holds a submit until the list decides", async () => {
    const worker = await atPassword();
    type("passwordpassword");
    expect(rule("Use at least 15 characters.").className).toContain("met");
    expect(rule(COMMON_RULE).className).toContain("checking");
    expect(rule(COMMON_RULE).textContent).toContain("(checking)");
    expect(rule(COMMON_RULE).textContent).not.toContain("(done)");

    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("alert")?.textContent ?? "").toBe("");
    expect(worker.calls.some((c) => c.route === PASSWORD)).toBe(false);

    gate.open();
    expect(await alertText()).toBe("Your new password doesn't meet the rules marked ✗ yet.");
    expect(worker.calls.some((c) => c.route === PASSWORD)).toBe(false);
    await waitFor(() => expect(rule(COMMON_RULE).className).toContain("unmet"));
  });

  it("checks the rule at once on a later password step, the list being loaded", async () => {
    await atPassword();
    type("copper-lantern-meadow-71");
    expect(rule(COMMON_RULE).className).toContain("met");
    expect(rule(COMMON_RULE).className).not.toContain("checking");
    expect(rule(COMMON_RULE).textContent).toContain("(done)");
  });
});
