/** `s` as a RegExp source that matches exactly `s` (a path, a file name). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
