// Reports: the KPI table and chart for the page's query, each column headed by its
// KPI.md definition name, and a drill-down from any row to the records behind it.
import { t, api, toast, el, duration } from "/static/js/api.js";
import { DASHES, PALETTE, draw, layout } from "/static/js/charts.js";
import { plural, weekday } from "/static/js/format.js";

const RECORDS_PAGE = 50;
// Numeric date formats on the time axis, since plotly's month names would be English only;
// a report of one day shows only the time, its date going into the axis title.
const INTERVAL_FORMATS = { oneDay: "%H:%M", days: "%H:%M<br>%Y-%m-%d" };
// The KPIs a targets file (server/targets.py) judges, drawn as a line on their chart.
const TARGETED = { sl: "sl", abandon_rate: "abandon_rate", longest_wait: "longest_wait" };
const lang = document.documentElement.lang;
const result = document.getElementById("rep-result");
const query = new URLSearchParams(result.dataset.query);
const chosen = result.dataset.kpis.split(",");
const targets = JSON.parse(result.dataset.targets);
const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
const ratios = new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Catalog text for `key`, or `fallback` for names the catalog does not know (a KPI added later). */
function known(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

function kpiLabel(name) {
  return known(`reports.kpi.${name}`, name);
}

/** A figure in its KPI's unit: rates as percentages, waits and times as m:ss, counts as
 *  numbers, the same in every column and row. */
function figure(value, unit) {
  if (value === null || value === undefined) return "–";
  if (unit === "ratio") return ratios.format(value);
  if (unit === "seconds") return duration(value);
  return numbers.format(value);
}

function keyText(key, value) {
  if (value === null || value === undefined || value === "") return t(`reports.no_${key}`);
  if (key === "interval") return String(value).replace("T", " ").slice(0, 16);
  if (key === "hour") return `${String(value).padStart(2, "0")}:00`;
  if (key === "dow") return weekday(Number(value));
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
    // A profile row (an hour of day, a weekday) spans many days: no one list of records.
    const profile = report.by.includes("hour") || report.by.includes("dow");
    const unanswered = profile || (report.by.includes("agent") && !row.agent);
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

/** The whole selection in one row under the table: the same query without grouping, so
 *  rates and averages are the selection's own, not sums or means of the rows. */
function showTotal(report, total, kpis) {
  const row = total.rows[0];
  const foot = document.querySelector("#rep-table tfoot");
  if (!row || !report.by.length) {
    foot.replaceChildren();
    return;
  }
  foot.replaceChildren(el("tr", { class: "rep-total" },
    el("th", { scope: "row", colspan: report.by.length }, t("reports.total")),
    kpis.map((name) => el("td", { class: "num" }, figure(row[name], report.definitions[name].unit))),
    el("td", {})));
}

function dayRange(rows) {
  const times = rows.map((row) => keyText("interval", row.interval)).sort();
  return [times[0], times.at(-1)];
}

/** The target of `name` as a dashed line and its label, where the page has one. */
function targetLine(name, unit) {
  const threshold = TARGETED[name] ? targets[TARGETED[name]] : null;
  if (!threshold) return {};
  const y = threshold.target;
  return {
    shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y,
      line: { color: PALETTE[1], dash: "dash", width: 2 } }],
    annotations: [{ xref: "paper", x: 1, y, xanchor: "right", yanchor: "bottom", showarrow: false,
      text: t("reports.target", { value: `${threshold.better === "higher" ? "≥" : "≤"} ${figure(y, unit)}` }),
      font: { color: PALETTE[1] } }],
  };
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
  // Only intervals are a time axis; days, hours and weekdays are categories, so a one-day
  // report never fills its axis with the same date.
  const overTime = first === "interval";
  const dates = new Set(report.rows.map((row) => String(row.interval ?? "").slice(0, 10)));
  const oneDay = overTime && dates.size === 1;
  const traces = [...series].map(([label, points], index) => ({
    ...points, name: label, type: overTime ? "scatter" : "bar", mode: overTime ? "lines+markers" : undefined,
    marker: { color: PALETTE[index % PALETTE.length] },
    line: { color: PALETTE[index % PALETTE.length], dash: DASHES[index % DASHES.length], width: 3 },
  }));
  const unit = report.definitions[name].unit;
  const axisTitle = oneDay ? `${t(`reports.dim.${first}`)}, ${[...dates][0]}` : t(`reports.dim.${first}`);
  const seconds = unit === "seconds" ? ` (${t("reports.seconds", { value: "" }).trim()})` : "";
  draw(node, traces, layout({
    xaxis: {
      title: { text: axisTitle }, type: overTime ? "date" : "category",
      tickformat: overTime ? INTERVAL_FORMATS[oneDay ? "oneDay" : "days"] : undefined, automargin: true,
      // One day's axis stays within the day: autorange's padding would reach the next
      // midnight and print 00:00 twice.
      range: oneDay ? dayRange(report.rows) : undefined,
    },
    yaxis: { title: { text: `${kpiLabel(name)}${seconds}` }, tickformat: unit === "ratio" ? ".0%" : undefined,
      rangemode: "tozero" },
    showlegend: Boolean(second),
    ...targetLine(name, unit),
  })).catch((error) => toast(error.message));
}

async function loadReport() {
  const status = document.getElementById("rep-status");
  try {
    const whole = new URLSearchParams(query);
    whole.delete("by");
    const [report, total] = await Promise.all([
      api(`/api/v1/reports/kpi?${query}`), api(`/api/v1/reports/kpi?${whole}`),
    ]);
    const kpis = chosen.filter((name) => report.columns.includes(name));
    showTable(report, kpis);
    showTotal(report, total, kpis);
    showDefinitions(report, kpis);
    showChart(report);
    document.getElementById("rep-chart-kpi").addEventListener("change", () => showChart(report));
    status.textContent = plural("reports.rows", report.rows.length);
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
  if (column === "wait_s" || column === "talk_s") return duration(value);
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
