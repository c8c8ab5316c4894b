// Canned replies: "/" in the reply box offers them by shortcut; {first_name} and {order_number} come from the context.

import { api } from "./api.js";
import { byId, element } from "./dom.js";

const FALLBACKS = { first_name: "", order_number: "your order" };
const state = { responses: [], language: null, matches: [], active: 0, values: {} };

// "Hi {first_name}, ..." reads "Hi, ..." when the name is not known; an order reads "your order"
export function fillVariables(text, values) {
  return text
    .replace(/ \{first_name\}(?=[,.!?])/g, values.first_name ? ` ${values.first_name}` : "")
    .replace(/, \{first_name\}(?=[.!?])/g, values.first_name ? `, ${values.first_name}` : "")
    .replace(/\{(\w+)\}/g, (placeholder, name) => values[name] || FALLBACKS[name] || placeholder);
}

export async function loadCannedResponses(language, values) {
  state.values = values;
  if (state.language !== (language || "en")) {
    const answer = await api("GET", `/api/canned-responses?language=${encodeURIComponent(language || "en")}`);
    state.responses = answer.responses;
    state.language = language || "en";
  }
  const picker = byId("canned-responses");
  picker.replaceChildren(element("option", "Canned responses… (or type /)", { value: "" }),
    ...state.responses.map((reply) => element("option", `/${reply.shortcut} · ${reply.title}`, { value: reply.shortcut })));
}

function box() {
  return byId("reply-box");
}

// the "/word" just before the caret, if the caret ends one
function slashWord() {
  const text = box().value.slice(0, box().selectionStart);
  const match = /(?:^|\s)\/(\w*)$/.exec(text);
  return match ? { query: match[1].toLowerCase(), start: text.length - match[1].length - 1 } : null;
}

function close() {
  state.matches = [];
  byId("canned-suggestions").hidden = true;
  box().setAttribute("aria-expanded", "false");
  box().removeAttribute("aria-activedescendant");
}

function render() {
  const list = byId("canned-suggestions");
  list.replaceChildren(...state.matches.map((reply, index) => {
    const option = element("li", null, {
      id: `canned-option-${index}`, role: "option", "data-testid": "canned-option",
      "aria-selected": String(index === state.active),
    });
    option.append(element("strong", `/${reply.shortcut}`), element("span", ` ${fillVariables(reply.text, state.values)}`));
    option.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(index);
    });
    return option;
  }));
  list.hidden = state.matches.length === 0;
  box().setAttribute("aria-expanded", String(state.matches.length > 0));
  if (state.matches.length) box().setAttribute("aria-activedescendant", `canned-option-${state.active}`);
}

function choose(index) {
  const word = slashWord();
  const reply = state.matches[index];
  if (!reply) return;
  const filled = fillVariables(reply.text, state.values);
  const value = box().value;
  const start = word ? word.start : box().selectionStart;
  const end = box().selectionStart;
  box().value = value.slice(0, start) + filled + value.slice(end);
  const caret = start + filled.length;
  box().setSelectionRange(caret, caret);
  close();
  box().dispatchEvent(new Event("input"));
}

export function setUpCannedCompletion() {
  box().addEventListener("input", () => {
    const word = slashWord();
    if (!word) {
      close();
      return;
    }
    state.matches = state.responses.filter((reply) => reply.shortcut.startsWith(word.query) || reply.title.toLowerCase().includes(word.query));
    state.active = 0;
    render();
  });
  box().addEventListener("keydown", (event) => {
    if (!state.matches.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      state.active = (state.active + step + state.matches.length) % state.matches.length;
      render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      event.stopImmediatePropagation();
      choose(state.active);
    } else if (event.key === "Escape") {
      event.stopImmediatePropagation();
      close();
    }
  });
  box().addEventListener("blur", () => close());
  const picker = byId("canned-responses");
  picker.addEventListener("change", () => {
    const reply = state.responses.find((candidate) => candidate.shortcut === picker.value);
    if (reply) box().value = fillVariables(reply.text, state.values);
    picker.value = "";
    box().focus();
  });
}
