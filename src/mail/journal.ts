import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { access, type FileHandle, mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { errorAt } from "../diagnostics.js";

/**
 * The send journal, output/<id>-send.jsonl: one JSON object per line, appended and fsync'ed after each message
 * the server accepted or refused, before the next one is sent. It is what makes a send resumable: a later run
 * sends only to members without a "sent" line. Lines are never rewritten; a torn last line (the machine died
 * mid-write) is ignored.
 */
export interface JournalRecord {
  /** The member's address as sent to. Compared case-insensitively. */
  email: string;
  /** "sent": the server accepted the message (250 after DATA). "rejected": the server refused the recipient. */
  status: "sent" | "rejected";
  /** The server's reply, e.g. "250 2.0.0 Ok: queued as 4XYZ" or "550 5.1.1 User unknown". */
  response: string;
  /** Message-ID of the message, for finding it in the server's logs ("sent" only). */
  messageId?: string;
  /** ISO 8601 time of the server's reply. */
  at: string;
  /** First 16 hex digits of the SHA-256 of the attached PDF, to notice a PDF that changed between runs. */
  pdf?: string;
}

export interface JournalState {
  records: JournalRecord[];
  /** Lowercased addresses recorded as sent. */
  sent: Set<string>;
  /** 1-based numbers of lines that are not journal records (ignored). */
  badLines: number[];
  /** The file exists and its last byte is not a line break (a torn write): the next record starts a new line. */
  torn: boolean;
}

export async function readJournal(file: string): Promise<JournalState> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      return { records: [], sent: new Set(), badLines: [], torn: false };
    throw err;
  }
  const records: JournalRecord[] = [];
  const badLines: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const r = JSON.parse(line) as Partial<JournalRecord>;
      if (typeof r.email === "string" && (r.status === "sent" || r.status === "rejected")) {
        records.push(r as JournalRecord);
        return;
      }
    } catch {
      // fall through
    }
    badLines.push(index + 1);
  });
  const sent = new Set(records.filter((r) => r.status === "sent").map((r) => r.email.toLowerCase()));
  return { records, sent, badLines, torn: text.length > 0 && !text.endsWith("\n") };
}

/** Appends records durably: each append returns only once the line is on disk. */
export class JournalWriter {
  private constructor(
    private readonly fh: FileHandle,
    private needsNewline: boolean,
  ) {}

  static async open(file: string, torn: boolean): Promise<JournalWriter> {
    await mkdir(path.dirname(file), { recursive: true });
    const existed = await access(file).then(
      () => true,
      () => false,
    );
    const fh = await open(file, "a");
    if (!existed) await syncDirectory(path.dirname(file));
    return new JournalWriter(fh, torn);
  }

  async append(record: JournalRecord): Promise<void> {
    const line = `${this.needsNewline ? "\n" : ""}${JSON.stringify(record)}\n`;
    this.needsNewline = false;
    await this.fh.write(line);
    await this.fh.sync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** So that a newly created journal's directory entry survives a power cut too. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Not supported everywhere (Windows); the file's own fsync is what matters most.
  }
}

/**
 * One send per issue at a time: a second `kaiho send` for the same issue while one runs would mail everyone
 * twice. The lock file holds the process id; a lock left by a process that no longer runs (killed, crashed) is
 * taken over, so resuming after a crash needs no cleanup.
 */
export function acquireLock(journal: string): () => void {
  const lock = `${journal}.lock`;
  mkdirSync(path.dirname(journal), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lock);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(safeRead(lock), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw errorAt(
          journal,
          `この号の送信は別の kaiho send（プロセス ${pid}）が実行中です。二重に送らないよう、終わるまで待ってください。`,
          `Another kaiho send (process ${pid}) is sending this issue. Wait for it to finish, so nobody gets it twice.`,
          {
            hintJa: `実行中のものがない場合は ${lock} を削除してからやり直してください。`,
            hintEn: `If none is running, delete ${lock} and try again.`,
          },
        );
      }
      try {
        unlinkSync(lock);
      } catch {
        // someone else took it over first; try again
      }
    }
  }
  throw errorAt(journal, `ロックファイル ${lock} を作れません。`, `Cannot create the lock file ${lock}.`);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
