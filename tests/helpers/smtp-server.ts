import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { afterAll } from "vitest";

/** A real SMTP server on 127.0.0.1 (a random port, no TLS) whose faults a test chooses, for the sender's tests. */

export const PASSWORD = "S3cr3t:p@ss/w0rd";
export const USER = "kaiho-news";

export interface Received {
  rcptTo: string[];
  raw: Buffer;
}

export interface Behaviour {
  /** At MAIL FROM, given how many messages were accepted so far: go on, cut the connection, or never answer. */
  atMailFrom?: (accepted: number) => "ok" | "drop" | "hold";
  /** At connect: accept, or refuse with 421 (the server is "down"). */
  atConnect?: () => "ok" | "421";
  rejectRcpt?: (address: string) => boolean;
  /**
   * After the message was transmitted (the final dot), given how many were accepted before: answer 250; take it
   * and cut the connection without answering ("drop": the sender cannot know); refuse it with 421; or take it
   * and never answer ("hold": a server that hangs after DATA).
   */
  afterData?: (accepted: number) => "ok" | "drop" | "421" | "hold";
}

export class TestServer {
  readonly received: Received[] = [];
  connections = 0;
  authUsers: string[] = [];
  held = 0;
  behaviour: Behaviour = {};
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      allowInsecureAuth: true,
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      onConnect: (_session, cb) => {
        this.connections++;
        if (this.behaviour.atConnect?.() === "421") {
          return cb(
            Object.assign(new Error("Service not available, try again later"), { responseCode: 421 }),
          );
        }
        cb();
      },
      onAuth: (auth, _session, cb) => {
        if (auth.password !== PASSWORD) {
          return cb(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
        }
        this.authUsers.push(auth.username ?? "");
        cb(null, { user: auth.username });
      },
      onMailFrom: (_address, session, cb) => {
        const what = this.behaviour.atMailFrom?.(this.received.length) ?? "ok";
        if (what === "drop") return this.destroy(session);
        if (what === "hold") {
          this.held++;
          return; // never answers: the client waits
        }
        cb();
      },
      onRcptTo: (address, _session, cb) => {
        if (this.behaviour.rejectRcpt?.(address.address)) {
          return cb(Object.assign(new Error("5.1.1 User unknown"), { responseCode: 550 }));
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const what = this.behaviour.afterData?.(this.received.length) ?? "ok";
          if (what === "421") {
            return cb(Object.assign(new Error("4.3.2 Try again later"), { responseCode: 421 }));
          }
          this.received.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          if (what === "drop") return this.destroy(session);
          if (what === "hold") {
            this.held++;
            return;
          }
          cb(null, `2.0.0 Ok: queued as Q${this.received.length}`);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  url(password = PASSWORD): string {
    return `smtp://${USER}:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  /** How many messages each address received (by envelope). */
  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.received) for (const a of r.rcptTo) m.set(a, (m.get(a) ?? 0) + 1);
    return m;
  }

  private destroy(session: SMTPServerSession): void {
    for (const c of this.server.connections) {
      const conn = c as unknown as { id: string; _socket: { destroy(): void } };
      if (conn.id === session.id) conn._socket.destroy();
    }
  }

  close(): Promise<void> {
    for (const c of this.server.connections)
      (c as unknown as { _socket: { destroy(): void } })._socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A test file's servers: `const server = smtpServers();` at the top, then `await server(behaviour)` in a test
 * starts one; all are closed after the file's tests.
 */
export function smtpServers(): (behaviour?: Behaviour) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });
  return async (behaviour = {}) => {
    const s = await new TestServer().start();
    s.behaviour = behaviour;
    started.push(s);
    return s;
  };
}
