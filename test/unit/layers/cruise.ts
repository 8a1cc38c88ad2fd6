import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

export const REPO = fileURLToPath(new URL("../../..", import.meta.url));
export const RULES = `${REPO}.dependency-cruiser.cjs`;

/** Cruises `paths` under `baseDir` with the project's real rules (.dependency-cruiser.cjs), as `npm run lint` does. */
export async function cruiseWithProjectRules(baseDir: string, paths: string[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(RULES);
  const { output } = await cruise(
    paths,
    { ...options, baseDir },
    {},
    { tsConfig: extractTSConfig(`${REPO}tsconfig.json`) },
  );
  return output as ICruiseResult;
}
