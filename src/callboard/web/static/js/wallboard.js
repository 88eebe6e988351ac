// The wallboard: queue status from the SSE stream (once a second), surge tiers and
// rolling figures from /api/v1/surge (every 2 s), today's KPIs from the live report.
// Each judged figure is compared with its queue's target (server/targets.py) and shows
// the verdict as a symbol and a word beside its colour; the clock is the center's.
import { t, follow, poll, duration, percent, el } from "/static/js/api.js";
import { localTime } from "/static/js/format.js";
import {
  agentCounts, judge, judgementLabel, modeClass, modeLabel, worst,
} from "/static/js/wallboard-states.js";

const SURGE_PERIOD_MS = 2000;
const TODAY_PERIOD_MS = 30000;
const SPARK_WINDOW_S = 3600;
const SPARK_STEP_S = 10;
const board = document.querySelector(".wb-board");
const zone = board.dataset.zone;
const panels = new Map([...document.querySelectorAll(".wb-queue")].map((p) => [p.dataset.queue, p]));
const targets = new Map([...panels].map(([queue, panel]) => [queue, JSON.parse(panel.dataset.targets)]));
const statusLine = document.getElementById("wb-status");
const clockNode = document.getElementById("wb-clock");
const latest = { queues: new Map(), surge: new Map(), pending: [] };
// Figures shown as shares, and the one shown as a wait; the rest are counts.
const RATES = new Set(["sl_15m", "sl_30m", "sl_today", "abandon_rate_30m", "abandon_rate_today"]);

function set(panel, field, text) {
  const node = panel.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (node && node.textContent !== text) node.textContent = text;
  return node;
}

function shown(name, value) {
  if (RATES.has(name)) return percent(value);
  if (name === "oldest_wait") return duration(value);
  return String(value);
}

/** A figure's value, and its verdict against the queue's target when it has one. */
function show(panel, name, value) {
  set(panel, name, shown(name, value));
  const figure = panel.querySelector(`.wb-figure[data-figure="${CSS.escape(name)}"]`);
  if (!figure?.dataset.kpi) return;
  const threshold = targets.get(panel.dataset.queue)?.[figure.dataset.kpi];
  const judged = judge(value, threshold);
  figure.dataset.judged = judged;
  if (threshold) set(panel, `${name}:target`, targetText(name, threshold, judged));
  showVerdict(panel);
}

/** "target ≥ 80%" until there is a figure, then its verdict: "✕ Off target · ≥ 80%". */
function targetText(name, threshold, judged) {
  const goal = `${threshold.better === "higher" ? "≥" : "≤"} ${shown(name, threshold.target)}`;
  return judged === "none" ? t("wallboard.target", { value: goal }) : `${judgementLabel(judged)} · ${goal}`;
}

/** The queue's overall verdict: its worst judged figure, as a badge and a border. */
function showVerdict(panel) {
  const judged = worst([...panel.querySelectorAll(".wb-figure")].map((f) => f.dataset.judged));
  panel.dataset.judged = judged;
  const verdict = set(panel, "verdict", judgementLabel(judged));
  verdict.hidden = judged === "none";
  verdict.className = `badge wb-verdict ${modeClass({ ok: "open", warn: "closed", bad: "emergency" }[judged])}`;
}

function showQueue(status) {
  const panel = panels.get(status.queue);
  if (!panel) return;
  show(panel, "waiting", status.waiting);
  show(panel, "callbacks", status.callbacks);
  show(panel, "oldest_wait", status.oldest_wait_s);
  const mode = set(panel, "mode", modeLabel(status.mode));
  mode.className = `badge ${modeClass(status.mode)}`;
  const message = set(panel, "message", status.message ?? "");
  message.hidden = !status.message;
  const counts = agentCounts(status.agents);
  for (const row of panel.querySelectorAll(".wb-agent-state")) {
    const count = counts[row.dataset.state] ?? 0;
    set(panel, `agents:${row.dataset.state}`, String(count));
    if (row.dataset.state.startsWith("not_ready:")) row.hidden = count === 0;
  }
}

function showSurge(queue) {
  const panel = panels.get(queue.queue);
  if (!panel) return;
  const figures = queue.figures ?? {};
  for (const name of ["sl_15m", "sl_30m", "abandon_rate_30m"]) show(panel, name, figures[name]);
  // Every tier in force, lowest (the most drastic) first: tiers 3 and 2 both show.
  const active = [...(queue.active_tiers ?? [])].sort((a, b) => a - b);
  const label = active.length === 1
    ? t("wallboard.tier", { tier: active[0] })
    : t("wallboard.tiers", { tiers: active.join(" · ") });
  const tier = set(panel, "tier", active.length ? label : "");
  tier.hidden = active.length === 0;
}

function showToday(report) {
  for (const row of report.rows) {
    const panel = panels.get(row.queue);
    if (!panel) continue;
    show(panel, "sl_today", row.sl);
    show(panel, "abandon_rate_today", row.abandon_rate);
  }
}

// ------------------------------------------------------------------ sparkline

/** The last hour of each queue's line, sampled every SPARK_STEP_S of center time and
 *  kept in this browser, so a reloaded wall keeps its hour. */
function sparkKey(queue) {
  return `callboard.wallboard.waiting.${queue}`;
}

function sample(status, at) {
  let points;
  try {
    points = JSON.parse(localStorage.getItem(sparkKey(status.queue)) ?? "[]");
  } catch {
    points = [];
  }
  points = points.filter(([when]) => when > at - SPARK_WINDOW_S && when <= at);
  if (!points.length || at - points[points.length - 1][0] >= SPARK_STEP_S) points.push([at, status.waiting]);
  localStorage.setItem(sparkKey(status.queue), JSON.stringify(points));
  drawSpark(panels.get(status.queue), points, at);
}

function drawSpark(panel, points, at) {
  if (!panel) return;
  const svg = panel.querySelector('[data-field="spark"]');
  const top = Math.max(1, ...points.map(([, n]) => n));
  const xy = points.map(([when, n]) => {
    const x = (120 * (when - (at - SPARK_WINDOW_S))) / SPARK_WINDOW_S;
    return `${x.toFixed(1)},${(29 - (28 * n) / top).toFixed(1)}`;
  });
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", xy.join(" "));
  svg.replaceChildren(line);
  svg.setAttribute("aria-label", t("wallboard.spark_summary", { max: Math.max(0, ...points.map(([, n]) => n)), now: points.at(-1)?.[1] ?? 0 }));
}

// ------------------------------------------------------------------ alerts

/** Everything that needs someone's attention now, in words. */
function alerts() {
  const found = [];
  for (const status of latest.queues.values()) {
    if (status.mode !== "open") found.push(t(`wallboard.alert.${status.mode}`, { queue: status.queue }));
    const ready = agentCounts(status.agents).ready ?? 0;
    if (status.waiting > 0 && ready === 0 && status.mode === "open") {
      found.push(t("wallboard.alert.no_ready", { queue: status.queue, waiting: status.waiting }));
    }
  }
  for (const surge of latest.surge.values()) {
    for (const tier of surge.active_tiers ?? []) {
      found.push(t("wallboard.alert.tier", { queue: surge.queue, tier }));
    }
  }
  for (const panel of panels.values()) {
    if (panel.dataset.judged === "bad") found.push(t("wallboard.alert.off_target", { queue: panel.dataset.queue }));
  }
  if (latest.pending.length) found.push(t("wallboard.alert.pending", { count: latest.pending.length }));
  return found;
}

function showAlerts() {
  const found = alerts();
  const items = found.length
    ? found.map((text) => el("li", { class: "wb-alert" }, text))
    : [el("li", { class: "wb-calm" }, t("wallboard.no_alerts"))];
  const list = document.getElementById("wb-alert-list");
  const same = list.children.length === items.length
    && items.every((item, i) => item.textContent === list.children[i].textContent);
  if (!same) list.replaceChildren(...items);
}

// ------------------------------------------------------------------ start

for (const [queue, panel] of panels) {
  for (const figure of panel.querySelectorAll(".wb-figure[data-kpi]")) {
    const threshold = targets.get(queue)[figure.dataset.kpi];
    const name = figure.dataset.figure;
    if (threshold) set(panel, `${name}:target`, targetText(name, threshold, "none"));
  }
}

const stream = follow("/api/v1/stream/queues", "queues", (data) => {
  for (const status of data.queues) {
    latest.queues.set(status.queue, status);
    showQueue(status);
    sample(status, data.at);
  }
  showAlerts();
  clockNode.textContent = localTime(data.at, zone);
  clockNode.dateTime = new Date(data.at * 1000).toISOString();
  statusLine.dataset.state = "live";
  statusLine.textContent = t("wallboard.live_now");
});
stream.addEventListener("error", () => {
  statusLine.dataset.state = "lost";
  statusLine.textContent = t("wallboard.lost");
});

// The rolling SL, abandonment and surge tier are for every wallboard, agents' too.
if (panels.size) {
  poll("/api/v1/surge", SURGE_PERIOD_MS, (surge) => {
    latest.surge = new Map(surge.queues.map((queue) => [queue.queue, queue]));
    latest.pending = surge.pending;
    surge.queues.forEach(showSurge);
    showAlerts();
  });
}
// Today's KPIs (the live report defaults to today on the center's clock) are for
// supervisors: the page leaves their fields out for others.
if (document.querySelector('[data-field="sl_today"]')) {
  poll("/api/v1/reports/kpi?source=live&by=queue", TODAY_PERIOD_MS, showToday);
}
