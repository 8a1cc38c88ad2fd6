// Setup: an evaluation from an uploaded CSV/JSONL — columns, task, models (tiers, RPM), judges, jury — saved as
// an eval file + config, run now or later.
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";

interface SetupInfo {
  models: {
    key: string;
    modelId: string;
    provider: string;
    region: string | null;
    serviceTier: string | null;
    targetRpm: number | null;
    tiers: { tier: string; available: boolean; reason?: string }[];
  }[];
  judges: { key: string; modelId: string }[];
  defaults: { threshold: number; aggregate: string };
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

export function setupView(root: HTMLElement): undefined {
  const body = h("div", { class: "loading" }, "Loading profiles…");
  replace(root, h("h1", {}, "Setup"), body);
  api
    .get<SetupInfo>("/api/setup")
    .then((info) => replace(body, form(info)))
    .catch((err: unknown) => replace(body, h("p", { class: "error" }, String(err))));
  return undefined;
}

function form(info: SetupInfo): HTMLElement {
  let upload: { file: string; text: string } | undefined;
  const columnSelect = (testid: string) =>
    h("select", { "data-testid": testid }, h("option", { value: "" }, "(detect)"));
  const promptCol = columnSelect("col-prompt");
  const goldenCol = columnSelect("col-golden");
  const imageCol = columnSelect("col-image");
  const columnsInfo = h("span", { class: "muted" });
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
        const { columns } = await api.post<{ columns: string[] }>("/api/setup/columns", upload);
        for (const sel of [promptCol, goldenCol, imageCol])
          replace(
            sel,
            h("option", { value: "" }, "(detect)"),
            columns.map((c) => h("option", { value: c }, c)),
          );
        replace(columnsInfo, `${columns.length} columns: ${columns.join(", ")}`);
        columnsInfo.setAttribute("data-testid", "columns");
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
  });
  const taskType = h("input", {
    type: "text",
    placeholder: "e.g. Summarization",
    "data-testid": "task-type",
  });
  const criteria = h("input", { type: "text", placeholder: "what the judges check" });
  const temperature = h("input", { type: "number", min: 0, max: 2, step: 0.1, placeholder: "0.7" });
  const metrics = h("input", { type: "text", placeholder: "brand voice, tone" });

  const modelRows = info.models.map((m) => {
    const pick = h("input", { type: "checkbox", value: m.key, "data-testid": `model-${m.key}` });
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
          checked: t.available && t.tier === (m.serviceTier ?? "default"),
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
    });
    return { m, pick, tiers, rpm };
  });
  const judgeRows = info.judges.map((j) => ({
    j,
    pick: h("input", { type: "checkbox", value: j.key, checked: true, "data-testid": `judge-${j.key}` }),
  }));
  const threshold = h("input", {
    type: "number",
    min: 1,
    max: 5,
    step: 0.5,
    value: info.defaults.threshold,
    "data-testid": "threshold",
  });
  const aggregate = h(
    "select",
    {},
    ["mean", "median", "majority"].map((a) =>
      h("option", { value: a, selected: a === info.defaults.aggregate }, a),
    ),
  );
  const invocations = h("input", { type: "number", min: 1, step: 1, value: 1 });
  const concurrency = h("input", { type: "number", min: 1, step: 1, placeholder: "8" });
  const variations = h("input", { type: "number", min: 0, step: 1, value: 0 });
  const result = h("div", { "data-testid": "setup-result" });

  const submit = async (run: boolean) => {
    if (!upload) {
      replace(result, h("p", { class: "error" }, "Upload a CSV or JSONL file first."));
      return;
    }
    const n = (el: HTMLInputElement) => (el.value.trim() === "" ? undefined : Number(el.value));
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
        })),
      judges: judgeRows.filter((r) => r.pick.checked).map((r) => r.j.key),
      threshold: n(threshold),
      aggregate: aggregate.value,
      invocations: n(invocations),
      concurrency: n(concurrency),
      temperatureVariations: n(variations),
      run,
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

  return h(
    "form",
    { class: "setup", onsubmit: (e: Event) => e.preventDefault() },
    h(
      "fieldset",
      {},
      h("legend", {}, "1. Scenarios"),
      h("label", {}, "CSV or JSONL file ", fileInput),
      columnsInfo,
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
            ["", "Model", "Region", "Service tiers", "Target RPM"].map((x) => h("th", {}, x)),
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
            ),
          ),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "3. Jury"),
      h(
        "div",
        { class: "judges" },
        judgeRows.map((r) => h("label", {}, r.pick, ` ${r.j.key}`)),
      ),
      h("div", { class: "row" }, h("label", {}, "Threshold ", threshold)),
      h(
        "details",
        {},
        h("summary", {}, "Advanced"),
        h(
          "div",
          { class: "row" },
          h("label", {}, "Aggregate ", aggregate),
          h("label", {}, "Invocations ", invocations),
          h("label", {}, "Concurrency ", concurrency),
          h("label", {}, "Temperature variations ", variations),
        ),
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
    ),
    result,
  );
}
