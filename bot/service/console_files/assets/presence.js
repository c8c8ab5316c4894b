// Presence in a chat: the agent's own viewing and typing go to the server, colleagues' come back as notices.

import { api } from "./api.js";
import { byId } from "./dom.js";

const VIEWING_EVERY_MS = 20000;
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 6000;
const CUSTOMER_TYPING_SHOWN_MS = 6000;

const state = { handoffId: null, heartbeat: null, lastTyping: 0, others: new Map(), customerTimer: null, expiry: null };

async function report(handoffId, activity) {
  try {
    const { others } = await api("POST", `/api/handoffs/${handoffId}/presence`, { activity });
    if (handoffId !== state.handoffId) return;
    state.others = new Map(others.map((other) => [other.agent_id, { ...other, at: Date.now() }]));
    render();
  } catch {
    // presence is a courtesy: a failed report is repeated by the next heartbeat
  }
}

function render() {
  const now = Date.now();
  const phrases = [];
  for (const other of state.others.values()) {
    const typing = other.activity === "typing" && now - other.at < TYPING_SHOWN_MS;
    phrases.push(`${other.display_name} is ${typing ? "typing" : "viewing"}`);
  }
  byId("collision-notice").textContent = phrases.join(" · ");
  byId("collision-notice").hidden = phrases.length === 0;
  clearTimeout(state.expiry);
  // "typing" turns back into "viewing" on its own when no new keystroke report arrives
  if ([...state.others.values()].some((other) => other.activity === "typing")) {
    state.expiry = setTimeout(render, TYPING_SHOWN_MS);
  }
}

export function enterChat(handoffId) {
  if (state.handoffId === handoffId) return;
  leaveChat();
  state.handoffId = handoffId;
  state.others = new Map();
  render();
  report(handoffId, "viewing");
  state.heartbeat = setInterval(() => report(handoffId, "viewing"), VIEWING_EVERY_MS);
}

export function leaveChat() {
  if (state.handoffId !== null) {
    const handoffId = state.handoffId;
    api("POST", `/api/handoffs/${handoffId}/presence`, { activity: "left" }).catch(() => {});
  }
  clearInterval(state.heartbeat);
  state.handoffId = null;
  state.others = new Map();
  showCustomerTyping(false);
  render();
}

export function typed() {
  if (state.handoffId === null || Date.now() - state.lastTyping < TYPING_EVERY_MS) return;
  state.lastTyping = Date.now();
  report(state.handoffId, "typing");
}

export function sent() {
  state.lastTyping = 0;
  if (state.handoffId !== null) report(state.handoffId, "viewing");
}

export function colleagueUpdate(update, myId) {
  if (update.handoff_id !== state.handoffId || update.agent_id === myId) return;
  if (update.activity === "left") state.others.delete(update.agent_id);
  else state.others.set(update.agent_id, { ...update, at: Date.now() });
  render();
}

export function showCustomerTyping(typing) {
  clearTimeout(state.customerTimer);
  byId("customer-typing").hidden = !typing;
  if (typing) state.customerTimer = setTimeout(() => showCustomerTyping(false), CUSTOMER_TYPING_SHOWN_MS);
}

export function customerTypingUpdate(update) {
  if (update.handoff_id === state.handoffId) showCustomerTyping(update.typing);
}
