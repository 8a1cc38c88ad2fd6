// Ctrl-C while the CLI is still loading must end it as Ctrl-C ends any command: exit 130, no stack trace.

/**
 * Installs, first thing in a bin entry, the handler of a SIGINT (or SIGTERM) that arrives before a command
 * installs its own — while modules load, flags are parsed, the config is read: the process exits at once with
 * 130 (143 for SIGTERM), the shell's code for it. A command that handles signals itself (a run, watch, ui,
 * simulate) adds its listener, and this one stands aside while there is another.
 */
export function exitOnEarlySignal() {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(code);
    });
}
