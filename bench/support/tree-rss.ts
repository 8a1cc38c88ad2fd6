import { readdirSync, readFileSync } from "node:fs";

/**
 * Samples the resident memory of a process and all its descendants every `everyMs` (Linux /proc): each sample sums
 * the RSS of every process of the tree, and stop() resolves with the largest
 * sum in KB (each process's VmRSS from /proc/<pid>/status). The tree is re-listed every tenth sample (tools start
 * their children early), the RSS read at every sample.
 */
export function sampleTreeRss(rootPid: number, everyMs = 50): { stop(): number } {
  let tree = [rootPid];
  let peakKb = 0;
  let n = 0;
  const sample = () => {
    if (n++ % 10 === 0) tree = descendants(rootPid);
    let kb = 0;
    for (const pid of tree) kb += rssKb(pid);
    peakKb = Math.max(peakKb, kb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peakKb;
    },
  };
}

/** The process and its descendants, from each /proc/<pid>/stat's parent pid. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name (in parentheses, may hold spaces): state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
