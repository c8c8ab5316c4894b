/* The support chat widget: embed with <script src=".../webchat.js" data-rasa-url="..."></script>. */
(function () {
  "use strict";

  var script = document.currentScript;
  var SERVICE_ORIGIN = new URL(script.src, window.location.href).origin;
  var CONFIG = {
    rasaUrl: script.getAttribute("data-rasa-url") || "http://127.0.0.1:5005",
    socketPath: script.getAttribute("data-socket-path") || "/socket.io",
    title: script.getAttribute("data-title") || "Customer support",
    shopperToken: script.getAttribute("data-shopper-token") || null,
    storagePrefix: "supportchat:",
  };
  var MAX_LENGTH = 2000;
  var ACK_TIMEOUT_MS = 20000;
  var SAFE_URL = /^https?:\/\//i;
  var LINK_PATTERN = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])/gi;

  var PROOF_HEADER = "X-Chat-Session-Proof";

  var state = {
    sessionId: null,
    sessionProof: null,
    pendingProof: null,
    transcript: [],
    outbox: [],
    socket: null,
    confirmed: false,
    everConnected: false,
    unread: 0,
    sending: false,
    ui: null,
  };

  // ---- storage: the session the server issued (id and proof), a cache of its transcript, and messages
  // not yet acknowledged. The server gives the session; a stored one without its proof is not used. ----

  function storageGet(key, fallback) {
    try {
      var raw = window.localStorage.getItem(CONFIG.storagePrefix + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return fallback;
    }
  }

  function storageSet(key, value) {
    try {
      window.localStorage.setItem(CONFIG.storagePrefix + key, JSON.stringify(value));
    } catch (error) {
      /* private browsing or a full quota: the chat still works, only without memory */
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadSession() {
    var session = storageGet("session", null);
    var valid = session && typeof session === "object" && typeof session.id === "string" &&
      /^[A-Za-z0-9_-]{8,64}$/.test(session.id) && typeof session.proof === "string";
    state.sessionId = valid ? session.id : null;
    state.sessionProof = valid ? session.proof : null;
    state.transcript = valid ? storageGet("transcript:" + session.id, []) : [];
    state.outbox = storageGet("outbox", []);
  }

  function adoptSession(sessionId, proof) {
    // A new conversation (first visit, or the stored proof was refused): its transcript starts empty,
    // and messages typed meanwhile stay queued for it.
    state.sessionId = sessionId;
    state.sessionProof = proof;
    state.transcript = [];
    state.outbox.forEach(function (item) {
      state.transcript.push({ sender: "user", text: item.display_text || item.text, message_id: item.message_id, timestamp: Date.now() / 1000 });
    });
    storageSet("session", { id: sessionId, proof: proof });
    saveTranscript();
    render();
  }

  function saveTranscript() { if (state.sessionId) storageSet("transcript:" + state.sessionId, state.transcript.slice(-200)); }
  function saveOutbox() { storageSet("outbox", state.outbox); }

  // ---- building the widget ----

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function buildUi() {
    var stylesheet = element("link", { rel: "stylesheet", href: SERVICE_ORIGIN + "/webchat.css" });
    document.head.appendChild(stylesheet);

    var root = element("div", { class: "supportchat", "data-testid": "chat-root" });
    var launcher = element("button", {
      type: "button", class: "supportchat-launcher", "aria-expanded": "false",
      "aria-controls": "supportchat-panel", "data-testid": "chat-launcher",
    }, "Chat with us");
    var panel = element("section", {
      id: "supportchat-panel", class: "supportchat-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "supportchat-title", "data-testid": "chat-panel", hidden: "",
    });
    var header = element("header", { class: "supportchat-header" });
    header.appendChild(element("h2", { id: "supportchat-title" }, CONFIG.title));
    var close = element("button", {
      type: "button", class: "supportchat-close", "aria-label": "Close chat", "data-testid": "chat-close",
    }, "\u00d7");
    header.appendChild(close);
    var status = element("p", { class: "supportchat-status", role: "status", "data-testid": "chat-status" }, "Connecting\u2026");
    var log = element("div", {
      class: "supportchat-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0", "data-testid": "chat-log",
    });
    var typing = element("div", { class: "supportchat-typing", "data-testid": "chat-typing", hidden: "", "aria-hidden": "true" });
    typing.appendChild(element("span", { class: "supportchat-dots" }, "\u2022\u2022\u2022"));
    typing.appendChild(element("span", { class: "supportchat-visually-hidden" }, "Support is typing"));
    var form = element("form", { class: "supportchat-form", "data-testid": "chat-form" });
    form.appendChild(element("label", { for: "supportchat-input", class: "supportchat-visually-hidden" }, "Your message"));
    var input = element("input", {
      id: "supportchat-input", type: "text", autocomplete: "off", maxlength: String(MAX_LENGTH),
      placeholder: "Type your message\u2026", "data-testid": "chat-input",
    });
    var send = element("button", { type: "submit", class: "supportchat-send", "data-testid": "chat-send" }, "Send");
    form.appendChild(input);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(status);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    launcher.addEventListener("click", function () { isOpen() ? closePanel() : openPanel(); });
    close.addEventListener("click", closePanel);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closePanel();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      sendMessage(text.slice(0, MAX_LENGTH), null);
    });

    state.ui = { root: root, launcher: launcher, panel: panel, log: log, typing: typing, input: input, status: status };
    if (storageGet("open", false)) openPanel(true);
  }

  function isOpen() { return !state.ui.panel.hasAttribute("hidden"); }

  function openPanel(keepFocus) {
    state.ui.panel.removeAttribute("hidden");
    state.ui.launcher.setAttribute("aria-expanded", "true");
    state.ui.launcher.textContent = "Close chat";
    state.unread = 0;
    storageSet("open", true);
    scrollToEnd();
    if (!keepFocus) state.ui.input.focus();
  }

  function closePanel() {
    state.ui.panel.setAttribute("hidden", "");
    state.ui.launcher.setAttribute("aria-expanded", "false");
    state.ui.launcher.textContent = "Chat with us";
    storageSet("open", false);
    state.ui.launcher.focus();
  }

  function setStatus(text) { state.ui.status.textContent = text; }

  function setTyping(on) {
    if (on) state.ui.typing.removeAttribute("hidden");
    else state.ui.typing.setAttribute("hidden", "");
  }

  function scrollToEnd() { state.ui.log.scrollTop = state.ui.log.scrollHeight; }

  // ---- rendering messages: text only through textContent, links only when http(s) ----

  function appendRichText(container, text) {
    var lastIndex = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      container.appendChild(document.createTextNode(text.slice(lastIndex, match.index)));
      var href = match[2] || match[3];
      var label = match[1] || match[3];
      container.appendChild(safeLink(href, label));
      lastIndex = LINK_PATTERN.lastIndex;
    }
    container.appendChild(document.createTextNode(text.slice(lastIndex)));
  }

  function safeLink(href, label) {
    if (!SAFE_URL.test(href)) return document.createTextNode(label);
    var link = element("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow" }, label);
    return link;
  }

  function renderEntry(entry, awaitingReply) {
    var item = element("div", {
      class: "supportchat-msg supportchat-msg--" + entry.sender, "data-testid": "chat-message",
      "data-sender": entry.sender,
    });
    var handoff = entry.custom && entry.custom.handoff;
    if (entry.sender === "notice" || handoff) {
      item.className = "supportchat-msg supportchat-msg--notice";
      item.setAttribute("data-sender", "notice");
      item.textContent = entry.text || handoffNotice(handoff || {});
      return item;
    }
    item.appendChild(element("span", { class: "supportchat-visually-hidden" }, entry.sender === "user" ? "You said:" : "Support said:"));
    if (entry.text) {
      var bubble = element("p", { class: "supportchat-bubble" });
      appendRichText(bubble, entry.text);
      item.appendChild(bubble);
    }
    if (entry.image && SAFE_URL.test(entry.image)) {
      item.appendChild(element("img", { src: entry.image, alt: "Image sent by support", class: "supportchat-image", loading: "lazy" }));
    }
    if (entry.custom && typeof entry.custom.text === "string" && !entry.text) {
      item.appendChild(element("p", { class: "supportchat-bubble" }, entry.custom.text));
    }
    // Choices stay on screen until the customer replies, by clicking one or by typing.
    var choices = (entry.buttons || []).concat(entry.quick_replies || []);
    if (choices.length && awaitingReply) item.appendChild(renderChoices(choices));
    return item;
  }

  function handoffNotice(handoff) {
    if (handoff.event === "agent_joined") return (handoff.agent || "An agent") + " from support joined the chat.";
    if (handoff.event === "agent_left") return (handoff.agent || "The agent") + " left the chat.";
    if (handoff.event === "queued") return "You are number " + handoff.position + " in the queue.";
    return handoff.text || "";
  }

  function renderChoices(choices) {
    var group = element("div", { class: "supportchat-choices", role: "group", "aria-label": "Choose a reply" });
    choices.forEach(function (choice) {
      var button = element("button", { type: "button", class: "supportchat-choice", "data-testid": "chat-choice" }, choice.title);
      button.addEventListener("click", function () {
        sendMessage(choice.payload || choice.title, choice.title);
        state.ui.input.focus();
      });
      group.appendChild(button);
    });
    return group;
  }

  function render() {
    var log = state.ui.log;
    while (log.firstChild) log.removeChild(log.firstChild);
    var lastUserIndex = -1;
    state.transcript.forEach(function (entry, index) { if (entry.sender === "user") lastUserIndex = index; });
    state.transcript.forEach(function (entry, index) {
      log.appendChild(renderEntry(entry, index > lastUserIndex));
    });
    scrollToEnd();
  }

  function addEntry(entry) {
    if (entry.message_id && state.transcript.some(function (e) { return e.message_id === entry.message_id; })) return;
    state.transcript.push(entry);
    saveTranscript();
    render();
    if (entry.sender !== "user" && state.ui && !isOpen()) {
      state.unread += 1;
      state.ui.launcher.textContent = "Chat with us (" + state.unread + " new)";
    }
  }

  function addNotice(text) { addEntry({ sender: "notice", text: text, timestamp: Date.now() / 1000 }); }

  function entryFromBotMessage(message) {
    var attachment = message.attachment || {};
    var image = attachment.type === "image" && attachment.payload ? attachment.payload.src : null;
    return {
      sender: "bot",
      text: typeof message.text === "string" ? message.text : "",
      buttons: Array.isArray(message.buttons) ? message.buttons : [],
      quick_replies: Array.isArray(message.quick_replies) ? message.quick_replies : [],
      image: typeof image === "string" ? image : null,
      custom: message.custom && typeof message.custom === "object" ? message.custom : null,
      timestamp: Date.now() / 1000,
    };
  }

  // ---- talking to Rasa: acknowledged sends, in order, re-sent after a reconnect ----

  function sendMessage(text, displayText) {
    var messageId = randomId();
    addEntry({ sender: "user", text: displayText || text, message_id: messageId, timestamp: Date.now() / 1000 });
    state.outbox.push({ message_id: messageId, text: text, display_text: displayText });
    saveOutbox();
    flushOutbox();
  }

  function flushOutbox() {
    if (state.sending || !state.confirmed || !state.outbox.length) return;
    var next = state.outbox[0];
    var metadata = {};
    if (CONFIG.shopperToken) metadata.shopper_token = CONFIG.shopperToken;
    if (next.display_text) metadata.display_text = next.display_text;
    state.sending = true;
    setTyping(true);
    state.socket.timeout(ACK_TIMEOUT_MS).emit("user_uttered", {
      message: next.text, message_id: next.message_id, metadata: metadata,
    }, function (error, ack) {
      state.sending = false;
      setTyping(false);
      if (error) {
        // No acknowledgement: the message stays queued and goes again (the server drops repeats).
        if (state.confirmed) window.setTimeout(flushOutbox, 1000);
        return;
      }
      state.outbox.shift();
      saveOutbox();
      if (ack && ack.status === "error") addNotice("Sorry, something went wrong on our side. Please try again.");
      if (ack && ack.status === "rejected") addNotice("That message could not be sent (" + ack.reason + ").");
      flushOutbox();
    });
  }

  function connect() {
    var socket = window.io(CONFIG.rasaUrl, {
      path: CONFIG.socketPath, transports: ["websocket"], reconnection: true,
      reconnectionDelay: 500, reconnectionDelayMax: 4000,
    });
    state.socket = socket;
    socket.on("connect", function () {
      state.pendingProof = null;
      socket.emit("session_request", state.sessionId
        ? { session_id: state.sessionId, session_proof: state.sessionProof }
        : {});
    });
    socket.on("session_proof", function (data) {
      if (data && typeof data.session_id === "string" && typeof data.session_proof === "string") {
        state.pendingProof = data;
      }
    });
    socket.on("session_confirm", function (sessionId) {
      var proof = state.pendingProof;
      if (!proof || proof.session_id !== sessionId) return;
      if (sessionId !== state.sessionId) adoptSession(sessionId, proof.session_proof);
      var reconnected = state.everConnected;
      state.everConnected = true;
      state.confirmed = true;
      state.ui.root.setAttribute("data-connected", "true");
      setStatus("Connected");
      // Replies sent while the connection was down never reached this tab: the tracker has them.
      if (reconnected) loadHistory().then(flushOutbox);
      else flushOutbox();
    });
    socket.on("disconnect", function () {
      state.confirmed = false;
      state.sending = false;
      setTyping(false);
      state.ui.root.setAttribute("data-connected", "false");
      setStatus("Connection lost. Reconnecting\u2026 Messages you send now will go once we are back.");
    });
    socket.io.on("reconnect_attempt", function () { setStatus("Reconnecting\u2026"); });
    socket.on("bot_uttered", function (message) {
      if (message && typeof message === "object") addEntry(entryFromBotMessage(message));
    });
    socket.on("user_echo", function (message) {
      if (message && typeof message.text === "string") {
        addEntry({ sender: "user", text: message.text, message_id: message.message_id, timestamp: Date.now() / 1000 });
      }
    });
  }

  function loadHistory() {
    if (!state.sessionId) return Promise.resolve();
    var headers = {};
    headers[PROOF_HEADER] = state.sessionProof;
    return window.fetch(SERVICE_ORIGIN + "/webchat/history/" + encodeURIComponent(state.sessionId), { headers: headers })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !Array.isArray(body.messages)) return;
        var pending = state.outbox.map(function (item) {
          return { sender: "user", text: item.display_text || item.text, message_id: item.message_id, timestamp: Date.now() / 1000 };
        });
        state.transcript = body.messages.concat(pending);
        saveTranscript();
        render();
      })
      .catch(function () { /* the cached transcript stays on screen */ });
  }

  function loadSocketIo(callback) {
    if (window.io) return callback();
    var loader = element("script", { src: SERVICE_ORIGIN + "/webchat/vendor/socket.io.min.js" });
    loader.onload = callback;
    loader.onerror = function () { setStatus("The chat is unavailable right now. Please try again later."); };
    document.head.appendChild(loader);
  }

  function start() {
    loadSession();
    buildUi();
    render();
    loadHistory().then(function () { loadSocketIo(connect); });
  }

  window.SupportChat = {
    open: function () { openPanel(); },
    close: closePanel,
    setShopperToken: function (token) { CONFIG.shopperToken = token || null; },
    sessionId: function () { return state.sessionId; },
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
