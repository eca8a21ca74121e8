import { useEffect, useState } from "preact/hooks";

/** The console's screens, read from the address so a reload or a shared link opens the same one. */
export type Route =
  | { name: "users"; search: URLSearchParams }
  | { name: "user"; id: string }
  | { name: "new-user" }
  | { name: "import-users" }
  | { name: "policy" }
  | { name: "audit"; search: URLSearchParams }
  | { name: "reports"; search: URLSearchParams }
  | { name: "not-found" };

export function parseRoute(location: Pick<Location, "pathname" | "search">): Route {
  const path = location.pathname.replace(/\/+$/, "");
  if (path === "/admin" || path === "/admin/users") return { name: "users", search: new URLSearchParams(location.search) };
  if (path === "/admin/policy") return { name: "policy" };
  if (path === "/admin/audit") return { name: "audit", search: new URLSearchParams(location.search) };
  if (path === "/admin/reports") return { name: "reports", search: new URLSearchParams(location.search) };
  if (path === "/admin/users/new") return { name: "new-user" };
  if (path === "/admin/users/import") return { name: "import-users" };
  const user = /^\/admin\/users\/([^/]+)$/.exec(path);
  if (user) return { name: "user", id: decodeURIComponent(user[1]!) };
  return { name: "not-found" };
}

const listeners = new Set<() => void>();

/** Goes to another screen without reloading; `replace` for changes that should not add a Back step (typing a search). */
export function navigate(href: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  for (const l of listeners) l();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location));
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** A real link (middle-click, copy address work) that moves within the app on a plain click. */
export function onLinkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute("href")!);
}
