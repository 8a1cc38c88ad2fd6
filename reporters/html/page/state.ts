// The page's state: the decoded data, the filters, and what the filters keep.
import type { Filters, PageRows } from "../rows.ts";
import type { ChartDef, SpecContext } from "../specs/index.ts";

export interface PageState {
  /** Every row of the run. */
  data: PageRows;
  /** The rows the filters keep. */
  current: PageRows;
  /** The whole run's chart context (bins, category orders). */
  ctx: SpecContext;
  charts: ChartDef[];
  views: Record<string, View>;
  filters: Filters;
  /** The cases table's own state filter. */
  caseState: string;
  page: number;
  pageSize: number;
  sort: { key: string; dir: number };
  selected: number;
}

/** What the page uses of a Vega view. */
export interface View {
  data(name: string, values: unknown[]): View;
  runAsync(): Promise<View>;
  finalize(): void;
}
