// Agent console: everything a customer wrote is put on the page with textContent, never as HTML.
// An ES module: strict, and nothing in it is a global of the page.

const CANNED_RESPONSES = [
  "Thanks for waiting, I'm looking into this now.",
  "Could you give me your order number, please?",
  "I've arranged a refund; you'll get a confirmation email shortly.",
  "Is there anything else I can help you with?",
];

const state = {
  token: sessionStorage.getItem("agentToken"),
  me: null,
  selected: null,
  stream: null,
  reconnectTimer: null,
  reconnectAttempts: 0,
};
const byId = (id) => document.getElementById(id);

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function showError(message) {
  byId("console-error").textContent = message || "";
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "/api/agents/login") {
    logOut();
  }
  if (!response.ok) throw new Error(data.error || `request failed (${response.status})`);
  return data;
}

function minutes(seconds) {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
}

function queueItem(handoff, mine) {
  const item = element("li", null, {
    "data-testid": mine ? "chat-item" : "queue-item",
    "data-handoff-id": handoff.id,
    "data-conversation-id": handoff.conversation_id,
  });
  const title = handoff.kind === "ticket" ? `Message from ${handoff.customer_email || "customer"}` : handoff.conversation_id;
  item.append(element("strong", title));
  const position = handoff.queue_position ? `#${handoff.queue_position} · ` : "";
  item.append(element("div", `${position}${handoff.reason} · ${handoff.channel || "unknown channel"}`, { class: "meta" }));
  item.append(element("div", `waiting ${minutes(handoff.wait_seconds)}`, { class: "meta" }));
  if (mine) {
    if (state.selected === handoff.id) item.classList.add("selected");
    item.addEventListener("click", () => openConversation(handoff.id));
  } else {
    const claim = element("button", "Claim", { type: "button", "data-testid": "claim-button", "data-handoff-id": handoff.id });
    claim.addEventListener("click", (event) => { event.stopPropagation(); claimHandoff(handoff.id); });
    item.append(claim);
  }
  return item;
}

async function refreshQueue() {
  try {
    const [waiting, active] = await Promise.all([
      api("GET", "/api/handoffs?status=waiting"),
      api("GET", "/api/handoffs?status=active"),
    ]);
    byId("queue").replaceChildren(...waiting.handoffs.map((handoff) => queueItem(handoff, false)));
    byId("queue-count").textContent = String(waiting.handoffs.length);
    const mine = active.handoffs.filter((handoff) => handoff.assigned_agent?.id === state.me.id);
    byId("my-chats").replaceChildren(...mine.map((handoff) => queueItem(handoff, true)));
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

function renderContext(detail) {
  const card = byId("context-card");
  const context = detail.context;
  const rows = [
    ["Reason", context.reason],
    ["Channel", context.channel || "unknown"],
    ["Verified", context.customer.verified ? "yes" : "no"],
    ["Customer", context.customer.customer_id || "—"],
    ["Email", context.customer.email || "—"],
    ["Intents", (context.intents || []).join(", ") || "—"],
  ];
  const verification = context.customer.verification;
  if (verification) {
    const locked = verification.locked ? `, locked until ${verification.locked_until}` : "";
    rows.push(["Failed verifications", `${verification.failed_attempts} for ${verification.order_number} in 24 h${locked}`]);
  }
  for (const [name, value] of Object.entries(context.slots || {})) {
    rows.push([`Slot ${name}`, typeof value === "object" ? JSON.stringify(value) : value]);
  }
  card.replaceChildren(...rows.flatMap(([name, value]) => [element("dt", name), element("dd", value)]));
  const orders = context.customer.orders || [];
  byId("context-orders").replaceChildren(
    ...(orders.length ? orders.map((order) => element("li", Object.values(order).slice(0, 4).join(" · "), { "data-testid": "context-order" }))
                      : [element("li", "No verified customer orders", { class: "meta" })])
  );
}

async function openConversation(id) {
  try {
    const detail = await api("GET", `/api/handoffs/${id}`);
    state.selected = id;
    byId("conversation").hidden = false;
    byId("context-panel").hidden = false;
    byId("conversation").setAttribute("data-handoff-id", id);
    byId("conversation-title").textContent = `${detail.handoff.conversation_id} (${detail.handoff.status})`;
    byId("transcript").replaceChildren(...detail.transcript.map(transcriptEntry));
    byId("transcript").scrollTop = byId("transcript").scrollHeight;
    byId("notes-list").replaceChildren(...detail.notes.map(noteEntry));
    renderContext(detail);
    document.querySelectorAll("#my-chats li").forEach((item) =>
      item.classList.toggle("selected", Number(item.dataset.handoffId) === id));
  } catch (error) {
    showError(error.message);
  }
}

async function sendReply(event) {
  event.preventDefault();
  const box = byId("reply-box");
  const text = box.value.trim();
  if (!text || !state.selected) return;
  try {
    const { message } = await api("POST", `/api/handoffs/${state.selected}/messages`, { text });
    box.value = "";
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

async function closeConversation(outcome) {
  if (!state.selected) return;
  try {
    const { handoff } = await api("POST", `/api/handoffs/${state.selected}/close`, { outcome });
    if (handoff.status === "closing") {
      showError("Closing: the assistant has not confirmed yet; the chat closes as soon as it does.");
      refreshQueue();
      return;
    }
    state.selected = null;
    byId("conversation").hidden = true;
    byId("context-panel").hidden = true;
    showError("");
    refreshQueue();
  } catch (error) {
    showError(error.message);
  }
}

const RECONNECT_DELAYS_MS = [1000, 2000, 5000, 10000, 30000];

function scheduleReconnect() {
  if (state.reconnectTimer || !state.token) return;
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
  if (!state.token) return;
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
  stream.addEventListener("session_ended", (event) => {
    const { reason } = JSON.parse(event.data);
    logOut();
    byId("login-error").textContent = reason === "expired" ? "Your session has expired; please log in again." : "You have been logged out.";
  });
  for (const kind of ["handoff_opened", "handoff_claimed", "handoff_closing", "handoff_closed"]) {
    stream.addEventListener(kind, () => refreshQueue());
  }
  stream.addEventListener("handoff_close_failed", (event) => {
    const { handoff } = JSON.parse(event.data);
    if (handoff.id === state.selected) showError("The assistant refused to take the chat back; it is still yours.");
    refreshQueue();
  });
  for (const kind of ["message", "message_delivery"]) {
    stream.addEventListener(kind, (event) => {
      const update = JSON.parse(event.data);
      if (update.handoff_id === state.selected) showMessage(update.message);
    });
  }
  stream.addEventListener("note", (event) => {
    const update = JSON.parse(event.data);
    if (update.handoff_id === state.selected) byId("notes-list").append(noteEntry(update.note));
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
  state.reconnectAttempts = 0;
  state.token = null;
  state.me = null;
  sessionStorage.removeItem("agentToken");
  byId("console-view").hidden = true;
  byId("login-view").hidden = false;
}

byId("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const data = await api("POST", "/api/agents/login", {
      username: byId("login-username").value,
      password: byId("login-password").value,
    });
    state.token = data.token;
    sessionStorage.setItem("agentToken", data.token);
    byId("login-error").textContent = "";
    await startConsole();
  } catch (error) {
    byId("login-error").textContent = error.message;
  }
});

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

const canned = byId("canned-responses");
canned.append(...CANNED_RESPONSES.map((text) => element("option", text, { value: text })));
canned.addEventListener("change", () => {
  if (canned.value) byId("reply-box").value = canned.value;
  canned.value = "";
});
byId("reply-form").addEventListener("submit", sendReply);
byId("note-form").addEventListener("submit", addNote);
byId("close-resolved").addEventListener("click", () => closeConversation("resolved"));
byId("handback-button").addEventListener("click", () => closeConversation("back_to_bot"));
// queue ages tick even when nothing happens
setInterval(() => {
  if (state.me) refreshQueue();
}, 15000);

if (state.token) startConsole();
