// Times how long a page written by `tm-report html` takes to open in
// headless Chromium (playwright-core): from the start of navigation until
// the page reports its flame graph drawn (window.tmReport.drawnMs, taken
// after the graph's entering transition).  Prints one JSON line.
//
//   NODE_PATH=BUILD/tools/tm-report/html/node_modules node page_open.js PAGE.html REPS
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

async function main() {
  const [page_path, reps_text] = process.argv.slice(2);
  const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args,
  });
  const url = "file://" + path.resolve(page_path);
  const drawn = [];
  let frames = 0;
  for (let i = 0; i < Number(reps_text || 3); ++i) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
    drawn.push(await page.evaluate(() => window.tmReport.drawnMs));
    frames = await page.$$eval("#flame g.frame", (g) => g.length);
    await page.close();
  }
  await browser.close();
  drawn.sort((a, b) => a - b);
  console.log(JSON.stringify({ drawn_ms: drawn, median_ms: drawn[drawn.length >> 1], frames }));
}

main().catch((error) => {
  console.error(String(error.stack || error));
  process.exit(1);
});
