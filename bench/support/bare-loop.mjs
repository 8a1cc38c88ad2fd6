// The physical limit of bench:peers: the same calls the tools make, from one Node process with no framework (plain
// JavaScript, no loader, global fetch): `concurrency` cases in flight, each a streamed target call (every SSE event
// read and parsed, the reply gathered) and then its judge calls at once (non-streamed, the JSON verdict parsed).
// Work as JSON in the file named by argv[2]: { url, cases, concurrency, target, judges }, where `target` and each of
// `judges` is a request body with @@CASE@@ for the case's number and (judges) @@RESPONSE@@ for the target's reply
// (JSON-escaped). Prints one line, `BARE_RESULT {"calls", "failures", "passed"}`, and exits.
import { readFileSync } from "node:fs";

const work = JSON.parse(readFileSync(process.argv[2], "utf8"));
const endpoint = `${work.url}/v1/chat/completions`;
const headers = { "content-type": "application/json", authorization: "Bearer sk-bench-not-a-real-key" };
let calls = 0;
let failures = 0;
let passed = 0;

async function streamed(body) {
  calls++;
  const res = await fetch(endpoint, { method: "POST", headers, body });
  if (!res.ok || !res.body) throw new Error(`target: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffered = "";
  let text = "";
  let done = false;
  for await (const bytes of res.body) {
    buffered += decoder.decode(bytes, { stream: true });
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
      if (!event.startsWith("data: ")) continue;
      const data = event.slice(6);
      if (data === "[DONE]") {
        done = true;
        continue;
      }
      const chunk = JSON.parse(data);
      text += chunk.choices[0]?.delta?.content ?? "";
    }
  }
  if (!done) throw new Error("target: the stream ended before [DONE]");
  return text;
}

async function judged(body) {
  calls++;
  const res = await fetch(endpoint, { method: "POST", headers, body });
  if (!res.ok) throw new Error(`judge: HTTP ${res.status}`);
  const reply = await res.json();
  const verdict = JSON.parse(reply.choices[0].message.content);
  return Object.values(verdict.scores).every((d) => d.score >= 4);
}

async function runCase(i) {
  const n = String(i);
  const response = await streamed(work.target.replaceAll("@@CASE@@", n));
  const escaped = JSON.stringify(response).slice(1, -1);
  const verdicts = await Promise.all(
    work.judges.map((j) => judged(j.replaceAll("@@CASE@@", n).replaceAll("@@RESPONSE@@", escaped))),
  );
  if (verdicts.every(Boolean)) passed++;
}

let next = 0;
async function lane() {
  while (next < work.cases) {
    const i = next++;
    try {
      await runCase(i);
    } catch (err) {
      failures++;
      if (failures <= 3) console.error(`case ${i}: ${err.message}`);
    }
  }
}
await Promise.all(Array.from({ length: work.concurrency }, lane));
console.log(`BARE_RESULT ${JSON.stringify({ calls, failures, passed })}`);
