/**
 * The preview page: the pages side by side (or one under the other), each PNG swapped in place when a new state
 * arrives over server-sent events, so the scroll position stays; preflight marks drawn as boxes scaled to the
 * page; a failed rebuild's messages over the last good pages, as the terminal prints them.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kaiho preview</title>
<link rel="stylesheet" href="/fonts/noto-sans-jp/400.css">
<link rel="stylesheet" href="/fonts/noto-sans-jp/700.css">
<style>
  :root { color-scheme: light; font-family: "Noto Sans JP", system-ui, sans-serif; }
  body { margin: 0; background: #5b5f66; }
  header { position: sticky; top: 0; z-index: 3; display: flex; gap: 12px; align-items: center; padding: 8px 16px;
    background: #23262b; color: #eee; font-size: 14px; }
  header #issue { font-weight: bold; }
  header #status.ok { color: #8fd18f; } header #status.failed { color: #ff8a80; } header #status.busy { color: #ffd27f; }
  header .spacer { flex: 1; }
  header button { font: inherit; background: #3a3f46; color: #eee; border: 1px solid #666; border-radius: 4px;
    padding: 3px 10px; cursor: pointer; }
  main#pages { display: flex; flex-wrap: wrap; gap: 24px; justify-content: center; padding: 24px; }
  main#pages.scroll { flex-direction: column; align-items: center; }
  .page { position: relative; background: #fff; box-shadow: 0 2px 10px rgba(0,0,0,.45);
    width: calc(50% - 12px); max-width: 1000px; }
  main#pages.scroll .page { width: min(100%, 900px); }
  .page img { display: block; width: 100%; height: auto; }
  .page .number { position: absolute; bottom: -20px; left: 0; right: 0; text-align: center; color: #ddd; font-size: 12px; }
  main.stale .page img { opacity: .45; filter: grayscale(1); }
  .mark { position: absolute; box-sizing: border-box; pointer-events: auto; }
  .mark span { position: absolute; left: -2px; top: -18px; white-space: nowrap; font-size: 11px; line-height: 16px;
    padding: 0 5px; border-radius: 3px; color: #fff; }
  .mark.warning { border: 2px solid #f29900; } .mark.warning span { background: #c77800; }
  .mark.error { border: 2px solid #d93025; } .mark.error span { background: #d93025; }
  .mark.overflow { border-style: dashed; border-width: 3px; background: rgba(217,48,37,.07); }
  .mark.glyph { background: rgba(217,48,37,.18); }
  .mark.low-dpi span { top: 4px; left: 4px; }
  #failure { position: fixed; z-index: 2; top: 56px; left: 50%; transform: translateX(-50%); width: min(94vw, 980px);
    max-height: calc(100vh - 90px); overflow: auto; background: rgba(32,10,10,.93); color: #f4f4f4;
    border: 2px solid #d93025; border-radius: 8px; box-shadow: 0 8px 30px rgba(0,0,0,.5); }
  #failure h2 { margin: 0; padding: 10px 16px; font-size: 15px; background: #d93025; color: #fff; }
  #failure pre, #problems pre { margin: 0; padding: 10px 16px; white-space: pre-wrap;
    font: 13px/1.6 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace, "Noto Sans JP"; }
  pre mark { background: none; color: inherit; text-decoration: underline wavy #ff5a4f; text-underline-offset: 3px;
    outline: 1px solid #ff5a4f; border-radius: 2px; }
  #problems pre mark { outline-color: #c77800; text-decoration-color: #c77800; }
  #failure pre + pre { border-top: 1px solid #6b3030; }
  #problems { margin: 0 24px 24px; background: #fffbe8; border-radius: 6px; }
  #problems h2 { margin: 0; padding: 8px 16px; font-size: 14px; }
  #problems pre { border-top: 1px solid #eadfae; }
  #problems pre.error { color: #a50e0e; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <span id="issue">kaiho</span>
  <span id="status" class="busy">組版中… building…</span>
  <span id="time"></span>
  <span class="spacer"></span>
  <button id="layout" type="button">縦に並べる / one under another</button>
</header>
<main id="pages"></main>
<section id="failure" hidden>
  <h2>エラー error — 前回の紙面を表示しています / the last good pages are shown</h2>
  <div id="failureList"></div>
</section>
<section id="problems" hidden><h2 id="problemsTitle"></h2><div id="problemList"></div></section>
<script>
"use strict";
var pagesEl = document.getElementById("pages");
var shown = 0;
var layoutButton = document.getElementById("layout");
function setLayout(scroll) {
  pagesEl.classList.toggle("scroll", scroll);
  layoutButton.textContent = scroll ? "見開き / side by side" : "縦に並べる / one under another";
  try { localStorage.setItem("kaiho-layout", scroll ? "scroll" : "spread"); } catch (e) {}
}
layoutButton.addEventListener("click", function () { setLayout(!pagesEl.classList.contains("scroll")); });
var saved = null;
try { saved = localStorage.getItem("kaiho-layout"); } catch (e) {}
setLayout(saved ? saved === "scroll" : window.innerWidth < 900);

function text(el, value) { el.textContent = value; return el; }

function pageElement(i) {
  var el = pagesEl.children[i];
  if (el) return el;
  el = document.createElement("div");
  el.className = "page";
  var img = document.createElement("img");
  img.alt = "page " + (i + 1);
  el.appendChild(img);
  el.appendChild(text(document.createElement("div"), (i + 1) + " ページ page")).className = "number";
  pagesEl.appendChild(el);
  return el;
}

function drawMarks(el, marks) {
  el.querySelectorAll(".mark").forEach(function (m) { m.remove(); });
  marks.forEach(function (m) {
    var box = document.createElement("div");
    box.className = "mark " + m.kind + " " + m.severity;
    box.style.left = (m.x * 100) + "%";
    box.style.top = (m.y * 100) + "%";
    box.style.width = (m.width * 100) + "%";
    box.style.height = (m.height * 100) + "%";
    box.title = m.title;
    box.appendChild(text(document.createElement("span"), m.label));
    el.appendChild(box);
  });
}

function showPages(state) {
  while (pagesEl.children.length > state.pages.length) pagesEl.lastElementChild.remove();
  return Promise.all(state.pages.map(function (p, i) {
    var el = pageElement(i);
    var img = el.querySelector("img");
    img.width = p.width; img.height = p.height;
    if (img.getAttribute("src") === p.url) return Promise.resolve();
    // Loaded aside first, then swapped: the old page stays until the new one is ready, so nothing jumps.
    var next = new Image();
    next.src = p.url;
    return next.decode().catch(function () {}).then(function () { img.src = p.url; });
  })).then(function () {
    state.pages.forEach(function (p, i) {
      drawMarks(pageElement(i), state.marks.filter(function (m) { return m.page === i; }));
    });
  });
}

// A message as the terminal prints it; the caret line under the source line becomes a mark on the character.
function message(d) {
  var pre = document.createElement("pre");
  pre.className = d.severity;
  var lines = d.text.split("\\n");
  var gutter = d.line ? "  " + d.line + " | " : null;
  for (var i = 0; i < lines.length; i++) {
    var line = lines[i];
    if (i > 0) pre.appendChild(document.createTextNode("\\n"));
    if (gutter && d.sourceLine !== undefined && d.column && line === gutter + d.sourceLine) {
      var chars = Array.from(d.sourceLine);
      var at = Math.min(d.column - 1, chars.length);
      pre.appendChild(document.createTextNode(gutter + chars.slice(0, at).join("")));
      pre.appendChild(text(document.createElement("mark"), chars[at] || " "));
      pre.appendChild(document.createTextNode(chars.slice(at + 1).join("")));
      if (lines[i + 1] !== undefined && lines[i + 1].trim() === "^") i++;
      continue;
    }
    pre.appendChild(document.createTextNode(line));
  }
  return pre;
}

function showMessages(state) {
  var failure = document.getElementById("failure");
  var list = document.getElementById("failureList");
  list.replaceChildren();
  state.failure.forEach(function (d) { list.appendChild(message(d)); });
  failure.hidden = state.failure.length === 0;
  pagesEl.classList.toggle("stale", state.failure.length > 0);

  var problems = document.getElementById("problems");
  var plist = document.getElementById("problemList");
  plist.replaceChildren();
  state.problems.forEach(function (d) { plist.appendChild(message(d)); });
  var errors = state.problems.filter(function (p) { return p.severity === "error"; }).length;
  text(document.getElementById("problemsTitle"),
    "プリフライト preflight — エラー errors: " + errors + ", 警告 warnings: " + (state.problems.length - errors));
  problems.hidden = state.problems.length === 0;
}

function apply(state) {
  if (state.build <= shown) return;
  shown = state.build;
  text(document.getElementById("issue"), state.issue);
  var status = document.getElementById("status");
  status.className = state.failure.length ? "failed" : "ok";
  text(status, state.failure.length ? "エラー error" : state.pages.length + " ページ pages");
  var t = state.timings;
  text(document.getElementById("time"), (t.finishedAt - (t.changedAt || t.startedAt)) + " ms");
  showMessages(state);
  showPages(state).then(function () {
    if (state.build !== shown) return;
    document.body.dataset.build = String(state.build);
    document.body.dataset.shownAt = String(Date.now());
  });
}

var source = new EventSource("/events");
source.addEventListener("state", function (e) { apply(JSON.parse(e.data)); });
source.addEventListener("building", function () {
  var status = document.getElementById("status");
  status.className = "busy";
  text(status, "組版中… building…");
});
</script>
</body>
</html>
`;
