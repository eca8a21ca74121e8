import { cleanup, render, screen } from "@testing-library/preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { SEARCH_DEBOUNCE_MS, type UserFilters, useUserSearch } from "../../../web/admin/src/users/use-user-search.js";

interface Pending {
  url: URL;
  signal: AbortSignal;
  answer(names: string[], nextCursor?: string | null): void;
}

let requests: Pending[];

beforeEach(() => {
  // Only the debounce timer: the Response body is read with the runtime's own scheduling.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  requests = [];
  vi.stubGlobal("fetch", (input: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      requests.push({
        url: new URL(input, "http://console.test"),
        signal,
        answer: (names, nextCursor = null) => resolve(new Response(JSON.stringify({ users: names.map((n) => ({ id: n, displayName: n })), nextCursor }), { status: 200 })),
      });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function Results({ filters }: { filters: UserFilters }) {
  const { users, nextCursor, loadMore } = useUserSearch("token", filters);
  return (
    <>
      <p data-testid="names">{users.map((u) => u.displayName).join(",")}</p>
      {nextCursor && <button onClick={loadMore}>more</button>}
    </>
  );
}

/** Moves the fake clock and lets Preact apply what the timers started. */
const advance = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

const filters = (q: string): UserFilters => ({ q, group: "", role: "", registration: "" });

it("sends one request per pause in typing, not one per key", async () => {
  const view = render(<Results filters={filters("")} />);
  for (const q of ["j", "ja", "jan"]) {
    view.rerender(<Results filters={filters(q)} />);
    await advance(SEARCH_DEBOUNCE_MS - 1);
  }
  expect(requests).toHaveLength(0);
  await advance(1);
  expect(requests.map((r) => r.url.searchParams.get("q"))).toEqual(["jan"]);
});

it("aborts a search still in flight when a newer one starts, so a late old answer never shows", async () => {
  const view = render(<Results filters={filters("a")} />);
  await advance(SEARCH_DEBOUNCE_MS);
  view.rerender(<Results filters={filters("b")} />);
  await advance(SEARCH_DEBOUNCE_MS);
  expect(requests.map((r) => r.url.searchParams.get("q"))).toEqual(["a", "b"]);
  expect(requests[0]!.signal.aborted).toBe(true);
  expect(requests[1]!.signal.aborted).toBe(false);

  await act(async () => requests[1]!.answer(["Bea"]));
  await vi.waitFor(() => expect(screen.getByTestId("names").textContent).toBe("Bea"));
  await act(async () => requests[0]!.answer(["Alice"]));
  await advance(SEARCH_DEBOUNCE_MS);
  expect(screen.getByTestId("names").textContent).toBe("Bea");
});

it("sends the filters as the API's query parameters", async () => {
  render(<Results filters={{ q: " sam ", group: "sales", role: "password_admin", registration: "partial" }} />);
  await advance(SEARCH_DEBOUNCE_MS);
  const params = requests[0]!.url.searchParams;
  expect(Object.fromEntries(params)).toEqual({ limit: "50", q: "sam", group: "sales", role: "password_admin", registration: "partial" });
  expect(requests[0]!.url.pathname).toBe("/v1/admin/users");
});

it("follows the cursor for the next page and appends it", async () => {
  render(<Results filters={filters("")} />);
  await advance(SEARCH_DEBOUNCE_MS);
  await act(async () => requests[0]!.answer(["Ada", "Bea"], "cursor-1"));
  await vi.waitFor(() => expect(screen.getByTestId("names").textContent).toBe("Ada,Bea"));
  await act(async () => screen.getByRole("button", { name: "more" }).click());
  expect(requests[1]!.url.searchParams.get("cursor")).toBe("cursor-1");
  await act(async () => requests[1]!.answer(["Cy"]));
  await vi.waitFor(() => expect(screen.getByTestId("names").textContent).toBe("Ada,Bea,Cy"));
  // The last page: nothing more to ask for.
  expect(screen.queryByRole("button", { name: "more" })).toBeNull();
});
