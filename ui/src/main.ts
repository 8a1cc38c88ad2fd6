// The dashboard: hash-routed views over the JSON API; live updates from /api/events.
import { connectLive } from "./api.ts";
import { h, replace } from "./dom.ts";
import { markRendered, urlMoved } from "./url-state.ts";
import { evaluationsView } from "./views/evaluations.ts";
import { logView } from "./views/log-view.ts";
import { monitorView } from "./views/monitor.ts";
import { reportsView } from "./views/reports.ts";
import { setupView } from "./views/setup.ts";
import { unprocessedView } from "./views/unprocessed.ts";

/** A view renders into `root` and returns what to undo when the route changes. */
export type View = (root: HTMLElement, args: string[], query: URLSearchParams) => (() => void) | undefined;

const VIEWS: Record<string, View> = {
  setup: setupView,
  monitor: monitorView,
  evaluations: evaluationsView,
  reports: reportsView,
  unprocessed: unprocessedView,
  log: logView,
};

let cleanup: (() => void) | undefined;

function route(): void {
  markRendered();
  const hash = location.hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = hash.split("?");
  const [name = "evaluations", ...args] = path.split("/").filter(Boolean).map(decodeURIComponent);
  const view = VIEWS[name] ?? VIEWS.evaluations;
  const app = document.getElementById("app") as HTMLElement;
  cleanup?.();
  cleanup = undefined;
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#nav a"))
    a.classList.toggle("active", a.dataset.view === (VIEWS[name] ? name : "evaluations"));
  const root = h("div", { class: "view", "data-view": name });
  replace(app, root);
  try {
    cleanup = view?.(root, args, new URLSearchParams(search)) ?? undefined;
  } catch (err) {
    replace(root, h("p", { class: "error" }, String(err)));
  }
}

// A link changes the hash (hashchange); back/forward over entries a view pushed fires popstate, and hashchange
// too when the hash differs: render once, and only when the URL is not the one on screen.
const onUrl = () => {
  if (urlMoved()) route();
};
window.addEventListener("hashchange", onUrl);
window.addEventListener("popstate", onUrl);
connectLive((on) => {
  const dot = document.getElementById("live");
  dot?.classList.toggle("on", on);
  dot?.setAttribute("data-connected", on ? "1" : "0");
});
route();
