// The console's projection: each surge option simulated forward from now (it takes
// seconds, so it runs on demand), drawn as SL over time with the recommended option marked.
import { t, api, toast, percent, duration, el } from "/static/js/api.js";
import { DASHES, PALETTE, draw, layout } from "/static/js/charts.js";

const PROJECTION = "/api/v1/surge/projection?minutes=60&replications=30";

function optionName(option) {
  return t(`console.option.${option}`);
}

/** "mean (low–high)": a figure with its 95% interval across replications. */
function spread(figure, format) {
  return `${format(figure.mean)} (${format(figure.low)}–${format(figure.high)})`;
}

function chart(projection) {
  const traces = projection.options.map((option, index) => {
    const best = option.option === projection.recommended;
    return {
      x: option.series.map((point) => point.minute),
      y: option.series.map((point) => point.sl),
      name: best ? t("console.recommended_option", { option: optionName(option.option) }) : optionName(option.option),
      mode: "lines",
      line: { color: PALETTE[index % PALETTE.length], dash: DASHES[index % DASHES.length], width: best ? 5 : 2 },
    };
  });
  const target = projection.target_sl;
  return draw(document.getElementById("con-chart"), traces, layout({
    xaxis: { title: { text: t("console.chart_minutes") } },
    yaxis: { title: { text: t("console.chart_sl") }, tickformat: ".0%", range: [0, 1.05] },
    shapes: target === null ? [] : [{
      type: "line", xref: "paper", x0: 0, x1: 1, y0: target, y1: target,
      line: { color: "#4a5361", dash: "dot", width: 2 },
    }],
    annotations: target === null ? [] : [{
      xref: "paper", x: 1, y: target, xanchor: "right", yanchor: "bottom", showarrow: false,
      text: t("console.target", { target: percent(target) }),
    }],
  }));
}

function table(projection) {
  const rows = projection.options.map((option) => {
    const best = option.option === projection.recommended;
    return el("tr", { class: best ? "con-best" : null },
      el("th", { scope: "row" }, optionName(option.option), best ? ` — ${t("console.recommended_short")}` : ""),
      el("td", { class: "num" }, spread(option.sl, percent)),
      el("td", { class: "num" }, spread(option.abandon_rate, percent)),
      el("td", { class: "num" }, spread(option.peak_wait_s, duration)));
  });
  document.querySelector("#con-options tbody").replaceChildren(...rows);
}

/** Runs the projection on demand, with progress shown and the button off meanwhile. */
export async function runProjection(event) {
  const button = event.currentTarget;
  const progress = document.getElementById("con-projecting");
  const box = document.getElementById("con-projection");
  button.disabled = true;
  progress.hidden = false;
  try {
    const projection = await api(PROJECTION);
    box.hidden = false;
    document.getElementById("con-recommended").textContent = projection.recommended === null
      ? t("console.no_recommendation")
      : t("console.recommendation", {
        option: optionName(projection.recommended), minutes: projection.minutes,
        replications: projection.replications,
      });
    table(projection);
    await chart(projection);
  } catch (error) {
    toast(error.message);
  } finally {
    button.disabled = false;
    progress.hidden = true;
  }
}
