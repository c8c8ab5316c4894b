/* The demo shop page: the "sign in as a demo customer" switch, which hands a signed token to the chat. */
(function () {
  "use strict";
  var button = document.getElementById("demo-signin");
  if (!button) return;
  var select = document.getElementById("demo-customer");
  var status = document.getElementById("demo-signin-status");

  function signOut() {
    window.SupportChat.setShopperToken(null);
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Sign in as this customer";
    status.textContent = "Not signed in.";
  }

  function signIn() {
    window.fetch("/demo/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: select.value }),
    })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) throw new Error(result.body.error || "sign-in failed");
        window.SupportChat.setShopperToken(result.body.token);
        button.setAttribute("aria-pressed", "true");
        button.textContent = "Sign out";
        status.textContent = "Signed in as " + result.body.email + ".";
      })
      .catch(function (error) { status.textContent = "Could not sign in: " + error.message; });
  }

  button.addEventListener("click", function () {
    if (button.getAttribute("aria-pressed") === "true") signOut();
    else signIn();
  });
})();
