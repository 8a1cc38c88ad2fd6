import { describe, expect, it } from "vitest";
import { parseProfiles } from "../../../src/config/profiles.ts";
import { parseEvalJsonl } from "../../../src/discovery/jsonl.ts";
import { createScaffold, planScaffold } from "../../../src/init/scaffold.ts";

describe("createScaffold", () => {
  const files = createScaffold();
  const content = (path: string) => files.find((f) => f.path === path)?.content ?? "";

  it("writes a config, two profile files and a first eval", () => {
    expect(files.map((f) => f.path)).toEqual([
      "evals.config.ts",
      "config/models_profiles.jsonl",
      "config/judge_profiles.jsonl",
      "evals/first.eval.jsonl",
    ]);
    expect(content("evals.config.ts")).toContain('import { defineConfig } from "jury";');
    expect(content("evals.config.ts")).toContain('models: "config/models_profiles.jsonl",');
  });

  it("writes evals.config.yaml instead, importing nothing, for a project without jury installed", () => {
    const yaml = createScaffold("yaml", "npx jury");
    expect(yaml.map((f) => f.path)).toEqual([
      "evals.config.yaml",
      "config/models_profiles.jsonl",
      "config/judge_profiles.jsonl",
      "evals/first.eval.jsonl",
    ]);
    const config = yaml[0]?.content ?? "";
    expect(config).toContain("models: config/models_profiles.jsonl\n");
    expect(config).toContain("`npx jury` runs offline");
    expect(config).not.toContain("import");
  });

  it("has mock/ profiles that load without problems or warnings", () => {
    for (const path of ["config/models_profiles.jsonl", "config/judge_profiles.jsonl"]) {
      const loaded = parseProfiles(content(path), path, "jsonl");
      expect(loaded.problems).toEqual([]);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.profiles.every((p) => p.modelId.startsWith("mock/"))).toBe(true);
    }
  });

  it("has a first eval of 3 scenarios that loads without problems or warnings", () => {
    const loaded = parseEvalJsonl(
      content("evals/first.eval.jsonl"),
      "/p/evals/first.eval.jsonl",
      "evals/first.eval.jsonl",
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.eval.scenarios.map((s) => [s.key, s.taskType])).toEqual([
      ["edge-computing", "Summarization"],
      ["capital-uruguay", "Question Answering"],
      ["top-customers-sql", "Text-to-SQL"],
    ]);
  });
});

describe("planScaffold", () => {
  const files = [
    { path: "a", content: "A" },
    { path: "b", content: "B" },
  ];
  it("keeps existing files unless forced", () => {
    expect(planScaffold(files, (p) => p === "a", false)).toEqual({
      write: [{ path: "b", content: "B" }],
      skip: [{ path: "a", content: "A" }],
    });
    expect(planScaffold(files, () => true, true)).toEqual({ write: files, skip: [] });
  });
});
