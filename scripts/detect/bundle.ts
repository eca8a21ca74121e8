import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The real detection code plus the page harness, as one IIFE for injection into each page. */
export async function harnessBundle(): Promise<string> {
  const out = await build({
    entryPoints: [here("./page-harness.js")],
    bundle: true,
    format: "iife",
    target: "chrome120",
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/**
 * What detection adds to a content script, minified then gzipped: `contentScript` is what a script
 * calling `watchSignIn` pulls in (after tree-shaking); `module` is every export of index.ts.
 */
export async function detectionSize(): Promise<{ contentScriptGzip: number; moduleGzip: number }> {
  const gzipped = async (contents: string) => {
    const out = await build({
      stdin: { contents, resolveDir: here("../../extension/signin-detection/"), loader: "ts" },
      bundle: true,
      format: "iife",
      minify: true,
      target: "chrome120",
      write: false,
      logLevel: "silent",
    });
    return gzipSync(out.outputFiles[0]!.contents, { level: 9 }).length;
  };
  return {
    contentScriptGzip: await gzipped('import { watchSignIn } from "./index.ts"; watchSignIn(document, console.log);'),
    moduleGzip: await gzipped('import * as detection from "./index.ts"; Object.assign(globalThis, { detection });'),
  };
}
