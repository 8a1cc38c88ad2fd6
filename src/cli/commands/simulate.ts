import { FlagError } from "../../errors.ts";
import { startSimulator } from "../../simulator/server.ts";
import { type CliIo, untilSignal } from "../io.ts";

export interface SimulateFlags {
  port?: number;
  host?: string;
  ttftMs?: number;
  tokensPerS?: number;
  faultRate?: number;
  seed?: string;
}

/** `evals simulate`: serves the local LLM API simulator until Ctrl-C, printing the base URLs to put in profiles. */
export async function simulateCommand(flags: SimulateFlags, io: CliIo): Promise<number> {
  if (flags.faultRate !== undefined && !(flags.faultRate >= 0 && flags.faultRate <= 1))
    throw new FlagError(`--fault-rate must be between 0 and 1 (got ${flags.faultRate})`);
  const sim = await startSimulator({ ...flags, port: flags.port ?? 4010 });
  const out = io.stdout;
  out.write(`LLM API simulator listening on ${sim.url}  (simulated: no real model answers)\n\n`);
  out.write(`  openai/ and openai-compatible/   "base_url": "${sim.url}/v1"\n`);
  out.write(`  azure/                           "base_url": "${sim.url}"\n`);
  out.write(
    `  bedrock/                         "base_url": "${sim.url}"   (any region; AWS credentials can be fake)\n`,
  );
  out.write(`  gemini/                          "base_url": "${sim.url}"\n`);
  out.write(`  anthropic/                       "base_url": "${sim.url}"\n\n`);
  out.write(`  GET ${sim.url}/stats for request and fault counts. Ctrl-C to stop.\n`);
  await untilSignal();
  await sim.close();
  out.write(`\n${JSON.stringify(sim.stats)}\n`);
  return 0;
}
