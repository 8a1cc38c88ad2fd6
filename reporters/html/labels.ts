// Headings for the field names of the summaries the HTML report renders generically ("More statistics", columns
// other helpers add to group summaries, any record valueHtml prints): the one place a raw key gets its label.

/** Field name → heading. A key not listed shows as it is. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  cache: "Call cache",
  hits: "Calls served from the cache",
  timeSavedMs: "Time saved (ms)",
  costSaved: "Cost saved (USD)",
  trials: "Trials",
  meanScoreCis: "Mean score per dimension (95% CI)",
  responseCost: "Response cost",
  judgeCost: "Jury cost",
};

/** The heading of a summary field. */
export function fieldLabel(key: string): string {
  return Object.hasOwn(FIELD_LABELS, key) ? (FIELD_LABELS[key] as string) : key;
}
