import { appendFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { EndOfTurn } from "./at-exit.ts";
import { fileNamePart } from "./run-dir.ts";

/** A run log's name starts so, as the seed's `logs/360-benchmark-<ts>-<name>.log`. */
const PREFIX = "360-benchmark-";

/** The seed's logging levels. */
export type LogLevel = "INFO" | "WARNING" | "ERROR";

/**
 * The run log in `runDir`: the one already there (a resumed run appends to its log), else
 * `360-benchmark-<runId>[-<name>].log` — the run id is the run's start time and a random part, the name its
 * `--name` (`--experiment_name`) made safe for a file name.
 */
export function runLogFile(runDir: string, runId: string, name?: string): string {
  const existing = existsSync(runDir)
    ? readdirSync(runDir).find((f) => f.startsWith(PREFIX) && f.endsWith(".log"))
    : undefined;
  if (existing) return join(runDir, existing);
  const safe = fileNamePart(name);
  return join(runDir, `${PREFIX}${runId}${safe ? `-${safe}` : ""}.log`);
}

/**
 * A run's log file, appended with a synchronous append (open, write, close), as results are written: once `line`
 * returns the line is in the OS, a case's line (`queue`) is by the end of the turn its result arrived in (or the
 * process's exit), so a crash keeps every line written before it, and no file
 * descriptor outlives a run that ends in an error. Each line is `<ISO time> - <LEVEL> - <text>`, as the seed's
 * logging module writes them. A log that cannot be written (a full disk, a run dir gone) stops logging silently:
 * the run's results, not its log, are what must survive.
 */
export class RunLog {
  private failed = false;
  /** Lines `queue`d in this turn, written at its end. */
  private queued = "";
  /** The write of what is queued, at the end of the turn (or at the exit). */
  private readonly endOfTurn = new EndOfTurn(() => this.flush());

  constructor(readonly file: string) {}

  /** Appends one line (after those queued); `text` is one line already (the caller made it safe), `at` its time. */
  line(level: LogLevel, text: string, at = new Date()): void {
    this.queued += logLine(level, text, at);
    this.flush();
  }

  /**
   * Appends one line at the end of this turn, with every other line queued in it (one append for all: a line per
   * case), or at the process's exit, whichever comes first.
   */
  queue(level: LogLevel, text: string, at = new Date()): void {
    this.queued += logLine(level, text, at);
    this.endOfTurn.request();
  }

  /** Writes the lines queued. */
  flush(): void {
    this.endOfTurn.settle();
    const text = this.queued;
    this.queued = "";
    if (this.failed || text === "") return;
    try {
      appendFileSync(this.file, text);
    } catch {
      this.failed = true;
    }
  }
}

function logLine(level: LogLevel, text: string, at: Date): string {
  return `${at.toISOString()} - ${level} - ${text}\n`;
}
