// The word-list editor: PUT /v1/sites/{site}/words with the session's CSRF token (admins only).
"use strict";

(function () {
  const root = document.getElementById("words");
  const form = document.getElementById("words-form");
  if (!root || !form) return;
  const csrf = document.body.dataset.csrf || "";
  const lines = (id) => document.getElementById(id).value.split("\n").map((s) => s.trim()).filter((s) => s);

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const res = await fetch("/v1/sites/" + encodeURIComponent(root.dataset.site) + "/words", {
      method: "PUT", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ banned: lines("words-banned"), suspect: lines("words-suspect"),
                             allow: lines("words-allow") }),
    });
    const el = document.getElementById("toast");
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    el.textContent = res.ok ? "Saved: policy " + data.version
                            : (data && data.error ? data.error.message : "request failed (" + res.status + ")");
    el.className = "toast" + (res.ok ? " toast-ok" : " toast-error");
    el.hidden = false;
  });
})();
