import { caseName } from "../discovery/filters.ts";
import { caseId, modelLabel } from "../discovery/ids.ts";
import type { Problem } from "../errors.ts";
import type {
  CaseRecord,
  CaseTask,
  EvalDefinition,
  JurySettings,
  ModelProfile,
  PlanOptions,
  PromptOptimizationMode,
  PromptVariant,
  RetrySettings,
  Scenario,
  ScenarioHead,
  ShardSpec,
} from "../types.ts";
import { grown } from "./grown.ts";
import { lazyList } from "./lazy-list.ts";
import { expandTemperatures } from "./temperatures.ts";

/** Default base temperature of a scenario, as in the seed. */
export const DEFAULT_TEMPERATURE = 0.7;
/** Max tokens asked of a model when a scenario gives no `expected_output_tokens`. */
export const DEFAULT_MAX_TOKENS = 1024;

export interface PlanInput {
  evals: readonly EvalDefinition[];
  models: readonly ModelProfile[];
  judges: readonly ModelProfile[];
  jury: JurySettings;
  invocations: number;
  experiments: number;
  temperatureVariations: number;
  stream: boolean;
  timeoutMs: number;
  caseTimeoutMs: number;
  retry: RetrySettings;
  /** Bedrock models get the optimized prompt variant (`optimize_only`) or both (`evaluate_both`). @default "none" */
  promptOptimization?: PromptOptimizationMode;
  /** Off: scenario images are left out. @default true */
  vision?: boolean;
  /** No jury: cases carry no judges. */
  latencyOnly?: boolean;
  /** CLI overrides win over an eval's own header; config values lose to it. */
  overrides?: { invocations?: number; threshold?: number };
  /** Keeps only cases whose full name matches. */
  testNamePattern?: RegExp;
}

export interface PlannedCase {
  record: CaseRecord;
  task: CaseTask;
}

/**
 * The case with its task changed by `change` when asked (pure): like the plan's own cases, it holds no task object,
 * so a plan of a million cases stays without one whatever the runner adds to its tasks.
 */
export function withTask(c: PlannedCase, change: (task: CaseTask) => CaseTask): PlannedCase {
  return {
    record: c.record,
    get task() {
      return change(c.task);
    },
  };
}

/** What the tasks of one eval × model share: all of a task but its case and scenario. */
type SharedTask = Omit<CaseTask, "case" | "scenario">;

export interface Plan {
  /**
   * Cases to run, in execution order: experiments in sequence, models interleaved within one. A read-only list whose
   * cases are made when read (see `planCases`): keep an index, not the case.
   */
  cases: readonly PlannedCase[];
  /** Cases excluded by `skip`/`only`; reported as skipped, never run. */
  skipped: CaseRecord[];
  problems: Problem[];
  /** Set on the plan of one shard (`shardPlan`): recorded in run.json for `evals merge`. */
  shard?: ShardSpec;
  /** The options the plan was made from, recorded in run.json for `--retry-errors` (set by the runner). */
  options?: PlanOptions;
}

/** Every distinct target and judge profile a plan's cases call, in first-call order (few, whatever its size). */
export function plannedProfiles(cases: readonly PlannedCase[]): ModelProfile[] {
  const seen = new Set<ModelProfile>();
  for (const c of cases) {
    const { model, judges } = c.task;
    seen.add(model);
    for (const j of judges) seen.add(j);
  }
  return [...seen];
}

/** The prompt variants a model runs: prompt optimization is a Bedrock feature; other models keep the original. */
export function promptVariants(model: ModelProfile, mode: PromptOptimizationMode = "none"): PromptVariant[] {
  if (model.provider !== "bedrock" || mode === "none") return ["original"];
  return mode === "optimize_only" ? ["optimized"] : ["original", "optimized"];
}

/** One eval as planned: what its cases share, and the index of its first scenario among all the plan's. */
interface PlannedEval {
  ev: EvalDefinition;
  heads: readonly ScenarioHead[];
  firstUnit: number;
  evalRef: CaseTask["evalRef"];
  jury: CaseTask["jury"];
  /** The seed's rule in its own files: a scenario's metrics replace the run's (the worker adds the scenario's). */
  scenarioMetricsOnly: CaseTask["jury"];
  models: ModelProfile[];
  variants: PromptVariant[][];
  judges: ModelProfile[];
  invocations: number;
  threshold: number;
  scenarioOnly: boolean;
}

/**
 * The cases of a plan in typed arrays, ~25 bytes a case: which scenario (of which eval), temperature, model,
 * prompt variant, invocation and experiment, and the id's 8 bytes.
 */
class CaseColumns {
  length = 0;
  unit = new Uint32Array(1024);
  temperature = new Uint16Array(1024);
  model = new Uint16Array(1024);
  variant = new Uint8Array(1024);
  invocation = new Uint32Array(1024);
  experiment = new Uint32Array(1024);
  /** The id's 16 hex digits, as one 64-bit word. */
  ids = new BigUint64Array(1024);

  push(
    unit: number,
    t: number,
    m: number,
    v: number,
    invocation: number,
    experiment: number,
    id: string,
  ): void {
    const i = this.length++;
    const n = this.length;
    this.unit = grown(this.unit, n);
    this.temperature = grown(this.temperature, n);
    this.model = grown(this.model, n);
    this.variant = grown(this.variant, n);
    this.invocation = grown(this.invocation, n);
    this.experiment = grown(this.experiment, n);
    this.ids = grown(this.ids, n);
    this.unit[i] = unit;
    this.temperature[i] = t;
    this.model[i] = m;
    this.variant[i] = v;
    this.invocation[i] = invocation;
    this.experiment[i] = experiment;
    this.ids[i] = BigInt(`0x${id}`);
  }

  id(i: number): string {
    return (this.ids[i] as bigint).toString(16).padStart(16, "0");
  }
}

const VARIANTS: readonly PromptVariant[] = ["original", "optimized"];

/**
 * A case of a plan as `planCases` makes it when it is read: its record, made from the plan's columns; its task made
 * when asked (a new object each time), its scenario read when the task's is (for a `.eval.jsonl`, again from its
 * line), so a plan of a million cases holds neither tasks nor scenarios.
 */
class ExpandedCase implements PlannedCase {
  constructor(
    readonly record: CaseRecord,
    private readonly ev: EvalDefinition,
    private readonly scenarioIndex: number,
    private readonly vision: boolean,
    private readonly shared: SharedTask,
  ) {}

  get task(): CaseTask {
    const { evalRef, ...rest } = this.shared;
    const { ev, scenarioIndex, vision } = this;
    let scenario: Scenario | undefined;
    return {
      case: this.record,
      evalRef,
      get scenario() {
        if (scenario) return scenario;
        const read = ev.scenarios[scenarioIndex] as Scenario;
        scenario = vision ? read : withoutImage(read);
        return scenario;
      },
      ...rest,
    };
  }
}

/**
 * Expands evals into cases (DESIGN §5): scenarios × models × prompt variants × temperatures × invocations ×
 * experiments.
 * Pure: the same input always gives the same cases with the same ids, in the same order. The plan holds its cases
 * in typed arrays: `cases` makes each one when it is read.
 */
export function planCases(input: PlanInput): Plan {
  const problems: Problem[] = [];
  const headsOf = (ev: EvalDefinition): readonly ScenarioHead[] => ev.scenarioHeads ?? ev.scenarios;
  const anyOnly = input.evals.some((e) => e.mode === "only" || headsOf(e).some((s) => s.only));

  const evals: PlannedEval[] = [];
  let units = 0;
  for (const ev of input.evals) {
    const models = pickProfiles(ev, "models", ev.models, input.models, problems);
    const judges = input.latencyOnly ? [] : pickProfiles(ev, "judges", ev.judges, input.judges, problems);
    const heads = headsOf(ev);
    // One of each per eval, shared by its cases' tasks (not one per case: plans run to 1,000,000 cases).
    const jury: CaseTask["jury"] = { ...input.jury, metrics: input.jury.metrics.concat(ev.metrics ?? []) };
    evals.push({
      ev,
      heads,
      firstUnit: units,
      evalRef: { kind: ev.kind, absFile: ev.absFile, index: ev.index, name: ev.name },
      jury,
      scenarioMetricsOnly: { ...jury, metrics: [] },
      models,
      variants: models.map((m) => promptVariants(m, input.promptOptimization)),
      judges,
      invocations: input.overrides?.invocations ?? ev.invocations ?? input.invocations,
      threshold: input.overrides?.threshold ?? ev.threshold ?? input.jury.threshold,
      scenarioOnly: heads.some((s) => s.only),
    });
    units += heads.length;
  }

  const columns = new CaseColumns();
  const skipped: CaseRecord[] = [];
  // Not Math.max(...evals): one argument per scenario overflowed the stack at a million.
  const maxInvocations = evals.reduce((m, e) => Math.max(m, e.invocations), 0);
  for (let experiment = 1; experiment <= input.experiments; experiment++) {
    for (let invocation = 1; invocation <= maxInvocations; invocation++) {
      for (const pe of evals) {
        if (invocation > pe.invocations) continue;
        const { ev } = pe;
        for (let s = 0; s < pe.heads.length; s++) {
          const head = pe.heads[s] as ScenarioHead;
          // `only` is global to the run: marked scenarios run, and an `.only` eval runs whole unless it marks some.
          const selected = !anyOnly || head.only === true || (ev.mode === "only" && !pe.scenarioOnly);
          const isSkipped = ev.mode === "skip" || head.skip === true || !selected;
          const temperatures = expandTemperatures(
            head.temperature ?? DEFAULT_TEMPERATURE,
            input.temperatureVariations,
          );
          for (const [t, temperature] of temperatures.entries()) {
            for (const [m, model] of pe.models.entries()) {
              for (const variant of pe.variants[m] as PromptVariant[]) {
                if (
                  input.testNamePattern &&
                  !input.testNamePattern.test(
                    caseName(ev.name, head.key, modelLabel({ model: model.key, variant })),
                  )
                )
                  continue;
                const record = makeRecord(ev, head, model.key, variant, temperature, invocation, experiment);
                if (isSkipped) skipped.push(record);
                else
                  columns.push(
                    pe.firstUnit + s,
                    t,
                    m,
                    VARIANTS.indexOf(variant),
                    invocation,
                    experiment,
                    record.id,
                  );
              }
            }
          }
        }
      }
    }
  }
  return { cases: lazyList(columns.length, casesOf(input, evals, columns)), skipped, problems };
}

/** How the case at an index of `columns` is made (see `ExpandedCase`). */
function casesOf(input: PlanInput, evals: PlannedEval[], columns: CaseColumns): (i: number) => PlannedCase {
  /** By the eval's jury (one or two per eval), then model: what the tasks of an eval × model share. */
  const sharedOf = new Map<CaseTask["jury"], Map<ModelProfile, SharedTask>>();
  const sharedTask = (pe: PlannedEval, jury: CaseTask["jury"], model: ModelProfile): SharedTask => {
    let byModel = sharedOf.get(jury);
    if (!byModel) {
      byModel = new Map();
      sharedOf.set(jury, byModel);
    }
    let shared = byModel.get(model);
    if (!shared) {
      shared = {
        evalRef: pe.evalRef,
        model,
        judges: pe.judges,
        jury,
        threshold: pe.threshold,
        stream: input.stream,
        timeoutMs: input.timeoutMs,
        caseTimeoutMs: input.caseTimeoutMs,
        retry: input.retry,
      };
      byModel.set(model, shared);
    }
    return shared;
  };
  /** The eval of a unit: the last whose first unit is at or before it. */
  const evalOf = (unit: number): PlannedEval => {
    let lo = 0;
    let hi = evals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((evals[mid] as PlannedEval).firstUnit <= unit) lo = mid;
      else hi = mid - 1;
    }
    return evals[lo] as PlannedEval;
  };
  return (i) => {
    const unit = columns.unit[i] as number;
    const pe = evalOf(unit);
    const s = unit - pe.firstUnit;
    const head = pe.heads[s] as ScenarioHead;
    const model = pe.models[columns.model[i] as number] as ModelProfile;
    const temperatures = expandTemperatures(
      head.temperature ?? DEFAULT_TEMPERATURE,
      input.temperatureVariations,
    );
    const record = makeRecord(
      pe.ev,
      head,
      model.key,
      VARIANTS[columns.variant[i] as number] as PromptVariant,
      temperatures[columns.temperature[i] as number] as number,
      columns.invocation[i] as number,
      columns.experiment[i] as number,
      columns.id(i),
    );
    const ownMetrics = pe.ev.seedFile === true && head.metrics.length > 0;
    const shared = sharedTask(pe, ownMetrics ? pe.scenarioMetricsOnly : pe.jury, model);
    return new ExpandedCase(record, pe.ev, s, input.vision !== false, shared);
  };
}

function makeRecord(
  ev: EvalDefinition,
  scenario: ScenarioHead,
  model: string,
  variant: PromptVariant,
  temperature: number,
  invocation: number,
  experiment: number,
  knownId?: string,
): CaseRecord {
  const parts = {
    file: ev.file,
    evalName: ev.name,
    scenarioKey: scenario.key,
    model,
    variant,
    temperature,
    invocation,
    experiment,
  };
  // A `.eval.ts` case is located at its defineEval call: a scenario's own line (read from a JSONL file the eval
  // names) is a line of that other file.
  const line = ev.kind === "ts" ? ev.line : scenario.line;
  return {
    id: knownId ?? caseId(parts),
    ...parts,
    taskType: scenario.taskType,
    location: line === undefined ? {} : { line },
  };
}

/** The scenario without its images: its own, and its turns' (`messages`, `turns`). */
function withoutImage(scenario: Scenario): Scenario {
  const hasTurnImage = [...(scenario.messages ?? []), ...(scenario.turns ?? [])].some(
    (t) => t.image !== undefined,
  );
  if (scenario.image === undefined && !hasTurnImage) return scenario;
  const { image: _image, ...rest } = scenario;
  const strip = <T extends { image?: string }>({ image: _i, ...t }: T): Omit<T, "image"> => t;
  return {
    ...rest,
    ...(scenario.messages ? { messages: scenario.messages.map(strip) } : {}),
    ...(scenario.turns ? { turns: scenario.turns.map(strip) } : {}),
  };
}

/**
 * Resolves an eval's `models`/`judges` list against the profiles. An entry matches a profile by exact key,
 * by `model_id` (every region and tier of it), or by the id without its provider prefix.
 */
function pickProfiles(
  ev: EvalDefinition,
  field: "models" | "judges",
  wanted: readonly string[] | undefined,
  profiles: readonly ModelProfile[],
  problems: Problem[],
): ModelProfile[] {
  if (!wanted || wanted.length === 0) return [...profiles];
  const picked = new Set<ModelProfile>();
  for (const name of wanted) {
    const exact = profiles.filter((p) => p.key === name);
    const matches = exact.length > 0 ? exact : profiles.filter((p) => p.modelId === name || p.model === name);
    if (matches.length === 0) {
      problems.push({
        file: ev.file,
        ...(ev.line === undefined ? {} : { line: ev.line }),
        path: field,
        message: `unknown ${field === "models" ? "model" : "judge"} "${name}"; add it to the ${field === "models" ? "model" : "judge"} profiles or use one of: ${
          profiles
            .map((p) => p.key)
            .slice(0, 8)
            .join(", ") || "(none configured)"
        }`,
      });
    }
    for (const m of matches) picked.add(m);
  }
  return profiles.filter((p) => picked.has(p));
}
