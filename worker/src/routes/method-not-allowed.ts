import { ApiError } from "../errors.js";

interface RouteInfo {
  method: string;
  path: string;
}

const patternCache = new Map<string, RegExp>();

function pattern(path: string): RegExp {
  let re = patternCache.get(path);
  if (!re) {
    const source = path
      .split("/")
      .map((part) => (part.startsWith(":") ? "[^/]+" : part === "*" ? ".*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    re = new RegExp(`^${source}$`);
    patternCache.set(path, re);
  }
  return re;
}

/**
 * A path that exists under another method is a 405 with `Allow`, not a 404 (contract). Middleware
 * (method ALL) does not make a path exist.
 */
export function methodNotAllowed(routes: RouteInfo[], method: string, path: string): never | undefined {
  const allowed = new Set(routes.filter((r) => r.method !== "ALL" && pattern(r.path).test(path)).map((r) => r.method));
  if (allowed.size === 0 || allowed.has(method)) return undefined;
  throw new ApiError(405, "method_not_allowed", "This path does not accept that method.", undefined, {
    Allow: [...allowed].sort().join(", "),
  });
}
