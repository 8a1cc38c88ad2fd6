// The page's own script (plain ES2019, no library of ours): decodes the embedded data, applies the filters,
// refills the charts' data sets, and draws the tables and the case drill-down. Text from the data is only ever
// set with textContent. The part above `main` is pure (no DOM) so tests can run it in a VM.

/** Pure helpers: decode the embedded data, statistics, grouping. */
export const CLIENT_LIB = `
"use strict";
var Z95 = 1.959964;

function decodeTable(table, strings) {
  var fields = table.fields;
  return table.rows.map(function (row) {
    var o = {};
    for (var k = 0; k < fields.length; k++) {
      var v = row[k];
      o[fields[k][0]] = v === null || v === undefined ? null : fields[k][1] === "s" ? strings[v] : v;
    }
    return o;
  });
}

/** The embedded PageData as objects; score and failure rows carry their case's fields (for filters). */
function decodeData(data) {
  var cases = decodeTable(data.cases, data.strings);
  function withCase(row) {
    var c = cases[row.i];
    var o = {};
    for (var k in c) o[k] = c[k];
    for (var j in row) o[j] = row[j];
    return o;
  }
  return {
    strings: data.strings,
    dims: data.dims,
    details: data.details,
    cases: cases,
    scores: decodeTable(data.scores, data.strings).map(withCase),
    fails: decodeTable(data.fails, data.strings).map(withCase),
  };
}

function wilson(k, n) {
  if (n === 0) return [0, 1];
  var p = k / n;
  var z2 = Z95 * Z95;
  var centre = p + z2 / (2 * n);
  var half = Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  var denom = 1 + z2 / n;
  return [Math.max(0, (centre - half) / denom), Math.min(1, (centre + half) / denom)];
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  var rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  var lo = Math.floor(rank);
  var hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

function valuesOf(rows, field) {
  var out = [];
  for (var k = 0; k < rows.length; k++) {
    var v = rows[k][field];
    if (typeof v === "number" && isFinite(v)) out.push(v);
  }
  return out.sort(function (a, b) { return a - b; });
}

function meanOf(xs) {
  if (!xs.length) return null;
  var s = 0;
  for (var k = 0; k < xs.length; k++) s += xs[k];
  return s / xs.length;
}

/** Figures of a group of case rows: what the integrated table shows. */
function groupStats(rows) {
  var ran = rows.filter(function (r) { return r.ran === 1; });
  var passed = ran.filter(function (r) { return r.pass === 1; }).length;
  var errored = ran.filter(function (r) { return r.state === "errored"; }).length;
  var ci = wilson(passed, ran.length);
  var cost = ran.reduce(function (s, r) { return s + (r.cost || 0); }, 0);
  return {
    cases: rows.length,
    ran: ran.length,
    passed: passed,
    errored: errored,
    rate: ran.length ? passed / ran.length : null,
    lo: ci[0],
    hi: ci[1],
    score: meanOf(valuesOf(ran, "score")),
    ttftP50: percentile(valuesOf(ran, "ttft"), 50),
    otpsP50: percentile(valuesOf(ran, "otps"), 50),
    costPerResponse: ran.length > errored ? cost / (ran.length - errored) : null,
    costPerPass: passed ? cost / passed : null,
  };
}

/**
 * Composite score of each model within a task (0..1): 0.6 × pass rate + 0.2 × speed + 0.2 × cost, where speed is
 * the task's fastest TTFT p50 ÷ the model's and cost the cheapest cost per response ÷ the model's (1 when all are
 * free). Errored cases count as not passed and their cost is spread over the judged responses, so failing or
 * retrying calls never raise a score.
 */
function withComposite(stats) {
  var fastest = Infinity;
  var cheapest = Infinity;
  stats.forEach(function (s) {
    if (s.ttftP50 !== null && s.ttftP50 < fastest) fastest = s.ttftP50;
    if (s.costPerResponse !== null && s.costPerResponse < cheapest) cheapest = s.costPerResponse;
  });
  return stats.map(function (s) {
    if (s.rate === null) return Object.assign({}, s, { composite: null });
    var speed = s.ttftP50 === null ? 0 : s.ttftP50 <= 0 ? 1 : fastest / s.ttftP50;
    var costTerm = s.costPerResponse === null ? 0 : s.costPerResponse <= 0 ? 1 : cheapest / s.costPerResponse;
    return Object.assign({}, s, { composite: 0.6 * s.rate + 0.2 * speed + 0.2 * costTerm });
  });
}

/** Rows grouped by task type, then model, in first-appearance order: [{task, models: [{model, ...stats}]}]. */
function integratedTables(rows) {
  var tasks = [];
  var byTask = {};
  rows.forEach(function (r) {
    var t = byTask[r.task];
    if (!t) {
      t = byTask[r.task] = { task: r.task, order: [], byModel: {} };
      tasks.push(t);
    }
    if (!t.byModel[r.model]) {
      t.byModel[r.model] = [];
      t.order.push(r.model);
    }
    t.byModel[r.model].push(r);
  });
  return tasks.map(function (t) {
    var stats = t.order.map(function (m) {
      return Object.assign({ model: m }, groupStats(t.byModel[m]));
    });
    return { task: t.task, models: withComposite(stats) };
  });
}

/** Keeps the rows whose fields equal every set filter (an empty filter keeps all). */
function applyFilters(rows, filters) {
  var keys = Object.keys(filters).filter(function (k) { return filters[k] !== ""; });
  return rows.filter(function (r) {
    for (var k = 0; k < keys.length; k++) if (String(r[keys[k]]) !== filters[keys[k]]) return false;
    return true;
  });
}
`;

/** The page: filters, charts, tables, drill-down. Runs only where there is a document. */
export const CLIENT_APP = `
var state = { filters: { eval: "", model: "", task: "", temp: "", tier: "" }, caseState: "", page: 0, pageSize: 50,
  sort: { key: "i", dir: 1 }, selected: -1, views: {}, current: null, data: null, charts: [] };

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function fmtPct(x) { return x === null || x === undefined ? "–" : (x * 100).toFixed(1) + "%"; }
function fmtMs(x) { return x === null || x === undefined ? "–" : x < 1000 ? Math.round(x) + " ms" : (x / 1000).toFixed(2) + " s"; }
function fmtNum(x, d) { return x === null || x === undefined ? "–" : Number(x).toFixed(d); }
function fmtUsd(x) {
  if (x === null || x === undefined) return "–";
  if (x >= 1) return "$" + x.toFixed(2);
  if (x > 0 && x < 0.0001) return "$" + x.toPrecision(2);
  return "$" + x.toFixed(4);
}
function isDark() { return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches; }

function current() {
  var keep = applyFilters(state.data.cases, state.filters);
  var ids = {};
  keep.forEach(function (r) { ids[r.i] = true; });
  return {
    cases: keep,
    scores: state.data.scores.filter(function (r) { return ids[r.i]; }),
    fails: state.data.fails.filter(function (r) { return ids[r.i]; }),
  };
}

function buildFilters() {
  var bar = document.getElementById("filters");
  [["eval", "Eval"], ["model", "Model"], ["task", "Task type"], ["temp", "Temperature"], ["tier", "Service tier"]].forEach(function (f) {
    var values = [];
    state.data.cases.forEach(function (r) {
      var v = String(r[f[0]]);
      if (values.indexOf(v) < 0) values.push(v);
    });
    if (f[0] === "temp") values.sort(function (a, b) { return Number(a) - Number(b); });
    var label = el("label", null, f[1] + " ");
    var select = el("select", { "data-filter": f[0], "aria-label": f[1] });
    select.appendChild(el("option", { value: "" }, "All (" + values.length + ")"));
    values.forEach(function (v) { var o = el("option", null, v === "null" ? "(none)" : v); o.value = v; select.appendChild(o); });
    select.addEventListener("change", function () {
      state.filters[f[0]] = select.value;
      state.page = 0;
      refresh();
    });
    label.appendChild(select);
    bar.appendChild(label);
  });
  var reset = el("button", { type: "button" }, "Reset filters");
  reset.addEventListener("click", function () {
    Array.prototype.forEach.call(bar.querySelectorAll("select"), function (s) { s.value = ""; });
    for (var k in state.filters) state.filters[k] = "";
    refresh();
  });
  bar.appendChild(reset);
  bar.appendChild(el("span", { id: "filter-count", class: "muted" }));
}

function chartOptions(def) {
  var dark = isDark();
  var spec = JSON.parse(JSON.stringify(def.spec));
  if (def.kind === "vega-lite") {
    spec.datasets = {};
    def.data.forEach(function (n) { spec.datasets[n] = state.current[n]; });
  } else {
    spec.data.forEach(function (d) { if (def.data.indexOf(d.name) >= 0) d.values = state.current[d.name]; });
    (spec.signals || []).forEach(function (s) {
      if (s.name === "fg") s.value = dark ? "#e6e6e6" : "#222222";
      if (s.name === "gridColor") s.value = dark ? "#555555" : "#cccccc";
    });
  }
  var opts = { mode: def.kind, renderer: "svg", actions: false, config: { background: "transparent" },
    tooltip: { theme: dark ? "dark" : "light" } };
  if (dark) opts.theme = "dark";
  return { spec: spec, opts: opts };
}

function embedAll() {
  return Promise.all(state.charts.map(function (def) {
    var box = document.querySelector('[data-chart="' + def.id + '"]');
    if (state.views[def.id]) state.views[def.id].finalize();
    var o = chartOptions(def);
    return vegaEmbed(box, o.spec, o.opts).then(function (res) { state.views[def.id] = res.view; }, function (err) {
      box.textContent = "This chart could not be drawn: " + (err && err.message ? err.message : String(err));
      console.error(err);
    });
  })).then(function () { document.body.setAttribute("data-charts-ready", "true"); });
}

function refreshCharts() {
  state.charts.forEach(function (def) {
    var view = state.views[def.id];
    if (!view) return;
    def.data.forEach(function (n) { view.data(n, state.current[n]); });
    view.runAsync();
  });
}

function sortRows(rows, key, dir) {
  return rows.slice().sort(function (a, b) {
    var x = a[key], y = b[key];
    if (x === y) return a.i - b.i;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
    return String(x).localeCompare(String(y)) * dir;
  });
}

function cell(tr, text, sortValue, cls) {
  var td = el("td", cls ? { class: cls } : null, text);
  if (sortValue !== undefined && sortValue !== null) td.setAttribute("data-v", String(sortValue));
  tr.appendChild(td);
  return td;
}

function renderIntegrated() {
  var host = document.getElementById("integrated");
  host.textContent = "";
  var tables = integratedTables(state.current.cases);
  if (!tables.length) { host.appendChild(el("p", { class: "muted" }, "No case matches the filters.")); return; }
  tables.forEach(function (t) {
    host.appendChild(el("h3", null, t.task));
    var table = el("table", { class: "sortable" });
    var head = el("tr");
    ["Model", "Cases", "Pass rate", "95% CI", "Mean score", "TTFT p50", "OTPS p50", "Cost/response",
      "Cost/passed case", "Composite"].forEach(function (h, k) {
      var th = el("th", { scope: "col", "data-type": k === 0 ? "text" : "num" }, h);
      head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    t.models.forEach(function (s) {
      var tr = el("tr");
      cell(tr, s.model);
      cell(tr, s.ran + (s.ran !== s.cases ? " of " + s.cases : ""), s.ran, "num");
      cell(tr, fmtPct(s.rate), s.rate, "num");
      cell(tr, s.ran ? fmtPct(s.lo) + "–" + fmtPct(s.hi) : "–", s.lo, "num");
      cell(tr, fmtNum(s.score, 2), s.score, "num");
      cell(tr, fmtMs(s.ttftP50), s.ttftP50, "num");
      cell(tr, fmtNum(s.otpsP50, 1), s.otpsP50, "num");
      cell(tr, fmtUsd(s.costPerResponse), s.costPerResponse, "num");
      cell(tr, fmtUsd(s.costPerPass), s.costPerPass, "num");
      cell(tr, fmtNum(s.composite, 3), s.composite, "num");
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(table);
  });
}

var CASE_COLUMNS = [["state", "State"], ["eval", "Eval"], ["scenario", "Scenario"], ["model", "Model"],
  ["task", "Task type"], ["temp", "t"], ["inv", "#"], ["score", "Score"], ["ttft", "TTFT"], ["cost", "Cost"]];

function renderCases() {
  var rows = state.current.cases;
  if (state.caseState) rows = rows.filter(function (r) { return r.state === state.caseState; });
  rows = sortRows(rows, state.sort.key, state.sort.dir);
  var pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
  if (state.page >= pages) state.page = pages - 1;
  var body = document.getElementById("cases-body");
  body.textContent = "";
  rows.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize).forEach(function (r) {
    var tr = el("tr", { tabindex: "0", "data-case": String(r.i), class: "state-" + r.state });
    cell(tr, r.state, undefined, "state");
    cell(tr, r.eval);
    cell(tr, r.scenario);
    cell(tr, r.model);
    cell(tr, r.task);
    cell(tr, r.temp, undefined, "num");
    cell(tr, r.inv, undefined, "num");
    cell(tr, fmtNum(r.score, 2), undefined, "num");
    cell(tr, fmtMs(r.ttft), undefined, "num");
    cell(tr, fmtUsd(r.cost), undefined, "num");
    if (r.i === state.selected) tr.classList.add("selected");
    body.appendChild(tr);
  });
  document.getElementById("cases-page").textContent =
    rows.length ? "Cases " + (state.page * state.pageSize + 1) + "–" + Math.min(rows.length, (state.page + 1) * state.pageSize) +
    " of " + rows.length + " · page " + (state.page + 1) + " of " + pages : "No case matches the filters.";
  Array.prototype.forEach.call(document.querySelectorAll("#cases-table th"), function (th) {
    var key = th.getAttribute("data-key");
    th.setAttribute("aria-sort", key === state.sort.key ? (state.sort.dir > 0 ? "ascending" : "descending") : "none");
  });
}

function text(idx) { return idx === null || idx === undefined || idx < 0 ? null : state.data.strings[idx]; }

function showCase(i) {
  state.selected = i;
  var r = state.data.cases[i];
  var d = state.data.details[i];
  var host = document.getElementById("case-detail");
  host.textContent = "";
  host.hidden = false;
  host.appendChild(el("h3", null, r.eval + " › " + r.scenario + " › " + r.model));
  var meta = el("dl", { class: "meta" });
  [["State", r.state], ["Case id", r.id], ["File", r.file + (r.line ? ":" + r.line : "")], ["Task type", r.task],
    ["Temperature", r.temp], ["Invocation", r.inv], ["Mean jury score", fmtNum(r.score, 2)], ["TTFT", fmtMs(r.ttft)],
    ["Time to last byte", fmtMs(r.ttlb)], ["Output tokens/s", fmtNum(r.otps, 1)],
    ["Tokens in → out", r.inTok === null ? "–" : r.inTok + " → " + r.outTok], ["Cost (response + jury)",
    fmtUsd(r.cost) + " + " + fmtUsd(r.judgeCost)], ["Attempts", r.attempts === null ? "–" : r.attempts]].forEach(function (kv) {
    meta.appendChild(el("dt", null, kv[0]));
    meta.appendChild(el("dd", null, kv[1]));
  });
  host.appendChild(meta);
  if (d[5] >= 0) {
    host.appendChild(el("h4", null, "Prompt"));
    host.appendChild(el("pre", { class: "input prompt" }, text(d[5])));
    if (d[7] >= 0) { host.appendChild(el("h4", null, "Criteria")); host.appendChild(el("p", null, text(d[7]))); }
    host.appendChild(el("h4", null, "Golden answer"));
    host.appendChild(el("pre", { class: "input golden" }, d[6] >= 0 ? text(d[6]) : "(none given)"));
  } else {
    host.appendChild(el("p", { class: "muted" }, "This run report does not record the scenario's input; see the eval file."));
  }
  if (d[1] >= 0) { host.appendChild(el("h4", null, "Error")); host.appendChild(el("pre", { class: "error" }, text(d[1]))); }
  if (d[2].length) {
    host.appendChild(el("h4", null, "Why it failed"));
    var ul = el("ul");
    d[2].forEach(function (k) { ul.appendChild(el("li", null, text(k))); });
    host.appendChild(ul);
  }
  host.appendChild(el("h4", null, "Response"));
  host.appendChild(el("pre", { class: "output" }, d[0] >= 0 ? text(d[0]) : "(no response)"));
  if (d[4].length) {
    host.appendChild(el("h4", null, "Checks"));
    var cl = el("ul");
    d[4].forEach(function (c) { cl.appendChild(el("li", null, (c[1] ? "✓ " : "✗ ") + text(c[0]) + (c[2] >= 0 ? ": " + text(c[2]) : ""))); });
    host.appendChild(cl);
  }
  if (d[3].length) {
    host.appendChild(el("h4", null, "Jury"));
    var table = el("table", { class: "verdicts" });
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "Judge"));
    state.data.dims.forEach(function (dim) { head.appendChild(el("th", { scope: "col" }, dim[1])); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    d[3].forEach(function (v) {
      var tr = el("tr");
      var who = el("td");
      who.appendChild(el("strong", null, text(v[0])));
      who.appendChild(el("div", { class: "muted" }, text(v[1])));
      tr.appendChild(who);
      if (!v[2].length) {
        var td = el("td", { colspan: String(Math.max(1, state.data.dims.length)), class: "muted" }, "no scores");
        tr.appendChild(td);
      } else {
        v[2].forEach(function (score, k) {
          var td = el("td");
          td.appendChild(el("div", { class: "score" }, score === null ? "–" : score));
          var why = text(v[3][k]);
          if (why) td.appendChild(el("div", { class: "rationale" }, why));
          tr.appendChild(td);
        });
      }
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(table);
  }
  Array.prototype.forEach.call(document.querySelectorAll("#cases-body tr"), function (tr) {
    tr.classList.toggle("selected", tr.getAttribute("data-case") === String(i));
  });
}

function setupCases() {
  var head = document.getElementById("cases-head");
  var tr = el("tr");
  CASE_COLUMNS.forEach(function (c) {
    var th = el("th", { scope: "col", "data-key": c[0], tabindex: "0" }, c[1]);
    tr.appendChild(th);
  });
  head.appendChild(tr);
  head.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (!th) return;
    var key = th.getAttribute("data-key");
    state.sort = { key: key, dir: state.sort.key === key ? -state.sort.dir : 1 };
    renderCases();
  });
  var body = document.getElementById("cases-body");
  function pick(e) {
    var row = e.target.closest("tr");
    if (row) showCase(Number(row.getAttribute("data-case")));
  }
  body.addEventListener("click", pick);
  body.addEventListener("keydown", function (e) { if (e.key === "Enter") pick(e); });
  document.getElementById("cases-state").addEventListener("change", function (e) {
    state.caseState = e.target.value;
    state.page = 0;
    renderCases();
  });
  document.getElementById("cases-prev").addEventListener("click", function () {
    if (state.page > 0) { state.page--; renderCases(); }
  });
  document.getElementById("cases-next").addEventListener("click", function () { state.page++; renderCases(); });
}

/** Sorts any table.sortable by the clicked column (data-v when set, else the text). */
function setupSortableTables() {
  document.addEventListener("click", function (e) {
    var th = e.target.closest && e.target.closest("table.sortable th");
    if (!th) return;
    var table = th.closest("table");
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var xv = x.getAttribute("data-v"), yv = y.getAttribute("data-v");
      if (xv !== null && yv !== null) return (Number(xv) - Number(yv)) * dir;
      if (xv !== null) return -1;
      if (yv !== null) return 1;
      return x.textContent.localeCompare(y.textContent) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
}

function refresh() {
  state.current = current();
  document.getElementById("filter-count").textContent =
    "Showing " + state.current.cases.length + " of " + state.data.cases.length + " cases";
  refreshCharts();
  renderIntegrated();
  renderCases();
}

function main() {
  state.data = decodeData(JSON.parse(document.getElementById("jury-data").textContent));
  state.charts = JSON.parse(document.getElementById("jury-charts").textContent);
  state.current = current();
  buildFilters();
  setupCases();
  setupSortableTables();
  document.getElementById("filter-count").textContent =
    "Showing " + state.current.cases.length + " of " + state.data.cases.length + " cases";
  renderIntegrated();
  renderCases();
  embedAll();
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", function () { embedAll(); });
  }
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
}
`;
