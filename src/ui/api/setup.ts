// Setup: the project's profiles (with service tiers from the capability cache), table columns, and saving an
// evaluation made from an uploaded CSV/JSONL as an eval file + config that `evals -c` runs as well.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Hono } from "hono";
import { stringify } from "yaml";
import { priceFields } from "../../config/price-unit.ts";
import { resolveConfig } from "../../config/resolve.ts";
import { formatProblem } from "../../errors.ts";
import { importTable, readTableColumns } from "../../import/import-table.ts";
import type { ImportOptions, ModelProfile, ServiceTier } from "../../types.ts";
import { apiError, type UiContext } from "./context.ts";

const TIERS: ServiceTier[] = ["default", "priority", "flex"];

/** `.cache/model_capabilities.json` entries (written by `evals probe`), or none when absent or unreadable. */
export function readCapabilities(
  root: string,
): Record<string, { tiers?: Partial<Record<ServiceTier, { available: boolean; reason?: string }>> }> {
  const file = join(root, ".cache", "model_capabilities.json");
  if (!existsSync(file)) return {};
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as { entries?: Record<string, never> };
    return json.entries ?? {};
  } catch {
    return {};
  }
}

type ProbedModel = Pick<ModelProfile, "provider" | "modelId" | "model" | "region">;

function capabilityEntry(p: ProbedModel, caps: ReturnType<typeof readCapabilities>) {
  return caps[`${p.modelId}@${p.region}`] ?? caps[`${p.model}@${p.region}`];
}

/**
 * Whether `evals probe` would tell something about a model that the cache does not: it probes the service tiers
 * of Bedrock models with a region, nothing else (mock and other providers have no tiers to check).
 */
export function needsProbe(p: ProbedModel, caps: ReturnType<typeof readCapabilities>): boolean {
  return p.provider === "bedrock" && Boolean(p.region) && capabilityEntry(p, caps) === undefined;
}

/** The tiers a model can be run on: Bedrock's three, greyed out when the capability cache says unavailable. */
export function tiersOf(
  p: ProbedModel,
  caps: ReturnType<typeof readCapabilities>,
): { tier: ServiceTier; available: boolean; reason?: string }[] {
  if (p.provider !== "bedrock") return [];
  const entry = capabilityEntry(p, caps);
  return TIERS.map((tier) => {
    const t = entry?.tiers?.[tier];
    return { tier, available: t ? t.available : true, ...(t?.reason ? { reason: t.reason } : {}) };
  });
}

/** A profile back in the seed's JSONL format (costs per 1,000 tokens, saying so). */
export function profileLine(p: Omit<ModelProfile, "source">): Record<string, unknown> {
  return {
    model_id: p.modelId,
    ...(p.region ? { region: p.region } : {}),
    ...priceFields(p),
    ...(p.targetRpm ? { target_rpm: p.targetRpm } : {}),
    ...(p.serviceTier ? { service_tier: p.serviceTier } : {}),
    ...(p.endpoint ? { endpoint: p.endpoint } : {}),
    ...(p.baseUrl ? { base_url: p.baseUrl } : {}),
    ...(p.apiKeyEnv ? { api_key_env: p.apiKeyEnv } : {}),
    ...(p.mock
      ? {
          mock: {
            quality: p.mock.quality,
            ttft_ms: p.mock.ttftMs,
            tokens_per_s: p.mock.tokensPerS,
            error_rate: p.mock.errorRate,
          },
        }
      : {}),
  };
}

/** What the Setup form posts. */
export interface NewEvaluation {
  name: string;
  /** The uploaded table's file name and text (CSV or JSONL). */
  file: string;
  text: string;
  promptColumn?: string;
  goldenColumn?: string;
  imageColumn?: string;
  taskType?: string;
  taskCriteria?: string;
  temperature?: number;
  metrics?: string[];
  /** Profile keys, each with the tiers to run it on (Bedrock) and a target RPM. */
  models: { key: string; tiers?: ServiceTier[]; targetRpm?: number }[];
  judges: string[];
  threshold?: number;
  aggregate?: "mean" | "median" | "majority";
  invocations?: number;
  concurrency?: number;
  temperatureVariations?: number;
  /** Queue a run right after saving. */
  run?: boolean;
}

const SLUG = /[^a-z0-9]+/g;

/** GET /api/setup, POST /api/setup/columns, POST /api/setup/evals */
export function setupRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.get("/setup", async (c) => {
    try {
      const { config } = await resolveConfig({ root: ctx.root });
      const caps = readCapabilities(ctx.root);
      return c.json({
        models: config.models.map((m) => ({
          key: m.key,
          modelId: m.modelId,
          provider: m.provider,
          region: m.region ?? null,
          serviceTier: m.serviceTier ?? null,
          targetRpm: m.targetRpm ?? null,
          tiers: tiersOf(m, caps),
        })),
        judges: config.judges.map((m) => ({ key: m.key, modelId: m.modelId })),
        defaults: { threshold: config.jury.threshold, aggregate: config.jury.aggregate },
        unprobed: config.models.filter((m) => needsProbe(m, caps)).map((m) => m.key),
      });
    } catch (err) {
      return c.json(apiError((err as Error).message), 400);
    }
  });

  app.post("/setup/columns", async (c) => {
    const body = (await c.req.json()) as { file?: unknown; text?: unknown };
    if (typeof body.file !== "string" || typeof body.text !== "string")
      return c.json(apiError("send {file, text}"), 400);
    try {
      return c.json({ columns: readTableColumns(body.text, basename(body.file)) });
    } catch (err) {
      return c.json(apiError((err as Error).message), 400);
    }
  });

  app.post("/setup/evals", async (c) => {
    const body = (await c.req.json()) as NewEvaluation;
    const problems: string[] = [];
    const slug = String(body.name ?? "")
      .toLowerCase()
      .replace(SLUG, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
    if (!slug) problems.push("name: required (letters or digits)");
    if (typeof body.text !== "string" || typeof body.file !== "string")
      problems.push("file: upload a CSV or JSONL table");
    if (!Array.isArray(body.models) || body.models.length === 0) problems.push("models: pick at least one");
    if (!Array.isArray(body.judges) || body.judges.length === 0) problems.push("judges: pick at least one");
    if (problems.length) return c.json({ error: problems.join("\n"), problems }, 400);

    let config: Awaited<ReturnType<typeof resolveConfig>>["config"];
    try {
      config = (await resolveConfig({ root: ctx.root })).config;
    } catch (err) {
      return c.json(apiError((err as Error).message), 400);
    }
    const byKey = new Map(config.models.map((m) => [m.key, m]));
    const judgeByKey = new Map(config.judges.map((m) => [m.key, m]));
    const models: Record<string, unknown>[] = [];
    for (const pick of body.models) {
      const p = byKey.get(pick.key);
      if (!p) {
        problems.push(`models: no profile "${pick.key}"`);
        continue;
      }
      const rpm = pick.targetRpm && pick.targetRpm > 0 ? pick.targetRpm : p.targetRpm;
      const tiers: (ServiceTier | undefined)[] =
        p.provider === "bedrock" && pick.tiers?.length ? pick.tiers : [p.serviceTier];
      for (const tier of tiers) {
        const { source: _source, ...rest } = p;
        models.push(
          profileLine({
            ...rest,
            ...(rpm ? { targetRpm: rpm } : {}),
            ...(tier ? { serviceTier: tier } : {}),
          }),
        );
      }
    }
    const judges: Record<string, unknown>[] = [];
    for (const key of body.judges) {
      const j = judgeByKey.get(key);
      if (!j) problems.push(`judges: no profile "${key}"`);
      else {
        const { source: _source, ...rest } = j;
        judges.push(profileLine(rest));
      }
    }
    if (problems.length) return c.json({ error: problems.join("\n"), problems }, 400);

    const dir = join(ctx.root, "ui-evals", slug);
    const evalFile = join(dir, `${slug}.eval.jsonl`);
    const importOptions: ImportOptions = {
      ...(body.promptColumn ? { promptColumn: body.promptColumn } : {}),
      ...(body.goldenColumn ? { goldenColumn: body.goldenColumn } : {}),
      ...(body.imageColumn ? { imageColumn: body.imageColumn } : {}),
      ...(body.taskType ? { taskType: body.taskType } : {}),
      ...(body.taskCriteria ? { taskCriteria: body.taskCriteria } : {}),
      ...(body.metrics?.length ? { metrics: body.metrics } : {}),
      ...(typeof body.temperature === "number" ? { temperature: body.temperature } : {}),
    };
    let imported: ReturnType<typeof importTable>;
    try {
      imported = importTable(body.text, importOptions, basename(body.file));
    } catch (err) {
      return c.json(apiError((err as Error).message), 400);
    }
    if (imported.scenarios === 0)
      return c.json(apiError(`no scenario in ${basename(body.file)}: pick the prompt column`), 400);

    const header = {
      $eval: {
        name: String(body.name),
        ...(body.threshold ? { threshold: body.threshold } : {}),
        ...(body.invocations && body.invocations > 1 ? { invocations: body.invocations } : {}),
      },
    };
    const rel = (abs: string) => relative(dir, abs).split("\\").join("/");
    const yaml = {
      include: [`ui-evals/${slug}/*.eval.jsonl`],
      models: "models.jsonl",
      judges: "judges.jsonl",
      jury: {
        ...(body.threshold ? { threshold: body.threshold } : {}),
        ...(body.aggregate ? { aggregate: body.aggregate } : {}),
      },
      run: {
        ...(body.concurrency ? { concurrency: body.concurrency } : {}),
        ...(body.temperatureVariations ? { temperatureVariations: body.temperatureVariations } : {}),
      },
      outputDir: rel(ctx.outputDir) || ".",
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(evalFile, `${JSON.stringify(header)}\n${imported.jsonl.replace(/\n*$/, "\n")}`);
    writeFileSync(join(dir, "models.jsonl"), `${models.map((m) => JSON.stringify(m)).join("\n")}\n`);
    writeFileSync(join(dir, "judges.jsonl"), `${judges.map((m) => JSON.stringify(m)).join("\n")}\n`);
    const configFile = join(dir, "evals.config.yaml");
    writeFileSync(
      configFile,
      `# Saved by the dashboard (evals ui). Run it with: npx evals -c ${relative(ctx.root, configFile)}\n${stringify(yaml)}`,
    );
    const entry = body.run ? ctx.queue.enqueue(String(body.name), { config: configFile }) : undefined;
    return c.json({
      dir: relative(ctx.root, dir),
      evalFile: relative(ctx.root, evalFile),
      configFile: relative(ctx.root, configFile),
      scenarios: imported.scenarios,
      warnings: imported.warnings.map(formatProblem),
      ...(entry ? { entry } : {}),
    });
  });

  return app;
}
