// The page of `tm-report html`: reads the report's data from the JSON script
// element that tm-report filled in, and draws the summary, the flame graph
// (d3-flame-graph), the top table and the memory-over-time plot (uPlot).
//
// Every name in the data (file names, functions, source lines) comes from
// the traced program's debug info: it is only ever put into the page as text
// (textContent, SVG <title>, attributes set through the DOM), never as HTML.
//
// Figures that must read exactly like tm-report's text output (sizes in
// CPython's _format_size, str(Statistic)) come preformatted from tm-report;
// JavaScript's number formatting rounds ties differently from printf.
import flamegraph, { colorMapper } from "d3-flame-graph";
import { select } from "d3-selection";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./app.css";

const data = JSON.parse(document.getElementById("tm-data").textContent);
const frames = data.frames;

// ---------------------------------------------------------------- helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function frameLocation(index) {
  const f = frames[index];
  return f[1] === 0 ? f[0] : f[0] + ":" + f[1];
}

// "function (file:line)", or "file:line" when the function is unknown.
function frameLabel(index) {
  const f = frames[index];
  return f[2] ? f[2] + " (" + frameLocation(index) + ")" : frameLocation(index);
}

function percent(part, whole) {
  return whole > 0 ? ((100 * part) / whole).toFixed(2) + "%" : "-";
}

// For the plot's axes and legend only (not CPython figures).
function approxSize(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return (unit === 0 ? value.toFixed(0) : value.toFixed(1)) + " " + units[unit];
}

function setSwitch(container, options, current, onChange) {
  container.replaceChildren();
  for (const option of options) {
    const button = el("button", {
      type: "button",
      "data-value": option.value,
      text: option.label,
      class: option.value === current ? "on" : "",
    });
    if (option.disabled) {
      button.disabled = true;
      button.title = option.disabled;
    } else {
      button.addEventListener("click", () => {
        for (const b of container.children) b.classList.toggle("on", b === button);
        onChange(option.value);
      });
    }
    container.append(button);
  }
}

// ---------------------------------------------------------------- summary

function drawSummary() {
  document.getElementById("tm-file").textContent = data.file;
  document.title = "TraceMalloc report: " + data.file;
  if (data.filters.length)
    document.getElementById("tm-filters").textContent = "Filters: " + data.filters.join(" ");
  const list = document.getElementById("summary");
  for (const [label, value] of data.summary)
    list.append(el("div", {}, el("dt", { text: label }), el("dd", { text: value })));
}

// ---------------------------------------------------------------- flame graph

const viewByName = new Map(data.views.map((v) => [v.name, v]));
const state = { view: data.views[0].name, key: "lineno" };
let chart = null;
const FLAME_TRANSITION_MS = 150;

function nodeName(d) {
  const n = d.data;
  if (n.f >= 0) return frameLabel(n.f);
  if (n.o) return "other (" + n.o + (n.o === 1 ? " frame)" : " frames)");
  return "all";
}

function drawFlame(treeName) {
  const container = document.getElementById("flame");
  const note = document.getElementById("flame-note");
  const details = document.getElementById("flame-details");
  container.replaceChildren();
  details.textContent = "";
  const diff = treeName === "growth";
  const source = diff ? data.diff : viewByName.get(treeName);
  const tree = source.tree;
  const total = tree.v;
  note.textContent = diff
    ? "Width: live size now; colour: growth since the baseline (red grew, blue shrank)."
    : source.description;
  if (source.tree_note) note.textContent += " " + source.tree_note;
  if (!total) {
    note.textContent += " No memory in this view.";
    chart = null;
    return;
  }
  const label = (d) => {
    const n = d.data;
    let text = nodeName(d) + ": size=" + n.s + ", count=" + n.k + ", " + percent(n.v, total);
    if (diff) text += ", growth " + n.g;
    return text;
  };
  chart = flamegraph()
    .width(Math.max(400, container.clientWidth))
    .cellHeight(18)
    .transitionDuration(FLAME_TRANSITION_MS)
    .minFrameSize(1)
    .selfValue(false)
    .getName(nodeName)
    .label(label)
    .setSearchMatch((d, term) => !!term && nodeName(d).toLowerCase().includes(term.toLowerCase()))
    .setSearchHandler((results, sum) => {
      details.textContent = results.length
        ? results.length + " matching frames, " + percent(sum, total) + " of the memory"
        : "";
    })
    .setDetailsHandler((text) => {
      if (text) details.textContent = text;
    });
  if (diff) chart.setColorMapper(colorMapper.differentialColorMapper);
  select(container).datum(tree).call(chart);
  const term = document.getElementById("flame-search").value;
  if (term) chart.search(term);
}

// ---------------------------------------------------------------- tables

// A sortable, filterable table over preformatted rows.  columns: {title,
// text(row) -> string, sort(row) -> number|string, numeric}.
function makeTable(table, filterInput, note, columns, rows, describe, searchText, rowTitle) {
  let sortColumn = -1; // the given order: tm-report's (CPython's) sort
  let descending = true;
  const head = el("thead");
  const body = el("tbody");
  table.replaceChildren(head, body);
  const headRow = el("tr");
  columns.forEach((column, i) => {
    const th = el("th", { text: column.title, class: column.numeric ? "num" : "" });
    if (column.sort) {
      th.classList.add("sortable");
      th.addEventListener("click", () => {
        if (sortColumn === i) descending = !descending;
        else {
          sortColumn = i;
          descending = column.numeric;
        }
        for (const other of headRow.children) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        render();
      });
    }
    headRow.append(th);
  });
  head.append(headRow);
  const haystack = rows.map((row) => searchText(row).toLowerCase());

  function render() {
    const term = filterInput.value.toLowerCase();
    let shown = rows.map((row, i) => i).filter((i) => !term || haystack[i].includes(term));
    if (sortColumn >= 0) {
      const key = columns[sortColumn].sort;
      shown.sort((a, b) => {
        const ka = key(rows[a]);
        const kb = key(rows[b]);
        const order = ka < kb ? -1 : ka > kb ? 1 : a - b;
        return descending ? -order : order;
      });
    }
    const fragment = document.createDocumentFragment();
    for (const i of shown) {
      const tr = el("tr", { title: rowTitle(rows[i]) });
      for (const column of columns) {
        const td = el("td", { class: column.numeric ? "num" : column.cls || "" });
        column.fill(td, rows[i]);
        tr.append(td);
      }
      fragment.append(tr);
    }
    body.replaceChildren(fragment);
    note.textContent = describe(shown.length);
  }
  filterInput.oninput = render;
  render();
}

function textCell(get) {
  return (td, row) => {
    td.textContent = get(row);
  };
}

function sourceText(index) {
  return frames[index][3] || "";
}

function tracebackCell(td, row) {
  const list = row[0];
  const summary = el("summary", { text: frameLabel(list[list.length - 1]) });
  const lines = [];
  for (const index of list) {
    const f = frames[index];
    lines.push('  File "' + f[0] + '", line ' + f[1]);
    if (f[3]) lines.push("    " + f[3]);
  }
  td.append(el("details", {}, summary, el("pre", { text: lines.join("\n") })));
}

function drawTopTable() {
  const view = viewByName.get(state.view);
  const table = view.tables[state.key];
  const total = view.tree.v;
  const mostRecent = (row) => (state.key === "traceback" ? row[0][row[0].length - 1] : row[0]);
  document.getElementById("table-view").textContent = "(" + view.title.toLowerCase() + ")";
  const columns = [];
  if (state.key === "traceback") {
    columns.push({ title: "Traceback (most recent frame)", fill: tracebackCell,
                   sort: (r) => frameLabel(mostRecent(r)) });
  } else {
    columns.push({ title: "File", fill: textCell((r) => frames[r[0]][0]), sort: (r) => frames[r[0]][0] });
    if (state.key === "lineno")
      columns.push({ title: "Line", numeric: true, fill: textCell((r) => String(frames[r[0]][1])),
                     sort: (r) => frames[r[0]][1] });
  }
  columns.push(
    { title: "Size", numeric: true, fill: textCell((r) => r[3]), sort: (r) => r[1] },
    { title: "Count", numeric: true, fill: textCell((r) => String(r[2])), sort: (r) => r[2] },
    { title: "Average", numeric: true, fill: textCell((r) => r[4]), sort: (r) => (r[2] ? r[1] / r[2] : 0) },
    { title: "Share", numeric: true, fill: textCell((r) => percent(r[1], total)), sort: (r) => r[1] });
  if (state.key !== "filename")
    columns.push({ title: "Source", cls: "source", fill: textCell((r) => sourceText(mostRecent(r))) });
  const rows = table.rows;
  makeTable(document.getElementById("top-table"), document.getElementById("table-filter"),
            document.getElementById("table-note"), columns, rows,
            (shown) => {
              let text = shown + " of " + rows.length + " rows shown";
              if (table.total > rows.length)
                text += "; " + (table.total - rows.length) + " smaller statistics are not in this report (tm-report html --limit)";
              return text;
            },
            (r) => {
              const list = state.key === "traceback" ? r[0] : [r[0]];
              return list.map((i) => frameLabel(i) + " " + sourceText(i)).join(" ");
            },
            (r) => r[5]);  // str(Statistic), as tm-report top prints it
}

function drawDiffTable() {
  const diff = data.diff;
  document.getElementById("diff-section").hidden = false;
  document.getElementById("diff-baseline").textContent = "(" + data.baseline + " \u2192 " + data.file + ")";
  const columns = [
    { title: "File", fill: textCell((r) => frames[r[0]][0]), sort: (r) => frames[r[0]][0] },
    { title: "Line", numeric: true, fill: textCell((r) => String(frames[r[0]][1])), sort: (r) => frames[r[0]][1] },
    { title: "Size", numeric: true, fill: textCell((r) => r[5]), sort: (r) => r[1] },
    { title: "Growth", numeric: true, fill: textCell((r) => r[6]), sort: (r) => r[2] },
    { title: "Count", numeric: true, fill: textCell((r) => String(r[3])), sort: (r) => r[3] },
    { title: "Count growth", numeric: true,
      fill: textCell((r) => (r[4] >= 0 ? "+" : "") + r[4]), sort: (r) => r[4] },  // CPython's %+d
    { title: "Source", cls: "source", fill: textCell((r) => sourceText(r[0])) },
  ];
  makeTable(document.getElementById("diff-table"), document.getElementById("diff-filter"),
            document.getElementById("diff-note"), columns, diff.rows,
            (shown) => {
              let text = shown + " of " + diff.rows.length + " rows shown";
              if (diff.total > diff.rows.length)
                text += "; " + (diff.total - diff.rows.length) + " smaller differences are not in this report";
              return text;
            },
            (r) => frameLabel(r[0]) + " " + sourceText(r[0]),
            (r) => r[8]);  // str(StatisticDiff), as tm-report diff prints it
}

// ---------------------------------------------------------------- timeline

let plot = null;

function drawTimeline() {
  const note = document.getElementById("timeline-note");
  const timeline = data.timeline;
  if (!timeline) {
    note.textContent = data.timeline_missing;
    return;
  }
  note.textContent = timeline.note;
  const peak = timeline.t.map((_, i) => (i === timeline.peak_index ? timeline.high[i] : null));
  const container = document.getElementById("plot");
  const sizeValue = (u, v) => (v == null ? "-" : approxSize(v));
  plot = new uPlot(
    {
      width: Math.max(400, container.clientWidth),
      height: 320,
      scales: { x: { time: false } },
      axes: [
        { label: "seconds since tracing started" },
        { values: (u, ticks) => ticks.map((v) => approxSize(v)), size: 80 },
      ],
      series: [
        { label: "time (s)", value: (u, v) => (v == null ? "-" : v.toFixed(3) + " s") },
        { label: "current", stroke: "#1f77b4", width: 1.5, value: sizeValue },
        { label: "high", stroke: "#d62728", width: 1.5, value: sizeValue },
        { label: "RSS", stroke: "#7f7f7f", width: 1.5, dash: [6, 4], value: sizeValue },
        { label: "peak", stroke: "#d62728", fill: "#d62728", width: 0, value: sizeValue,
          points: { show: true, size: 11, fill: "#d62728" }, paths: () => null },
      ],
    },
    [timeline.t, timeline.current, timeline.high, timeline.rss, peak],
    container,
  );
}

// ---------------------------------------------------------------- wiring

function viewOptions() {
  const options = data.views.map((v) => ({ value: v.name, label: v.title }));
  for (const missing of data.missing_views)
    options.push({ value: missing.name, label: missing.title, disabled: missing.reason });
  return options;
}

function main() {
  drawSummary();
  const flameOptions = viewOptions();
  if (data.diff) flameOptions.push({ value: "growth", label: "Growth" });
  let flameView = state.view;
  setSwitch(document.getElementById("view-switch"), flameOptions, state.view, (value) => {
    flameView = value;
    drawFlame(value);
    if (value !== "growth") {
      state.view = value;
      drawTopTable();
    }
  });
  const search = document.getElementById("flame-search");
  search.addEventListener("input", () => {
    if (!chart) return;
    if (search.value) chart.search(search.value);
    else {
      chart.clear();
      document.getElementById("flame-details").textContent = "";
    }
  });
  document.getElementById("flame-reset").addEventListener("click", () => {
    if (chart) chart.resetZoom();
  });
  setSwitch(
    document.getElementById("key-switch"),
    [
      { value: "lineno", label: "Line" },
      { value: "filename", label: "File" },
      { value: "traceback", label: "Traceback" },
    ],
    state.key,
    (value) => {
      state.key = value;
      drawTopTable();
    },
  );
  drawFlame(flameView);
  drawTopTable();
  drawTimeline();
  if (data.diff) drawDiffTable();
  if (data.missing_views_note) {
    const p = el("p", { class: "note", id: "views-note", text: data.missing_views_note });
    document.getElementById("flame-section").insertBefore(p, document.getElementById("flame"));
  }
  // For scripts that drive the page (the browser test, bench/run.py): the
  // charts, and the time the first drawing took, taken once the flame
  // graph's entering transition has run.
  window.tmReport = { data, plot, chart: () => chart };
  setTimeout(() => {
    requestAnimationFrame(() => {
      window.tmReport.drawnMs = performance.now();
      document.body.dataset.ready = "1";
    });
  }, FLAME_TRANSITION_MS + 50);
}

main();
