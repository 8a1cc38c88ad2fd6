import { describe, expect, it } from "vitest";
import { abandonOnAbort } from "../../../src/runner/abandon-on-abort.ts";

describe("abandonOnAbort", () => {
  it("rejects every work still pending on the signal when it aborts, and leaves the settled ones", async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => {});
    const pending = Array.from({ length: 40 }, () => abandonOnAbort(never, controller.signal));
    const done = await abandonOnAbort(Promise.resolve("done"), controller.signal);
    const failed = abandonOnAbort(Promise.reject(new Error("its own")), controller.signal);
    await expect(failed).rejects.toThrow("its own");
    controller.abort(new Error("stopped"));
    const settled = await Promise.allSettled(pending);
    expect(done).toBe("done");
    expect(settled.every((s) => s.status === "rejected" && (s.reason as Error).message === "stopped")).toBe(
      true,
    );
    // After the abort, new work is rejected at once.
    await expect(abandonOnAbort(never, controller.signal)).rejects.toThrow("stopped");
  });
});
