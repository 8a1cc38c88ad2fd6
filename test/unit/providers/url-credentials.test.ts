import { describe, expect, it } from "vitest";
import { scrubSecrets } from "../../../src/providers/errors.ts";
import { maskUrlPasswords, urlCredentials } from "../../../src/providers/url-credentials.ts";

describe("urlCredentials", () => {
  it("takes user:password@ out of a URL as a Basic Authorization value, percent-decoded", () => {
    expect(urlCredentials("http://me:p%40ss@localhost:8000/v1")).toEqual({
      url: "http://localhost:8000/v1",
      basic: `Basic ${Buffer.from("me:p@ss").toString("base64")}`,
    });
    expect(urlCredentials("http://localhost:8000/v1")).toEqual({ url: "http://localhost:8000/v1" });
    expect(urlCredentials("not a url")).toEqual({ url: "not a url" });
  });
});

describe("masking", () => {
  it("masks a URL's password, even one holding an @, and keeps the user", () => {
    expect(maskUrlPasswords("fetch http://me:p@ss@host:1/v1 failed")).toBe(
      "fetch http://me:***@host:1/v1 failed",
    );
    expect(maskUrlPasswords("see https://host/v1 and a@b.c")).toBe("see https://host/v1 and a@b.c");
  });

  it("redacts a Basic token in an error, not the word", () => {
    expect(scrubSecrets('{"authorization":"Basic anVyeTpzaW11bGF0ZWQ="} Basic information')).toBe(
      '{"authorization":"Basic [redacted]"} Basic information',
    );
  });
});
