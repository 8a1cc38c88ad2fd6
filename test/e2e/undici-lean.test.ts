// A worker thread's HTTP client loads only the parts of undici it uses (sdk-fetch.ts): undici's index also loads
// fetch, WebSocket, EventSource, the caches and the mocks, ~100 ms on the path to a run's first call. Checked in a
// fresh Node process (the subject is what a new module registry loads), with the built sdk-fetch and a local server.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SDK_FETCH = fileURLToPath(new URL("../../dist/src/providers/sdk-fetch.js", import.meta.url));

const SCRIPT = `
import { createServer } from "node:http";
import { createRequire } from "node:module";
const server = createServer((req, res) => res.end(JSON.stringify({ path: req.url })));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { sdkFetch, closeHttpAgent } = await import(process.argv[1]);
const res = await sdkFetch("http://127.0.0.1:" + server.address().port + "/v1/x?y=1", { method: "POST", body: "{}" });
const body = await res.json();
await closeHttpAgent();
server.close();
const loaded = Object.keys(createRequire(process.argv[1]).cache).filter((f) => f.includes("/undici/"));
console.log(JSON.stringify({ body, loaded }));
`;

it("answers a call through undici's Agent and request API without loading undici's index", () => {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT, SDK_FETCH], {
    encoding: "utf8",
  });
  const { body, loaded } = JSON.parse(out) as { body: unknown; loaded: string[] };
  expect(body).toEqual({ path: "/v1/x?y=1" });
  expect(loaded.some((f) => f.endsWith("/undici/lib/dispatcher/agent.js"))).toBe(true);
  expect(loaded.filter((f) => /\/undici\/index\.js$|\/undici\/lib\/web\//.test(f))).toEqual([]);
});
