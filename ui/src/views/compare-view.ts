import type { Comparison } from "../../../src/ui/api-types.ts";
import { api } from "../api.ts";
import { ci, h, num, pct, replace, table } from "../dom.ts";
import { card } from "./card.ts";

/** Two runs compared case by case (`#/evaluations/compare?base=…&run=…`): paired deltas, regressions, improvements. */
export function compareView(root: HTMLElement, query: URLSearchParams): undefined {
  const base = query.get("base") ?? "";
  const run = query.get("run") ?? "";
  const body = h("div", { class: "loading" }, "Comparing…");
  replace(
    root,
    h("p", {}, h("a", { href: "#/evaluations" }, "← Evaluations")),
    h("h1", {}, "Compare runs"),
    h("p", {}, "Baseline ", h("code", {}, base), " → run ", h("code", {}, run)),
    body,
  );
  const rows = (list: Comparison["improvedRows"]) =>
    table(
      ["Case", "Eval › scenario › model", "Before", "Now"],
      list.map((x) => [
        x.id,
        x.now ? `${x.now.evalName} › ${x.now.scenarioKey} › ${x.now.model}` : "",
        x.before ? `${x.before.state} ${num(x.before.score)}` : "",
        h(
          "a",
          {
            href: `#/evaluations/${encodeURIComponent(run)}?${new URLSearchParams({ q: x.id, case: x.id })}`,
          },
          x.now ? `${x.now.state} ${num(x.now.score)}` : "",
        ),
      ]),
      { class: "grid" },
    );
  api
    .get<Comparison>(`/api/compare?base=${encodeURIComponent(base)}&run=${encodeURIComponent(run)}`)
    .then((c) => {
      body.className = "";
      replace(
        body,
        c.signatureMatches
          ? null
          : h(
              "p",
              { class: "warning" },
              "The baseline ran another config (models, judges or jury): the comparison may mislead.",
            ),
        h(
          "div",
          { class: "cards", "data-testid": "comparison" },
          card("Paired cases", String(c.paired), `${c.newCases.length} new · ${c.missing.length} missing`),
          card(
            "Pass rate",
            `${pct(c.passRate.base)} → ${pct(c.passRate.run)}`,
            `Δ paired ${(c.passRateDelta * 100).toFixed(1)} pts`,
          ),
          card(
            "Regressed / improved",
            `${c.regressed.length} / ${c.improved.length}`,
            `McNemar exact p = ${c.mcnemarP.toFixed(4)}`,
          ),
          card(
            "Mean jury Δ",
            c.scoreDelta ? num(c.scoreDelta.mean) : "–",
            c.scoreDelta ? `95% CI ${ci(c.scoreDelta.ci, (x) => num(x))} (n=${c.scoreDelta.n})` : "",
          ),
        ),
        h("h3", {}, `Regressed (${c.regressed.length})`),
        rows(c.regressedRows),
        h("h3", {}, `Improved (${c.improved.length})`),
        rows(c.improvedRows),
      );
    })
    .catch((err: unknown) => replace(body, h("p", { class: "error" }, String(err))));
  return undefined;
}
