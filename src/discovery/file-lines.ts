// Reading a file's lines without holding the file: a JSONL eval of a million scenarios is read a megabyte at a time,
// each line with where it is (what ScenarioTable keeps to read a scenario again).
import { open } from "node:fs/promises";

/** The first two bytes of a file. */
export async function fileHead(absFile: string): Promise<Uint8Array> {
  const handle = await open(absFile, "r");
  try {
    const head = new Uint8Array(2);
    await handle.read(head, 0, 2, 0);
    return head;
  } finally {
    await handle.close();
  }
}

/** A line of a file: its text, 1-based number, byte offset and length. */
export interface FileLine {
  text: string;
  line: number;
  offset: number;
  length: number;
}

/**
 * The lines of a file (their `\r\n` or `\n` left out; a UTF-8 byte order mark too), read 1 MB at a time and
 * given by the MB.
 */
export async function* fileLines(absFile: string): AsyncGenerator<FileLine[]> {
  const handle = await open(absFile, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  let carry = Buffer.alloc(0);
  let base = 0; // file offset of data[0]
  let line = 0;
  const lineAt = (data: Buffer, start: number, end: number): FileLine => {
    let from = start;
    if (base + from === 0 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) from = 3;
    const to = end > from && data[end - 1] === 0x0d ? end - 1 : end;
    line++;
    return { text: data.toString("utf8", from, to), line, offset: base + from, length: to - from };
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const data = carry.length
        ? Buffer.concat([carry, buf.subarray(0, bytesRead)])
        : buf.subarray(0, bytesRead);
      let start = 0;
      const chunk: FileLine[] = [];
      for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
        chunk.push(lineAt(data, start, nl));
        start = nl + 1;
      }
      yield chunk;
      base += start;
      carry = Buffer.from(data.subarray(start));
    }
    // As `split` did: the text after the last newline is a line (empty when the file ends with one).
    yield [lineAt(carry, 0, carry.length)];
  } finally {
    await handle.close();
  }
}
