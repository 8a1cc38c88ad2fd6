/**
 * A base URL's `user:password@` taken out (fetch refuses a URL that carries credentials): the URL without them,
 * and, when it had some, the `Authorization: Basic …` value they stand for (percent-decoded, as RFC 3986 writes
 * them). A URL that does not parse is returned as it is.
 * @example urlCredentials("http://me:pw@localhost:8000/v1") // { url: "http://localhost:8000/v1", basic: "Basic bWU6cHc=" }
 */
export function urlCredentials(url: string): { url: string; basic?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  if (!u.username && !u.password) return { url };
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = "";
  u.password = "";
  return { url: u.toString(), basic: `Basic ${Buffer.from(pair).toString("base64")}` };
}

/** Every URL's password in `text` masked: `http://me:***@localhost:8000/v1`. */
export function maskUrlPasswords(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#]*@/gi, "$1***@");
}
