// Preloaded with `node --import <this file>` into a process whose peak memory a bench measures (our CLI, promptfoo):
// at exit, writes the process's peak RSS in KB (worker threads included: they share the process) to the file named
// by BENCH_MAX_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
