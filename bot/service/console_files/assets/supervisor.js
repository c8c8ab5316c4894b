// Supervisor view: the period's figures and charts, the live desk, and the questions the assistant missed.
// Everything from the API reaches the page through textContent; Chart.js draws on canvases.

import { api, session } from "./api.js";
import { byId } from "./dom.js";
import { forgetToken, setUpSignIn } from "./sign_in.js";
import { refreshDesk } from "./supervisor_desk.js";
import { showCharts, showFigures } from "./supervisor_figures.js";
import { downloadYaml, refreshQuestions } from "./supervisor_questions.js";

const DESK_REFRESH_MS = 5000;
const CHARTED = ["conversations", "contained", "containment_rate", "csat_mean"];
let deskTimer = null;

function announce(text, isError = false) {
  byId("announcer").textContent = text;
  byId("page-error").textContent = isError ? text : "";
}

const isoDate = (moment) => moment.toISOString().slice(0, 10);

function nextDay(day) {
  const moment = new Date(`${day}T00:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + 1);
  return isoDate(moment);
}

// the pickers name whole UTC days, "to" included; the API's `to` is the moment after the period
function periodQuery() {
  const from = byId("period-from").value;
  const to = byId("period-to").value;
  return new URLSearchParams({ from, to: nextDay(to) });
}

async function showPeriod() {
  const query = periodQuery();
  const days = (new Date(query.get("to")) - new Date(query.get("from"))) / 86400000;
  const interval = days <= 2 ? "hour" : "day";
  try {
    const summary = await api("GET", `/api/reports/summary?${query}`);
    const series = {};
    await Promise.all(
      CHARTED.map(async (metric) => {
        series[metric] = await api("GET", `/api/reports/timeseries?${query}&metric=${metric}&interval=${interval}`);
      }),
    );
    showFigures(summary);
    showCharts(summary, series, interval);
    byId("summary-csv").dataset.query = query.toString();
    await refreshQuestions(query.toString(), summary.top_intents.map((entry) => entry.intent), announce);
    announce(`Showing ${query.get("from")} to ${byId("period-to").value}`);
  } catch (error) {
    announce(error.message, true);
  }
}

async function refreshDeskQuietly() {
  try {
    await refreshDesk(announce);
  } catch (error) {
    announce(error.message, true);
  }
}

function showOnly(view) {
  for (const id of ["login-view", "refusal-view", "supervisor-view"]) byId(id).hidden = id !== view;
}

async function start() {
  const me = await api("GET", "/api/agents/me");
  if (me.role !== "supervisor") {
    byId("refusal-text").textContent = `You are logged in as ${me.display_name}, an agent. This view shows every chat and the team's reports, so it is open to supervisors only.`;
    showOnly("refusal-view");
    return;
  }
  byId("agent-name").textContent = me.display_name;
  showOnly("supervisor-view");
  const params = new URLSearchParams(window.location.search);
  const today = isoDate(new Date());
  byId("period-from").value = params.get("from") || today;
  byId("period-to").value = params.get("to") || byId("period-from").value;
  await Promise.all([showPeriod(), refreshDeskQuietly()]);
  deskTimer = setInterval(refreshDeskQuietly, DESK_REFRESH_MS);
}

function logOut() {
  clearInterval(deskTimer);
  forgetToken();
  showOnly("login-view");
}
session.onUnauthorized = logOut;

setUpSignIn(start);

byId("period-form").addEventListener("submit", (event) => {
  event.preventDefault();
  showPeriod();
});

byId("summary-csv").addEventListener("click", async (event) => {
  event.preventDefault();
  const response = await fetch(`/api/reports/summary.csv?${byId("summary-csv").dataset.query || ""}`, { headers: { Authorization: `Bearer ${session.token}` } });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = "summary.csv";
  link.click();
  URL.revokeObjectURL(link.href);
});

byId("export-yaml").addEventListener("click", () => downloadYaml().catch((error) => announce(error.message, true)));

for (const button of [byId("logout"), byId("refusal-logout")]) {
  button.addEventListener("click", async () => {
    try {
      await api("POST", "/api/agents/logout");
    } catch {
      // the token may already be gone
    }
    logOut();
  });
}

if (session.token) start().catch(() => logOut());
