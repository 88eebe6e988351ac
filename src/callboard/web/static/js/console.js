// The supervisor console: live queues and agents, agent-state and queue-mode commands,
// surge recommendations to confirm or decline, the reserve people called in (on the way,
// late, on the line), the surge timeline and the projection.
import { t, api, follow, poll, toast, duration, el } from "/static/js/api.js";
import { agentCounts, modeClass, modeLabel, stateLabel } from "/static/js/wallboard-states.js";
import { runProjection } from "/static/js/console-projection.js";
import { localDateTime, localTime, spokenDuration } from "/static/js/format.js";

const SURGE_PERIOD_MS = 2000;
const TIMELINE_PERIOD_MS = 5000;
const AGENT_REFRESH_MS = 1000;
const TIMELINE = "/api/v1/surge/timeline?limit=200";
// Times are the center's, in its zone, whatever the browser's.
const zone = document.querySelector("h1[data-zone]").dataset.zone;
// The center's clock as the queue stream last told it (POSIX seconds).
let centerNow = Date.now() / 1000;
const queueRows = new Map([...document.querySelectorAll("tr[data-queue]")].map((r) => [r.dataset.queue, r]));
const agentRows = new Map([...document.querySelectorAll("tr[data-agent]")].map((r) => [r.dataset.agent, r]));

function cell(row, name) {
  return row.querySelector(`[data-field="${name}"]`);
}

function when(at) {
  return localDateTime(at, zone);
}

// ------------------------------------------------------------------ queues

function showQueue(status) {
  const row = queueRows.get(status.queue);
  if (!row) return;
  const mode = cell(row, "mode");
  mode.textContent = modeLabel(status.mode);
  mode.className = `badge ${modeClass(status.mode)}`;
  cell(row, "message").textContent = status.message ?? "";
  cell(row, "waiting").textContent = String(status.waiting);
  cell(row, "oldest_wait").textContent = duration(status.oldest_wait_s);
  const counts = Object.entries(agentCounts(status.agents)).filter(([, n]) => n > 0);
  cell(row, "agents").textContent = counts.length
    ? counts.map(([state, n]) => `${stateLabel(state)}: ${n}`).join(" · ")
    : t("console.no_agents_logged_in");
  // The selector shows the mode the queue is in, until the supervisor picks another.
  const form = modeForms.get(status.queue);
  if (form && !form.dataset.touched && [...form.elements.mode.options].some((o) => o.value === status.mode)) {
    form.elements.mode.value = status.mode;
  }
}

const modeForms = new Map([...document.querySelectorAll("form.con-mode")].map((f) => [f.dataset.queue, f]));
for (const form of modeForms.values()) {
  form.elements.mode.addEventListener("change", () => { form.dataset.touched = "1"; });
}

for (const form of document.querySelectorAll("form.con-mode")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const queue = form.dataset.queue;
    const mode = form.elements.mode.value;
    const message = form.elements.message.value.trim();
    try {
      showQueue(await api(`/api/v1/queues/${encodeURIComponent(queue)}/mode`, {
        method: "POST",
        body: { mode: mode === "hours" ? null : mode, message: message || null },
      }));
      delete form.dataset.touched;
      toast(t("console.mode_set", { queue, mode: t(`console.set_mode.${mode}`) }));
    } catch (error) {
      toast(error.message);
    }
  });
}

// ------------------------------------------------------------------ agents

function showAgent(view) {
  const row = agentRows.get(view.agent_id);
  if (!row) return;
  const state = cell(row, "state");
  const changed = state.dataset.state !== view.state || (state.dataset.reason || null) !== (view.reason ?? null);
  state.textContent = stateLabel(view.state, view.reason);
  if (changed) {
    state.dataset.since = String(centerNow);
    const select = row.querySelector("select");
    if (!select.dataset.touched) select.value = defaultChoice(view.state);
  }
  state.dataset.state = view.state;
  state.dataset.reason = view.reason ?? "";
  if (view.contacts) cell(row, "contact").textContent = view.contacts.join(", ");
  showTimeInState(row);
}

/** What a supervisor most likely wants next (pages/console.py's AgentRow.default_choice). */
function defaultChoice(state) {
  if (state === "logged_out") return "login";
  return state === "not_ready" ? "ready" : "not_ready:break";
}

function showTimeInState(row) {
  const state = cell(row, "state");
  const since = Number(state.dataset.since);
  cell(row, "in_state").textContent = state.dataset.state === "logged_out" || !since
    ? "–" : spokenDuration(centerNow - since);
}
for (const row of agentRows.values()) {
  row.querySelector("select").addEventListener("change", (event) => { event.target.dataset.touched = "1"; });
}

/** Re-reads every agent in one call. Called when the stream's per-queue agent counts
 *  change; a busy center changes them every second, so changes within AGENT_REFRESH_MS
 *  share one call. */
let agentRefresh = null;
function refreshAgents() {
  agentRefresh ??= setTimeout(async () => {
    try {
      (await api("/api/v1/agents")).agents.forEach(showAgent);
    } catch (error) {
      toast(error.message);
    }
    agentRefresh = null;
  }, AGENT_REFRESH_MS);
}

/** The API call behind each choice of the agent-state menu. */
function agentCommand(agentId, choice) {
  const base = `/api/v1/agents/${encodeURIComponent(agentId)}`;
  if (choice === "login") return api(`${base}/login`, { method: "POST", body: { ready: true } });
  if (choice === "logout") return api(`${base}/logout`, { method: "POST" });
  const [state, reason] = choice.split(":");
  return api(`${base}/state`, { method: "POST", body: { state, reason: reason ?? null } });
}

for (const row of agentRows.values()) {
  const state = cell(row, "state");
  state.textContent = stateLabel(state.dataset.state, state.dataset.reason || null);
}
for (const form of document.querySelectorAll("form.con-agent-form")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const view = await agentCommand(form.dataset.agent, form.elements.choice.value);
      delete form.elements.choice.dataset.touched;
      showAgent(view);
      toast(t("console.agent_set", { agent: view.agent_id, state: stateLabel(view.state, view.reason) }));
    } catch (error) {
      toast(error.message);
    }
  });
}

// ------------------------------------------------------------------ live stream

const statusLine = document.getElementById("con-status");
let lastCounts = null;
const stream = follow("/api/v1/stream/queues", "queues", (data) => {
  centerNow = data.at;
  data.queues.forEach(showQueue);
  agentRows.forEach(showTimeInState);
  const counts = JSON.stringify(data.queues.map((q) => q.agents));
  if (counts !== lastCounts) {
    lastCounts = counts;
    refreshAgents();
  }
  statusLine.textContent = t("wallboard.live", { time: localTime(data.at, zone) });
});
stream.addEventListener("error", () => { statusLine.textContent = t("wallboard.lost"); });

// ------------------------------------------------------------------ surge

const pendingList = document.getElementById("con-pending-list");
const pendingItems = new Map();

function pendingItem(rec) {
  const what = t(rec.escalate ? "console.escalate" : "console.stand_down", { queue: rec.queue, tier: rec.tier });
  const decide = (verb) => async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const answer = await api(`/api/v1/surge/recommendations/${rec.recommendation_id}/${verb}`, { method: "POST" });
      toast(verb === "confirm"
        ? t("console.confirmed", { count: answer.actions.length, queue: rec.queue, tier: rec.tier })
        : t("console.declined", { queue: rec.queue, tier: rec.tier }));
      // Keep a keyboard user in place: on the next recommendation, or on the section.
      const item = button.closest("li");
      const neighbour = item.nextElementSibling ?? item.previousElementSibling;
      removePending(rec.recommendation_id);
      (neighbour?.querySelector("button") ?? document.getElementById("con-pending-title")).focus();
      refreshTimeline();
    } catch (error) {
      toast(error.message);
      button.disabled = false;
    }
  };
  const labels = { queue: rec.queue, tier: rec.tier };
  return el("li", { class: "con-rec", "data-recommendation": rec.recommendation_id },
    el("div", {},
      el("strong", {}, what), " ",
      el("span", { class: "muted" }, when(rec.at))),
    el("div", { class: "con-reason" }, rec.reason),
    el("div", { class: "con-actions" },
      el("button", { type: "button", "aria-label": t("console.confirm_label", labels), onclick: decide("confirm") },
        t("console.confirm")),
      el("button", { type: "button", class: "secondary", "aria-label": t("console.decline_label", labels),
        onclick: decide("decline") }, t("console.decline"))));
}

function removePending(id) {
  pendingItems.get(id)?.remove();
  pendingItems.delete(id);
  document.getElementById("con-no-pending").hidden = pendingItems.size > 0;
}

/** Adds new recommendations and drops decided ones, leaving the rest (and focus) alone. */
function showPending(pending) {
  const ids = new Set(pending.map((rec) => rec.recommendation_id));
  for (const id of [...pendingItems.keys()]) if (!ids.has(id)) removePending(id);
  const fresh = pending.filter((rec) => !pendingItems.has(rec.recommendation_id));
  for (const rec of fresh) {
    const item = pendingItem(rec);
    pendingItems.set(rec.recommendation_id, item);
    pendingList.append(item);
  }
  if (fresh.length && timelinePolling) refreshTimeline();  // the reason is on the timeline
}

// ------------------------------------------------------------------ reserve

/** The reserve panel, built here so that it sits with the surge sections it belongs to:
 *  each person called in, whether they are on the way, late or on the line, and a button
 *  for the supervisor who sees them arrive. */
const reserveBody = el("tbody");
const noReserve = el("p", { class: "muted" }, t("console.no_reserve"));
const reserveSection = el("section", { class: "card", id: "con-reserve-section", hidden: true,
  "aria-labelledby": "con-reserve-title" },
  el("h2", { id: "con-reserve-title" }, t("console.reserve")),
  el("div", { class: "con-scroll" },
    el("table", { id: "con-reserve" },
      el("thead", {}, el("tr", {},
        ...["console.person", "console.queue", "console.tier", "console.due", "console.state",
          "console.on_line_since", "console.release_at", "console.arrival"]
          .map((key) => el("th", { scope: "col" }, t(key))))),
      reserveBody)),
  noReserve);
document.getElementById("con-timeline-section").before(reserveSection);
let reserveShown = "";
const RESERVE_CLASS = { on_the_way: "muted", late: "bad", on_the_line: "ok", released: "muted" };

function arrivalButton(person) {
  if (person.state !== "on_the_way" && person.state !== "late") return "";
  return el("button", { type: "button", class: "secondary",
    "aria-label": t("console.arrived_label", { person: person.name }),
    onclick: async (event) => {
      event.currentTarget.disabled = true;
      try {
        await api(`/api/v1/surge/reserve/${encodeURIComponent(person.person_id)}/arrived`, { method: "POST" });
        toast(t("console.arrival_confirmed", { person: person.name }));
        showReserve((await api("/api/v1/surge")).reserve);
        refreshTimeline();
      } catch (error) {
        toast(error.message);
      }
    } }, t("console.arrived"));
}

function showReserve(people) {
  noReserve.hidden = people.length > 0;
  const key = JSON.stringify(people);
  if (key === reserveShown) return;  // keep a focused button in place between polls
  reserveShown = key;
  reserveBody.replaceChildren(...people.map((person) => el("tr", { "data-person": person.person_id },
    el("td", {}, person.name),
    el("td", {}, person.queue),
    el("td", { class: "num" }, person.tier),
    el("td", {}, when(person.due)),
    el("td", {}, el("span", { class: `badge ${RESERVE_CLASS[person.state]}`, "data-state": person.state },
      t(`console.reserve_state.${person.state}`))),
    el("td", {}, person.arrived_at ? when(person.arrived_at) : ""),
    el("td", {}, person.release_at ? when(person.release_at) : ""),
    el("td", {}, arrivalButton(person)))));
}

let timelinePolling = false;
poll("/api/v1/surge", SURGE_PERIOD_MS, (surge) => {
  const running = surge.plan !== null;
  document.getElementById("con-plan").textContent = running
    ? t("console.plan", { plan: surge.plan, mode: t(`console.plan_mode.${surge.mode}`) })
    : t("console.no_plan");
  // The timeline and projection exist only while a plan runs.
  for (const id of ["con-timeline-section", "con-projection-section"]) {
    document.getElementById(id).hidden = !running;
  }
  if (running && !timelinePolling) {
    timelinePolling = true;
    poll(TIMELINE, TIMELINE_PERIOD_MS, showTimeline);
  }
  for (const queue of surge.queues) {
    const row = queueRows.get(queue.queue);
    if (!row) continue;
    cell(row, "tier").textContent = queue.active_tiers.length
      ? queue.active_tiers.map((tier) => t("wallboard.tier", { tier })).join(", ")
      : t("common.none");
  }
  showPending(surge.pending);
  document.getElementById("con-no-pending").hidden = !running || pendingItems.size > 0;
  reserveSection.hidden = !running;
  showReserve(surge.reserve ?? []);
});

// ------------------------------------------------------------------ timeline

const timelineBody = document.querySelector("#con-timeline tbody");
let timelineShown = "";

function showTimeline({ entries }) {
  document.getElementById("con-no-timeline").hidden = entries.length > 0;
  const key = JSON.stringify(entries.at(-1) ?? null) + entries.length;
  if (key === timelineShown) return;
  timelineShown = key;
  timelineBody.replaceChildren(...entries.slice().reverse().map((entry) => el("tr", {},
    el("td", {}, when(entry.at)),
    el("td", {}, entry.queue),
    el("td", { class: "num" }, entry.tier),
    el("td", {}, t(`console.kind.${entry.kind}`)),
    el("td", {}, said(entry)),
    el("td", {}, entry.by ?? ""))));
}

/** A timeline entry in the page's language (server/timeline_words.py); the English
 *  detail only where the server has no words for it. */
function said(entry) {
  if (!entry.words) return entry.detail;
  const values = {};
  for (const [name, value] of Object.entries(entry.words.values)) {
    values[name] = shownValue(name, value);
  }
  return t(entry.words.key, values);
}

function shownValue(name, value) {
  if (value === null || value === undefined) return "–";
  if (name.endsWith("_s")) return spokenDuration(value);
  if (name.endsWith("_at")) return when(value);
  if (name === "reasons") return value.map((reason) => t(`console.reason.${reason}`)).join(", ");
  if (name === "channel") return t(`console.channel.${value}`);
  if (Array.isArray(value)) return value.length ? value.join(", ") : t("common.none");
  return String(value);
}

async function refreshTimeline() {
  try {
    showTimeline(await api(TIMELINE));
  } catch (error) {
    toast(error.message);
  }
}

// ------------------------------------------------------------------ projection

document.getElementById("con-project").addEventListener("click", runProjection);
