import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PAGE_HTML } from "./page.js";
import type { PageImage, PageState } from "./types.js";

/**
 * The preview's web server, on 127.0.0.1 only: the page, the page PNGs (from memory, named by their content so a
 * browser may keep them), and a server-sent event stream that carries every new state. Requests naming another
 * host are refused, so a web page elsewhere cannot read the issue through a DNS name pointed at 127.0.0.1.
 */

/**
 * The page's own Japanese font, from the Noto Sans JP package the build sets text with: its CSS and the
 * unicode-range slices the browser asks for, so messages read the same in any browser (a headless one, or one
 * on a system without Japanese fonts, would show boxes).
 */
const FONT_DIR = path.dirname(
  createRequire(import.meta.url).resolve("@fontsource/noto-sans-jp/package.json"),
);
const FONT_FILE = /^\/fonts\/noto-sans-jp\/((?:400|700)\.css|files\/noto-sans-jp-[a-z0-9-]+\.woff2)$/;

const KEPT_STATES = 4;

export interface ServerOptions {
  /** 0: a free port. */
  port: number;
}

export class PreviewServer {
  private readonly clients = new Set<ServerResponse>();
  /** The PNGs of the last few states, newest first: a page that is slow to load may still ask for older ones. */
  private recent: Array<Map<string, Buffer>> = [];
  private state: PageState | undefined;
  private keepAlive: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    // A comment line now and then keeps proxies and sleeping laptops from dropping the stream unnoticed.
    this.keepAlive = setInterval(() => {
      for (const c of this.clients) c.write(": keep-alive\n\n");
    }, 15_000);
    this.keepAlive.unref();
  }

  static async start(opts: ServerOptions): Promise<PreviewServer> {
    let self: PreviewServer | undefined;
    const server = createServer((req, res) => self?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    self = new PreviewServer(server, (server.address() as AddressInfo).port);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Sends a new state to every open page. */
  publish(state: PageState, pages: PageImage[]): void {
    this.recent = [new Map(pages.map((p) => [p.key, p.png])), ...this.recent.slice(0, KEPT_STATES - 1)];
    this.state = state;
    const event = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
    for (const c of this.clients) c.write(event);
  }

  /** Tells the open pages a rebuild has started. */
  building(): void {
    for (const c of this.clients) c.write("event: building\ndata: {}\n\n");
  }

  async close(): Promise<void> {
    clearInterval(this.keepAlive);
    for (const c of this.clients) c.end();
    this.clients.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) {
      res.writeHead(403).end();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(PAGE_HTML);
      return;
    }
    if (url.pathname === "/events") {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write("retry: 1000\n\n");
      if (this.state) res.write(`event: state\ndata: ${JSON.stringify(this.state)}\n\n`);
      this.clients.add(res);
      req.on("close", () => this.clients.delete(res));
      return;
    }
    if (url.pathname === "/state.json") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify(this.state ?? null));
      return;
    }
    const font = FONT_FILE.exec(url.pathname);
    if (font) {
      const file = font[1] as string;
      readFile(path.join(FONT_DIR, file)).then(
        (bytes) => {
          res.writeHead(200, {
            "content-type": file.endsWith(".css") ? "text/css; charset=utf-8" : "font/woff2",
            "cache-control": "max-age=86400",
          });
          res.end(bytes);
        },
        () => res.writeHead(404).end(),
      );
      return;
    }
    const page = /^\/pages\/([0-9a-f]+)\.png$/.exec(url.pathname);
    const key = page?.[1];
    const png = key && this.recent.find((pngs) => pngs.has(key))?.get(key);
    if (png) {
      res.writeHead(200, {
        "content-type": "image/png",
        "content-length": png.length,
        "cache-control": "max-age=31536000, immutable",
      });
      res.end(png);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
  }
}
