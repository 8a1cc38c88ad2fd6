import { type ProfileRow, profileRows } from "../config/profiles.ts";

export type { ProfileRow };

/**
 * The rows of a profile file, read as the profile loader reads them (pure). Lines that don't parse are left out:
 * the loader reports them.
 */
export function readProfileRows(text: string, format: "jsonl" | "yaml"): ProfileRow[] {
  return profileRows(text, "", format, []);
}
