// Unanswered questions in groups, a label per question, and the labelled ones as Rasa NLU YAML.

import { api, session } from "./api.js";
import { byId, element } from "./dom.js";

function questionItem(question, announce) {
  const item = element("li", null, { "data-testid": "unanswered-question", "data-question-id": question.id });
  const when = new Date(question.at).toLocaleString([], { dateStyle: "short", timeStyle: "short" });
  const text = element("span", null, { class: "question" });
  text.append(element("span", question.text, { "data-testid": "unanswered-text" }), element("span", ` · ${question.why} · ${when}`, { class: "meta" }));
  const state = element("span", question.label ? `labelled ${question.label}` : "", { class: "labelled", "data-testid": "unanswered-label" });
  const form = element("form", null, { "data-testid": "label-form" });
  const input = element("input", null, { list: "intent-names", "aria-label": "Intent", placeholder: "intent", required: "", pattern: "[A-Za-z][A-Za-z0-9_]*", "data-testid": "label-intent" });
  if (question.label) input.value = question.label;
  form.append(input, element("button", "Label", { type: "submit", "data-testid": "label-submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const stored = await api("POST", `/api/reports/unanswered/${question.id}/label`, { intent: input.value.trim() });
      state.textContent = `labelled ${stored.intent}`;
      announce(`Labelled as ${stored.intent}`);
    } catch (error) {
      announce(error.message, true);
    }
  });
  item.append(text, state, form);
  return item;
}

export async function refreshQuestions(query, intents, announce) {
  const found = await api("GET", `/api/reports/unanswered?${query}`);
  byId("intent-names").replaceChildren(...intents.map((intent) => element("option", null, { value: intent })));
  const groups = found.groups.map((group) => {
    const item = element("li", null, { "data-testid": "unanswered-group", "data-group-id": group.id });
    item.append(element("strong", `${group.size} × asked like this`), element("ul", null));
    item.lastChild.append(...group.questions.map((question) => questionItem(question, announce)));
    return item;
  });
  byId("unanswered").replaceChildren(...groups);
  byId("unanswered-count").textContent = String(found.questions);
}

export async function downloadYaml() {
  const response = await fetch("/api/reports/unanswered.yml", { headers: { Authorization: `Bearer ${session.token}` } });
  if (!response.ok) throw new Error(`export failed (${response.status})`);
  const link = element("a", null, { href: URL.createObjectURL(await response.blob()), download: "unanswered-nlu.yml" });
  link.click();
  URL.revokeObjectURL(link.href);
}
