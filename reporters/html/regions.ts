// The regional analysis (pure, browser-safe): each AWS region's time zone, the local hour a case started in its
// region, and the recommended region.

/**
 * The IANA time zone of each AWS region (the city its data centres are named after, or the zone of its country).
 * A region not listed here (another cloud's, or a newer one) is charted in UTC, and the report says so.
 */
export const REGION_ZONES: Readonly<Record<string, string>> = {
  "us-east-1": "America/New_York",
  "us-east-2": "America/New_York",
  "us-west-1": "America/Los_Angeles",
  "us-west-2": "America/Los_Angeles",
  "us-gov-east-1": "America/New_York",
  "us-gov-west-1": "America/Los_Angeles",
  "ca-central-1": "America/Toronto",
  "ca-west-1": "America/Edmonton",
  "mx-central-1": "America/Mexico_City",
  "sa-east-1": "America/Sao_Paulo",
  "eu-west-1": "Europe/Dublin",
  "eu-west-2": "Europe/London",
  "eu-west-3": "Europe/Paris",
  "eu-central-1": "Europe/Berlin",
  "eu-central-2": "Europe/Zurich",
  "eu-north-1": "Europe/Stockholm",
  "eu-south-1": "Europe/Rome",
  "eu-south-2": "Europe/Madrid",
  "il-central-1": "Asia/Jerusalem",
  "me-south-1": "Asia/Bahrain",
  "me-central-1": "Asia/Dubai",
  "af-south-1": "Africa/Johannesburg",
  "ap-east-1": "Asia/Hong_Kong",
  "ap-south-1": "Asia/Kolkata",
  "ap-south-2": "Asia/Kolkata",
  "ap-northeast-1": "Asia/Tokyo",
  "ap-northeast-2": "Asia/Seoul",
  "ap-northeast-3": "Asia/Tokyo",
  "ap-southeast-1": "Asia/Singapore",
  "ap-southeast-2": "Australia/Sydney",
  "ap-southeast-3": "Asia/Jakarta",
  "ap-southeast-4": "Australia/Melbourne",
  "ap-southeast-5": "Asia/Kuala_Lumpur",
  "ap-southeast-7": "Asia/Bangkok",
};

/** The zone a region's cases are charted in: its own, or UTC for a region of unknown zone (and for no region). */
export function regionZone(region: string | null): string {
  // Own keys only: a region named "constructor" or "__proto__" is a string from a profile, not a zone.
  return region !== null && Object.hasOwn(REGION_ZONES, region) ? (REGION_ZONES[region] as string) : "UTC";
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) of `epochMs` on the clocks of `zone`. */
export function localHour(epochMs: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" });
    formatters.set(zone, f);
  }
  const hour = Number(f.formatToParts(epochMs).find((p) => p.type === "hour")?.value);
  return hour % 24;
}

/** A region's figures, as `recommendRegion` weighs them. */
export interface RegionFigures {
  region: string;
  /** Pass rate; null when nothing was judged. */
  rate: number | null;
  /** Median time to last byte (ms); null when no case has one. */
  latencyP50: number | null;
  /** Mean response cost per case; null when no case has one. */
  costMean: number | null;
}

/** Pass rates this close to the best region's (in points of rate: 0.05 = 5 percentage points) count as as good. */
export const RATE_TOLERANCE = 0.05;

/**
 * The recommended region: among the regions whose pass rate is within RATE_TOLERANCE of the best region's (every
 * region with a latency when nothing was judged), the one of lowest median time to last byte; ties go to the
 * lower mean cost. Undefined when no region has a latency.
 */
export function recommendRegion(regions: readonly RegionFigures[]): RegionFigures | undefined {
  const timed = regions.filter((r) => r.latencyP50 !== null);
  const rates = timed.flatMap((r) => (r.rate === null ? [] : [r.rate]));
  const best = rates.length ? Math.max(...rates) : undefined;
  const eligible =
    best === undefined
      ? timed
      : timed.filter((r) => r.rate !== null && r.rate >= best - RATE_TOLERANCE - 1e-12);
  return [...eligible].sort(
    (a, b) =>
      (a.latencyP50 as number) - (b.latencyP50 as number) ||
      (a.costMean ?? Number.POSITIVE_INFINITY) - (b.costMean ?? Number.POSITIVE_INFINITY),
  )[0];
}
