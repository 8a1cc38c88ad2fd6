import { colorsEnabled, currentEnv, isCI } from "../io-context.ts";
import { plannedProfiles } from "../plan/expand.ts";
import { assertCallableEndpoints } from "../providers/endpoints.ts";
import { safeSink } from "../safe-text.ts";
import type { ResultsReader, RunReport, StartOptions } from "../types.ts";
import type { HeadStart } from "./head-start.ts";
import { prepareRun } from "./prepare.ts";
import { logRunFailure } from "./run-log-reporter.ts";
import {
  checkOutputs,
  checkPlanAccess,
  exitCodeOf,
  gateSession,
  loadRunReporters,
  type OpenRun,
  openSession,
  reportSession,
  type SessionIo,
  scheduleRun,
  startAhead,
  startReporters,
  summarizeSession,
  warmUpWorkers,
} from "./session.ts";

export interface EvalsRun {
  /** The run's report: plain data, without its results. */
  report: RunReport;
  /** The run's results, read from its `results.jsonl` when asked (so before its run dir is removed). */
  results: ResultsReader;
  runDir: string;
  /** 0 gate met, 1 gate failed, 130 interrupted. (A run that cannot write its results throws, exit 2.) */
  exitCode: number;
}

/**
 * Runs evals end to end: the programmatic entry point behind `evals` (also used by tests and the dashboard).
 * It reads as the steps of DESIGN §1; each is a function of `session.ts`.
 */
export async function startEvals(options: StartOptions = {}): Promise<EvalsRun> {
  const stdout = options.stdout ?? process.stdout;
  // A program's run gets the CLI's console edge too: control characters from outside shown, not obeyed.
  const colors = colorsEnabled(currentEnv(), stdout);
  const io: SessionIo = {
    stdout: safeSink(stdout, colors),
    stderr: safeSink(options.stderr ?? process.stderr, colors),
    isCI: isCI(),
  };
  // resolve config (then check the output dir is writable), discover, load, plan (and shard)
  const prepared = await prepareRun(options, checkOutputs);
  let run: OpenRun | undefined;
  let ahead: HeadStart | undefined;
  try {
    // Read once: each read of the plan makes every case again.
    const profiles = plannedProfiles(prepared.plan.cases);
    assertCallableEndpoints(profiles);
    warmUpWorkers(prepared, profiles);
    const reporters = await loadRunReporters(prepared.config); // a missing module: no run dir left behind
    ahead = await startAhead(prepared, profiles, options); // the first cases, sent while access is checked
    const checked = await checkPlanAccess(prepared, profiles, options, io, ahead); // preflight: a plan of reachable models
    run = openSession(prepared.config, checked, options, io); // a new run dir, or the one resumed; locked
    const recorder = await startReporters(run, reporters, options, io); // onInit, onRunStart
    const scheduled = await scheduleRun(run, prepared, recorder, options, io, ahead); // every result recorded
    const summary = summarizeSession(run, scheduled, recorder.facts);
    const report = gateSession(summary, recorder.facts, run.baseline, io);
    const results = await reportSession(report, run, recorder); // run.json, onRunEnd
    return { report, results, runDir: run.runDir, exitCode: exitCodeOf(report) };
  } catch (err) {
    if (run) logRunFailure(run, err);
    throw err;
  } finally {
    ahead?.drop();
    run?.lock.release();
    await prepared.close();
  }
}
