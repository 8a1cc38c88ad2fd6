// The URL is the dashboard's state: a view writes what the user picked (filters, an opened case) into the hash,
// so a reload, back/forward or a shared link shows the same thing. Writing it re-renders nothing.

let rendered = "";

/** Records that the view on screen is the current URL's (the router calls it when it renders a route). */
export function markRendered(): void {
  rendered = location.hash;
}

/** Whether the URL is no longer the one on screen (back/forward, a link, an edited address). */
export function urlMoved(): boolean {
  return location.hash !== rendered;
}

/**
 * Puts what the view on screen shows into the URL without re-rendering it: `push` adds a history entry (opening
 * a case: back closes it), `replace` does not (typing a filter: one entry, not one per keystroke).
 */
export function setHash(hash: string, mode: "push" | "replace"): void {
  if (new URL(hash, location.href).hash === location.hash) return;
  if (mode === "push") history.pushState(null, "", hash);
  else history.replaceState(null, "", hash);
  rendered = location.hash;
}
