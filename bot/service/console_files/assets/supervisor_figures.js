// The period's figures and charts (Chart.js, served locally), updated in place when the period changes.

import { byId, element } from "./dom.js";
import { reasonText } from "./format.js";

const { Chart } = window;
const charts = new Map();

export function percent(rate) {
  return rate === null || rate === undefined ? "–" : `${Math.round(rate * 1000) / 10} %`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round((seconds / 60) * 10) / 10} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

const FIGURES = [
  ["conversations", "Conversations", (s) => s.conversations],
  ["contained", "Contained (bot alone)", (s) => s.contained],
  ["containment_rate", "Containment rate", (s) => percent(s.containment_rate)],
  ["escalated", "Escalated to a person", (s) => s.escalated],
  ["abandoned", "Abandoned while waiting", (s) => s.abandoned],
  ["first_response_seconds_p50", "First response, median", (s) => duration(s.first_response_seconds_p50)],
  ["first_response_seconds_p90", "First response, 90th pct.", (s) => duration(s.first_response_seconds_p90)],
  ["handle_seconds_p50", "Handle time, median", (s) => duration(s.handle_seconds_p50)],
  ["resolved", "Resolved", (s) => s.resolved],
  ["csat_mean", "CSAT, mean of 5", (s) => (s.csat_mean === null ? "–" : String(s.csat_mean))],
  ["csat_positive_rate", "CSAT (4–5 ratings)", (s) => percent(s.csat_positive_rate)],
  ["csat_responses", "Ratings", (s) => s.csat_responses],
];

export function showFigures(summary) {
  byId("figures").replaceChildren(
    ...FIGURES.map(([name, label, value]) => {
      const box = element("div", null, { "data-testid": `figure-${name}` });
      box.append(element("dt", label), element("dd", value(summary), { "data-testid": `figure-${name}-value` }));
      return box;
    }),
  );
}

function draw(id, type, labels, datasets, options = {}) {
  const existing = charts.get(id);
  if (existing) {
    existing.data.labels = labels;
    existing.data.datasets = datasets;
    existing.update();
    return;
  }
  charts.set(
    id,
    new Chart(byId(id), {
      type,
      data: { labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
    }),
  );
}

function tick(at, interval) {
  const moment = new Date(at);
  return interval === "hour" ? `${String(moment.getUTCHours()).padStart(2, "0")}:00` : at.slice(0, 10);
}

// series: { metric: {points: [{at, value}]} } of one interval
export function showCharts(summary, series, interval) {
  const labels = series.conversations.points.map((point) => tick(point.at, interval));
  const values = (metric) => series[metric].points.map((point) => point.value);
  draw("chart-conversations", "bar", labels, [
    { label: "Conversations", data: values("conversations"), backgroundColor: "#2f6fde" },
    { label: "Contained", data: values("contained"), backgroundColor: "#3f9b55" },
  ], { scales: { y: { ticks: { precision: 0 } } } });
  draw("chart-containment", "line", labels, [
    { label: "Containment rate (%)", data: values("containment_rate").map((v) => (v === null ? null : Math.round(v * 1000) / 10)), borderColor: "#3f9b55", spanGaps: true },
  ], { scales: { y: { min: 0, max: 100 } } });
  const reasons = Object.keys(summary.escalation_reasons);
  draw("chart-reasons", "bar", reasons.map((reason) => reasonText(reason)), [
    { label: "Escalations", data: reasons.map((reason) => summary.escalation_reasons[reason]), backgroundColor: "#b35c00" },
  ], { indexAxis: "y", scales: { x: { ticks: { precision: 0 } } } });
  draw("chart-first-response", "bar", ["median (p50)", "90th percentile (p90)"], [
    { label: "First response (minutes)", data: [summary.first_response_seconds_p50, summary.first_response_seconds_p90].map((s) => (s === null ? null : s / 60)), backgroundColor: "#7a4fd0" },
  ]);
  draw("chart-csat", "line", labels, [
    { label: "Mean rating", data: values("csat_mean"), borderColor: "#b3261e", spanGaps: true },
  ], { scales: { y: { min: 1, max: 5 } } });
}
