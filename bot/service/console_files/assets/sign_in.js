// The sign-in form both pages share: it trades a username and password for the tab's bearer token.

import { api, session } from "./api.js";
import { byId } from "./dom.js";

export function forgetToken() {
  session.token = null;
  sessionStorage.removeItem("agentToken");
}

export function setUpSignIn(onSignedIn) {
  byId("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const data = await api("POST", "/api/agents/login", {
        username: byId("login-username").value,
        password: byId("login-password").value,
      });
      session.token = data.token;
      sessionStorage.setItem("agentToken", data.token);
      byId("login-error").textContent = "";
      await onSignedIn();
    } catch (error) {
      byId("login-error").textContent = error.message;
    }
  });
}
