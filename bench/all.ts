// Every bench, one after another, each in a child process of its own, printed as one combined table headed by the
// machine (cores, CPU model, Node, load average). `quick` runs each at a small size, to check the scripts (the
// figures then mean little). BENCH_ONLY=overhead,memory runs only those.
//
//   node --import tsx --conditions jury-source bench/all.ts [quick]
import { spawn } from "node:child_process";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { printTable } from "./support/table.ts";

const quick = process.argv[2] === "quick";
const TSX = import.meta.resolve("tsx");

/** name, script, full-size args (the scripts' defaults), quick args. */
const BENCHES: [string, string, string[], string[]][] = [
  ["overhead", "overhead.ts", [], ["256", "64", "100", "200", "400", "3"]],
  ["throughput", "throughput.ts", [], ["2000"]],
  ["memory", "memory.ts", [], ["1000,5000"]],
  ["plan", "plan-memory.ts", [], ["2000"]],
  ["startup", "startup.ts", [], ["3", "200"]],
  ["ttft", "ttft-fidelity.ts", [], ["100", "16", "200"]],
  ["rpm", "rpm.ts", [], ["20", "120", "4"]],
  ["report", "report.ts", [], ["2", "500"]],
  ["promptfoo", "promptfoo.ts", [], ["50", "16", "1"]],
  ["peers", "peers.ts", [], ["--sizes", "50", "--rounds", "1"]],
  ["waves", "waves.ts", [], ["--cases", "32"]],
];
const only = process.env.BENCH_ONLY?.split(",").filter(Boolean);

/** Runs one bench script with BENCH_ROWS=1 and resolves with its rows (or one row saying how it failed). */
function run(script: string, args: string[]): Promise<{ rows: [string, string][]; ms: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--conditions",
      "jury-source",
      "--import",
      TSX,
      fileURLToPath(new URL(script, import.meta.url)),
      ...args,
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BENCH_ROWS: "1" } },
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    out += s;
  });
  return new Promise((resolve) => {
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      const line = out.split("\n").find((l) => l.startsWith("BENCH_ROWS "));
      if (code !== 0 || !line) resolve({ rows: [["FAILED", `exit ${code}: ${out.trim().slice(-300)}`]], ms });
      else resolve({ rows: JSON.parse(line.slice("BENCH_ROWS ".length)) as [string, string][], ms });
    });
  });
}

const rows: [string, string][] = [
  [
    "machine",
    `${availableParallelism()} cores (os.availableParallelism), ${cpus()[0]?.model ?? "unknown CPU"}`,
  ],
  ["memory / Node", `${(totalmem() / 2 ** 30).toFixed(1)} GB / ${process.version}`],
  [
    "load average at start (1, 5, 15 min)",
    loadavg()
      .map((l) => l.toFixed(2))
      .join(", "),
  ],
  [
    "sizes",
    quick ? "quick (small sizes: checks the scripts, not final figures)" : "full (each script's defaults)",
  ],
];
for (const [name, script, full, small] of BENCHES) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const { rows: got, ms } = await run(script, quick ? small : full);
  rows.push([`── ${name}`, `(${script} ${(quick ? small : full).join(" ")}; ${(ms / 1000).toFixed(1)} s)`]);
  // Each script's own "machine cores" row is in the header already.
  for (const [k, v] of got) if (k !== "machine cores") rows.push([`${name}: ${k}`, v]);
}
rows.push([
  "load average at end (1, 5, 15 min)",
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", "),
]);
printTable(rows);
