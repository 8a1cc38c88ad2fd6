#!/usr/bin/env node
// `jury`: the `evals` CLI under the package's own name, so `npx jury` outside a project fetches this package
// (`npx evals` would fetch an unrelated one). bin/evals.js names the program after the bin that ran.
import "./evals.js";
