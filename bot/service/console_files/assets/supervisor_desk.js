// Live chats with their agent and wait, agents with status and load, and moving a chat to someone else.

import { api } from "./api.js";
import { byId, element } from "./dom.js";
import { chatTitle, reasonText, since } from "./format.js";

const rows = new Map();
let agents = [];

function agentOptions(select, chat) {
  const chosen = select.value;
  const options = [element("option", "Back to the queue", { value: "" })];
  for (const agent of agents) {
    if (agent.id === chat.assigned_agent?.id) continue;
    const load = `${agent.active_chats}/${agent.max_concurrent_chats}`;
    options.push(element("option", `${agent.display_name} (${agent.online ? "online" : "not online"}, ${load})`, { value: String(agent.id) }));
  }
  select.replaceChildren(...options);
  if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
}

function transferForm(chat, onMoved, announce) {
  const form = element("form", null, { "data-testid": "transfer-form" });
  const select = element("select", null, { "data-testid": "transfer-to", "aria-label": "Transfer to" });
  const note = element("input", null, { "data-testid": "transfer-note", "aria-label": "Note for whoever takes the chat", placeholder: "Note", required: "", maxlength: "1000" });
  const button = element("button", "Transfer", { type: "submit", "data-testid": "transfer-submit" });
  form.append(select, note, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = select.value ? Number(select.value) : null;
    try {
      await api("POST", `/api/handoffs/${chat.id}/transfer`, { to_agent_id: target, note: note.value });
      note.value = "";
      announce(target ? `Chat moved to ${select.selectedOptions[0].textContent}` : "Chat put back in the queue");
      await onMoved();
    } catch (error) {
      announce(error.message, true);
    }
  });
  return form;
}

function chatRow(chat, onMoved, announce) {
  const row = element("tr", null, { "data-testid": "live-chat", "data-handoff-id": chat.id });
  const cells = {
    title: element("td", null, { "data-testid": "live-chat-title" }),
    status: element("td", null, { "data-testid": "live-chat-status" }),
    agent: element("td", null, { "data-testid": "live-chat-agent" }),
    wait: element("td", null, { "data-testid": "live-chat-wait" }),
  };
  const move = element("td");
  move.append(transferForm(chat, onMoved, announce));
  row.append(cells.title, cells.status, cells.agent, cells.wait, move);
  return { row, cells, chat };
}

function fill(entry, chat) {
  entry.chat = chat;
  entry.cells.title.replaceChildren(element("strong", chatTitle(chat)), element("div", reasonText(chat.reason), { class: "meta" }));
  entry.cells.status.textContent = chat.status === "waiting" && chat.queue_position ? `waiting (#${chat.queue_position})` : chat.status;
  entry.cells.agent.textContent = chat.assigned_agent ? chat.assigned_agent.display_name : "nobody yet";
  entry.cells.wait.textContent = chat.status === "waiting" ? `waiting ${since(chat.wait_seconds)}` : `waited ${since(chat.wait_seconds)}`;
  agentOptions(entry.row.querySelector("select"), chat);
}

function agentRow(agent) {
  const row = element("tr", null, { "data-testid": "agent-row", "data-agent-id": agent.id });
  const status = agent.online ? "online" : agent.status === "away" ? "away" : "offline";
  row.append(
    element("td", `${agent.display_name}${agent.role === "supervisor" ? " (supervisor)" : ""}`),
    element("td", status, { class: `status-${status}`, "data-testid": "agent-status" }),
    element("td", `${agent.active_chats} of ${agent.max_concurrent_chats} chats`, { "data-testid": "agent-load" }),
  );
  return row;
}

// rows stay in place (a half-typed note survives a refresh); only their cells change
export async function refreshDesk(announce) {
  const desk = await api("GET", "/api/supervisor/desk");
  agents = desk.agents;
  const body = byId("live-chats");
  const seen = new Set();
  for (const chat of desk.chats) {
    seen.add(chat.id);
    let entry = rows.get(chat.id);
    if (!entry) {
      entry = chatRow(chat, () => refreshDesk(announce), announce);
      rows.set(chat.id, entry);
    }
    fill(entry, chat);
    body.append(entry.row);
  }
  for (const [id, entry] of rows) {
    if (!seen.has(id)) {
      entry.row.remove();
      rows.delete(id);
    }
  }
  byId("chat-count").textContent = String(desk.chats.length);
  byId("agents").replaceChildren(...agents.map(agentRow));
}
