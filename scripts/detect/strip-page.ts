/// <reference lib="dom" />
/**
 * Runs in a saved page before an importer's own cleaning (page.evaluate): removes what no detector can
 * read in static markup — scripts, frames, stylesheets, media, metadata — empties SVGs and drops
 * comments. Self-contained, as page.evaluate needs.
 */
export function stripStatic(): void {
  const doc = document;
  doc.querySelectorAll("script,noscript,iframe,frame,frameset,object,embed,link,base,template,video,audio,canvas,source,track,style,meta")
    .forEach((el) => el.remove());
  doc.querySelectorAll("svg").forEach((el) => el.replaceChildren());
  const walker = doc.createTreeWalker(doc, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.parentNode?.removeChild(c));
}
