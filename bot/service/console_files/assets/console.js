// Agent console: everything a customer wrote is put on the page with textContent, never as HTML.
// An ES module: strict, and nothing in it is a global of the page.

import { api, session } from "./api.js";
import { loadCannedResponses, setUpCannedCompletion } from "./canned.js";
import { renderContext } from "./context_card.js";
import { alertAgent, countUnread, markRead, setUpNotificationButton, showTotalInTitle, unreadCount } from "./cues.js";
import { byId, element } from "./dom.js";
import { channelOf, chatTitle, firstName, reasonText, since } from "./format.js";
import { labelsChanged, setUpLabels, showLabels } from "./labels.js";
import { colleagueUpdate, customerTypingUpdate, enterChat, leaveChat, sent, typed } from "./presence.js";
import { setUpSearch } from "./search.js";
import { forgetToken, setUpSignIn } from "./sign_in.js";

const state = {
  me: null,
  selected: null,
  waiting: [],
  mine: [],
  known: new Map(),
  stream: null,
  reconnectTimer: null,
  reconnectAttempts: 0,
};

function showError(message) {
  byId("console-error").textContent = message || "";
}

function announce(text) {
  byId("announcer").textContent = text;
}

function channelIcon(code) {
  const channel = channelOf(code);
  return element("span", channel.icon, { class: "channel-icon", role: "img", "aria-label": channel.name, title: channel.name, "data-testid": "channel-icon" });
}

function chatItem(handoff, mine) {
  const item = element("li", null, {
    "data-testid": mine ? "chat-item" : "queue-item",
    "data-handoff-id": handoff.id,
    "data-conversation-id": handoff.conversation_id,
  });
  if (state.selected === handoff.id) item.classList.add("selected");
  const open = element("button", null, { type: "button", class: "chat-open", "data-testid": "chat-open" });
  const head = element("span", null, { class: "chat-head" });
  head.append(channelIcon(handoff.channel), element("strong", handoff.kind === "ticket" ? `Message from ${chatTitle(handoff)}` : chatTitle(handoff), { "data-testid": "chat-title" }));
  const count = unreadCount(handoff.id);
  if (count) head.append(element("span", String(count), { class: "unread", "data-testid": "unread-count", "aria-label": `${count} unread` }));
  open.append(head);
  const position = handoff.queue_position ? `#${handoff.queue_position} · ` : "";
  const waited = handoff.status === "waiting" ? `waiting ${since(handoff.wait_seconds)}` : `waited ${since(handoff.wait_seconds)}`;
  open.append(element("span", `${position}${reasonText(handoff.reason)} · ${waited}`, { class: "meta", "data-testid": "chat-reason" }));
  if (handoff.labels?.length) open.append(element("span", handoff.labels.join(", "), { class: "meta labels" }));
  open.addEventListener("click", () => openConversation(handoff.id));
  item.append(open);
  if (!mine) {
    const claim = element("button", "Claim", { type: "button", "data-testid": "claim-button", "data-handoff-id": handoff.id });
    claim.addEventListener("click", () => claimHandoff(handoff.id));
    item.append(claim);
  }
  return item;
}

function renderLists() {
  byId("queue").replaceChildren(...state.waiting.map((handoff) => chatItem(handoff, false)));
  byId("queue-count").textContent = String(state.waiting.length);
  byId("my-chats").replaceChildren(...state.mine.map((handoff) => chatItem(handoff, true)));
  showTotalInTitle();
}

async function refreshQueue() {
  try {
    const [waiting, active] = await Promise.all([
      api("GET", "/api/handoffs?status=waiting"),
      api("GET", "/api/handoffs?status=active"),
    ]);
    state.waiting = waiting.handoffs;
    state.mine = active.handoffs.filter((handoff) => handoff.assigned_agent?.id === state.me.id);
    for (const handoff of [...state.waiting, ...state.mine]) state.known.set(handoff.id, handoff);
    renderLists();
  } catch (error) {
    showError(error.message);
  }
}

async function claimHandoff(id) {
  try {
    await api("POST", `/api/handoffs/${id}/claim`);
    showError("");
    await refreshQueue();
    await openConversation(id);
  } catch (error) {
    showError(error.message);
    refreshQueue();
  }
}

const DELIVERY_LABELS = { pending: "not delivered yet", failed: "not delivered" };

function transcriptEntry(entry) {
  const who = entry.sender === "agent" ? (entry.agent || "Agent") : entry.sender === "bot" ? "Assistant" : "Customer";
  const attributes = { "data-testid": "transcript-message", "data-sender": entry.sender };
  if (entry.source === "handoff" && entry.id) attributes["data-message-id"] = entry.id;
  if (entry.delivery) attributes["data-delivery"] = entry.delivery;
  const item = element("li", null, attributes);
  const label = DELIVERY_LABELS[entry.delivery] ? ` · ${DELIVERY_LABELS[entry.delivery]}` : "";
  const time = entry.at ? ` · ${new Date(entry.at).toLocaleTimeString()}` : "";
  item.append(element("div", who + time + label, { class: "meta" }));
  item.append(element("div", entry.text));
  return item;
}

// a line already shown (sent, then confirmed) is replaced where it is; a new one goes to the end
function showMessage(message) {
  const entry = transcriptEntry(message);
  const shown = byId("transcript").querySelector(`[data-message-id="${Number(message.id)}"]`);
  if (shown) {
    shown.replaceWith(entry);
  } else {
    byId("transcript").append(entry);
    byId("transcript").scrollTop = byId("transcript").scrollHeight;
  }
}

function noteEntry(note) {
  const item = element("li", null, { "data-testid": "note" });
  item.append(element("div", `${note.agent || "Agent"} · ${new Date(note.at).toLocaleTimeString()}`, { class: "meta" }));
  item.append(element("div", note.text));
  return item;
}

async function openConversation(id) {
  try {
    const [detail, facts] = await Promise.all([api("GET", `/api/handoffs/${id}`), api("GET", `/api/handoffs/${id}/facts`)]);
    state.selected = id;
    markRead(id);
    state.known.set(id, detail.handoff);
    byId("empty-state").hidden = true;
    byId("conversation").hidden = false;
    byId("context-panel").hidden = false;
    byId("conversation").setAttribute("data-handoff-id", id);
    byId("conversation-title").replaceChildren(channelIcon(detail.handoff.channel), ` ${chatTitle(detail.handoff, facts)}`);
    byId("conversation-status").textContent = detail.handoff.status;
    byId("transcript").replaceChildren(...detail.transcript.map(transcriptEntry));
    byId("transcript").scrollTop = byId("transcript").scrollHeight;
    byId("notes-list").replaceChildren(...detail.notes.map(noteEntry));
    renderContext(detail, facts, openConversation);
    showLabels(id, facts.labels, showError);
    const language = detail.handoff.language || facts.language;
    await loadCannedResponses(language, { first_name: firstName(facts), order_number: facts.order?.number || detail.context.slots?.order_number || "" });
    enterChat(id);
    renderLists();
  } catch (error) {
    showError(error.message);
  }
}

async function sendReply(event) {
  event?.preventDefault();
  const box = byId("reply-box");
  const text = box.value.trim();
  if (!text || !state.selected) return;
  try {
    const { message } = await api("POST", `/api/handoffs/${state.selected}/messages`, { text });
    box.value = "";
    sent();
    showError(message.delivery === "pending"
      ? "The assistant cannot be reached right now; your reply is queued and goes out as soon as it is back."
      : "");
  } catch (error) {
    showError(error.message);
  }
}

async function addNote(event) {
  event.preventDefault();
  const box = byId("note-box");
  const text = box.value.trim();
  if (!text || !state.selected) return;
  try {
    await api("POST", `/api/handoffs/${state.selected}/notes`, { text });
    box.value = "";
  } catch (error) {
    showError(error.message);
  }
}

function closePanels() {
  leaveChat();
  state.selected = null;
  byId("conversation").hidden = true;
  byId("context-panel").hidden = true;
  byId("empty-state").hidden = false;
}

async function closeConversation(outcome) {
  if (!state.selected) return;
  try {
    const { handoff } = await api("POST", `/api/handoffs/${state.selected}/close`, { outcome });
    if (handoff.status === "closing") {
      showError("Closing: the assistant has not confirmed yet; the chat closes as soon as it does.");
      refreshQueue();
      return;
    }
    closePanels();
    showError("");
    refreshQueue();
  } catch (error) {
    showError(error.message);
  }
}

// the next of my chats after the open one, unread ones first
function nextChat() {
  const unread = state.mine.find((handoff) => unreadCount(handoff.id) && handoff.id !== state.selected);
  const index = state.mine.findIndex((handoff) => handoff.id === state.selected);
  const next = unread || state.mine[(index + 1) % Math.max(state.mine.length, 1)];
  if (next) openConversation(next.id);
}

function customerMessage(update) {
  const handoff = state.known.get(update.handoff_id);
  const title = handoff ? chatTitle(handoff) : "a customer";
  if (update.handoff_id !== state.selected) {
    countUnread(update.handoff_id);
    renderLists();
    announce(`New message from ${title}`);
  }
  alertAgent("New customer message", `From ${title}`, () => openConversation(update.handoff_id));
}

const RECONNECT_DELAYS_MS = [1000, 2000, 5000, 10000, 30000];

function scheduleReconnect() {
  if (state.reconnectTimer || !session.token) return;
  const delay = RECONNECT_DELAYS_MS[Math.min(state.reconnectAttempts, RECONNECT_DELAYS_MS.length - 1)];
  state.reconnectAttempts += 1;
  byId("stream-state").textContent = "reconnecting…";
  state.reconnectTimer = setTimeout(() => {
    state.reconnectTimer = null;
    connectStream();
  }, delay);
}

function closeStream() {
  if (state.stream) state.stream.close();
  state.stream = null;
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = null;
}

function listen(stream, kind, handle) {
  stream.addEventListener(kind, (event) => handle(JSON.parse(event.data)));
}

// The token never goes in the URL: each connection (and reconnection) opens with a fresh one-time ticket.
async function connectStream() {
  closeStream();
  let ticket;
  try {
    ticket = (await api("POST", "/api/stream/ticket")).ticket;
  } catch {
    // a 401 has logged the console out already; anything else is worth another try
    scheduleReconnect();
    return;
  }
  if (!session.token) return;
  const stream = new EventSource(`/api/stream?ticket=${encodeURIComponent(ticket)}`);
  state.stream = stream;
  stream.addEventListener("ready", () => {
    const wasReconnecting = state.reconnectAttempts > 0;
    state.reconnectAttempts = 0;
    byId("stream-state").textContent = "live";
    // whatever happened while the stream was down
    if (wasReconnecting) refreshQueue();
  });
  stream.onerror = () => {
    // EventSource would retry with the same, already used ticket; ask for a new one instead
    if (state.stream !== stream) return;
    stream.close();
    state.stream = null;
    scheduleReconnect();
  };
  listen(stream, "session_ended", ({ reason }) => {
    logOut();
    byId("login-error").textContent = reason === "expired" ? "Your session has expired; please log in again." : "You have been logged out.";
  });
  listen(stream, "handoff_opened", ({ handoff }) => {
    state.known.set(handoff.id, handoff);
    announce(`New chat waiting: ${chatTitle(handoff)}, ${reasonText(handoff.reason)}`);
    alertAgent("New chat waiting", `${chatTitle(handoff)}: ${reasonText(handoff.reason)}`, () => byId("queue").focus());
    refreshQueue();
  });
  for (const kind of ["handoff_claimed", "handoff_closing", "handoff_closed"]) listen(stream, kind, () => refreshQueue());
  listen(stream, "handoff_close_failed", ({ handoff }) => {
    if (handoff.id === state.selected) showError("The assistant refused to take the chat back; it is still yours.");
    refreshQueue();
  });
  listen(stream, "message", (update) => {
    if (update.handoff_id === state.selected) showMessage(update.message);
    if (update.message.sender === "customer") {
      customerTypingUpdate({ handoff_id: update.handoff_id, typing: false });
      customerMessage(update);
    }
  });
  listen(stream, "message_delivery", (update) => {
    if (update.handoff_id === state.selected) showMessage(update.message);
  });
  listen(stream, "note", (update) => {
    if (update.handoff_id === state.selected) byId("notes-list").append(noteEntry(update.note));
  });
  listen(stream, "agent_presence", (update) => colleagueUpdate(update, state.me?.id));
  listen(stream, "customer_typing", (update) => customerTypingUpdate(update));
  listen(stream, "labels", (update) => {
    labelsChanged(update, showError);
    refreshQueue();
  });
}

async function startConsole() {
  try {
    state.me = await api("GET", "/api/agents/me");
  } catch {
    return;
  }
  byId("login-view").hidden = true;
  byId("console-view").hidden = false;
  byId("agent-name").textContent = `${state.me.display_name}${state.me.role === "supervisor" ? " (supervisor)" : ""}`;
  byId("agent-status").value = state.me.status;
  connectStream();
  refreshQueue();
}

function logOut() {
  closeStream();
  closePanels();
  state.reconnectAttempts = 0;
  forgetToken();
  state.me = null;
  byId("console-view").hidden = true;
  byId("login-view").hidden = false;
}
session.onUnauthorized = logOut;

setUpSignIn(startConsole);

byId("agent-status").addEventListener("change", async (event) => {
  try {
    await api("POST", "/api/agents/me/status", { status: event.target.value });
  } catch (error) {
    showError(error.message);
  }
});

byId("logout").addEventListener("click", async () => {
  try {
    await api("POST", "/api/agents/logout");
  } catch {
    // the token may already be gone
  }
  logOut();
});

byId("reply-form").addEventListener("submit", sendReply);
byId("reply-box").addEventListener("input", () => typed());
// Enter sends, Shift+Enter starts a new line (the canned-reply list takes Enter first while open)
byId("reply-box").addEventListener("keydown", (event) => {
  const choosingCannedReply = event.target.getAttribute("aria-expanded") === "true";
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !choosingCannedReply) {
    event.preventDefault();
    sendReply();
  }
});
byId("note-form").addEventListener("submit", addNote);
byId("close-resolved").addEventListener("click", () => closeConversation("resolved"));
byId("handback-button").addEventListener("click", () => closeConversation("back_to_bot"));

// Alt+C claims the next waiting chat, Alt+N opens the next of my chats, Alt+X closes the open one as resolved,
// Alt+R moves to the reply box, Alt+S to search
document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || !state.me) return;
  const actions = {
    c: () => state.waiting[0] && claimHandoff(state.waiting[0].id),
    n: () => nextChat(),
    x: () => closeConversation("resolved"),
    r: () => state.selected && byId("reply-box").focus(),
    s: () => byId("search-box").focus(),
  };
  const action = actions[event.key.toLowerCase()];
  if (action) {
    event.preventDefault();
    action();
  }
});

setUpCannedCompletion();
setUpLabels(showError);
setUpSearch(openConversation, showError);
setUpNotificationButton();
// queue ages tick even when nothing happens
setInterval(() => {
  if (state.me) refreshQueue();
}, 15000);

if (session.token) startConsole();
