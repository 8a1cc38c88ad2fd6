// jury/vitest in a real Vitest run: a child `vitest` process (the process under test) on a temp project with jury
// (its dist/) and the Vitest under test installed in its node_modules.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters as strip } from "node:util";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/server.ts";
import type { JuryMetaEntry } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { installedModules, runsHere, VITESTS, type VitestUnderTest } from "../support/vitest-project.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const line = (o: object) => JSON.stringify(o);
const GOLDEN = "Yes, you can get a refund within 30 days of purchase with the receipt.";
const PROMPT = "Can I get a refund?";

interface VitestJson {
  testResults: {
    assertionResults: {
      title: string;
      status: string;
      failureMessages: string[];
      meta: { jury?: JuryMetaEntry[] };
    }[];
  }[];
}

const [VITEST_4, VITEST_5] = VITESTS as [VitestUnderTest, VitestUnderTest];

/**
 * A Vitest project using jury/vitest: its config, profiles and test files; jury and `vitest` are installed in its
 * node_modules as a user's `npm install` puts them.
 */
function vitestProject(files: Record<string, string>, vitest = VITEST_4): string {
  return createFixtureProject(
    {
      "package.json": line({ type: "module" }),
      "judges.jsonl": [line({ model_id: "mock/judge-a" }), line({ model_id: "mock/judge-b" })].join("\n"),
      "models.jsonl": line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 5, tokens_per_s: 0 } }),
      "evals.config.yaml": "models: models.jsonl\njudges: judges.jsonl\n",
      ...files,
    },
    installedModules(vitest),
  );
}

/** Runs `vitest run` in `root` as a user's shell would (no Vitest of ours in its env); its JSON report. */
async function runVitest(
  root: string,
  env: Record<string, string> = {},
): Promise<{ code: number; json: VitestJson; stdout: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(VITEST|TEST$|NODE_OPTIONS$)/.test(k)),
  );
  const code = await new Promise<number>((done) => {
    execFile(
      process.execPath,
      [
        join(root, "node_modules", "vitest", "vitest.mjs"),
        "run",
        "--reporter=json",
        "--outputFile=vitest.json",
      ],
      { cwd: root, env: { ...clean, NO_COLOR: "1", CI: "true", ...env } },
      (err) => done(err ? ((err as { code?: number }).code ?? 1) : 0),
    );
  });
  const json = JSON.parse(readFileSync(join(root, "vitest.json"), "utf8")) as VitestJson;
  return { code, json, stdout: "" };
}

const tests = (json: VitestJson) =>
  Object.fromEntries(json.testResults.flatMap((f) => f.assertionResults).map((t) => [t.title, t]));

describe("jury/vitest in a Vitest run", () => {
  it("passes and fails answers on the project's jury, with the judges' scores and reasons, and records each call", async () => {
    const root = vitestProject({
      "tests/refund.test.ts": `import "jury/vitest";
import { describe, expect, test } from "vitest";
const golden = ${JSON.stringify(GOLDEN)};
const prompt = ${JSON.stringify(PROMPT)};
describe("refunds", () => {
  test("a good answer", async () => {
    await expect(golden).toPassJury({ prompt, golden, taskType: "Support", criteria: "Accurate" });
    await expect(golden).toScoreAtLeast(5, { dimension: "correctness", prompt, golden });
  });
  test("a bad answer", async () => {
    await expect("Bananas are yellow. ${"x".repeat(10)}").toPassJury({ prompt, golden });
  });
  test("a bad answer, negated", async () => {
    await expect("Bananas are yellow.").not.toPassJury({ prompt, golden });
  });
  test.concurrent("concurrent one", async ({ expect }) => {
    await expect(golden).toPassJury({ prompt, golden });
  });
  test.concurrent("concurrent two", async ({ expect }) => {
    await expect("Bananas are yellow.").not.toPassJury({ prompt, golden });
  });
  let attempt = 0;
  test("retried", { retry: 1 }, async () => {
    attempt++;
    await expect(attempt === 1 ? "Bananas are yellow." : golden).toPassJury({ prompt, golden });
  });
  test("a JSON answer", async () => {
    await expect({ colour: "yellow" }).toScoreAtLeast(2, { dimension: "Correctness", prompt, golden });
  });
});
`,
    });
    const { code, json } = await runVitest(root);
    expect(code).toBe(1);
    const t = tests(json);
    expect(t["a good answer"]?.status).toBe("passed");
    expect(t["a bad answer, negated"]?.status).toBe("passed");
    expect(t["a bad answer"]?.status).toBe("failed");
    expect(t["a JSON answer"]?.status).toBe("failed");

    const failure = strip(t["a bad answer"]?.failureMessages[0] ?? "");
    expect(failure).toContain("expected the answer to pass the jury: Correctness 1 < 3; Completeness 1 < 3;");
    expect(failure).toContain(
      "Correctness 1 < 3\n  mock/judge-a 1: Simulated judge: 0% word overlap with the reference answer.\n  mock/judge-b 1: Simulated judge: 0% word overlap with the reference answer.",
    );
    expect(failure).toContain("Jury: mean ≥ 3, 2 of 2 judges scored (quorum 1), prompt ");
    expect(strip(t["a JSON answer"]?.failureMessages[0] ?? "")).toMatch(
      /^Error: expected Correctness to score at least 2: Correctness 1 < 2\n\nCorrectness 1 < 2\n {2}mock\/judge-a 1: /,
    );

    const good = t["a good answer"]?.meta.jury ?? [];
    expect(
      good.map((e) => [
        e.record.file,
        e.record.evalName,
        e.record.scenarioKey,
        e.record.model,
        e.result.state,
      ]),
    ).toEqual([
      ["tests/refund.test.ts", "refunds", "a good answer", "vitest", "passed"],
      ["tests/refund.test.ts", "refunds", "a good answer #2", "vitest", "passed"],
    ]);
    expect(good[0]?.record).toMatchObject({
      taskType: "Support",
      invocation: 1,
      experiment: 1,
      variant: "original",
    });
    expect(good[0]?.scenario).toEqual({ prompt: PROMPT, golden: GOLDEN, criteria: "Accurate" });
    expect(good[0]?.result.jury?.verdicts.map((v) => v.judge)).toEqual(["mock/judge-a", "mock/judge-b"]);
    expect(good[0]?.result.output).toBe(GOLDEN);
    expect(t["a JSON answer"]?.meta.jury?.[0]?.result.output).toBe('{"colour":"yellow"}');
    expect(t["a bad answer, negated"]?.meta.jury?.[0]?.result.state).toBe("failed");
    // Concurrent tests (with their context's expect) each record their own call.
    for (const [name, state] of [
      ["concurrent one", "passed"],
      ["concurrent two", "failed"],
    ] as const)
      expect(t[name]?.meta.jury?.map((e) => [e.record.scenarioKey, e.result.state])).toEqual([[name, state]]);
    // A retried test's calls are counted again from 1: the retry's case is the same case.
    const retried = t.retried?.meta.jury ?? [];
    expect(t.retried?.status).toBe("passed");
    expect(retried.map((e) => [e.record.scenarioKey, e.result.state])).toEqual([
      ["retried", "failed"],
      ["retried", "passed"],
    ]);
    expect(retried[1]?.record.id).toBe(retried[0]?.record.id);

    // The same calls keep their ids in the next run.
    const again = tests((await runVitest(root)).json);
    expect(again["a good answer"]?.meta.jury?.map((e) => e.record.id)).toEqual(good.map((e) => e.record.id));
    expect(new Set(good.map((e) => e.record.id)).size).toBe(2);
  });

  it("uses the project's threshold; a call's own threshold wins", async () => {
    const half = "Yes, a refund within 30 days.";
    const test = `import "jury/vitest";
import { expect, test } from "vitest";
test("half right", async () => {
  await expect(${JSON.stringify(half)}).toPassJury({ prompt: ${JSON.stringify(PROMPT)}, golden: ${JSON.stringify(GOLDEN)} });
});
test("half right, own threshold", async () => {
  await expect(${JSON.stringify(half)}).toPassJury({ prompt: ${JSON.stringify(PROMPT)}, golden: ${JSON.stringify(GOLDEN)}, threshold: 1 });
});
`;
    const lenient = tests(
      (
        await runVitest(
          vitestProject({
            "tests/t.test.ts": test,
            "evals.config.yaml": "models: models.jsonl\njudges: judges.jsonl\njury:\n  threshold: 1\n",
          }),
        )
      ).json,
    );
    const strict = tests(
      (
        await runVitest(
          vitestProject({
            "tests/t.test.ts": test,
            "evals.config.yaml": "models: models.jsonl\njudges: judges.jsonl\njury:\n  threshold: 5\n",
          }),
        )
      ).json,
    );
    expect(lenient["half right"]?.status).toBe("passed");
    expect(strict["half right"]?.status).toBe("failed");
    expect(strict["half right"]?.meta.jury?.[0]?.result.jury?.threshold).toBe(5);
    expect(strict["half right, own threshold"]?.status).toBe("passed");
  });

  it("fails a call whose jury has no quorum with the error, not a verdict", async () => {
    const root = vitestProject({
      "judges.jsonl": [
        line({ model_id: "mock/judge-a", mock: { error_rate: 1 } }),
        line({ model_id: "mock/judge-b", mock: { error_rate: 1 } }),
      ].join("\n"),
      "tests/t.test.ts": `import "jury/vitest";
import { expect, test } from "vitest";
test("no quorum", async () => {
  await expect("anything").not.toPassJury({ prompt: "p", golden: "g" });
});
`,
    });
    const t = tests((await runVitest(root)).json)["no quorum"];
    expect(t?.status).toBe("failed");
    expect(strip(t?.failureMessages[0] ?? "")).toMatch(
      /^JuryError: the jury could not judge the answer \(judge_failure\): jury without quorum: 0 of 2 judges scored, 1 needed; mock\/judge-a: provider_error/,
    );
    expect(t?.meta.jury?.[0]?.result.state).toBe("errored");
  });

  it("a matcher or generate call used wrongly fails its test with what to fix", async () => {
    const root = vitestProject({
      "tests/t.test.ts": `import { generate } from "jury/vitest";
import { expect, test } from "vitest";
test("no prompt", async () => {
  // @ts-expect-error
  await expect("a").toPassJury({ golden: "g" });
});
test("no answer", async () => {
  await expect(undefined).toPassJury({ prompt: "p" });
});
test("bad score", async () => {
  await expect("a").toScoreAtLeast(7, { dimension: "correctness", prompt: "p" });
});
test("unknown model", async () => {
  await generate({ model: "mock/nope", prompt: "p" });
});
`,
    });
    const t = tests((await runVitest(root)).json);
    const first = (name: string) => strip(t[name]?.failureMessages[0] ?? "").split("\n")[0];
    expect(first("no prompt")).toBe(
      "TypeError: expect(answer).toPassJury(options): options.prompt is required: the prompt the answer answers",
    );
    expect(first("no answer")).toBe(
      "TypeError: expect(answer).toPassJury(): the answer is undefined (no answer: is a `return` missing?); return the answer as a string, or as a JSON value (an object, an array, a number, a boolean, null)",
    );
    expect(first("bad score")).toBe(
      "TypeError: toScoreAtLeast(score, options): score must be a number from 1 to 5 (got 7)",
    );
    expect(first("unknown model")).toBe(
      `Error: generate: unknown model "mock/nope"; add it to the model profiles (${join(root, "models.jsonl")}) or use one of: mock/good`,
    );
  });

  it("generate measures the model call and the next matcher call records it; JURY_CACHE=replay calls no model", async () => {
    const sim = await startSimulator({ ttftMs: 5, tokensPerS: 0 });
    try {
      const root = vitestProject({
        "models.jsonl": line({
          model_id: "openai/gpt-4o-mini",
          base_url: `${sim.url}/v1`,
          input_token_cost: 0.001,
          output_token_cost: 0.002,
        }),
        "judges.jsonl": line({
          model_id: "openai/gpt-4o",
          base_url: `${sim.url}/v1`,
          input_cost_per_1k: 0.0025,
          output_cost_per_1k: 0.01,
        }),
        "tests/t.test.ts": `import { generate } from "jury/vitest";
import { expect, test } from "vitest";
test("generated", async () => {
  const answer = await generate({ model: "openai/gpt-4o-mini", prompt: "What is 2 + 2?" });
  await expect(answer).toScoreAtLeast(1, { dimension: "relevance", prompt: "What is 2 + 2?" });
});
`,
      });
      const env = { OPENAI_API_KEY: "sk-simulated-vitest-000" };
      const first = await runVitest(root, { ...env, JURY_CACHE: "on" });
      const entry = tests(first.json).generated?.meta.jury?.[0];
      expect(tests(first.json).generated?.status).toBe("passed");
      expect(entry?.record.model).toBe("openai/gpt-4o-mini");
      const m = entry?.result.metrics;
      expect(m?.ttftMs).toBeGreaterThan(0);
      expect(m?.ttlbMs).toBeGreaterThan(0);
      expect(m?.inputTokens).toBeGreaterThan(0);
      expect(m?.outputTokens).toBeGreaterThan(0);
      expect(m?.responseCost).toBeGreaterThan(0);
      expect(m?.judgeCost).toBeGreaterThan(0);
      expect(m?.attempts).toBe(1);
      const calls = Object.values(sim.stats.requests).reduce((a, b) => a + b, 0);
      expect(calls).toBe(2);

      const replay = await runVitest(root, { ...env, JURY_CACHE: "replay" });
      expect(tests(replay.json).generated?.status).toBe("passed");
      expect(Object.values(sim.stats.requests).reduce((a, b) => a + b, 0)).toBe(calls);
      expect(tests(replay.json).generated?.meta.jury?.[0]?.result.metrics?.cacheHits).toBe(2);
    } finally {
      await sim.close();
    }
  });

  it.runIf(runsHere(VITEST_5))("works the same under Vitest 5", async () => {
    const root = vitestProject(
      {
        "tests/t.test.ts": `import "jury/vitest";
import { expect, test } from "vitest";
const golden = ${JSON.stringify(GOLDEN)};
test("good", async () => {
  await expect(golden).toPassJury({ prompt: "p", golden });
});
test("bad", async () => {
  await expect("Bananas are yellow.").toScoreAtLeast(3, { dimension: "correctness", prompt: "p", golden });
});
`,
      },
      VITEST_5,
    );
    const t = tests((await runVitest(root)).json);
    expect(t.good?.status).toBe("passed");
    expect(t.good?.meta.jury?.[0]?.record.scenarioKey).toBe("good");
    expect(t.bad?.status).toBe("failed");
    expect(strip(t.bad?.failureMessages[0] ?? "")).toContain(
      "expected Correctness to score at least 3: Correctness 1 < 3\n\nCorrectness 1 < 3\n  mock/judge-a 1: ",
    );
  });

  // Vitest 5 is installed apart (test/vitest5, by .ci/run).
  it.each(
    [VITEST_4, VITEST_5].filter((vitest) => existsSync(vitest.dir)).map((v) => [v.version, v] as const),
  )("types the matchers on Vitest %s's expect", async (_version, vitest) => {
    const root = vitestProject(
      {
        "tests/types.test.ts": `import "jury/vitest";
import { expect, test } from "vitest";
test("types", async () => {
  await expect("a").toPassJury({ prompt: "p", golden: "g", criteria: "c", taskType: "QA", threshold: 4, metrics: ["tone"] });
  await expect({ a: 1 }).not.toScoreAtLeast(4, { dimension: "correctness", prompt: "p" });
  // @ts-expect-error prompt is required
  await expect("a").toPassJury({ golden: "g" });
  // @ts-expect-error dimension is required
  await expect("a").toScoreAtLeast(4, { prompt: "p" });
  // @ts-expect-error the score is a number
  await expect("a").toScoreAtLeast("4", { dimension: "correctness", prompt: "p" });
});
export const checked: number = "the one error: proof that this file was checked";
`,
        "tsconfig.json": line({
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2023"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            types: ["node"],
            typeRoots: [join(REPO, "node_modules", "@types")],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
          },
          include: ["tests"],
        }),
      },
      vitest,
    );
    const out = await new Promise<string>((done) =>
      execFile(
        process.execPath,
        [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", root],
        { cwd: root },
        (_err, stdout) => done(stdout),
      ),
    );
    // The built package's types (dist/, built by this project's global setup), as an installed jury has them.
    expect(out.split("\n").filter((l) => l.startsWith("tests/"))).toEqual([
      "tests/types.test.ts(13,14): error TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  });
});
