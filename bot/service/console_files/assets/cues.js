// Live cues: unread counts per chat, and a sound and a desktop notification when the tab is hidden.

import { byId } from "./dom.js";

const unread = new Map();
let audio = null;

export function unreadCount(handoffId) {
  return unread.get(handoffId) || 0;
}

export function countUnread(handoffId) {
  unread.set(handoffId, unreadCount(handoffId) + 1);
}

export function markRead(handoffId) {
  unread.delete(handoffId);
}

export function totalUnread() {
  let total = 0;
  for (const count of unread.values()) total += count;
  return total;
}

export function showTotalInTitle() {
  const total = totalUnread();
  document.title = total ? `(${total}) Support console` : "Support console";
}

// a short two-tone chime made on the spot: no sound file to fetch
function chime() {
  try {
    audio = audio || new AudioContext();
    const now = audio.currentTime;
    [660, 880].forEach((frequency, index) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, now + index * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.15 + 0.14);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + index * 0.15);
      tone.stop(now + index * 0.15 + 0.15);
    });
  } catch {
    // no audio device: the notification still shows
  }
}

export function alertAgent(title, body, onClick) {
  if (!document.hidden) return;
  if (byId("sound-toggle").checked) chime();
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  // no customer text in the notification: it can show on a shared screen
  const notice = new Notification(title, { body, tag: title });
  notice.onclick = () => {
    window.focus();
    onClick();
    notice.close();
  };
}

export function setUpNotificationButton() {
  const button = byId("notify-button");
  const refresh = () => {
    const supported = "Notification" in window;
    button.hidden = !supported || Notification.permission !== "default";
  };
  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    refresh();
  });
  refresh();
}
