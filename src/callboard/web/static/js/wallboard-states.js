// Words for queue modes and agent states, shared by the wallboard and the console,
// so a state always reads the same on both screens and never relies on colour alone.
import { t } from "/static/js/api.js";

/** The engine's queue_status agent counts folded into the states screens show. */
export function agentCounts(agents) {
  const counts = {};
  for (const [state, count] of Object.entries(agents)) {
    if (state === "logged_out") continue;
    const shown = state === "reserved" ? "busy" : state;
    counts[shown] = (counts[shown] ?? 0) + count;
  }
  return counts;
}

/** "Ready", "Not ready: lunch"…: an engine state with its reason, or a key of agentCounts. */
export function stateLabel(state, reason = null) {
  const key = state === "not_ready" && reason ? `not_ready:${reason}` : state === "reserved" ? "busy" : state;
  return t(`wallboard.state.${key}`);
}

/** A queue's mode as a word: open, closed, emergency or following its hours. */
export function modeLabel(mode) {
  return t(`wallboard.mode.${mode}`);
}

/** The CSS class that colours a mode (the word is always shown beside it). */
export function modeClass(mode) {
  return { open: "ok", closed: "warn", emergency: "bad" }[mode] ?? "muted";
}

/** "ok", "warn" or "bad" for a figure against its threshold ({target, alarm, better}
 *  from server/targets.py), or "none" when there is no target or no figure yet. */
export function judge(value, threshold) {
  if (!threshold || value === null || value === undefined || Number.isNaN(value)) return "none";
  const sign = threshold.better === "higher" ? 1 : -1;
  if (sign * (value - threshold.target) >= 0) return "ok";
  return sign * (value - threshold.alarm) >= 0 ? "warn" : "bad";
}

const SEVERITY = { none: 0, ok: 1, warn: 2, bad: 3 };

/** The worst of several judgements: a queue is as well as its worst judged figure. */
export function worst(judgements) {
  return judgements.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), "none");
}

/** A judgement as a symbol and a word, so it reads without colour: "✓ On target". */
export function judgementLabel(judged) {
  return judged === "none" ? "" : t(`wallboard.judged.${judged}`);
}
