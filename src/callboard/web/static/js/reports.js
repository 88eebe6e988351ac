// Reports: the KPI table and chart for the page's query, each column headed by its
// KPI.md definition name, and a drill-down from any row to the records behind it.
import { t, api, toast, el } from "/static/js/api.js";
import { DASHES, PALETTE, draw, layout } from "/static/js/charts.js";

const RECORDS_PAGE = 50;
// Numeric date formats on time axes, since plotly's month names would be English only.
const TIME_FORMATS = { interval: "%H:%M<br>%Y-%m-%d", day: "%Y-%m-%d" };
const lang = document.documentElement.lang;
const result = document.getElementById("rep-result");
const query = new URLSearchParams(result.dataset.query);
const chosen = result.dataset.kpis.split(",");
const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
const ratios = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });

/** Catalog text for `key`, or `fallback` for names the catalog does not know (a KPI added later). */
function known(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

function kpiLabel(name) {
  return known(`reports.kpi.${name}`, name);
}

/** A figure in its KPI's unit: ratios as percentages, seconds and counts as numbers. */
function figure(value, unit) {
  if (value === null || value === undefined) return "–";
  if (unit === "ratio") return ratios.format(value);
  if (unit === "seconds") return t("reports.seconds", { value: numbers.format(value) });
  return numbers.format(value);
}

function keyText(key, value) {
  if (value === null || value === undefined || value === "") return t(`reports.no_${key}`);
  if (key === "interval") return String(value).replace("T", " ").slice(0, 16);
  return String(value);
}

// ------------------------------------------------------------------ the report

function showTable(report, kpis) {
  const units = Object.fromEntries(kpis.map((name) => [name, report.definitions[name].unit]));
  const head = el("tr", {},
    report.by.map((key) => el("th", { scope: "col" }, t(`reports.dim.${key}`))),
    kpis.map((name) => el("th", { scope: "col", class: "num", title: report.definitions[name].definition },
      kpiLabel(name), " ", el("code", {}, name))),
    el("th", { scope: "col" }, t("reports.drill")));
  const rows = report.rows.map((row) => {
    const group = report.by.map((key) => keyText(key, row[key])).join(" · ") || t("reports.all");
    const unanswered = report.by.includes("agent") && !row.agent;
    return el("tr", {},
      report.by.map((key) => el("td", {}, keyText(key, row[key]))),
      kpis.map((name) => el("td", { class: "num" }, figure(row[name], units[name]))),
      el("td", {}, el("button", {
        type: "button", class: "secondary", disabled: unanswered,
        "aria-label": t("reports.drill_label", { group }),
        onclick: () => openRecords(selection(report, row), group),
      }, t("reports.drill"))));
  });
  document.querySelector("#rep-table thead").replaceChildren(head);
  document.querySelector("#rep-table tbody").replaceChildren(...rows);
}

function showDefinitions(report, kpis) {
  const items = kpis.flatMap((name) => [
    el("dt", {}, el("code", {}, name), " ", kpiLabel(name)),
    el("dd", {}, report.definitions[name].definition),
  ]);
  for (const name of chosen.filter((kpi) => kpi in (report.unavailable ?? {}))) {
    items.push(el("dt", {}, el("code", {}, name), " ", kpiLabel(name)),
      el("dd", { class: "muted" }, t("reports.unavailable", { reason: report.unavailable[name] })));
  }
  document.getElementById("rep-definitions").replaceChildren(...items);
}

/** One trace per value of the second grouping key (or one trace), over the first key. */
function showChart(report) {
  const name = document.getElementById("rep-chart-kpi").value;
  const [first, second] = report.by;
  const node = document.getElementById("rep-chart");
  node.hidden = !first || !(name in report.definitions);
  if (node.hidden) return;
  const series = new Map();
  for (const row of report.rows) {
    const label = second ? keyText(second, row[second]) : kpiLabel(name);
    if (!series.has(label)) series.set(label, { x: [], y: [] });
    series.get(label).x.push(keyText(first, row[first]));
    series.get(label).y.push(row[name]);
  }
  const overTime = first in TIME_FORMATS;
  const traces = [...series].map(([label, points], index) => ({
    ...points, name: label, type: overTime ? "scatter" : "bar", mode: overTime ? "lines+markers" : undefined,
    marker: { color: PALETTE[index % PALETTE.length] },
    line: { color: PALETTE[index % PALETTE.length], dash: DASHES[index % DASHES.length], width: 3 },
  }));
  const unit = report.definitions[name].unit;
  draw(node, traces, layout({
    xaxis: {
      title: { text: t(`reports.dim.${first}`) }, type: overTime ? "date" : "category",
      tickformat: TIME_FORMATS[first], automargin: true,
    },
    yaxis: { title: { text: `${kpiLabel(name)} (${name})` }, tickformat: unit === "ratio" ? ".0%" : undefined,
      rangemode: "tozero" },
    showlegend: Boolean(second),
  })).catch((error) => toast(error.message));
}

async function loadReport() {
  const status = document.getElementById("rep-status");
  try {
    const report = await api(`/api/v1/reports/kpi?${query}`);
    const kpis = chosen.filter((name) => report.columns.includes(name));
    showTable(report, kpis);
    showDefinitions(report, kpis);
    showChart(report);
    document.getElementById("rep-chart-kpi").addEventListener("change", () => showChart(report));
    status.textContent = t("reports.rows", { count: report.rows.length });
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  }
}

// ------------------------------------------------------------------ drill-down

function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The records behind one row: the offered contacts (O) of the page's selection, narrowed
 *  to the row's group, so a row's "offered" figure is its number of records. */
function selection(report, row) {
  const params = new URLSearchParams({ source: query.get("source"), outcome: "offered" });
  if (report.by.includes("interval")) {
    params.set("interval_start", row.interval);
    params.set("interval_minutes", result.dataset.interval);
  } else if (report.by.includes("day")) {
    params.set("start", row.day);
    params.set("end", nextDay(row.day));
  } else {
    for (const name of ["start", "end"]) if (query.has(name)) params.set(name, query.get(name));
  }
  const queues = report.by.includes("queue") ? [row.queue] : query.getAll("queue");
  for (const queue of queues) params.append("queue", queue);
  // An empty agent selects the contacts no agent answered (the API's convention).
  if (report.by.includes("agent")) params.set("agent", row.agent ?? "");
  return params;
}

const records = { params: null, offset: 0, total: 0 };
const recordColumns = [...document.querySelectorAll("#rep-records-table th")].map((th) => th.dataset.column);

function recordCell(column, value) {
  if (column === "outcome") return known(`reports.outcome.${value}`, value);
  if (column === "local_time") return String(value ?? "").replace("T", " ").slice(0, 19);
  if (column === "wait_s" || column === "talk_s") return value === null ? "–" : numbers.format(value);
  return value ?? "";
}

async function showRecords() {
  const page = await api(`/api/v1/reports/records?${records.params}&limit=${RECORDS_PAGE}&offset=${records.offset}`);
  records.total = page.total;
  document.querySelector("#rep-records-table tbody").replaceChildren(...page.records.map((record) =>
    el("tr", {}, recordColumns.map((column) =>
      el("td", { class: column.endsWith("_s") ? "num" : null }, recordCell(column, record[column]))))));
  const last = Math.min(records.offset + page.records.length, page.total);
  document.getElementById("rep-records-status").textContent = page.total
    ? t("reports.records_range", { first: records.offset + 1, last, total: page.total })
    : t("reports.no_records");
  document.getElementById("rep-prev").disabled = records.offset === 0;
  document.getElementById("rep-next").disabled = last >= page.total;
}

async function openRecords(params, group) {
  records.params = params;
  records.offset = 0;
  const section = document.getElementById("rep-records");
  section.hidden = false;
  const title = document.getElementById("rep-records-title");
  title.textContent = t("reports.records_for", { group });
  document.getElementById("rep-records-csv").href = `/api/v1/reports/records?${params}&format=csv`;
  try {
    await showRecords();
    title.focus();
  } catch (error) {
    toast(error.message);
  }
}

function turnPage(step) {
  records.offset = Math.max(0, records.offset + step * RECORDS_PAGE);
  showRecords().catch((error) => toast(error.message));
}

document.getElementById("rep-prev").addEventListener("click", () => turnPage(-1));
document.getElementById("rep-next").addEventListener("click", () => turnPage(1));
loadReport();
