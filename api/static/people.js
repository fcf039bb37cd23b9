// The author drawer: ban / suspend / pre-moderate, undo, notes, through the JSON API with the CSRF token.
"use strict";

(function () {
  const root = document.getElementById("author");
  if (!root) return;
  const csrf = document.body.dataset.csrf || "";
  const base = "/v1/sites/" + encodeURIComponent(root.dataset.site) + "/authors/" + encodeURIComponent(root.dataset.author);

  function toast(message) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.className = "toast toast-error";
    el.hidden = false;
  }

  async function call(method, url, payload) {
    const init = { method: method, credentials: "same-origin",
                   headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const res = await fetch(url, init);
    if (res.ok) { window.location.reload(); return; }
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    toast(data && data.error ? data.error.message : "request failed (" + res.status + ")");
  }

  const kind = document.getElementById("action-kind");
  const hours = document.getElementById("action-hours");
  const syncHours = () => { hours.disabled = kind.value !== "suspend"; };
  kind.addEventListener("change", syncHours);
  syncHours();

  document.getElementById("action-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    const payload = { action: kind.value, reason: document.getElementById("action-reason").value };
    if (kind.value === "suspend") payload.hours = parseFloat(hours.value);
    call("POST", base + "/actions", payload);
  });
  root.addEventListener("click", function (ev) {
    const button = ev.target.closest("button.undo-action");
    if (button) call("DELETE", base + "/actions/" + encodeURIComponent(button.dataset.actionId));
  });
  document.getElementById("note-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    call("POST", base + "/notes", { note: document.getElementById("note-text").value });
  });
})();
