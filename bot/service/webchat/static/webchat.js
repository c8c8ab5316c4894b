/* The support chat widget: embed with <script src=".../webchat.js" data-rasa-url="..."></script>. */
// One classic script inside the shop's page: everything stays in this function, and only
// window.SupportChat is put on the page.
(() => {
  "use strict";

  const script = document.currentScript;
  const SERVICE_ORIGIN = new URL(script.src, window.location.href).origin;
  const CONFIG = {
    rasaUrl: script.dataset.rasaUrl || "http://127.0.0.1:5005",
    socketPath: script.dataset.socketPath || "/socket.io",
    title: script.dataset.title || null,
    shopperToken: script.dataset.shopperToken || null,
    // ISO 639-1: the page's own choice, else the browser's first language ("de-AT" is "de")
    language: (script.dataset.language || window.navigator.language || "en").split("-")[0].toLowerCase(),
    storagePrefix: "supportchat:",
  };
  // The widget's own words, in the languages the assistant speaks; any other language reads English.
  const TEXTS = {
    en: {
      title: "Customer support", chatWithUs: "Chat with us", chatWithUsUnread: "Chat with us ({count} new)",
      closeChat: "Close chat", connecting: "Connecting\u2026", connected: "Connected",
      connectionLost: "Connection lost. Reconnecting\u2026 Messages you send now will go once we are back.",
      reconnecting: "Reconnecting\u2026", unavailable: "The chat is unavailable right now. Please try again later.",
      conversation: "Conversation", yourMessage: "Your message", placeholder: "Type your message\u2026", send: "Send",
      youSaid: "You said:", supportSaid: "Support said:", imageAlt: "Image sent by support", chooseReply: "Choose a reply",
      supportTyping: "Support is typing", agentTyping: "{agent} is typing",
      agentJoined: "{agent} from support joined the chat.", anAgent: "An agent",
      agentLeft: "{agent} left the chat.", theAgent: "The agent", queued: "You are number {position} in the queue.",
      failed: "Sorry, something went wrong on our side. Please try again.",
      rejected: "That message could not be sent ({reason}).",
    },
    es: {
      title: "Atención al cliente", chatWithUs: "Chatea con nosotros",
      chatWithUsUnread: "Chatea con nosotros ({count} nuevos)", closeChat: "Cerrar el chat",
      connecting: "Conectando\u2026", connected: "Conectado",
      connectionLost: "Se perdió la conexión. Reconectando\u2026 Lo que envíes ahora saldrá cuando volvamos.",
      reconnecting: "Reconectando\u2026", unavailable: "El chat no está disponible ahora. Inténtalo más tarde.",
      conversation: "Conversación", yourMessage: "Tu mensaje", placeholder: "Escribe tu mensaje\u2026", send: "Enviar",
      youSaid: "Has dicho:", supportSaid: "Soporte ha dicho:", imageAlt: "Imagen enviada por soporte",
      chooseReply: "Elige una respuesta", supportTyping: "Soporte está escribiendo", agentTyping: "{agent} está escribiendo",
      agentJoined: "{agent} de soporte se ha unido al chat.", anAgent: "Un agente",
      agentLeft: "{agent} ha salido del chat.", theAgent: "El agente", queued: "Eres el número {position} en la cola.",
      failed: "Lo siento, algo ha fallado por nuestra parte. Inténtalo de nuevo.",
      rejected: "No se pudo enviar ese mensaje ({reason}).",
    },
    fr: {
      title: "Service client", chatWithUs: "Discuter avec nous", chatWithUsUnread: "Discuter avec nous ({count} nouveaux)",
      closeChat: "Fermer le chat", connecting: "Connexion\u2026", connected: "Connecté",
      connectionLost: "Connexion perdue. Reconnexion\u2026 Vos messages partiront dès notre retour.",
      reconnecting: "Reconnexion\u2026", unavailable: "Le chat est indisponible pour le moment. Réessayez plus tard.",
      conversation: "Conversation", yourMessage: "Votre message", placeholder: "Écrivez votre message\u2026",
      send: "Envoyer", youSaid: "Vous avez dit :", supportSaid: "Le support a dit :", imageAlt: "Image envoyée par le support",
      chooseReply: "Choisissez une réponse", supportTyping: "Le support écrit", agentTyping: "{agent} écrit",
      agentJoined: "{agent} du support a rejoint le chat.", anAgent: "Un conseiller",
      agentLeft: "{agent} a quitté le chat.", theAgent: "Le conseiller", queued: "Vous êtes numéro {position} dans la file.",
      failed: "Désolé, un problème est survenu de notre côté. Veuillez réessayer.",
      rejected: "Ce message n'a pas pu être envoyé ({reason}).",
    },
    de: {
      title: "Kundenservice", chatWithUs: "Mit uns chatten", chatWithUsUnread: "Mit uns chatten ({count} neu)",
      closeChat: "Chat schließen", connecting: "Verbinden\u2026", connected: "Verbunden",
      connectionLost: "Verbindung verloren. Neu verbinden\u2026 Was Sie jetzt senden, geht raus, sobald wir zurück sind.",
      reconnecting: "Neu verbinden\u2026", unavailable: "Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später.",
      conversation: "Unterhaltung", yourMessage: "Ihre Nachricht", placeholder: "Nachricht eingeben\u2026", send: "Senden",
      youSaid: "Sie schrieben:", supportSaid: "Support schrieb:", imageAlt: "Bild vom Support",
      chooseReply: "Antwort wählen", supportTyping: "Support schreibt", agentTyping: "{agent} schreibt",
      agentJoined: "{agent} vom Support ist dem Chat beigetreten.", anAgent: "Ein Mitarbeiter",
      agentLeft: "{agent} hat den Chat verlassen.", theAgent: "Der Mitarbeiter",
      queued: "Sie sind Nummer {position} in der Warteschlange.",
      failed: "Entschuldigung, bei uns ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal.",
      rejected: "Diese Nachricht konnte nicht gesendet werden ({reason}).",
    },
  };
  const uiLanguage = Object.hasOwn(TEXTS, CONFIG.language) ? CONFIG.language : "en";
  const WORDS = TEXTS[uiLanguage];
  const words = (key, values = {}) => WORDS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  const MAX_LENGTH = 2000;
  const ACK_TIMEOUT_MS = 20000;
  const KEPT_MESSAGES = 200;
  const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
  const SAFE_URL = /^https?:\/\//i;
  const LINK_PATTERN = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])/gi;
  const PROOF_HEADER = "X-Chat-Session-Proof";
  const TYPING_REPORT_MS = 2000;
  const PRESENCE_MS = 30000; // the bot service takes a chat as left after 2 minutes without one

  const now = () => Date.now() / 1000;

  // ---- storage: the session the server issued (id and proof), a cache of its transcript, and messages
  // not yet acknowledged. The server gives the session; a stored one without its proof is not used. ----

  const storage = {
    get(key, fallback) {
      try {
        const raw = window.localStorage.getItem(CONFIG.storagePrefix + key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch {
        return fallback;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(CONFIG.storagePrefix + key, JSON.stringify(value));
      } catch {
        // private browsing or a full quota: the chat still works, only without memory
      }
    },
  };

  const randomId = () => {
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  };

  // ---- putting text on the page: only through textContent, links only when http(s) ----

  const element = (tag, attributes = {}, text = undefined) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const safeLink = (href, label) =>
    SAFE_URL.test(href)
      ? element("a", { href, target: "_blank", rel: "noopener noreferrer nofollow" }, label)
      : document.createTextNode(label);

  const appendRichText = (container, text) => {
    let lastIndex = 0;
    for (const match of text.matchAll(LINK_PATTERN)) {
      container.append(text.slice(lastIndex, match.index), safeLink(match[2] || match[3], match[1] || match[3]));
      lastIndex = match.index + match[0].length;
    }
    container.append(text.slice(lastIndex));
  };

  const handoffNotice = (handoff) => {
    if (handoff.event === "agent_joined") return words("agentJoined", { agent: handoff.agent || words("anAgent") });
    if (handoff.event === "agent_left") return words("agentLeft", { agent: handoff.agent || words("theAgent") });
    if (handoff.event === "queued") return words("queued", { position: handoff.position });
    return handoff.text || "";
  };

  const choicesOf = (entry) => [...(entry.buttons || []), ...(entry.quick_replies || [])];

  const renderEntry = (entry) => {
    const handoff = entry.custom?.handoff;
    if (entry.sender === "notice" || handoff) {
      const notice = element("div", {
        class: "supportchat-msg supportchat-msg--notice", "data-testid": "chat-message", "data-sender": "notice",
      });
      notice.textContent = entry.text || handoffNotice(handoff || {});
      return notice;
    }
    const item = element("div", {
      class: `supportchat-msg supportchat-msg--${entry.sender}`, "data-testid": "chat-message", "data-sender": entry.sender,
    });
    item.append(element("span", { class: "supportchat-visually-hidden" }, words(entry.sender === "user" ? "youSaid" : "supportSaid")));
    if (entry.text) {
      const bubble = element("p", { class: "supportchat-bubble" });
      appendRichText(bubble, entry.text);
      item.append(bubble);
    }
    if (entry.image && SAFE_URL.test(entry.image)) {
      item.append(element("img", { src: entry.image, alt: words("imageAlt"), class: "supportchat-image", loading: "lazy" }));
    }
    if (typeof entry.custom?.text === "string" && !entry.text) {
      item.append(element("p", { class: "supportchat-bubble" }, entry.custom.text));
    }
    return item;
  };

  // What makes two entries the same message on screen, whether it came live, from the cache or from history.
  const entryKey = (entry) =>
    JSON.stringify([entry.sender, entry.text || "", entry.image || null, entry.custom?.handoff || null,
      choicesOf(entry).map((choice) => choice.title)]);

  // ---- the conversation on screen: each new message is appended once; only the reply choices change ----

  class MessageLog {
    constructor(container, onChoice) {
      this.container = container;
      this.onChoice = onChoice;
      this.rows = [];
      this.withChoices = new Set();
    }

    get entries() {
      return this.rows.map((row) => row.entry);
    }

    has(messageId) {
      return Boolean(messageId) && this.rows.some((row) => row.entry.message_id === messageId);
    }

    append(entry) {
      this.push(entry);
      this.updateChoices();
      this.scrollToEnd();
    }

    // Another copy of the conversation (the server's, after a reload or reconnect): the messages both
    // agree on stay where they are, and only what differs after them is replaced.
    replaceWith(entries) {
      let same = 0;
      while (same < this.rows.length && same < entries.length && entryKey(this.rows[same].entry) === entryKey(entries[same])) {
        this.rows[same].entry = entries[same];
        same += 1;
      }
      for (const row of this.rows.splice(same)) {
        row.node.remove();
        this.withChoices.delete(row);
      }
      entries.slice(same).forEach((entry) => this.push(entry));
      this.updateChoices();
      this.scrollToEnd();
    }

    push(entry) {
      const row = { entry, node: renderEntry(entry), choices: null };
      this.rows.push(row);
      this.container.append(row.node);
    }

    // Choices stay on screen until the customer replies, by clicking one or by typing.
    updateChoices() {
      const lastUser = this.rows.map((row) => row.entry.sender).lastIndexOf("user");
      for (const row of this.withChoices) {
        if (this.rows.indexOf(row) < lastUser) {
          row.choices.remove();
          row.choices = null;
          this.withChoices.delete(row);
        }
      }
      this.rows.slice(lastUser + 1).forEach((row) => {
        const choices = choicesOf(row.entry);
        if (row.choices || !choices.length || row.node.dataset.sender === "notice") return;
        row.choices = this.renderChoices(choices);
        row.node.append(row.choices);
        this.withChoices.add(row);
      });
    }

    renderChoices(choices) {
      const group = element("div", { class: "supportchat-choices", role: "group", "aria-label": words("chooseReply") });
      for (const choice of choices) {
        const button = element("button", { type: "button", class: "supportchat-choice", "data-testid": "chat-choice" }, choice.title);
        button.addEventListener("click", () => this.onChoice(choice));
        group.append(button);
      }
      return group;
    }

    scrollToEnd() {
      this.container.scrollTop = this.container.scrollHeight;
    }
  }

  const state = {
    sessionId: null,
    sessionProof: null,
    pendingProof: null,
    outbox: [],
    socket: null,
    confirmed: false,
    everConnected: false,
    unread: 0,
    sending: false,
    ui: null,
    log: null,
    typingSentAt: 0,
    agentPresent: false,
    agentTyping: false,
    watchingAgent: false,
    presenceTimer: null,
    presenceProbing: false,
    presenceAskAgain: false,
  };

  const pendingEntries = () =>
    state.outbox.map((item) => ({ sender: "user", text: item.display_text || item.text, message_id: item.message_id, timestamp: now() }));

  const saveTranscript = () => {
    if (state.sessionId) storage.set(`transcript:${state.sessionId}`, state.log.entries.slice(-KEPT_MESSAGES));
  };
  const saveOutbox = () => storage.set("outbox", state.outbox);

  const storedSession = () => {
    const session = storage.get("session", null);
    const valid = typeof session?.id === "string" && SESSION_ID_PATTERN.test(session.id) && typeof session.proof === "string";
    return valid ? session : null;
  };

  // A new conversation (first visit, or the stored proof was refused): its transcript starts empty,
  // and messages typed meanwhile stay queued for it.
  const adoptSession = (sessionId, proof) => {
    state.sessionId = sessionId;
    state.sessionProof = proof;
    storage.set("session", { id: sessionId, proof });
    state.log.replaceWith(pendingEntries());
    saveTranscript();
  };

  // ---- building the widget ----

  const isOpen = () => !state.ui.panel.hasAttribute("hidden");

  const openPanel = (keepFocus = false) => {
    const { panel, launcher, input } = state.ui;
    panel.removeAttribute("hidden");
    launcher.setAttribute("aria-expanded", "true");
    launcher.textContent = words("closeChat");
    state.unread = 0;
    storage.set("open", true);
    state.log.scrollToEnd();
    if (!keepFocus) input.focus();
  };

  const closePanel = () => {
    const { panel, launcher } = state.ui;
    panel.setAttribute("hidden", "");
    launcher.setAttribute("aria-expanded", "false");
    launcher.textContent = words("chatWithUs");
    storage.set("open", false);
    launcher.focus();
  };

  const setStatus = (text) => {
    state.ui.status.textContent = text;
  };

  const setTyping = (on) => state.ui.typing.toggleAttribute("hidden", !on && !state.agentTyping);

  // ---- typing both ways while a person has the chat: the bot service relays it (session proof required) ----

  const typingUrl = () => `${SERVICE_ORIGIN}/webchat/typing/${encodeURIComponent(state.sessionId)}`;

  const reportTyping = (typing) => {
    if (!state.sessionId || !state.agentPresent) return;
    const sentAt = Date.now();
    if (typing && sentAt - state.typingSentAt < TYPING_REPORT_MS) return;
    state.typingSentAt = typing ? sentAt : 0;
    window.fetch(typingUrl(), {
      method: "POST",
      headers: { "Content-Type": "application/json", [PROOF_HEADER]: state.sessionProof },
      body: JSON.stringify({ typing }),
    }).catch(() => {
      // typing is a courtesy: nothing to retry
    });
  };

  const showAgentTyping = (typing, agent) => {
    state.agentTyping = typing;
    state.ui.typingLabel.textContent = typing && agent ? words("agentTyping", { agent }) : words("supportTyping");
    state.ui.typing.toggleAttribute("hidden", !typing && !state.sending);
    state.ui.typing.setAttribute("data-agent-typing", String(typing));
  };

  // One request at a time, answered when the agent's typing changes (or after about 20 s), while an agent is in.
  const watchAgentTyping = async () => {
    if (state.watchingAgent) return;
    state.watchingAgent = true;
    while (state.agentPresent && state.sessionId) {
      try {
        const response = await window.fetch(`${typingUrl()}?typing=${state.agentTyping}`, {
          headers: { [PROOF_HEADER]: state.sessionProof },
        });
        if (!response.ok) throw new Error(`typing answered ${response.status}`);
        const body = await response.json();
        if (state.agentPresent) showAgentTyping(Boolean(body.typing), typeof body.agent === "string" ? body.agent : null);
      } catch {
        await new Promise((resolve) => window.setTimeout(resolve, 5000));
      }
    }
    showAgentTyping(false, null);
    state.watchingAgent = false;
  };

  // ---- presence while waiting for a person: a customer who leaves the queue is counted as having left ----

  const presenceUrl = () => `${SERVICE_ORIGIN}/webchat/presence/${encodeURIComponent(state.sessionId)}`;

  // true while the bot service keeps it, that is while this chat waits in the queue for an agent
  const reportPresence = async (here) => {
    if (!state.sessionId) return false;
    try {
      const response = await window.fetch(presenceUrl(), {
        method: "POST",
        keepalive: !here, // a leave is sent as the page goes away
        headers: { "Content-Type": "application/json", [PROOF_HEADER]: state.sessionProof },
        body: JSON.stringify({ here }),
      });
      if (!response.ok) return false;
      return Boolean((await response.json()).recorded);
    } catch {
      return false;
    }
  };

  const stopPresence = () => {
    window.clearInterval(state.presenceTimer);
    state.presenceTimer = null;
  };

  // asked after each line of the assistant (a handoff starts with one) and after a reload; one question at a
  // time, asked once more if a line arrived meanwhile (a history load adds many at once)
  const keepPresence = async () => {
    if (state.presenceTimer) return;
    if (state.presenceProbing) {
      state.presenceAskAgain = true;
      return;
    }
    state.presenceProbing = true;
    let waiting;
    do {
      state.presenceAskAgain = false;
      waiting = await reportPresence(true);
    } while (!waiting && state.presenceAskAgain);
    state.presenceProbing = false;
    if (!waiting || state.presenceTimer) return;
    state.presenceTimer = window.setInterval(async () => {
      if (!(await reportPresence(true))) stopPresence();
    }, PRESENCE_MS);
  };

  // whether a person is in the chat, from the latest joined/left notice in the log
  const followAgentPresence = () => {
    const events = state.log.entries.map((entry) => entry.custom?.handoff?.event).filter((event) => event === "agent_joined" || event === "agent_left");
    state.agentPresent = events[events.length - 1] === "agent_joined";
    if (state.agentPresent) watchAgentTyping();
  };

  const setConnected = (connected) => state.ui.root.setAttribute("data-connected", String(connected));

  const buildUi = () => {
    document.head.append(element("link", { rel: "stylesheet", href: `${SERVICE_ORIGIN}/webchat.css` }));

    const root = element("div", { class: "supportchat", lang: uiLanguage, "data-testid": "chat-root" });
    const launcher = element("button", {
      type: "button", class: "supportchat-launcher", "aria-expanded": "false",
      "aria-controls": "supportchat-panel", "data-testid": "chat-launcher",
    }, words("chatWithUs"));
    const panel = element("section", {
      id: "supportchat-panel", class: "supportchat-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "supportchat-title", "data-testid": "chat-panel", hidden: "",
    });
    const header = element("header", { class: "supportchat-header" });
    const close = element("button", {
      type: "button", class: "supportchat-close", "aria-label": words("closeChat"), "data-testid": "chat-close",
    }, "\u00d7");
    header.append(element("h2", { id: "supportchat-title" }, CONFIG.title || words("title")), close);
    const status = element("p", { class: "supportchat-status", role: "status", "data-testid": "chat-status" }, words("connecting"));
    const log = element("div", {
      class: "supportchat-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": words("conversation"), tabindex: "0", "data-testid": "chat-log",
    });
    const typing = element("div", { class: "supportchat-typing", "data-testid": "chat-typing", hidden: "", "aria-hidden": "true" });
    const typingLabel = element("span", { class: "supportchat-visually-hidden" }, words("supportTyping"));
    typing.append(element("span", { class: "supportchat-dots" }, "\u2022\u2022\u2022"), typingLabel);
    const form = element("form", { class: "supportchat-form", "data-testid": "chat-form" });
    const input = element("input", {
      id: "supportchat-input", type: "text", autocomplete: "off", maxlength: String(MAX_LENGTH),
      placeholder: words("placeholder"), "data-testid": "chat-input",
    });
    form.append(
      element("label", { for: "supportchat-input", class: "supportchat-visually-hidden" }, words("yourMessage")),
      input,
      element("button", { type: "submit", class: "supportchat-send", "data-testid": "chat-send" }, words("send")),
    );
    panel.append(header, status, log, typing, form);
    root.append(panel, launcher);
    document.body.append(root);

    launcher.addEventListener("click", () => (isOpen() ? closePanel() : openPanel()));
    close.addEventListener("click", () => closePanel());
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel();
    });
    // the page going away (tab closed, another page) ends the wait, unless a reload sends the heartbeat again
    window.addEventListener("pagehide", () => {
      if (!state.presenceTimer) return;
      stopPresence();
      reportPresence(false);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      reportTyping(false);
      sendMessage(text.slice(0, MAX_LENGTH), null);
    });
    input.addEventListener("input", () => reportTyping(input.value.trim() !== ""));

    state.ui = { root, launcher, panel, typing, typingLabel, input, status };
    state.log = new MessageLog(log, (choice) => {
      sendMessage(choice.payload || choice.title, choice.title);
      input.focus();
    });
  };

  // ---- messages in and out ----

  const addEntry = (entry) => {
    if (state.log.has(entry.message_id)) return;
    state.log.append(entry);
    saveTranscript();
    if (entry.custom?.handoff) followAgentPresence();
    if (entry.sender === "bot") keepPresence();
    if (entry.sender !== "user" && !isOpen()) {
      state.unread += 1;
      state.ui.launcher.textContent = words("chatWithUsUnread", { count: state.unread });
    }
  };

  const addNotice = (text) => addEntry({ sender: "notice", text, timestamp: now() });

  const entryFromBotMessage = (message) => {
    const image = message.attachment?.type === "image" ? message.attachment.payload?.src : null;
    return {
      sender: "bot",
      text: typeof message.text === "string" ? message.text : "",
      buttons: Array.isArray(message.buttons) ? message.buttons : [],
      quick_replies: Array.isArray(message.quick_replies) ? message.quick_replies : [],
      image: typeof image === "string" ? image : null,
      custom: message.custom && typeof message.custom === "object" ? message.custom : null,
      timestamp: now(),
    };
  };

  const sendMessage = (text, displayText) => {
    const messageId = randomId();
    addEntry({ sender: "user", text: displayText || text, message_id: messageId, timestamp: now() });
    state.outbox.push({ message_id: messageId, text, display_text: displayText });
    saveOutbox();
    flushOutbox();
  };

  // Acknowledged sends, one at a time and in order; a message without an acknowledgement stays queued
  // and goes again (the server drops repeats).
  const flushOutbox = async () => {
    if (state.sending || !state.confirmed || !state.outbox.length) return;
    const next = state.outbox[0];
    const metadata = {};
    if (CONFIG.shopperToken) metadata.shopper_token = CONFIG.shopperToken;
    if (next.display_text) metadata.display_text = next.display_text;
    metadata.language = CONFIG.language;
    state.sending = true;
    setTyping(true);
    let ack;
    try {
      ack = await state.socket.timeout(ACK_TIMEOUT_MS)
        .emitWithAck("user_uttered", { message: next.text, message_id: next.message_id, metadata });
    } catch {
      if (state.confirmed) window.setTimeout(flushOutbox, 1000);
      return;
    } finally {
      state.sending = false;
      setTyping(false);
    }
    state.outbox.shift();
    saveOutbox();
    if (ack?.status === "error") addNotice(words("failed"));
    if (ack?.status === "rejected") addNotice(words("rejected", { reason: ack.reason }));
    flushOutbox();
  };

  const loadHistory = async () => {
    if (!state.sessionId) return;
    try {
      const response = await window.fetch(`${SERVICE_ORIGIN}/webchat/history/${encodeURIComponent(state.sessionId)}`, {
        headers: { [PROOF_HEADER]: state.sessionProof },
      });
      const body = response.ok ? await response.json() : null;
      if (!Array.isArray(body?.messages)) return;
      state.log.replaceWith([...body.messages, ...pendingEntries()]);
      saveTranscript();
      followAgentPresence();
    } catch {
      // the cached transcript stays on screen
    }
  };

  const connect = () => {
    const socket = window.io(CONFIG.rasaUrl, {
      path: CONFIG.socketPath, transports: ["websocket"], reconnection: true,
      reconnectionDelay: 500, reconnectionDelayMax: 4000,
    });
    state.socket = socket;
    socket.on("connect", () => {
      state.pendingProof = null;
      socket.emit("session_request", state.sessionId ? { session_id: state.sessionId, session_proof: state.sessionProof } : {});
    });
    socket.on("session_proof", (data) => {
      if (typeof data?.session_id === "string" && typeof data.session_proof === "string") state.pendingProof = data;
    });
    socket.on("session_confirm", async (sessionId) => {
      const proof = state.pendingProof;
      if (proof?.session_id !== sessionId) return;
      if (sessionId !== state.sessionId) adoptSession(sessionId, proof.session_proof);
      const reconnected = state.everConnected;
      state.everConnected = true;
      state.confirmed = true;
      setConnected(true);
      setStatus(words("connected"));
      // Replies sent while the connection was down never reached this tab: the tracker has them.
      if (reconnected) await loadHistory();
      flushOutbox();
      keepPresence();
    });
    socket.on("disconnect", () => {
      state.confirmed = false;
      state.sending = false;
      setTyping(false);
      setConnected(false);
      setStatus(words("connectionLost"));
    });
    socket.io.on("reconnect_attempt", () => setStatus(words("reconnecting")));
    socket.on("bot_uttered", (message) => {
      if (message && typeof message === "object") addEntry(entryFromBotMessage(message));
    });
    socket.on("user_echo", (message) => {
      if (typeof message?.text === "string") {
        addEntry({ sender: "user", text: message.text, message_id: message.message_id, timestamp: now() });
      }
    });
  };

  const loadSocketIo = () => new Promise((resolve, reject) => {
    if (window.io) {
      resolve();
      return;
    }
    const loader = element("script", { src: `${SERVICE_ORIGIN}/webchat/vendor/socket.io.min.js` });
    loader.addEventListener("load", () => resolve());
    loader.addEventListener("error", () => reject(new Error("socket.io client unavailable")));
    document.head.append(loader);
  });

  const start = async () => {
    const session = storedSession();
    state.sessionId = session?.id ?? null;
    state.sessionProof = session?.proof ?? null;
    state.outbox = storage.get("outbox", []);
    buildUi();
    const cached = session ? storage.get(`transcript:${session.id}`, []) : [];
    state.log.replaceWith(Array.isArray(cached) ? cached.filter((entry) => entry && typeof entry === "object") : []);
    followAgentPresence();
    if (storage.get("open", false)) openPanel(true);
    await loadHistory();
    try {
      await loadSocketIo();
    } catch {
      setStatus(words("unavailable"));
      return;
    }
    connect();
  };

  window.SupportChat = {
    open: () => openPanel(),
    close: () => closePanel(),
    setShopperToken: (token) => {
      CONFIG.shopperToken = token || null;
    },
    sessionId: () => state.sessionId,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
