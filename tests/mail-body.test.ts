import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import chromium from "@sparticuz/chromium";
import { type ParsedMail, simpleParser } from "mailparser";
import { PDFDocument } from "pdf-lib";
import type { Browser } from "puppeteer-core";
import puppeteer from "puppeteer-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadIssue } from "../src/content/index.js";
import { Warnings } from "../src/diagnostics.js";
import { buildMailBody } from "../src/mail/body/index.js";
import { plainText } from "../src/typeset/markup.js";
import { CLI, projectWith, REPO, SAMPLE } from "./helpers/cli.js";
import { CORPUS_DIR } from "./helpers/corpus.js";
import { cachedPhoto, photoShape } from "./helpers/fixture-photos.js";
import { TestServer } from "./helpers/smtp-server.js";

/**
 * The email a member reads on a phone (`kaiho send`): the message is received by a real SMTP server and read
 * with mailparser, as a mail app would; its HTML is opened at 375 px in a headless Chromium. The issues: the
 * sample, the corpus issue with tables, info lists and notes, and tests/fixtures/mail (markup-like text, ruby,
 * links, long words, emoji, a tall and a tiny photo, the page-1 picture, List-Unsubscribe).
 *
 * The email edition PDF is made here (one page, pdf-lib) rather than by `kaiho build`: what is checked is that
 * the file on disk is what gets attached, and a build would cost the suite ten seconds for nothing more.
 */

const FROM = "市職労ニュース <news@example.jp>";

interface Project {
  root: string;
  issue: string;
  id: string;
  members: string;
  pdf: Buffer;
}

function run(args: string[], env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KAIHO_")));
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env } });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (status) => resolve({ status: status ?? -1, stderr }));
  });
}

async function project(id: string, files: (dir: string) => Promise<void>): Promise<Project> {
  const root = mkdtempSync(path.join(tmpdir(), "kaiho-mail-body-"));
  const issue = path.join(root, "content", id);
  mkdirSync(issue, { recursive: true });
  mkdirSync(path.join(root, "output"), { recursive: true });
  await files(issue);
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.setTitle(id);
  const pdf = Buffer.from(await doc.save());
  writeFileSync(path.join(root, "output", `${id}-email.pdf`), pdf);
  // The page-1 picture the build writes (1200 px wide), for email.preview.
  const png = await sharp({ create: { width: 1200, height: 1697, channels: 3, background: "#e8f0ff" } })
    .png()
    .toBuffer();
  writeFileSync(path.join(root, "output", `${id}-page1.png`), png);
  const members = path.join(root, "members.csv");
  writeFileSync(members, "氏名,メールアドレス\n山田 太郎,taro@example.jp\n");
  // Dry runs go to someone the journal does not yet record as sent to.
  writeFileSync(path.join(root, "dry.csv"), "氏名,メールアドレス\n佐藤 花子,hanako@example.jp\n");
  return { root, issue, id, members, pdf };
}

/** Copies a fixture issue and draws its `<name>-<w>x<h>.jpg` photos. */
async function fixtureProject(id: string, yamlFile: string): Promise<Project> {
  return project(id, async (dir) => {
    const yaml = readFileSync(yamlFile, "utf8");
    writeFileSync(path.join(dir, "issue.yaml"), yaml);
    for (const m of yaml.matchAll(/src:\s*(\S+)/g)) {
      const src = m[1] ?? "";
      if (photoShape(src)) writeFileSync(path.join(dir, src), await cachedPhoto(src, id));
    }
  });
}

async function sendTo(server: TestServer, p: Project, env: Record<string, string> = {}): Promise<ParsedMail> {
  const r = await run(["send", p.issue, "--members", p.members, "--root", p.root, "--rate", "6000"], {
    KAIHO_SMTP_URL: server.url(),
    KAIHO_MAIL_FROM: FROM,
    ...env,
  });
  expect(r.status, r.stderr).toBe(0);
  const mine = server.received.filter((m) => m.raw.toString("latin1").includes(`<kaiho.${p.id}.`));
  expect(mine).toHaveLength(1);
  // keepCidLinks: the HTML as sent, with its cid: references (mailparser would put the images in otherwise).
  return simpleParser(mine[0]?.raw ?? Buffer.alloc(0), { keepCidLinks: true });
}

/** Every headline of an issue.yaml as a reader sees it: articles, corners, schedules, tables, info lists. */
function headlines(yamlText: string): string[] {
  const doc = parse(yamlText) as { blocks: Array<Record<string, unknown>> };
  const out: string[] = [];
  const leaf = (b: Record<string, unknown>) => {
    const inner = Object.values(b)[0] as Record<string, unknown> | undefined;
    if (!inner || typeof inner !== "object" || Array.isArray(inner)) return;
    for (const key of ["title", "caption"])
      if (typeof inner[key] === "string") out.push(inner[key] as string);
  };
  for (const b of doc.blocks) {
    if (Array.isArray(b.row)) for (const c of b.row as Array<Record<string, unknown>>) leaf(c);
    else leaf(b);
  }
  return out;
}

/** The text a reader sees in the HTML (tags out, entities decoded, ruby readings kept in their parentheses). */
function htmlText(html: string): string {
  return html
    .replace(/<rp>[^<]*<\/rp>/g, "")
    .replace(/<rt>[^<]*<\/rt>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
}

function inlineImages(mail: ParsedMail) {
  return mail.attachments.filter((a) => a.contentDisposition === "inline");
}

interface PhoneView {
  scrollWidth: number;
  overflowing: string[];
  bodyFontSize: number;
  smallestText: number;
  paragraphFontSizes: number[];
  images: Array<{ src: string; natural: number; shown: number; shownHeight: number }>;
  scripts: number;
  rubies: Array<{ base: string; rt: string }>;
  links: string[];
  h1: string;
}

let browser: Browser | undefined;

/** The HTML part at 375 × 812 CSS px, with the cid: images given from the message's own attachments. */
async function onPhone(mail: ParsedMail, screenshot?: { prefix: string; at: string[] }): Promise<PhoneView> {
  let html = String(mail.html);
  for (const a of inlineImages(mail)) {
    html = html.replaceAll(`cid:${a.cid}`, `data:${a.contentType};base64,${a.content.toString("base64")}`);
  }
  // The test machine has no Japanese font: give Chromium the one kaiho prints with, as a phone has its own.
  // Characters Noto Sans JP lacks (污, emoji) come from Noto Sans SC and Noto Emoji, as on the page: their faces are declared first under
  // the same family name, so the JP faces, declared later, win wherever both have the character.
  const fontsource = path.join(REPO, "node_modules/@fontsource");
  const fallback = [
    ["noto-sans-sc", "Noto Sans SC"],
    ["noto-emoji", "Noto Emoji"],
  ].map(([pkg = "", family = ""]) =>
    readFileSync(path.join(fontsource, pkg, "400.css"), "utf8")
      .replaceAll(family, "Noto Sans JP")
      .replaceAll("url(./", `url(${pathToFileURL(path.join(fontsource, pkg)).href}/`),
  );
  const fonts = [
    `<style>${fallback.join("\n")}</style>`,
    ...["400", "700"].map(
      (w) =>
        `<link rel="stylesheet" href="${pathToFileURL(path.join(fontsource, "noto-sans-jp", `${w}.css`)).href}">`,
    ),
  ].join("");
  const dir = mkdtempSync(path.join(tmpdir(), "kaiho-mail-html-"));
  const file = path.join(dir, "mail.html");
  writeFileSync(file, html.replace("</head>", `${fonts}</head>`));
  browser ??= await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 375, height: 812, deviceScaleFactor: screenshot ? 2 : 1 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // KAIHO_EMAIL_SCREENSHOT=<prefix>: pictures for the README, one a phone screen high, from each headline named.
    for (const [i, at] of (screenshot?.at ?? []).entries()) {
      const y = await page.evaluate((text) => {
        const h = [...document.querySelectorAll("h1, h2")].find((e) => e.textContent?.includes(text));
        return h ? Math.max(0, h.getBoundingClientRect().top + window.scrollY - 16) : 0;
      }, at);
      await page.screenshot({
        path: `${screenshot?.prefix}-${i + 1}.png`,
        clip: { x: 0, y, width: 375, height: 812 },
        captureBeyondViewport: true,
      });
    }
    return await page.evaluate(() => {
      const all = [...document.body.querySelectorAll<HTMLElement>("*")];
      // Ruby readings are small by nature (half the base), as on the page.
      const hasText = (e: Element) =>
        e.tagName !== "RT" &&
        [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
      const size = (e: Element) => Number.parseFloat(getComputedStyle(e).fontSize);
      const container = document.body.firstElementChild as HTMLElement;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        overflowing: all
          .filter((e) => e.getBoundingClientRect().right > 375.5)
          .map((e) => `${e.tagName} ${e.textContent?.slice(0, 40)}`),
        bodyFontSize: size(container),
        smallestText: Math.min(...all.filter(hasText).map(size)),
        paragraphFontSizes: [...document.querySelectorAll("p")]
          .filter((p) => !p.closest("[style*='font-size:14px']") && !p.style.fontSize)
          .map(size),
        images: [...document.images].map((i) => ({
          src: i.src.slice(0, 30),
          natural: i.naturalWidth,
          shown: i.getBoundingClientRect().width,
          shownHeight: i.getBoundingClientRect().height,
        })),
        scripts: document.querySelectorAll("script").length,
        rubies: [...document.querySelectorAll("ruby")].map((r) => ({
          base: [...r.childNodes]
            .filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent)
            .join(""),
          rt: r.querySelector("rt")?.textContent ?? "",
        })),
        links: [...document.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? ""),
        h1: document.querySelector("h1")?.textContent ?? "",
      };
    });
  } finally {
    await page.close();
  }
}

function expectReadableOnPhone(view: PhoneView): void {
  expect(view.scrollWidth).toBeLessThanOrEqual(375);
  expect(view.overflowing).toEqual([]);
  expect(view.bodyFontSize).toBeGreaterThanOrEqual(16);
  expect(view.paragraphFontSizes.length).toBeGreaterThan(0);
  for (const s of view.paragraphFontSizes) expect(s).toBeGreaterThanOrEqual(16);
  // Captions, remarks and the last lines are smaller, never below 14 px.
  expect(view.smallestText).toBeGreaterThanOrEqual(14);
  for (const img of view.images) {
    expect(img.natural, img.src).toBeGreaterThan(0);
    expect(img.shown).toBeLessThanOrEqual(375 - 32);
    // A tall photo is shown narrower rather than taller than a screen.
    expect(img.shownHeight).toBeLessThanOrEqual(521);
  }
}

describe("the email members read on a phone", () => {
  let server: TestServer;
  let sample: Project;
  let tables: Project;
  let pta: Project;
  const mails = new Map<string, ParsedMail>();

  beforeAll(async () => {
    server = await new TestServer().start();
    sample = await project(SAMPLE, async (dir) => {
      cpSync(path.join(REPO, "content", SAMPLE), dir, { recursive: true });
    });
    tables = await fixtureProject("blocks-tables", path.join(CORPUS_DIR, "blocks-tables", "issue.yaml"));
    pta = await fixtureProject("pta-mail", path.join(REPO, "tests", "fixtures", "mail", "issue.yaml"));
    const [a, b, c] = await Promise.all([
      sendTo(server, sample),
      sendTo(server, tables),
      sendTo(server, pta),
    ]);
    mails
      .set("sample", a as ParsedMail)
      .set("tables", b as ParsedMail)
      .set("pta", c as ParsedMail);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("tells the sample issue in HTML and in plain text: every headline, every photo inline by cid, the PDF attached", async () => {
    const mail = mails.get("sample") as ParsedMail;
    const yaml = readFileSync(path.join(sample.issue, "issue.yaml"), "utf8");
    expect(mail.from?.value[0]?.address).toBe("news@example.jp");
    expect(mail.from?.value[0]?.name).toBe("市職労ニュース");
    expect(mail.subject).toBe("市職労ニュース 第485号（2023年12月1日発行）");
    const titles = headlines(yaml).map(plainText);
    expect(titles.length).toBe(8);
    const html = htmlText(String(mail.html));
    for (const t of titles) {
      expect(html).toContain(t);
      expect(mail.text).toContain(t);
    }
    // The body text itself, not only the headlines: a sentence from each page, and a schedule line.
    for (const words of [
      "講師にj-union専属講師である小林薫氏をお招きし",
      "「数は力」みんなでちからを合わせ",
    ]) {
      expect(html).toContain(words);
      expect(mail.text).toContain(words);
    }
    expect(mail.text).toMatch(/12月22日\(金\)：市職労定期回答交渉\n\s+第2回市職労中央執行委員会/);
    expect(mail.text).toContain("【ラミちゃん】");

    // Seven photos, each a JPEG at most 600 px wide, each referred to by the HTML; no page-1 picture by default.
    const images = inlineImages(mail);
    expect(images).toHaveLength(7);
    for (const img of images) {
      expect(img.contentType).toBe("image/jpeg");
      expect(String(mail.html).includes(`src="cid:${img.cid}"`), img.cid).toBe(true);
      const meta = await sharp(img.content).metadata();
      expect(meta.width).toBeLessThanOrEqual(600);
      expect(img.size).toBeLessThan(150_000);
    }
    expect(String(mail.html)).not.toContain("cid:page1@kaiho");
    const attached = mail.attachments.filter((a) => a.contentDisposition === "attachment");
    expect(attached.map((a) => a.filename)).toEqual([`${SAMPLE}.pdf`]);
    expect(Buffer.compare(attached[0]?.content ?? Buffer.alloc(0), sample.pdf)).toBe(0);
    // Exactly-once sending is untouched: the same deterministic Message-ID form, no List-Unsubscribe unless set.
    expect(mail.messageId).toMatch(/^<kaiho\.shishokuro-485\.[0-9a-f]{32}@example\.jp>$/);
    expect(mail.headers.has("list-unsubscribe")).toBe(false);
  });

  it("fits a 375 px screen with 16 px text: no horizontal scroll, photos within the column", async () => {
    const shots = process.env.KAIHO_EMAIL_SCREENSHOT;
    for (const [name, mail] of mails) {
      const at =
        name === "sample" ? ["市職労ニュース", "今後の予定"] : name === "tables" ? ["決算"] : ["運動会"];
      const view = await onPhone(mail, shots ? { prefix: `${shots}-${name}`, at } : undefined);
      expectReadableOnPhone(view);
      expect(view.images.length).toBe(inlineImages(mail).length);
    }
  }, 60_000);

  it("tells tables as records, info lists as key and value, remarks with their mark", () => {
    const mail = mails.get("tables") as ParsedMail;
    const html = htmlText(String(mail.html));
    for (const words of [
      "令和7年度 一般会計 決算（単位：円）",
      "町内会費",
      "1,490,400",
      "312世帯×月400円",
      "支出合計",
      "春の一斉清掃",
      "各班のごみ集積所",
      "hibari.chonaikai@example.jp",
      "△はマイナスを表します",
    ]) {
      expect(html).toContain(words);
      expect(mail.text).toContain(words);
    }
    // A row is a record: the first cell names it, each other cell follows its header.
    expect(mail.text).toMatch(/◇ 町内会費\n\s*予算額：1,497,600\n\s*決算額：1,490,400\n\s*差額：△7,200/);
    expect(String(mail.html)).toMatch(/予算額：<\/span>1,497,600/);
    // An empty cell is left out rather than shown as a bare header.
    expect(mail.text).not.toMatch(/◇ 前年度繰越金\n(\s+.+\n)*\s*備考：\n/);
    expect(mail.text).toContain("持ち物：軍手、ほうき、ちりとり");
    expect(mail.text).toContain("※冷暖房を使う場合は");
    expect(String(mail.html)).toContain('href="mailto:hibari.chonaikai@example.jp"');
  });

  it("keeps the editor's text as text, ruby as <ruby> and （かな）, links clickable, and List-Unsubscribe", async () => {
    const mail = mails.get("pta") as ParsedMail;
    const raw = String(mail.html);
    // Nothing from issue.yaml becomes markup.
    expect(raw).not.toMatch(/<script|<b>|<i>/i);
    expect(mail.subject).toBe("PTAだより 第3号 <6月号> & お知らせ");
    const view = await onPhone(mail);
    expectReadableOnPhone(view);
    expect(view.scripts).toBe(0);
    expect(htmlText(raw)).toContain("<script>alert('見出し')</script> 運動会のお知らせ 🏃‍♀️");
    expect(htmlText(raw)).toContain("Tom & Jerry's <b>ひろば</b>");
    expect(htmlText(raw)).toContain('<script>alert("x")</script> はそのまま文字で見えます。');
    // The greeting keeps its line breaks.
    expect(raw).toContain("保護者の皆さま<br>いつもPTA活動に");
    expect(mail.text).toContain(
      "保護者の皆さま\nいつもPTA活動にご協力いただきありがとうございます。\n\nPTAだより",
    );
    // Ruby: <ruby> with a reading in the HTML, 漢字（かんじ） in the text.
    expect(view.rubies).toEqual(
      expect.arrayContaining([
        { base: "桜", rt: "さくら" },
        { base: "運動会", rt: "うんどうかい" },
        { base: "水筒", rt: "すいとう" },
      ]),
    );
    expect(view.h1).toContain("桜");
    expect(mail.text).toContain("桜（さくら）ヶ丘小 PTAだより");
    expect(mail.text).toContain("運動会（うんどうかい）のお知らせ");
    expect(mail.text).toContain("持ち物：水筒（すいとう）、帽子、タオル");
    expect(mail.text).toContain("服装：体操服\n　　赤白帽子");
    expect(mail.text).toContain("＞ 昨年の感想");
    expect(mail.text).toContain("※1 駐車場はありません。");
    expect(mail.text).toContain("＊写真の撮影は");
    expect(mail.text).toContain("注1：ごみはお持ち帰りください。");
    expect(mail.text).toContain("［写真］昨年の「玉入れ」 <i>5年生</i>");
    expect(mail.text).not.toContain("**");
    // Bold stays bold, links open.
    expect(raw).toContain("<strong>６月２９日（土）</strong>");
    expect(view.links).toEqual(
      expect.arrayContaining([
        "https://sakuragaoka-es.example.jp/news/2026/undoukai-no-oshirase-to-chuui-jikou-ichiran.html",
        "mailto:pta@example.jp",
        "https://sakuragaoka-es.example.jp/",
        "https://pta.example.jp/unsubscribe?list=news",
      ]),
    );
    // The page-1 picture with email.preview: true, and the photos; the tiny one is not enlarged.
    const cids = inlineImages(mail).map((a) => a.cid);
    expect(cids).toEqual(expect.arrayContaining(["page1@kaiho", "photo-1@kaiho", "photo-2@kaiho"]));
    const tiny = inlineImages(mail).find((a) => a.cid === "photo-2@kaiho");
    expect((await sharp(tiny?.content ?? Buffer.alloc(0)).metadata()).width).toBe(200);
    // List-Unsubscribe from email.unsubscribe; one-click only because there is an https URL.
    expect(rawHeader(pta, server, "List-Unsubscribe")).toBe(
      "<https://pta.example.jp/unsubscribe?list=news>, <mailto:pta-stop@example.jp?subject=unsubscribe>",
    );
    expect(rawHeader(pta, server, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.text).toContain(
      "配信停止のご希望は https://pta.example.jp/unsubscribe?list=news または pta-stop@example.jp へ。",
    );
  }, 60_000);

  it("takes the sender from KAIHO_MAIL_FROM in a dry run, says so when it is not set, reuses the resized photos", async () => {
    const dir = path.join(sample.root, "output", "mail", SAMPLE);
    const dryList = path.join(sample.root, "dry.csv");
    const args = ["send", sample.issue, "--members", dryList, "--root", sample.root, "--dry-run"];
    const cache = path.join(sample.root, ".cache", "kaiho", "mail");
    const cached = readdirSync(cache).sort();
    expect(cached).toHaveLength(7);

    const withFrom = await run(args, { KAIHO_MAIL_FROM: FROM });
    expect(withFrom.status, withFrom.stderr).toBe(0);
    expect(withFrom.stderr).not.toContain("from-not-set");
    const eml = readdirSync(dir).filter((n) => n.endsWith(".eml"));
    expect(eml).toHaveLength(1);
    const dry = await simpleParser(readFileSync(path.join(dir, eml[0] ?? "")), { keepCidLinks: true });
    expect(dry.from?.value[0]?.address).toBe("news@example.jp");
    expect(inlineImages(dry)).toHaveLength(7);
    // The same photos, read back from the cache rather than made again.
    expect(readdirSync(cache).sort()).toEqual(cached);

    const without = await run(args, {});
    expect(without.status, without.stderr).toBe(0);
    expect(without.stderr).toMatch(/警告 warning: 差出人（KAIHO_MAIL_FROM）が設定されていない/);
    expect(without.stderr).toContain("KAIHO_MAIL_FROM is not set");
  }, 60_000);

  it("takes List-Unsubscribe from the settings, and refuses a wrong one in issue.yaml naming its line", async () => {
    const dryList = path.join(tables.root, "dry.csv");
    const args = ["send", tables.issue, "--members", dryList, "--root", tables.root, "--dry-run"];
    const set = await run(args, { KAIHO_MAIL_FROM: FROM, KAIHO_MAIL_UNSUBSCRIBE: "stop@example.jp" });
    expect(set.status, set.stderr).toBe(0);
    const dir = path.join(tables.root, "output", "mail", "blocks-tables");
    const eml = readFileSync(path.join(dir, readdirSync(dir)[0] ?? "")).toString("latin1");
    expect(eml).toMatch(/^List-Unsubscribe: <mailto:stop@example\.jp\?subject=unsubscribe>\r$/m);
    expect(eml).not.toMatch(/^List-Unsubscribe-Post:/m);

    const file = path.join(tables.issue, "issue.yaml");
    const yaml = readFileSync(file, "utf8");
    writeFileSync(
      file,
      yaml.replace("paper: A4\n", "paper: A4\nemail:\n  unsubscribe: http://example.jp/stop\n"),
    );
    const bad = await run(args, { KAIHO_MAIL_FROM: FROM });
    writeFileSync(file, yaml);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /content\/blocks-tables\/issue\.yaml:8:\d+: エラー error: 配信停止の宛先「http:\/\/example\.jp\/stop」/,
    );
    expect(bad.stderr).toContain("neither an email address nor an https URL");
  }, 60_000);
});

/** A header line as it stands in the received message (mailparser turns List-* headers into objects). */
function rawHeader(p: Project, server: TestServer, name: string): string {
  const raw =
    server.received.find((r) => r.raw.toString("latin1").includes(`<kaiho.${p.id}.`))?.raw ?? Buffer.alloc(0);
  const m = new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, "mi").exec(raw.toString("latin1"));
  return (m?.[1] ?? "").replace(/\r\n[ \t]+/g, " ").trim();
}

describe("the message body, built in process", () => {
  it("follows the issue: grey photos for mono, the logo, photos at the top, signature brackets, a photo gone", async () => {
    const yaml = `newsletter: 社内報 みなと
publisher: みなと物流株式会社 総務部
date: 2026-09-01
theme: mono
logo: logo.png
blocks:
  - article:
      title: 新倉庫が完成しました
      photosAt: top
      body: |
        9月1日から、新しい倉庫で出荷を始めました。
      photos:
        - { src: souko-1600x1000.jpg, caption: 新倉庫の外観 }
      signature: { text: 総務部, brackets: "（）" }
  - corner:
      title: 社員紹介
      subtitle: 物流課 山本さん
      body: 趣味は釣りです。
      photos:
        - { src: gone-800x600.jpg, caption: 釣った魚と }
`;
    const { root, issue: dir } = projectWith(yaml, {
      "souko-1600x1000.jpg": await cachedPhoto("souko-1600x1000.jpg", "mail"),
      "gone-800x600.jpg": await cachedPhoto("gone-800x600.jpg", "mail"),
      "logo.png": await sharp({ create: { width: 400, height: 400, channels: 4, background: "#00000000" } })
        .png()
        .toBuffer(),
    });
    const warnings = new Warnings();
    const issue = await loadIssue(dir, { root, warnings });
    // The photo is removed after the build: the message goes without it, saying so with its line.
    writeFileSync(path.join(dir, "gone-800x600.jpg"), "not a photo any more");
    const body = await buildMailBody(issue, {
      cacheDir: path.join(root, ".cache", "kaiho", "mail"),
      warnings,
      pdfName: "test-issue.pdf",
    });
    expect(body.subject).toBe("社内報 みなと（2026年9月1日発行）");
    expect(body.images.map((i) => i.cid)).toEqual(["logo@kaiho", "photo-1@kaiho"]);
    const [logo, photo] = await Promise.all(body.images.map((i) => sharp(i.content).metadata()));
    expect(logo?.width).toBe(240);
    expect(photo?.width).toBe(600);
    expect(photo?.height).toBe(375);
    // mono: grey photos, as the screen and email editions show them.
    expect(photo?.channels).toBe(1);
    expect(body.html.indexOf("cid:logo@kaiho")).toBeLessThan(body.html.indexOf("<h1"));
    expect(body.html.indexOf("cid:photo-1@kaiho")).toBeLessThan(body.html.indexOf("新しい倉庫で出荷"));
    expect(body.text).toContain("（総務部）");
    expect(body.text).toContain("物流課 山本さん");
    expect(body.text).toContain("［写真］釣った魚と");
    expect(htmlText(body.html)).toContain("［写真］釣った魚と");
    expect(warnings.list).toHaveLength(1);
    expect(warnings.list[0]).toMatchObject({ line: 20 });
    expect(warnings.list[0]?.ja).toContain("gone-800x600.jpg");
  }, 30_000);
});
