import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allowedHosts, checkRequest, safeJoin } from "../../../src/ui/security.ts";

describe("allowedHosts", () => {
  it("allows the served host:port, and every loopback spelling when bound to loopback", () => {
    expect([...allowedHosts("127.0.0.1", 4173)].sort()).toEqual([
      "127.0.0.1:4173",
      "[::1]:4173",
      "localhost:4173",
    ]);
    expect([...allowedHosts("192.168.1.5", 80)]).toEqual(["192.168.1.5:80"]);
  });
});

describe("checkRequest", () => {
  const hosts = allowedHosts("127.0.0.1", 4173);
  it("lets same-origin and origin-less requests through", () => {
    expect(checkRequest({ host: "127.0.0.1:4173" }, "GET", hosts)).toBeUndefined();
    expect(checkRequest({ host: "localhost:4173", origin: "http://localhost:4173" }, "POST", hosts)).toBe(
      undefined,
    );
    expect(
      checkRequest({ host: "127.0.0.1:4173", secFetchSite: "same-origin" }, "POST", hosts),
    ).toBeUndefined();
  });
  it("refuses a rebound DNS name, a foreign origin, an opaque origin and a cross-site POST", () => {
    expect(checkRequest({ host: "evil.example:4173" }, "GET", hosts)).toBe(
      'unexpected Host header "evil.example:4173"',
    );
    expect(checkRequest({}, "GET", hosts)).toBe('unexpected Host header ""');
    expect(checkRequest({ host: "127.0.0.1:4173", origin: "http://evil.example" }, "POST", hosts)).toBe(
      'cross-origin request from "http://evil.example"',
    );
    expect(checkRequest({ host: "127.0.0.1:4173", origin: "null" }, "POST", hosts)).toBe(
      'cross-origin request from "null"',
    );
    expect(checkRequest({ host: "127.0.0.1:4173", origin: "https://127.0.0.1:4173" }, "GET", hosts)).toBe(
      'cross-origin request from "https://127.0.0.1:4173"',
    );
    expect(checkRequest({ host: "127.0.0.1:4173", secFetchSite: "cross-site" }, "POST", hosts)).toBe(
      "cross-site POST request (Sec-Fetch-Site: cross-site)",
    );
  });
});

describe("safeJoin", () => {
  const base = "/srv/out";
  it("joins paths inside the base", () => {
    expect(safeJoin(base, "report.html")).toBe(join(base, "report.html"));
    expect(safeJoin(base, "runs/r1/run.json")).toBe(join(base, "runs/r1/run.json"));
    expect(safeJoin(base, "/ui-reports/a.html")).toBe(join(base, "ui-reports/a.html"));
    expect(safeJoin(base, "a/../b.html")).toBe(join(base, "b.html"));
  });
  it("refuses escapes, the base itself, backslashes and NUL bytes", () => {
    for (const bad of ["../etc/passwd", "a/../../x", "..", "", ".", "..\\x", "a\\..\\..\\x", "x\0.html"])
      expect(safeJoin(base, bad), bad).toBeUndefined();
    expect(safeJoin(base, "/../../etc/passwd")).toBeUndefined();
    expect(safeJoin(base, "../out-sibling/x")).toBeUndefined();
  });
});
