// Opens a page written by `tm-report html` in headless Chromium (driven by
// playwright-core) and checks what a person would see.  Fails on any console
// error, page error or request other than the page file itself.
//
//   node check_page.js MODE PAGE.html SCREENSHOT.png
//
// MODE: "tricky" (Inputs/html/tricky.json with --baseline tricky-old.json,
// run from test/report/Inputs) or "v1" (Inputs/basic.json, a version-1
// snapshot: no views, no timeline).  CHROMIUM names the browser binary.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

const [mode, pagePath, screenshotPath] = process.argv.slice(2);
const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
}

async function main() {
  const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args,
    headless: true,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = "file://" + path.resolve(pagePath);
  page.on("console", (msg) => {
    if (msg.type() === "error") failures.push("console error: " + msg.text());
  });
  page.on("pageerror", (error) => failures.push("page error: " + error.message));
  await page.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested === url) return route.continue();
    failures.push("network request: " + requested);
    return route.abort();
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  if (mode === "tricky") await checkTricky(page);
  else if (mode === "v1") await checkV1(page);
  else failures.push("unknown mode " + mode);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await browser.close();
}

const texts = (page, selector) =>
  page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent));
const flameNames = (page) =>
  page.$$eval("#flame g.frame", (nodes) => nodes.map((n) => n.getAttribute("name")));
const flameTitles = (page) => texts(page, "#flame g.frame title");
const rowsText = (page, table) =>
  page.$$eval(table + " tbody tr", (rows) =>
    rows.map((r) => Array.from(r.children).map((c) => c.textContent)));
const clickSwitch = (page, group, label) =>
  page.click(`#${group} button:text-is("${label}")`);
async function settle(page) {
  await page.waitForTimeout(400); // the flame graph's transitions
}

function hasRow(rows, cells, what) {
  const found = rows.some((row) => cells.every((cell, i) => cell === undefined || row[i] === cell));
  check(found, what + ": no row " + JSON.stringify(cells) + " in " + JSON.stringify(rows));
}

async function checkSummary(page, expected) {
  const summary = await texts(page, "#summary div");
  for (const item of expected)
    check(summary.includes(item), "summary: no '" + item + "' in " + JSON.stringify(summary));
}

async function checkTricky(page) {
  const IMG = 'src/<img src=x onerror="window.pwned=1">&amp;.c';
  await checkSummary(page, [
    "Traced memory52.8 KiB",
    "Traced peak293 KiB",
    "RSS (peak / end)34.3 MiB / 13.4 MiB",
    "Duration0.750 s",
    "Traces105",
    "Traceback groups6",
    "Frames per traceback" + "mean 2.0, max 2 (limit 4)",
  ]);

  // Flame graph: every frame, names as text, figures in the hover title.
  let names = await flameNames(page);
  for (const name of ["main (src/main.c:10)", "parse; load (src/parser.c:120)",
                      "operator<< (src/a;b c.c:7)", "f<int>& (" + IMG + ":3)",
                      "naïve (src/ünïcødé/日本.c:5)", "src/\"quoted\" 'name'.c:9",
                      "src/bad-\uFFFD\uFFFD.c:1"])
    check(names.includes(name), "flame graph: no frame '" + name + "' in " + JSON.stringify(names));
  const titles = await flameTitles(page);
  check(titles.some((t) => t.startsWith("parse; load (src/parser.c:120): size=39.1 KiB, count=1, 74.00%")),
        "flame graph: no hover figures for parser.c:120 in " + JSON.stringify(titles));
  check((await page.$$("img")).length === 0, "an <img> element was created from a name");
  check(!(await page.evaluate(() => window.pwned)), "a name ran as script");
  check((await page.$$("script")).length === 2, "the page has other script elements");

  // Table by line: CPython's figures and the source lines.
  let rows = await rowsText(page, "#top-table");
  hasRow(rows, ["src/parser.c", "120", "39.1 KiB", "1", "39.1 KiB", "74.00%", "node = malloc(sizeof *node);"],
         "table by line");
  hasRow(rows, ["src/a;b c.c", "7", "6400 B", "100", "64 B"], "table by line");
  hasRow(rows, [IMG, "3", "4096 B", "1", "4096 B"], "table by line");
  hasRow(rows, ["src/ünïcødé/日本.c", "5", "2048 B"], "table by line");
  hasRow(rows, ["src/bad-\uFFFD\uFFFD.c", "1", "512 B"], "table by line");
  const title = await page.$eval("#top-table tbody tr", (tr) => tr.title);
  check(title === "src/parser.c:120: size=39.1 KiB, count=1, average=39.1 KiB",
        "table: row title is not str(Statistic): " + title);

  // Sorting by count puts the 100 blocks first; filtering keeps matches.
  await page.click("#top-table th:text-is('Count')");
  rows = await rowsText(page, "#top-table");
  check(rows[0][0] === "src/a;b c.c", "table: sorting by count: " + JSON.stringify(rows[0]));
  await page.fill("#table-filter", "日本");
  rows = await rowsText(page, "#top-table");
  check(rows.length === 1 && rows[0][0] === "src/ünïcødé/日本.c",
        "table: filter: " + JSON.stringify(rows));
  await page.fill("#table-filter", "");

  // By file, by traceback (with the source line of every frame).
  await clickSwitch(page, "key-switch", "File");
  rows = await rowsText(page, "#top-table");
  hasRow(rows, ["src/parser.c", "39.1 KiB", "1"], "table by file");
  await clickSwitch(page, "key-switch", "Traceback");
  const traceback = await texts(page, "#top-table tbody tr pre");
  check(traceback.some((t) => t.includes('  File "src/main.c", line 2\n    #include <stdlib.h>\n  File "' + IMG + '", line 3')),
        "table by traceback: no traceback with the source of src/main.c:2: " + JSON.stringify(traceback));
  await clickSwitch(page, "key-switch", "Line");

  // Search highlights the matching frames.
  await page.fill("#flame-search", "a;b");
  await settle(page);
  const highlighted = await page.$$eval("#flame g.frame rect", (rects) =>
    rects.filter((r) => r.getAttribute("fill") === "#E600E6").length);
  check(highlighted === 1, "search 'a;b': " + highlighted + " highlighted frames, expected 1");
  check((await page.textContent("#flame-details")).startsWith("1 matching frames"),
        "search: details: " + (await page.textContent("#flame-details")));
  await page.fill("#flame-search", "");

  // Click zooms: the other root's frames leave the graph.
  await page.click('#flame g.frame[name="main (src/main.c:10)"]');
  await settle(page);
  const widths = await page.$$eval('#flame g.frame[name="main (src/main.c:10)"] rect',
                                   (r) => r.map((x) => Number(x.getAttribute("width"))));
  check(widths[0] > 1200, "zoom: main is " + widths[0] + " px wide");
  await page.click("#flame-reset");
  await settle(page);

  // The plot: uPlot with the timeline's 5 points, the peak marked.
  const plot = await page.evaluate(() => {
    const u = window.tmReport.plot;
    return { points: u.data[0].length, series: u.series.map((s) => s.label),
             peak: u.data[4].filter((v) => v !== null), canvas: !!document.querySelector("#plot canvas") };
  });
  check(plot.canvas && plot.points === 5, "plot: " + JSON.stringify(plot));
  check(JSON.stringify(plot.series) === JSON.stringify(["time (s)", "current", "high", "RSS", "peak"]),
        "plot series: " + JSON.stringify(plot.series));
  check(JSON.stringify(plot.peak) === "[300000]", "plot peak: " + JSON.stringify(plot.peak));
  check((await page.textContent("#timeline-note")).includes("peaked at 293 KiB between 0.020 s and 0.050 s"),
        "plot note: " + (await page.textContent("#timeline-note")));

  // The peak and allocated views.
  await clickSwitch(page, "view-switch", "Peak");
  await settle(page);
  names = await flameNames(page);
  check(names.includes("load_all (src/load.c:12)"), "peak view: no load.c:12 in " + JSON.stringify(names));
  rows = await rowsText(page, "#top-table");
  hasRow(rows, ["src/load.c", "12", "195 KiB", "1"], "peak table");
  await clickSwitch(page, "view-switch", "Allocated");
  await settle(page);
  rows = await rowsText(page, "#top-table");
  hasRow(rows, ["src/churn.c", "33", "62.5 KiB", "1000", "64 B"], "allocated table");

  // Growth: the flame graph coloured by growth, the table of growth by line.
  await clickSwitch(page, "view-switch", "Growth");
  await settle(page);
  const growth = await flameTitles(page);
  check(growth.some((t) => t.startsWith("parse; load (src/parser.c:120): size=39.1 KiB") && t.endsWith("growth +19.5 KiB")),
        "growth flame graph: " + JSON.stringify(growth));
  const fill = await page.$eval('#flame g.frame[name="parse; load (src/parser.c:120)"] rect',
                                (r) => r.getAttribute("fill"));
  check(/^rgb\(220,\d+,\d+\)$/.test(fill) && fill !== "rgb(220,220,220)",
        "growth flame graph: parser.c:120 is not coloured as grown: " + fill);
  rows = await rowsText(page, "#diff-table");
  hasRow(rows, ["src/parser.c", "120", "39.1 KiB", "+19.5 KiB", "1", "+0", "node = malloc(sizeof *node);"],
         "growth table");
  hasRow(rows, ["src/gone.c", "4", "0 B", "-293 KiB", "0", "-1"], "growth table");
  await clickSwitch(page, "view-switch", "Live");
  await settle(page);
}

async function checkV1(page) {
  await checkSummary(page, ["RSSnot recorded", "Traced peaknot recorded"]);
  const note = await page.textContent("#views-note");
  check(note.includes("no peak, allocated, temporary view"), "v1: views note: " + note);
  const disabled = await page.$$eval("#view-switch button:disabled", (b) => b.map((x) => x.textContent));
  check(JSON.stringify(disabled) === '["Peak","Allocated","Temporary"]', "v1: disabled views " + JSON.stringify(disabled));
  check((await page.textContent("#timeline-note")).includes("no timeline"), "v1: timeline note");
  check((await page.$$("#plot canvas")).length === 0, "v1: a plot without a timeline");
  const rows = await rowsText(page, "#top-table");
  hasRow(rows, ["src/parser.c", "120"], "v1 table");
  check(await (await page.$("#diff-section")).isHidden(), "v1: a growth section without a baseline");
}

main()
  .catch((error) => failures.push("exception: " + (error.stack || error)))
  .finally(() => {
    if (failures.length) {
      for (const f of failures) console.log("FAIL: " + f);
      process.exit(1);
    }
    console.log("page checks passed (" + mode + ")");
  });
