import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { errorAt } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";

/**
 * The send journal, output/<id>-send.jsonl: one JSON object per line, appended and fsync'ed. It is written ahead:
 * an "attempt" line (with the message's Message-ID) is on disk before the message is handed to the server, and
 * the outcome ("sent", "rejected", "not-sent", "unknown") after. A later run sends only to members without a
 * "sent" line; a member whose last line is an attempt without an outcome, or "unknown", may have received the
 * message and is not sent to again unless asked (--resend-unknown). Lines are never rewritten; a torn last line
 * (the machine died mid-write) is ignored.
 */
export type JournalStatus = "attempt" | "sent" | "rejected" | "not-sent" | "unknown";

export interface JournalRecord {
  /** The member's address as sent to. Compared case-insensitively. */
  email: string;
  /**
   * "attempt": about to hand the message to the server. "sent": the server accepted it (250 after DATA).
   * "rejected": the server refused the recipient. "not-sent": it failed before the server could have taken it.
   * "unknown": the connection was lost after the message was transmitted, before the server answered.
   */
  status: JournalStatus;
  /** The server's reply, e.g. "250 2.0.0 Ok: queued as 4XYZ" or "550 5.1.1 User unknown". */
  response?: string;
  /** Message-ID of the message: the same for the same issue, member and PDF, so a repeat can be recognised. */
  messageId?: string;
  /** ISO 8601 time of the record. */
  at: string;
  /** First 16 hex digits of the SHA-256 of the attached PDF, to notice a PDF that changed between runs. */
  pdf?: string;
}

const STATUSES: ReadonlySet<string> = new Set(["attempt", "sent", "rejected", "not-sent", "unknown"]);

export interface JournalState {
  records: JournalRecord[];
  /** Lowercased addresses recorded as sent. */
  sent: Set<string>;
  /** Lowercased address → its last record, for members that may have received the message (see above). */
  unknown: Map<string, JournalRecord>;
  /** 1-based numbers of lines that are not journal records (ignored). */
  badLines: number[];
  /** The file exists and its last byte is not a line break (a torn write): the next record starts a new line. */
  torn: boolean;
}

export async function readJournal(file: string): Promise<JournalState> {
  const bytes = await readBounded(file, { kind: "journal", missingOk: true });
  const text = bytes ? bytes.toString("utf8") : "";
  const records: JournalRecord[] = [];
  const badLines: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const r = JSON.parse(line) as Partial<JournalRecord>;
      if (typeof r.email === "string" && typeof r.status === "string" && STATUSES.has(r.status)) {
        records.push(r as JournalRecord);
        return;
      }
    } catch {
      // fall through
    }
    badLines.push(index + 1);
  });
  const sent = new Set<string>();
  const last = new Map<string, JournalRecord>();
  for (const r of records) {
    const key = r.email.toLowerCase();
    if (r.status === "sent") sent.add(key);
    last.set(key, r);
  }
  const unknown = new Map<string, JournalRecord>();
  for (const [key, r] of last) {
    if (!sent.has(key) && (r.status === "attempt" || r.status === "unknown")) unknown.set(key, r);
  }
  return { records, sent, unknown, badLines, torn: text.length > 0 && !text.endsWith("\n") };
}

/** Appends records durably: each append returns only once the line is on disk. */
export class JournalWriter {
  private constructor(
    private readonly fh: FileHandle,
    private needsNewline: boolean,
  ) {}

  static async open(file: string, torn: boolean): Promise<JournalWriter> {
    await mkdir(path.dirname(file), { recursive: true });
    const existed = statOrUndefined(file) !== undefined;
    const fh = await open(file, "a");
    if (!existed) await syncDirectory(path.dirname(file));
    return new JournalWriter(fh, torn);
  }

  async append(record: JournalRecord): Promise<void> {
    const line = `${this.needsNewline ? "\n" : ""}${JSON.stringify(record)}\n`;
    await this.fh.write(line);
    await this.fh.sync();
    this.needsNewline = false;
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

// --- the send lock ---------------------------------------------------------------------------------------------

/** What the lock file holds: who sends, from which machine, since when. */
interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/** A live sender touches its lock this often; a lock untouched for LOCK_STALE_MS belongs to no running send. */
const LOCK_HEARTBEAT_MS = 30_000;
export const LOCK_STALE_MS = 10 * 60_000;

/**
 * One send per issue at a time: a second `kaiho send` for the same issue while one runs would mail everyone
 * twice. The lock file holds the process id, the host and the start time, and a running sender touches it every
 * 30 s. A lock is stale — taken over without asking — when it was not touched for 10 minutes, or it is from this
 * machine and its process no longer runs or is another program that got the same process id since.
 */
export function acquireLock(journal: string, now: () => number = Date.now): () => void {
  const lock = `${journal}.lock`;
  mkdirSync(path.dirname(journal), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      try {
        const owner: LockOwner = {
          pid: process.pid,
          host: hostname(),
          started: new Date(now()).toISOString(),
        };
        writeSync(fd, `${JSON.stringify(owner)}\n`);
      } catch (e) {
        // A full disk: no empty lock may stay behind to block the next run.
        closeSync(fd);
        unlinkSync(lock);
        throw e;
      }
      closeSync(fd);
      const beat = setInterval(() => {
        try {
          const t = new Date(now());
          utimesSync(lock, t, t);
        } catch {
          // A lock that cannot be touched only risks being judged stale later.
        }
      }, LOCK_HEARTBEAT_MS);
      beat.unref();
      return () => {
        clearInterval(beat);
        try {
          unlinkSync(lock);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const live = liveOwner(lock, now());
      if (live) {
        const where =
          live.host === hostname() ? `プロセス ${live.pid}` : `${live.host} のプロセス ${live.pid}`;
        const whereEn =
          live.host === hostname() ? `process ${live.pid}` : `process ${live.pid} on ${live.host}`;
        throw errorAt(
          journal,
          `この号の送信は別の kaiho send（${where}、${live.started} 開始）が実行中です。二重に送らないよう、終わるまで待ってください。`,
          `Another kaiho send (${whereEn}, started ${live.started}) is sending this issue. Wait for it to finish, so nobody gets it twice.`,
          {
            hintJa: `実行中のものがないと確かめられたら、ロックを削除してからやり直してください: rm "${lock}"（Windows: del "${lock}"）。10 分以上更新のないロックは自動で外れます。`,
            hintEn: `If you are sure none is running, delete the lock and try again: rm "${lock}" (Windows: del "${lock}"). A lock not updated for 10 minutes is cleared automatically.`,
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
  throw errorAt(journal, `ロックファイル ${lock} を作れません。`, `Cannot create the lock file ${lock}.`, {
    hintJa: `rm "${lock}" で削除してからやり直してください。`,
    hintEn: `Delete it (rm "${lock}") and try again.`,
  });
}

/** The lock's owner if it is a live sender, undefined if the lock is stale (see acquireLock). */
function liveOwner(lock: string, now: number): LockOwner | undefined {
  const st = statOrUndefined(lock);
  if (!st) return undefined;
  const owner = parseOwner(safeRead(lock));
  if (!owner) {
    // Unreadable or an older kaiho's bare pid: only its age can say. A lock being written is a few ms old.
    const pid = Number.parseInt(safeRead(lock), 10);
    if (Number.isInteger(pid) && pid > 0 && now - st.mtimeMs < LOCK_STALE_MS && isRunning(pid)) {
      return { pid, host: hostname(), started: st.mtime.toISOString() };
    }
    return now - st.mtimeMs < 2_000 && !Number.isInteger(pid)
      ? { pid: 0, host: hostname(), started: st.mtime.toISOString() }
      : undefined;
  }
  if (now - st.mtimeMs >= LOCK_STALE_MS) return undefined;
  if (owner.host !== hostname()) return owner;
  if (owner.pid === process.pid || !isRunning(owner.pid)) return undefined;
  // The same process id on this machine may now be another program: it must have started before the lock.
  const started = processStart(owner.pid);
  if (started !== undefined && started > Date.parse(owner.started) + 1_000) return undefined;
  return owner;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.started === "string") {
      return { pid: o.pid, host: o.host, started: o.started };
    }
  } catch {
    // not ours
  }
  return undefined;
}

/** When a process started (ms since 1970), where the system says (Linux /proc); undefined elsewhere. */
function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
    if (!Number.isFinite(ticks) || !btime) return undefined;
    // USER_HZ is 100 on every Linux kaiho runs on.
    return Number(btime) * 1000 + (ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function safeRead(file: string): string {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > 4096) return "";
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
