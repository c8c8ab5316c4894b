// Search over past conversations: by the customer's e-mail, an order number or words said.

import { api } from "./api.js";
import { byId, element } from "./dom.js";
import { channelOf, reasonText } from "./format.js";

export function setUpSearch(openChat, showError) {
  byId("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = byId("search-box").value.trim();
    const list = byId("search-results");
    if (query.length < 2) {
      list.replaceChildren();
      byId("search-status").textContent = "Type at least two characters.";
      return;
    }
    try {
      const { results } = await api("GET", `/api/conversations/search?q=${encodeURIComponent(query)}`);
      byId("search-status").textContent = results.length ? `${results.length} found` : "Nothing found";
      list.replaceChildren(...results.map((hit) => {
        const item = element("li", null, { "data-testid": "search-result", "data-handoff-id": hit.handoff_id });
        const when = new Date(hit.created_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
        const who = hit.customer_email || `${channelOf(hit.channel).name} visitor`;
        const button = element("button", `${who} · ${channelOf(hit.channel).name} · ${when}`, { type: "button", class: "link-button" });
        button.addEventListener("click", () => openChat(hit.handoff_id));
        item.append(button);
        const facts = [reasonText(hit.reason), hit.order_number, hit.status].filter(Boolean).join(" · ");
        item.append(element("div", facts, { class: "meta" }));
        if (hit.snippet) item.append(element("div", hit.snippet, { class: "snippet" }));
        return item;
      }));
    } catch (error) {
      showError(error.message);
    }
  });
}
