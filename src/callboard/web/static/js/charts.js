// plotly.js for the console and report charts, loaded on first use from the installed
// `plotly` package (served by the app), with the shared palette and the page's language.

let loading = null;

/** The Plotly global, once /static/vendor/plotly.min.js has loaded (fetched only once). */
function plotly() {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/static/vendor/plotly.min.js";
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => { loading = null; reject(new Error(script.src)); };
    document.head.append(script);
  });
  return loading;
}

// Line colours from app.css, each at least 4.5:1 on white; lines also differ by dash.
export const PALETTE = ["#0b57d0", "#b3261e", "#0b6b2f", "#8a5300", "#4a5361", "#6b3fa0"];
export const DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

/** A layout in the shared look; `extra` is merged over it. */
export function layout(extra = {}) {
  return {
    font: { family: getComputedStyle(document.documentElement).fontFamily, size: 14, color: "#14181f" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 60, r: 20, t: 30, b: 50 },
    legend: { orientation: "h", y: -0.2 },
    ...extra,
  };
}

/** Draws (or redraws) a chart in `node`, resizing with the page. */
export async function draw(node, traces, chartLayout) {
  const Plotly = await plotly();
  await Plotly.react(node, traces, chartLayout, { responsive: true, displaylogo: false });
}
