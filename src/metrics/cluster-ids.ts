import { modelLabel } from "../discovery/ids.ts";
import type { CaseRecord } from "../types.ts";

/**
 * Numbers for the scenario clusters of a run — the invocations, temperatures and experiments of one scenario on
 * one model (file, eval, scenario key and model label) — given in the order clusters are first asked for.
 * Kept in maps nested by field, whose keys are the records' own strings: a cluster costs a map entry, not a key
 * string of its own.
 */
export class ClusterIds {
  private readonly byFile = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  /** Clusters numbered so far. */
  size = 0;

  /** The number of `c`'s cluster (the next one when it is new). */
  of(c: Pick<CaseRecord, "file" | "evalName" | "model" | "variant" | "scenarioKey">): number {
    const byEval = child(this.byFile, c.file);
    const byModel = child(byEval, c.evalName);
    const byScenario = child(byModel, modelLabel(c));
    let id = byScenario.get(c.scenarioKey);
    if (id === undefined) {
      id = this.size++;
      byScenario.set(c.scenarioKey, id);
    }
    return id;
  }
}

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (!m) {
    m = new Map();
    map.set(key, m);
  }
  return m;
}
