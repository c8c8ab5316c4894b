// Labels on the open conversation: shown as chips, added from the box, removed with their button.

import { api } from "./api.js";
import { byId, element } from "./dom.js";

const state = { handoffId: null, labels: [] };

function render(showError) {
  byId("label-list").replaceChildren(...state.labels.map((label) => {
    const chip = element("li", null, { class: "chip", "data-testid": "label" });
    chip.append(element("span", label));
    const remove = element("button", "×", { type: "button", "aria-label": `Remove label ${label}` });
    remove.addEventListener("click", () => save(state.labels.filter((kept) => kept !== label), showError));
    chip.append(remove);
    return chip;
  }));
}

async function save(labels, showError) {
  try {
    const answer = await api("POST", `/api/handoffs/${state.handoffId}/labels`, { labels });
    state.labels = answer.labels;
    render(showError);
  } catch (error) {
    showError(error.message);
  }
}

export function showLabels(handoffId, labels, showError) {
  state.handoffId = handoffId;
  state.labels = labels;
  render(showError);
}

export function labelsChanged(update, showError) {
  if (update.handoff_id === state.handoffId) showLabels(state.handoffId, update.labels, showError);
}

export function setUpLabels(showError) {
  byId("label-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const box = byId("label-box");
    const label = box.value.trim();
    if (!label || state.handoffId === null) return;
    box.value = "";
    save([...state.labels, label], showError);
  });
}
