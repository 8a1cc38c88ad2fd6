// Setup: an evaluation from an uploaded CSV/JSONL — columns (with a preview), task, models (tiers, RPM, prices),
// judges, jury, run settings — saved as an eval file + config, run now or later. "Load config" (`?from=<run>`)
// fills it with a run's settings; Reset puts the project's back.
import type { SetupFromRun, SetupRunSettings } from "../../../src/ui/api-types.ts";
import { api } from "../api.ts";
import { append, h, replace } from "../dom.ts";
import { setHash } from "../url-state.ts";

interface SetupInfo {
  models: {
    key: string;
    modelId: string;
    provider: string;
    region: string | null;
    serviceTier: string | null;
    targetRpm: number | null;
    inputCostPer1k: number;
    outputCostPer1k: number;
    tiers: { tier: string; available: boolean; reason?: string }[];
  }[];
  judges: { key: string; modelId: string }[];
  defaults: { threshold: number; aggregate: string; run: SetupRunSettings };
  /** Bedrock models the capability cache knows nothing of: `evals probe` would check their tiers. */
  unprobed: string[];
}

interface Saved {
  dir: string;
  evalFile: string;
  configFile: string;
  scenarios: number;
  warnings: string[];
  entry?: { id: string };
}

export function setupView(root: HTMLElement, _args: string[], query: URLSearchParams): undefined {
  const body = h("div", { class: "loading" }, "Loading profiles…");
  replace(root, h("h1", {}, "Setup"), body);
  const from = query.get("from");
  Promise.all([
    api.get<SetupInfo>("/api/setup"),
    from ? api.get<SetupFromRun>(`/api/setup/from/${encodeURIComponent(from)}`) : undefined,
  ])
    .then(([info, loaded]) => {
      body.className = "";
      // Reset: the form again, as the project's config sets it (no run loaded, no upload).
      const reset = () => {
        setHash("#/setup", "replace");
        replace(body, form(info, undefined, reset));
      };
      replace(body, form(info, loaded, reset));
    })
    .catch((err: unknown) => replace(body, h("p", { class: "error" }, String(err))));
  return undefined;
}

const n = (el: HTMLInputElement) => (el.value.trim() === "" ? undefined : Number(el.value));

function form(info: SetupInfo, loaded: SetupFromRun | undefined, reset: () => void): HTMLElement {
  const run = loaded?.run ?? info.defaults.run;
  let upload: { file: string; text: string } | undefined;
  const columnSelect = (testid: string) =>
    h("select", { "data-testid": testid }, h("option", { value: "" }, "(detect)"));
  const promptCol = columnSelect("col-prompt");
  const goldenCol = columnSelect("col-golden");
  const imageCol = columnSelect("col-image");
  const columnsInfo = h("span", { class: "muted" });
  const preview = h("div", { "data-testid": "csv-preview" });
  const fileInput = h("input", {
    type: "file",
    accept: ".csv,.tsv,.jsonl,.ndjson",
    "data-testid": "upload",
    onchange: async () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      upload = { file: f.name, text: await f.text() };
      if (!name.value) name.value = f.name.replace(/\.[^.]+$/, "");
      try {
        const {
          columns,
          rows,
          preview: cells,
        } = await api.post<{
          columns: string[];
          rows: number;
          preview: string[][];
        }>("/api/setup/columns", upload);
        for (const sel of [promptCol, goldenCol, imageCol])
          replace(
            sel,
            h("option", { value: "" }, "(detect)"),
            columns.map((c) => h("option", { value: c }, c)),
          );
        replace(columnsInfo, `${columns.length} columns: ${columns.join(", ")}`);
        columnsInfo.setAttribute("data-testid", "columns");
        replace(
          preview,
          h("p", { class: "muted" }, `${rows} row(s); the first ${cells.length} before importing:`),
          h(
            "table",
            { class: "grid preview" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                columns.map((c) => h("th", {}, c)),
              ),
            ),
            h(
              "tbody",
              {},
              cells.map((r) =>
                h(
                  "tr",
                  { "data-testid": "preview-row" },
                  columns.map((_c, i) => h("td", { title: r[i] ?? "" }, r[i] ?? "")),
                ),
              ),
            ),
          ),
        );
      } catch (err) {
        replace(columnsInfo, h("span", { class: "error" }, String(err)));
      }
    },
  });
  const name = h("input", {
    type: "text",
    required: true,
    "data-testid": "eval-name",
    placeholder: "my evaluation",
    value: loaded?.name ?? "",
  });
  const perTask = h("input", {
    type: "number",
    min: 1,
    step: 1,
    placeholder: "all",
    class: "small",
    "data-testid": "per-task",
  });
  const taskType = h("input", {
    type: "text",
    placeholder: "e.g. Summarization",
    "data-testid": "task-type",
  });
  const criteria = h("input", { type: "text", placeholder: "what the judges check" });
  const temperature = h("input", { type: "number", min: 0, max: 2, step: 0.1, placeholder: "0.7" });
  const metrics = h("input", {
    type: "text",
    placeholder: "brand voice, tone",
    value: loaded?.metrics.join(", ") ?? "",
  });

  const modelRows = info.models.map((m) => {
    // A loaded run's entries of this profile: one per service tier it ran on.
    const runs = loaded?.models.filter((r) => r.key === m.key || r.modelId === m.modelId) ?? [];
    const ranTiers = new Set(runs.map((r) => r.serviceTier ?? "default"));
    const pick = h("input", {
      type: "checkbox",
      value: m.key,
      checked: runs.length > 0,
      "data-testid": `model-${m.key}`,
    });
    const tiers = m.tiers.map((t) =>
      h(
        "label",
        {
          class: t.available ? "tier" : "tier unavailable",
          title: t.available ? "" : (t.reason ?? "unavailable"),
        },
        h("input", {
          type: "checkbox",
          value: t.tier,
          disabled: !t.available,
          checked:
            t.available && (runs.length ? ranTiers.has(t.tier) : t.tier === (m.serviceTier ?? "default")),
        }),
        ` ${t.tier}`,
      ),
    );
    const rpm = h("input", {
      type: "number",
      min: 0,
      step: 1,
      class: "small",
      placeholder: m.targetRpm ? String(m.targetRpm) : "none",
      value: runs[0]?.targetRpm && runs[0].targetRpm !== m.targetRpm ? runs[0].targetRpm : undefined,
    });
    const cost = (which: "in" | "out", value: number) =>
      h("input", {
        type: "number",
        min: 0,
        step: "any",
        class: "cost",
        value,
        "aria-label": `${which === "in" ? "input" : "output"} $ per 1k tokens of ${m.key}`,
        "data-testid": `cost-${which}-${m.key}`,
      });
    const costIn = cost("in", runs[0]?.inputCostPer1k ?? m.inputCostPer1k);
    const costOut = cost("out", runs[0]?.outputCostPer1k ?? m.outputCostPer1k);
    return { m, pick, tiers, rpm, costIn, costOut };
  });
  const judgeRows = info.judges.map((j) => ({
    j,
    pick: h("input", {
      type: "checkbox",
      value: j.key,
      checked: loaded ? loaded.judges.some((x) => x.key === j.key || x.modelId === j.modelId) : true,
      "data-testid": `judge-${j.key}`,
    }),
  }));
  const threshold = h("input", {
    type: "number",
    min: 1,
    max: 5,
    step: 0.5,
    value: loaded?.threshold ?? info.defaults.threshold,
    "data-testid": "threshold",
  });
  const aggregate = h(
    "select",
    {},
    ["mean", "median", "majority"].map((a) =>
      h("option", { value: a, selected: a === (loaded?.aggregate ?? info.defaults.aggregate) }, a),
    ),
  );
  const invocations = h("input", { type: "number", min: 1, step: 1, value: run.invocations, class: "small" });
  const concurrency = h("input", { type: "number", min: 1, step: 1, value: run.concurrency, class: "small" });
  const variations = h("input", {
    type: "number",
    min: 0,
    step: 1,
    value: run.temperatureVariations,
    class: "small",
  });
  const latencyOnly = h("input", {
    type: "checkbox",
    checked: run.latencyOnly,
    "data-testid": "latency-only",
  });
  const optimization = h(
    "select",
    { "data-testid": "prompt-optimization" },
    ["none", "optimize_only", "evaluate_both"].map((m) =>
      h("option", { value: m, selected: m === run.promptOptimization }, m),
    ),
  );
  const stream = h("input", { type: "checkbox", checked: run.stream, "data-testid": "stream" });
  const sleepMs = h("input", {
    type: "number",
    min: 0,
    step: 100,
    value: run.invocationSleepMs,
    class: "small",
    "data-testid": "sleep-ms",
  });
  const experiments = h("input", {
    type: "number",
    min: 1,
    step: 1,
    value: run.experiments,
    class: "small",
    "data-testid": "experiments",
  });
  const experimentWait = h("input", {
    type: "number",
    min: 0,
    step: 100,
    value: run.experimentWaitMs,
    class: "small",
    "data-testid": "experiment-wait-ms",
  });
  const juryNote = h("p", { class: "muted", hidden: !run.latencyOnly }, "Latency-only: no jury is called.");
  const jury = h("fieldset", { disabled: run.latencyOnly });
  latencyOnly.addEventListener("change", () => {
    jury.disabled = latencyOnly.checked;
    juryNote.hidden = !latencyOnly.checked;
  });
  const result = h("div", { "data-testid": "setup-result" });

  const submit = async (start: boolean) => {
    if (!upload) {
      replace(result, h("p", { class: "error" }, "Upload a CSV or JSONL file first."));
      return;
    }
    const body = {
      name: name.value,
      ...upload,
      promptColumn: promptCol.value || undefined,
      goldenColumn: goldenCol.value || undefined,
      imageColumn: imageCol.value || undefined,
      taskType: taskType.value || undefined,
      taskCriteria: criteria.value || undefined,
      temperature: n(temperature),
      metrics: metrics.value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      models: modelRows
        .filter((r) => r.pick.checked)
        .map((r) => ({
          key: r.m.key,
          tiers: r.tiers
            .map((t) => t.querySelector("input") as HTMLInputElement)
            .filter((i) => i.checked)
            .map((i) => i.value),
          targetRpm: n(r.rpm),
          // Only a price edited here replaces the profile's.
          ...(n(r.costIn) !== r.m.inputCostPer1k ? { inputCostPer1k: n(r.costIn) } : {}),
          ...(n(r.costOut) !== r.m.outputCostPer1k ? { outputCostPer1k: n(r.costOut) } : {}),
        })),
      judges: judgeRows.filter((r) => r.pick.checked).map((r) => r.j.key),
      threshold: n(threshold),
      aggregate: aggregate.value,
      invocations: n(invocations),
      concurrency: n(concurrency),
      temperatureVariations: n(variations),
      perTask: n(perTask),
      latencyOnly: latencyOnly.checked,
      promptOptimization: optimization.value,
      stream: stream.checked,
      invocationSleepMs: n(sleepMs),
      experiments: n(experiments),
      experimentWaitMs: n(experimentWait),
      run: start,
    };
    try {
      const saved = await api.post<Saved>("/api/setup/evals", body);
      replace(
        result,
        h(
          "div",
          { class: "ok-box" },
          h(
            "p",
            {},
            `Saved ${saved.scenarios} scenario(s) to `,
            h("code", {}, saved.evalFile),
            " with ",
            h("code", {}, saved.configFile),
            ".",
          ),
          h("p", {}, "From a terminal: ", h("code", {}, `npx evals -c ${saved.configFile}`)),
          saved.warnings.length
            ? h(
                "ul",
                { class: "warning" },
                saved.warnings.map((w) => h("li", {}, w)),
              )
            : null,
          saved.entry
            ? h(
                "p",
                {},
                "Queued. ",
                h("a", { href: "#/monitor", "data-testid": "to-monitor" }, "Follow it in Monitor →"),
              )
            : null,
        ),
      );
    } catch (err) {
      replace(result, h("pre", { class: "error" }, String(err instanceof Error ? err.message : err)));
    }
  };

  append(jury, [
    h("legend", {}, "3. Jury"),
    juryNote,
    h(
      "div",
      { class: "judges" },
      judgeRows.map((r) => h("label", {}, r.pick, ` ${r.j.key}`)),
    ),
    h(
      "div",
      { class: "row" },
      h("label", {}, "Threshold ", threshold),
      h("label", {}, "Aggregate ", aggregate),
    ),
  ]);
  return h(
    "form",
    { class: "setup", onsubmit: (e: Event) => e.preventDefault() },
    h(
      "fieldset",
      {},
      h("legend", {}, "1. Scenarios"),
      loaded
        ? h(
            "p",
            { class: "ok-box", "data-testid": "loaded-from" },
            `Settings loaded from run ${loaded.runId}: upload its scenarios (or others) to run them again.`,
          )
        : null,
      h("label", {}, "CSV or JSONL file ", fileInput),
      columnsInfo,
      preview,
      h(
        "div",
        { class: "row" },
        h("label", {}, "Prompt column ", promptCol),
        h("label", {}, "Golden answer column ", goldenCol),
        h("label", {}, "Vision (image) column ", imageCol),
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "Name ", name),
        h("label", {}, "Task type ", taskType),
        h("label", {}, "Task criteria ", criteria),
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "Temperature ", temperature),
        h("label", {}, "User metrics ", metrics),
        h(
          "label",
          { title: "Keep the first n rows of each task type (evals import --per-task)" },
          "Task evaluations per CSV ",
          perTask,
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "2. Models"),
      info.unprobed.length
        ? h(
            "p",
            { class: "muted", "data-testid": "probe-notice" },
            `Not in the capability cache (.cache/model_capabilities.json): ${info.unprobed.join(", ")} — every tier is offered. Run \`evals probe\` to check them.`,
          )
        : null,
      h(
        "table",
        { class: "grid" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["", "Model", "Region", "Service tiers", "Target RPM", "$ in / 1k", "$ out / 1k"].map((x) =>
              h("th", {}, x),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          modelRows.map((r) =>
            h(
              "tr",
              {},
              h("td", {}, r.pick),
              h("td", {}, r.m.key),
              h("td", {}, r.m.region ?? ""),
              h("td", {}, r.tiers.length ? r.tiers : h("span", { class: "muted" }, "–")),
              h("td", {}, r.rpm),
              h("td", {}, r.costIn),
              h("td", {}, r.costOut),
            ),
          ),
        ),
      ),
    ),
    jury,
    h(
      "fieldset",
      {},
      h("legend", {}, "4. Run"),
      h(
        "div",
        { class: "row" },
        h("label", { title: "--latency-only" }, latencyOnly, " Latency only (no jury)"),
        h("label", { title: "--no-stream calls without streaming" }, stream, " Streaming"),
        h("label", { title: "--prompt-optimization" }, "Prompt optimization ", optimization),
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "Invocations ", invocations),
        h("label", { title: "--invocation-sleep-ms" }, "Sleep between invocations (ms) ", sleepMs),
        h("label", { title: "--experiments" }, "Experiments ", experiments),
        h("label", { title: "--experiment-wait-ms" }, "Wait between experiments (ms) ", experimentWait),
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "Concurrency ", concurrency),
        h("label", {}, "Temperature variations ", variations),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: () => void submit(false), "data-testid": "save" }, "Save"),
      h(
        "button",
        { type: "button", class: "primary", onclick: () => void submit(true), "data-testid": "save-run" },
        "Save and run",
      ),
      h("button", { type: "button", onclick: reset, "data-testid": "reset" }, "Reset"),
    ),
    result,
  );
}
