import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalJsonl, parseEvalJsonl } from "../../../src/discovery/jsonl.ts";
import { formatProblem } from "../../../src/errors.ts";
import { tempDir } from "../../support/temp-dir.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures");
const load = (dir: string, name: string) => loadEvalJsonl(join(FIXTURES, dir, name), `${dir}/${name}`);
const problems = async (name: string) => (await load("bad/evals", name)).problems.map(formatProblem);

describe("parseEvalJsonl on the seed's files", () => {
  it("loads all 58 scenarios of sample-benchmark-prompts-newformat-v2 with no problem or warning", async () => {
    const r = await load("evals/seed", "sample-benchmark-prompts-newformat-v2.jsonl");
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.eval.scenarios).toHaveLength(58);
    expect(r.eval.scenarios[0]).toMatchObject({
      key: "L1",
      taskType: "Function Calling",
      maxTokens: 250,
      line: 1,
      golden: "{'x1': 3, 'y1': 4, 'x2': 6, 'y2': 8}",
    });
    expect(r.eval.scenarios[57]?.key).toBe("L58");
  });

  it.each([
    ["sample-benchmark-prompts-v3.jsonl", 300, 56],
    ["sample-benchmark-prompts-micro.jsonl", 37, 16],
  ])(
    "loads the older format of %s with one warning and merges repeated scenarios",
    async (name, lines, unique) => {
      const r = await load("evals/seed", name);
      expect(r.problems).toEqual([]);
      expect(r.warnings.map(formatProblem)).toEqual([
        `evals/seed/${name}:1: older 360-eval format: model fields (model_id, region, inference_profile, *_token_cost) on ${lines} line(s) are ignored — models come from the model profiles; ${lines - unique} repeated scenario(s) were merged`,
      ]);
      expect(r.eval.scenarios).toHaveLength(unique);
      expect(
        new Set(r.eval.scenarios.map((s) => JSON.stringify([s.prompt, s.golden, s.taskType, s.criteria])))
          .size,
      ).toBe(r.eval.scenarios.length);
    },
  );
});

describe("parseEvalJsonl", () => {
  it("maps the seed's snake_case fields and the optional ones", () => {
    const line = JSON.stringify({
      id: 7,
      text_prompt: "p",
      expected_output_tokens: 100,
      task: { task_type: "Summarization", task_criteria: "c" },
      golden_answer: "g",
      url_image: "img.png",
      user_defined_metrics: "brand voice, Tone, tone",
      system: "s",
      temperature: 0.3,
      tags: ["x"],
    });
    const r = parseEvalJsonl(
      `{"$eval": {"name": "My eval", "threshold": 3.5, "invocations": 2, "metrics": "clarity", "models": ["mock/a"]}}\n${line}\n`,
      "/abs/a.eval.jsonl",
      "a.eval.jsonl",
    );
    expect(r.problems).toEqual([]);
    expect(r.eval).toMatchObject({
      name: "My eval",
      threshold: 3.5,
      invocations: 2,
      metrics: ["clarity"],
      models: ["mock/a"],
      line: 1,
    });
    expect(r.eval.scenarios).toEqual([
      {
        key: "7",
        prompt: "p",
        taskType: "Summarization",
        criteria: "c",
        metrics: ["brand voice", "Tone"],
        line: 2,
        golden: "g",
        image: "img.png",
        system: "s",
        maxTokens: 100,
        temperature: 0.3,
        tags: ["x"],
      },
    ]);
  });

  it("names the eval after the file by default and warns once per unknown field", () => {
    const row = (extra: object) =>
      JSON.stringify({ text_prompt: "p", task: { task_type: "T", task_criteria: "c" }, ...extra });
    const r = parseEvalJsonl(
      [row({ colour: 1 }), row({ colour: 2 })].join("\n"),
      "/x/evals/sql.eval.jsonl",
      "evals/sql.eval.jsonl",
    );
    expect(r.eval.name).toBe("sql");
    expect(r.warnings.map(formatProblem)).toEqual([
      "evals/sql.eval.jsonl:1: colour: unknown field, ignored (check its spelling against the scenario schema)",
    ]);
  });

  it("warns once per file when task.task_criteria is missing, and uses an empty criteria", () => {
    const row = (task: object) => JSON.stringify({ text_prompt: "p", task });
    const text = [
      row({ task_type: "T", task_criteria: "c" }),
      row({ task_type: "T" }),
      row({ task_type: "T", task_criteria: null }),
    ];
    const r = parseEvalJsonl(text.join("\n"), "/a.eval.jsonl", "a.eval.jsonl");
    expect(r.problems).toEqual([]);
    expect(r.eval.scenarios.map((s) => s.criteria)).toEqual(["c", "", ""]);
    expect(r.warnings.map(formatProblem)).toEqual([
      "a.eval.jsonl:2: task.task_criteria: missing on 2 lines (first here); the judges get no task-specific criteria",
    ]);
    const one = parseEvalJsonl(row({ task_type: "T" }), "/a.eval.jsonl", "a.eval.jsonl");
    expect(one.warnings.map(formatProblem)).toEqual([
      "a.eval.jsonl:1: task.task_criteria: missing; the judges get no task-specific criteria",
    ]);
  });

  it("warns about unknown $eval options and fields next to $eval", () => {
    const r = parseEvalJsonl(
      [
        '{"$eval": {"name": "x", "treshold": 4}, "text_prompt": "p"}',
        '{"text_prompt": "p", "task": {"task_type": "T", "task_criteria": "c"}}',
      ].join("\n"),
      "/a.eval.jsonl",
      "a.eval.jsonl",
    );
    expect(r.problems).toEqual([]);
    expect(r.eval.name).toBe("x");
    expect(r.warnings.map(formatProblem)).toEqual([
      "a.eval.jsonl:1: fields next to $eval are ignored (text_prompt); put scenarios on their own lines",
      "a.eval.jsonl:1: $eval.treshold: unknown option, ignored (known: name, models, judges, threshold, invocations, metrics)",
    ]);
  });

  it("reports a header with no scenarios on the header's line", () => {
    const r = parseEvalJsonl('{"$eval": {"name": "x"}}\n\n', "/a.eval.jsonl", "a.eval.jsonl");
    expect(r.problems.map(formatProblem)).toEqual([
      "a.eval.jsonl:1: no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
    ]);
  });

  it("tolerates a BOM and CRLF line endings", async () => {
    const r = await load("evals", "bom-crlf.eval.jsonl");
    expect(r.problems).toEqual([]);
    expect(r.eval.scenarios.map((s) => s.prompt)).toEqual(["a", "b"]);
  });
});

describe("malformed eval files (fixtures/bad/evals): every problem, one line each, with file:line and field", () => {
  it.each([
    [
      "invalid-json.eval.jsonl",
      [
        "bad/evals/invalid-json.eval.jsonl:2: invalid JSON: Expected ',' or '}' after property value at column 48",
      ],
    ],
    [
      "missing-prompt.eval.jsonl",
      ["bad/evals/missing-prompt.eval.jsonl:1: text_prompt: required: the prompt sent to the model"],
    ],
    [
      "missing-task.eval.jsonl",
      [
        'bad/evals/missing-task.eval.jsonl:1: task: required: an object like {"task_type": "Summarization", "task_criteria": "..."}',
      ],
    ],
    [
      "missing-task-type.eval.jsonl",
      [
        'bad/evals/missing-task-type.eval.jsonl:1: task.task_type: required: the kind of task, e.g. "Summarization" or "Text-to-SQL"',
      ],
    ],
    [
      "tokens-not-number.eval.jsonl",
      [
        'bad/evals/tokens-not-number.eval.jsonl:1: expected_output_tokens: must be a positive integer (got "abc")',
      ],
    ],
    [
      "temperature-string.eval.jsonl",
      ['bad/evals/temperature-string.eval.jsonl:1: temperature: must be a number from 0 to 2 (got "hot")'],
    ],
    [
      "task-string.eval.jsonl",
      [
        'bad/evals/task-string.eval.jsonl:1: task: must be an object with task_type and task_criteria (got "Summarization")',
      ],
    ],
    [
      "header-threshold.eval.jsonl",
      ["bad/evals/header-threshold.eval.jsonl:1: $eval.threshold: must be a number from 1 to 5 (got 9)"],
    ],
    [
      "header-not-first.eval.jsonl",
      ["bad/evals/header-not-first.eval.jsonl:2: $eval: the $eval header must be the first line of the file"],
    ],
    [
      "duplicate-id.eval.jsonl",
      [
        'bad/evals/duplicate-id.eval.jsonl:2: id: duplicate id "x" (first used on line 1); ids must be unique in a file',
      ],
    ],
    [
      "empty.eval.jsonl",
      [
        "bad/evals/empty.eval.jsonl: no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
      ],
    ],
    [
      "blank-lines.eval.jsonl",
      [
        "bad/evals/blank-lines.eval.jsonl: no scenarios: add one JSON object per line with at least text_prompt and task.task_type",
      ],
    ],
    [
      "array-line.eval.jsonl",
      ["bad/evals/array-line.eval.jsonl:1: each line must be a JSON object (got an array)"],
    ],
    [
      "many-wrong-types.eval.jsonl",
      [
        'bad/evals/many-wrong-types.eval.jsonl:1: text_prompt: must be a non-empty string (got "")',
        "bad/evals/many-wrong-types.eval.jsonl:1: task.task_type: must be a non-empty string (got 3)",
        "bad/evals/many-wrong-types.eval.jsonl:1: golden_answer: must be a string (got 42)",
        "bad/evals/many-wrong-types.eval.jsonl:1: user_defined_metrics: must be a comma-separated string or an array of strings (got an object)",
        'bad/evals/many-wrong-types.eval.jsonl:1: tags: must be an array of strings (got "x")',
        'bad/evals/many-wrong-types.eval.jsonl:1: skip: must be true or false (got "yes")',
      ],
    ],
    [
      "header-types.eval.jsonl",
      [
        'bad/evals/header-types.eval.jsonl:1: $eval.name: must be a non-empty string (got "")',
        'bad/evals/header-types.eval.jsonl:1: $eval.models: must be an array of profile keys or model ids (got "mock/a")',
        "bad/evals/header-types.eval.jsonl:1: $eval.invocations: must be a positive integer (got 0)",
      ],
    ],
    [
      "bom-error.eval.jsonl",
      [
        "bad/evals/bom-error.eval.jsonl:1: task.task_type: must be a non-empty string (got 7)",
        "bad/evals/bom-error.eval.jsonl:3: text_prompt: required: the prompt sent to the model",
      ],
    ],
    [
      "crlf-error.eval.jsonl",
      [
        "bad/evals/crlf-error.eval.jsonl:3: invalid JSON: Expected double-quoted property name at column 92",
        "bad/evals/crlf-error.eval.jsonl:4: expected_output_tokens: must be a positive integer (got 0)",
      ],
    ],
    [
      "bom-crlf-error.eval.jsonl",
      ["bad/evals/bom-crlf-error.eval.jsonl:1: temperature: must be a number from 0 to 2 (got 3)"],
    ],
    [
      "image-not-found.eval.jsonl",
      [
        "bad/evals/image-not-found.eval.jsonl:1: url_image: file not found: bad/evals/images/missing.png",
        "bad/evals/image-not-found.eval.jsonl:3: url_image: file not found: bad/pictures/gone.jpg",
      ],
    ],
    [
      "image-scheme.eval.jsonl",
      [
        'bad/evals/image-scheme.eval.jsonl:1: url_image: unsupported URL scheme "s3:"; use an http(s) URL or a path relative to the eval file',
      ],
    ],
    ["utf16.eval.jsonl", ["bad/evals/utf16.eval.jsonl: encoded as UTF-16; save it as UTF-8"]],
    [
      "scalar-lines.eval.jsonl",
      [
        "bad/evals/scalar-lines.eval.jsonl:1: each line must be a JSON object (got a number)",
        "bad/evals/scalar-lines.eval.jsonl:2: each line must be a JSON object (got a string)",
        "bad/evals/scalar-lines.eval.jsonl:3: each line must be a JSON object (got null)",
      ],
    ],
    [
      "duplicate-id-number.eval.jsonl",
      [
        'bad/evals/duplicate-id-number.eval.jsonl:2: id: duplicate id "1" (first used on line 1); ids must be unique in a file',
      ],
    ],
  ] as [string, string[]][])("%s", async (name, expected) => {
    expect(await problems(name)).toEqual(expected);
  });

  it("checks local images from the eval file's directory, and leaves http(s) URLs alone", async () => {
    const root = tempDir("jury-jsonl-");
    mkdirSync(join(root, "evals", "img", "folder"), { recursive: true });
    writeFileSync(
      join(root, "evals", "img", "pixel.png"),
      readFileSync(join(FIXTURES, "images", "pixel.png")),
    );
    const row = (image: string) =>
      JSON.stringify({ text_prompt: "p", url_image: image, task: { task_type: "T", task_criteria: "c" } });
    const images = [
      "img/pixel.png",
      "HTTPS://example.com/none.png",
      "img/folder",
      "img/none.png",
      "file:///x.png",
    ];
    writeFileSync(join(root, "evals", "v.eval.jsonl"), images.map(row).join("\n"));
    const r = await loadEvalJsonl(join(root, "evals", "v.eval.jsonl"), "evals/v.eval.jsonl");
    expect(r.problems.map(formatProblem)).toEqual([
      "evals/v.eval.jsonl:3: url_image: not a file: evals/img/folder",
      "evals/v.eval.jsonl:4: url_image: file not found: evals/img/none.png",
      'evals/v.eval.jsonl:5: url_image: unsupported URL scheme "file:"; use an http(s) URL or a path relative to the eval file',
    ]);
    // parseEvalJsonl alone does no I/O: images are checked only through the loader.
    expect(parseEvalJsonl(row("img/none.png"), "/a.eval.jsonl", "a.eval.jsonl").problems).toEqual([]);
  });

  it("loads a scenario line of several MB, and names the column of an error at its end", () => {
    const huge = JSON.stringify({ text_prompt: "x".repeat(5_000_000), task: { task_type: "T" } });
    const ok = parseEvalJsonl(huge, "/a.eval.jsonl", "a.eval.jsonl");
    expect(ok.problems).toEqual([]);
    expect(ok.eval.scenarios[0]?.prompt).toHaveLength(5_000_000);
    const bad = parseEvalJsonl(`${huge.slice(0, -1)} "x": 1}`, "/a.eval.jsonl", "a.eval.jsonl");
    expect(bad.problems.map(formatProblem)).toEqual([
      `a.eval.jsonl:1: invalid JSON: Expected ',' or '}' after property value at column ${huge.length + 1}`,
    ]);
  });

  it("checks every line, not just the first bad one", () => {
    const text = [
      "{bad",
      '{"text_prompt": "a"}',
      '{"text_prompt": "b", "task": {"task_type": "T"}}',
      "{also bad",
    ].join("\n");
    const got = parseEvalJsonl(text, "/a", "a.eval.jsonl").problems.map((p) => `${p.line}:${p.path ?? ""}`);
    expect(got).toEqual(["1:", "2:task", "4:"]);
  });
});

describe("the examples", () => {
  it("every evals/*.eval.jsonl of this repo loads cleanly", async () => {
    for (const name of ["data-extraction", "summarization", "text-to-sql"]) {
      const file = join(FIXTURES, "..", "evals", `${name}.eval.jsonl`);
      const r = parseEvalJsonl(readFileSync(file, "utf8"), file, `evals/${name}.eval.jsonl`);
      expect([name, r.problems, r.warnings]).toEqual([name, [], []]);
    }
  });
});
