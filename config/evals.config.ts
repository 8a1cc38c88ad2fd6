// This repository's own config. A project keeps its own in ./evals.config.ts (or .yaml).
import { defineConfig } from "jury";

export default defineConfig({
  include: ["evals/**/*.eval.{jsonl,ts}"],
  // Offline by default: simulated mock/ models and judges. To run the same evals on Bedrock, point these at
  // config/bedrock/*.jsonl (or pass --models/--judges) with AWS credentials configured.
  models: "models_profiles.jsonl",
  judges: "judge_profiles.jsonl",
  jury: { threshold: 3, aggregate: "mean" },
  run: { concurrency: 8 },
});
