// How a chat reads to a person: its title, channel, reason and times, never an id or a code.
// Channel icons are short text badges: they need no icon font or emoji font on the agent's machine.

const CHANNELS = {
  socketio: { icon: "Web", name: "Web chat" },
  rest: { icon: "Web", name: "Web chat" },
  facebook: { icon: "FB", name: "Messenger" },
  messenger: { icon: "FB", name: "Messenger" },
  whatsapp: { icon: "WA", name: "WhatsApp" },
  twilio: { icon: "SMS", name: "SMS" },
  sms: { icon: "SMS", name: "SMS" },
  telegram: { icon: "TG", name: "Telegram" },
  slack: { icon: "Slack", name: "Slack" },
  email: { icon: "Mail", name: "E-mail" },
};

// every reason the assistant hands over with (actions/, bot/rasa_server/policies/escalation_policy.py)
const REASONS = {
  customer_request: "asked for a person",
  complaint: "complaint",
  charge_dispute: "disputes a charge",
  verification_failed: "failed verification",
  repeated_fallback: "the assistant did not understand twice",
  negative_sentiment: "frustrated",
  abusive_language: "abusive language",
  bot_error: "bot error",
  action_error: "bot error",
};

const LANGUAGES = { en: "English", de: "German", fr: "French", es: "Spanish", nl: "Dutch", it: "Italian", pt: "Portuguese", pl: "Polish" };

export function channelOf(code) {
  const known = CHANNELS[(code || "").toLowerCase()];
  return known || { icon: "Chat", name: code ? code.charAt(0).toUpperCase() + code.slice(1) : "Unknown channel" };
}

export function reasonText(code, failedVerifications = 0) {
  if (code === "verification_failed" && failedVerifications > 0) return `failed verification ${failedVerifications}×`;
  return REASONS[code] || (code || "").replace(/_/g, " ");
}

export function languageName(code) {
  if (!code) return null;
  const primary = code.split("-")[0].toLowerCase();
  return LANGUAGES[primary] || code;
}

export function clockTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function since(seconds) {
  return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 3600)} h`;
}

// the verified name, else the verified (or ticket) address, else where and when the visitor came from
export function chatTitle(handoff, facts) {
  const name = facts?.customer?.name;
  const email = facts?.customer?.email || handoff.verified_email || handoff.customer_email;
  if (name) return name;
  if (email) return email;
  return `Visitor from ${channelOf(handoff.channel).name.toLowerCase()}, ${clockTime(handoff.created_at)}`;
}

export function firstName(facts) {
  const name = facts?.customer?.name;
  return name ? name.split(/\s+/)[0] : "";
}
