// The console's SLA panel: open cases that have escalated, then cases with a target falling
// due within the hour, polled from /api/v1/cases/escalations (server/sla_clock.py).
import { t, poll, el } from "/static/js/api.js";

const BOARD = "/api/v1/cases/escalations?within=3600";
const PERIOD_MS = 5000;
const body = document.querySelector("#con-sla tbody");
const empty = document.getElementById("con-sla-empty");

/** "2026-11-23T10:40:00+02:00" as "2026-11-23 10:40": the API gives times on the center's
 *  clock, and a supervisor in another zone still reads the center's. */
function centerTime(at) {
  return at ? at.slice(0, 16).replace("T", " ") : "–";
}

function row(item, state, due, late) {
  const where = [item.category, item.queue].filter(Boolean).join(" · ");
  return el("tr", { "data-case": item.id, class: late ? "con-sla-late" : null },
    el("th", { scope: "row" }, `#${item.id}`),
    el("td", {}, state),
    el("td", {}, centerTime(due)),
    el("td", { class: "num" }, String(item.priority)),
    el("td", {}, item.assignee ?? t("console.sla.unassigned")),
    el("td", {}, where || "–"));
}

/** One row per case: an escalated case that also has a target due soon says so, and its
 *  due column shows that next due time instead of the one it missed. */
function escalatedRow(item, soon) {
  const targets = item.escalations.map((target) => t(`console.sla.target.${target}`)).join(", ");
  const missed = item.sla ? item.sla[`${item.escalations[0]}_due`] : null;
  const state = t("console.sla.escalated", { targets });
  return soon
    ? row(item, `${state} · ${t("console.sla.due_soon")}`, soon.next_due, true)
    : row(item, state, missed, true);
}

function show(board) {
  const soon = new Map(board.due_soon.map((item) => [item.id, item]));
  const escalated = new Set(board.escalated.map((item) => item.id));
  const rows = [
    ...board.escalated.map((item) => escalatedRow(item, soon.get(item.id))),
    ...board.due_soon
      .filter((item) => !escalated.has(item.id))
      .map((item) => row(item, t("console.sla.due_soon"), item.next_due, false)),
  ];
  body.replaceChildren(...rows);
  empty.hidden = rows.length > 0;
}

poll(BOARD, PERIOD_MS, show);
