// The context card: the facts an agent acts on first, the assistant's raw slots behind "Details".

import { byId, element } from "./dom.js";
import { channelOf, clockTime, languageName, reasonText } from "./format.js";

const SAFE_LINK = /^https:\/\//i;

function row(term, value, testId) {
  const attributes = testId ? { "data-testid": testId } : {};
  const description = element("dd", null, attributes);
  if (value instanceof Node) description.append(value);
  else description.textContent = value === undefined || value === null || value === "" ? "—" : String(value);
  return [element("dt", term), description];
}

function customerValue(facts) {
  const wrapper = element("span");
  const who = facts.customer.name && facts.customer.email
    ? `${facts.customer.name} · ${facts.customer.email}`
    : facts.customer.name || facts.customer.email || "not known yet";
  wrapper.append(element("span", who));
  const verified = facts.customer.verified;
  wrapper.append(" ", element("span", verified ? "verified" : "not verified", {
    class: verified ? "badge badge-ok" : "badge badge-warn", "data-testid": "context-verified",
  }));
  return wrapper;
}

function orderValue(order) {
  const wrapper = element("span");
  const status = order.status ? order.status.replace(/_/g, " ") : "not in the store";
  wrapper.append(element("strong", order.number), ` · ${status}`);
  if (order.carrier) wrapper.append(` · ${order.carrier}`);
  if (order.tracking_number) {
    wrapper.append(" · ");
    if (order.tracking_url && SAFE_LINK.test(order.tracking_url)) {
      wrapper.append(element("a", `track ${order.tracking_number}`, {
        href: order.tracking_url, target: "_blank", rel: "noopener noreferrer", "data-testid": "context-tracking",
      }));
    } else {
      wrapper.append(order.tracking_number);
    }
  }
  return wrapper;
}

function earlierChats(facts, openChat) {
  if (!facts.earlier_chats.length) return "none";
  const list = element("ul", null, { class: "earlier-chats" });
  for (const chat of facts.earlier_chats) {
    const button = element("button", `${new Date(chat.created_at).toLocaleDateString()} ${clockTime(chat.created_at)} · ${reasonText(chat.reason)} · ${chat.outcome ? chat.outcome.replace(/_/g, " ") : chat.status}`, {
      type: "button", class: "link-button", "data-testid": "earlier-chat",
    });
    button.addEventListener("click", () => openChat(chat.handoff_id));
    const item = element("li");
    item.append(button);
    if (chat.rating) {
      const rated = chat.rating_comment ? `rated ${chat.rating}/5: “${chat.rating_comment}”` : `rated ${chat.rating}/5`;
      item.append(element("div", rated, { class: "earlier-rating", "data-testid": "earlier-rating" }));
    }
    if (chat.notes && chat.notes.length) {
      const notes = element("ul", null, { class: "earlier-notes", "aria-label": "notes on that chat" });
      for (const note of chat.notes) notes.append(element("li", note, { "data-testid": "earlier-note" }));
      item.append(notes);
    }
    list.append(item);
  }
  return list;
}

function slotDetails(context) {
  const details = element("details", null, { "data-testid": "context-details" });
  details.append(element("summary", "Details"));
  const list = element("dl");
  const rows = [
    ["Intents", (context.intents || []).join(", ") || "—"],
    ["Customer id", context.customer.customer_id ?? "—"],
    ["Reason code", context.reason],
    ...Object.entries(context.slots || {}).map(([name, value]) => [name, typeof value === "object" ? JSON.stringify(value) : value]),
  ];
  list.append(...rows.flatMap(([name, value]) => row(name, value)));
  details.append(list);
  return details;
}

export function renderContext(detail, facts, openChat) {
  const context = detail.context;
  const failed = Math.max(facts.failed_verifications, context.customer.verification?.failed_attempts || 0);
  const channel = channelOf(context.channel);
  const language = languageName(detail.handoff.language || facts.language);
  const rows = [
    ...row("Customer", customerValue(facts), "context-customer"),
    ...row("Why", reasonText(context.reason, failed), "context-reason"),
    ...row("Channel", channel.name),
  ];
  if (language) rows.push(...row("Language", language, "context-language"));
  if (facts.order) rows.push(...row("Order", orderValue(facts.order), "context-order-in-question"));
  if (failed) {
    const locked = context.customer.verification?.locked ? ", order number locked" : "";
    rows.push(...row("Failed verifications", `${failed}${locked}`));
  }
  rows.push(...row("Earlier chats", earlierChats(facts, openChat), "context-earlier"));
  byId("context-card").replaceChildren(...rows);
  byId("context-details-slot").replaceChildren(slotDetails(context));
  const orders = context.customer.orders || [];
  byId("context-orders").replaceChildren(
    ...(orders.length
      ? orders.map((order) => element("li", `${order.number} · ${String(order.status).replace(/_/g, " ")} · ${new Date(order.placed_at).toLocaleDateString()}`, { "data-testid": "context-order" }))
      : [element("li", context.customer.verified ? "No orders" : "Shown once the customer is verified", { class: "meta" })]),
  );
}
