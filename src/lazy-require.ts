import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded when first used, synchronously (the very module an `import` of it gets): a command
 * that never needs it never pays its load, which for ajv or yaml is tens of milliseconds of start-up per thread.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(specifier) as T;
    return loaded;
  };
}
