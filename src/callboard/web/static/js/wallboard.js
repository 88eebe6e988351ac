// The wallboard: queue status from the SSE stream (once a second), surge tiers and
// rolling figures from /api/v1/surge (every 2 s), today's KPIs from the live report.
import { t, follow, poll, duration, percent, el } from "/static/js/api.js";
import { agentCounts, modeClass, modeLabel } from "/static/js/wallboard-states.js";

const SURGE_PERIOD_MS = 2000;
const TODAY_PERIOD_MS = 30000;
const panels = new Map([...document.querySelectorAll(".wb-queue")].map((p) => [p.dataset.queue, p]));
const statusLine = document.getElementById("wb-status");
const latest = { queues: new Map(), surge: new Map(), pending: [] };

function set(panel, field, text) {
  const node = panel.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (node && node.textContent !== text) node.textContent = text;
  return node;
}

function showQueue(status) {
  const panel = panels.get(status.queue);
  if (!panel) return;
  set(panel, "waiting", String(status.waiting));
  set(panel, "callbacks", String(status.callbacks));
  set(panel, "oldest_wait", duration(status.oldest_wait_s));
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
  set(panel, "sl_15m", percent(figures.sl_15m));
  set(panel, "sl_30m", percent(figures.sl_30m));
  set(panel, "abandon_rate_30m", percent(figures.abandon_rate_30m));
  const tier = set(panel, "tier", queue.tier === null ? "" : t("wallboard.tier", { tier: queue.tier }));
  tier.hidden = queue.tier === null;
}

function showToday(report) {
  for (const row of report.rows) {
    const panel = panels.get(row.queue);
    if (!panel) continue;
    set(panel, "sl_today", percent(row.sl));
    set(panel, "abandon_rate_today", percent(row.abandon_rate));
  }
}

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
    if (surge.tier !== null) found.push(t("wallboard.alert.tier", { queue: surge.queue, tier: surge.tier }));
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

function clock(at) {
  return new Date(at * 1000).toLocaleTimeString(document.documentElement.lang);
}

const stream = follow("/api/v1/stream/queues", "queues", (data) => {
  for (const status of data.queues) {
    latest.queues.set(status.queue, status);
    showQueue(status);
  }
  showAlerts();
  statusLine.dataset.state = "live";
  statusLine.textContent = t("wallboard.live", { time: clock(data.at) });
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
