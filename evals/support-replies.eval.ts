// An eval as code: a custom task (a system prompt and a follow-up turn) and deterministic checks on top of the jury.
import { checks, defineEval } from "jury";

defineEval("support replies keep the brand voice", {
  scenarios: [
    {
      id: "refund-window",
      prompt: "Can I still return the headphones I bought three weeks ago?",
      golden:
        "Yes. Purchases can be returned within 30 days for a full refund; start the return from your orders page.",
      taskType: "Customer Support",
      criteria: "States the 30-day return window correctly and tells the customer how to start a return.",
    },
    {
      id: "shipping-delay",
      prompt: "My order is late. What can I do?",
      golden:
        "Sorry about the delay. Check the tracking link in your confirmation email; if the order is more than 5 days late, reply here and we will send a replacement.",
      taskType: "Customer Support",
      criteria:
        "Apologises, points to tracking, and offers the replacement policy for orders over 5 days late.",
    },
  ],
  metrics: ["brand voice"],
  task: ({ scenario, generate }) =>
    generate({
      system: "You are Acme's support assistant. Be brief, warm and exact.",
      prompt: scenario.prompt,
    }),
  checks: [checks.maxLatency({ ttftMs: 5_000 })],
});
