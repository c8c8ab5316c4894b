/* The demo shop page: the "sign in as a demo customer" switch, which hands a signed token to the chat. */
(() => {
  "use strict";

  const button = document.getElementById("demo-signin");
  if (!button) return;
  const select = document.getElementById("demo-customer");
  const status = document.getElementById("demo-signin-status");

  const signOut = () => {
    window.SupportChat.setShopperToken(null);
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Sign in as this customer";
    status.textContent = "Not signed in.";
  };

  const signIn = async () => {
    try {
      const response = await window.fetch("/demo/token", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: select.value }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || "sign-in failed");
      window.SupportChat.setShopperToken(body.token);
      button.setAttribute("aria-pressed", "true");
      button.textContent = "Sign out";
      status.textContent = `Signed in as ${body.email}.`;
    } catch (error) {
      status.textContent = `Could not sign in: ${error.message}`;
    }
  };

  button.addEventListener("click", () => {
    if (button.getAttribute("aria-pressed") === "true") signOut();
    else signIn();
  });
})();
