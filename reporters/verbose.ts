// The default console reporter with a line per case everywhere: in CI and pipes, and for files of any size.
import { DefaultReporter } from "./default.ts";

/**
 * `--reporter verbose`: the default reporter's output with one line per case as it ends, whatever the file's
 * size and whether or not stdout is a terminal (the default prints a line per eval file in CI and pipes).
 */
export class VerboseReporter extends DefaultReporter {
  protected override perCase(): boolean {
    return true;
  }
}

export default VerboseReporter;
