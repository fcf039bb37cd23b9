// Moderator UI: keyboard queue, claims, decisions, bulk, undo and live updates. Plain JS, no build step.
// Every state-changing request goes to the JSON API with the session's CSRF token in X-CSRF-Token.
"use strict";

(function () {
  const body = document.body;
  const me = body.dataset.user || "";
  const csrf = body.dataset.csrf || "";
  let toastTimer = null;

  function toast(message, kind) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.className = "toast" + (kind ? " toast-" + kind : "");
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 5000);
  }

  async function api(method, url, payload) {
    const init = { method: method, credentials: "same-origin",
                   headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const res = await fetch(url, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) {  // the session ended (signed out elsewhere, key revoked): sign in again
      window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    }
    if (!res.ok) {
      const msg = data && data.error ? data.error.message : ("request failed (" + res.status + ")");
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  const queue = document.getElementById("queue");
  if (!queue) return;

  const claimSeconds = parseInt(queue.dataset.claimSeconds || "300", 10);
  const pageNo = parseInt(queue.dataset.page || "1", 10);
  const tab = queue.dataset.tab || "review";
  let current = null;  // the focused row
  let rejectTargets = [];
  const removedBefore = {};  // comment id -> id of the row that followed it when it left ("" = last)

  const rows = () => Array.from(queue.querySelectorAll("li.item"));
  const rowById = (id) => rows().find((r) => r.dataset.id === id) || null;
  const selected = () => rows().filter((r) => r.querySelector("input.select").checked);

  function updateEmpty() {
    document.getElementById("empty").hidden = rows().length > 0;
  }

  function setTotal(n) {
    document.getElementById("total").textContent = String(n);
  }

  function showClaim(row, by, until) {
    row.dataset.claimedBy = by || "";
    row.dataset.claimedUntil = until || "";
    const label = row.querySelector(".claim");
    const mine = by && by === me;
    label.textContent = by ? (mine ? "claimed by you" : "claimed by " + by) : "";
    row.classList.toggle("claimed-other", Boolean(by) && !mine);
  }

  async function claim(row) {
    const until = Date.parse(row.dataset.claimedUntil || "");
    if (row.dataset.claimedBy === me && until - Date.now() > claimSeconds * 500) return;
    try {
      const res = await api("POST", "/v1/review/" + encodeURIComponent(row.dataset.id) + "/claim");
      showClaim(row, res.claimed_by, res.claimed_until);
    } catch (err) {
      toast(err.message, "error");
    }
  }

  function focusRow(row) {
    if (!row) return;
    if (current) current.classList.remove("current");
    current = row;
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    claim(row);
  }

  function move(delta) {
    const all = rows();
    if (!all.length) return;
    const i = current ? all.indexOf(current) : -1;
    const next = i < 0 ? all[0] : all[Math.max(0, Math.min(all.length - 1, i + delta))];
    focusRow(next);
  }

  const claimedByOther = (r) => r.classList.contains("claimed-other");

  function removeRow(row) {
    const all = rows();
    const i = all.indexOf(row);
    removedBefore[row.dataset.id] = all[i + 1] ? all[i + 1].dataset.id : "";
    row.remove();
    if (row === current) {
      current = null;
      const rest = rows();
      // auto-advance to the next item nobody else holds (else the previous one)
      const ahead = rest.slice(Math.min(i, rest.length)).find((r) => !claimedByOther(r));
      const behind = rest.slice(0, Math.min(i, rest.length)).reverse().find((r) => !claimedByOther(r));
      if (ahead || behind) focusRow(ahead || behind);
    }
    updateEmpty();
    updateSelection();
  }

  function verb(action) {
    return action === "approve" ? "Approved" : "Rejected";
  }

  async function decide(row, action, reason, note) {
    try {
      await api("POST", "/v1/review/" + encodeURIComponent(row.dataset.id) + "/decision",
                { action: action, reason: reason || null, note: note || null });
      removeRow(row);
      toast(verb(action) + " — press u to undo", "ok");
    } catch (err) {
      toast(err.message, "error");
      if (err.status === 409) row.classList.add("conflict");
    }
  }

  async function bulk(ids, action, reason, note) {
    try {
      const res = await api("POST", "/v1/review/bulk", { ids: ids, action: action, reason: reason || null,
                                                         note: note || null });
      res.decided.forEach((d) => { const r = rowById(d.comment_id); if (r) removeRow(r); });
      let msg = verb(action) + " " + res.decided.length + " — press u to undo";
      if (res.refused.length) msg += "; refused " + res.refused.length + ": " + res.refused[0].message;
      toast(msg, res.refused.length ? "error" : "ok");
    } catch (err) {
      toast(err.message, "error");
    }
  }

  async function insertRows(ids, order) {
    const missing = ids.filter((id) => !rowById(id));
    if (!missing.length) return;
    const res = await fetch("/moderate/rows?ids=" + missing.map(encodeURIComponent).join(","),
                            { credentials: "same-origin" });
    if (!res.ok) return;
    const tpl = document.createElement("template");
    tpl.innerHTML = await res.text();  // server-rendered, escaped fragments from our own origin
    Array.from(tpl.content.querySelectorAll("li.item")).forEach((row) => {
      if (rowById(row.dataset.id)) return;
      let after = null;
      if (row.dataset.id in removedBefore) {  // an undone row goes back where it was
        let anchor = removedBefore[row.dataset.id];
        const seen = new Set();
        while (anchor && !rowById(anchor) && anchor in removedBefore && !seen.has(anchor)) {
          seen.add(anchor);
          anchor = removedBefore[anchor];
        }
        after = anchor ? rowById(anchor) : null;
        delete removedBefore[row.dataset.id];
      } else {
        const pos = order.indexOf(row.dataset.id);
        after = order.slice(pos + 1).map(rowById).find((r) => r) || null;
      }
      queue.insertBefore(row, after);
      row.classList.add("arrived");
    });
    updateEmpty();
  }

  async function undo() {
    try {
      const res = await api("POST", "/v1/review/undo");
      const ids = res.restored.map((d) => d.comment_id);
      if (tab === "review" || tab === "all") await insertRows(ids, ids);
      toast("Undone: " + ids.length + " back to " + (res.restored[0] ? res.restored[0].decision : "review"), "ok");
      const first = rowById(ids[0]);
      if (first) focusRow(first);
    } catch (err) {
      toast(err.message, "error");
    }
  }

  // reject dialog, for one row or the selection
  const dialog = document.getElementById("reject-dialog");
  const reasonSelect = document.getElementById("reject-reason");
  const noteInput = document.getElementById("reject-note");
  const rejectError = document.getElementById("reject-error");

  function openReject(targets) {
    if (!targets.length) { toast("press j to pick a comment first"); return; }
    rejectTargets = targets;
    document.getElementById("reject-count").textContent =
      targets.length > 1 ? targets.length + " comments" : "comment";
    // pre-select the reason matching the system's, when every target suggests the same one
    const suggested = new Set(targets.map((r) => r.dataset.suggestedReason || ""));
    reasonSelect.value = suggested.size === 1 ? Array.from(suggested)[0] : "";
    noteInput.value = "";
    rejectError.hidden = true;
    dialog.showModal();
    reasonSelect.focus();
  }

  document.getElementById("reject-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!reasonSelect.value) {
      rejectError.textContent = "Choose a rejection reason.";
      rejectError.hidden = false;
      return;
    }
    dialog.close();
    const ids = rejectTargets.map((r) => r.dataset.id);
    if (rejectTargets.length === 1) decide(rejectTargets[0], "reject", reasonSelect.value, noteInput.value);
    else bulk(ids, "reject", reasonSelect.value, noteInput.value);
  });
  document.getElementById("reject-cancel").addEventListener("click", () => dialog.close());

  // selection and bulk buttons
  function updateSelection() {
    const n = selected().length;
    document.getElementById("selected-count").textContent = n + " selected";
    document.getElementById("bulk-approve").disabled = n === 0;
    document.getElementById("bulk-reject").disabled = n === 0;
  }
  queue.addEventListener("change", (ev) => { if (ev.target.classList.contains("select")) updateSelection(); });
  document.getElementById("select-all").addEventListener("change", function (ev) {
    rows().forEach((r) => { r.querySelector("input.select").checked = ev.target.checked; });
    updateSelection();
  });
  document.getElementById("bulk-approve").addEventListener("click",
    () => bulk(selected().map((r) => r.dataset.id), "approve"));
  document.getElementById("bulk-reject").addEventListener("click", () => openReject(selected()));
  document.getElementById("undo").addEventListener("click", undo);
  document.getElementById("help-button").addEventListener("click",
    () => document.getElementById("help").showModal());

  queue.addEventListener("click", function (ev) {
    const row = ev.target.closest("li.item");
    if (!row) return;
    const act = ev.target.closest("button[data-act]");
    if (ev.target.closest("a, input")) return;
    if (row !== current) focusRow(row);
    if (act && act.dataset.act === "approve") decide(row, "approve");
    if (act && act.dataset.act === "reject") openReject([row]);
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest("input, textarea, select") || document.querySelector("dialog[open]")) return;
    const key = ev.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "a") { if (current) decide(current, "approve"); else toast("press j to pick a comment first"); }
    else if (key === "r") openReject(current ? [current] : []);
    else if (key === "u") undo();
    else if (key === "x" && current) {
      const box = current.querySelector("input.select");
      box.checked = !box.checked;
      updateSelection();
    } else if (key === "o" && current) window.location.href = current.querySelector("a.history").href;
    else if (key === "p" && current) {
      const author = current.querySelector("a.author");
      if (author) window.location.href = author.href; else toast("this comment has no author");
    }
    else if (key === "?") document.getElementById("help").showModal();
    else return;
    ev.preventDefault();
  });

  // live updates: the server sends a snapshot of this page's ids and claims whenever it changes
  const live = document.getElementById("live");
  const source = new EventSource("/moderate/events?" + queue.dataset.query);
  source.addEventListener("open", () => { live.dataset.state = "live"; live.textContent = "live"; });
  source.addEventListener("error", () => { live.dataset.state = "down"; live.textContent = "reconnecting…"; });
  source.addEventListener("snapshot", function (ev) {
    const snap = JSON.parse(ev.data);
    setTotal(snap.total);
    const wanted = new Set(snap.ids);
    rows().forEach((r) => { if (!wanted.has(r.dataset.id)) removeRow(r); });
    rows().forEach((r) => {
      const c = snap.claims[r.dataset.id];
      showClaim(r, c ? c.by : "", c ? c.until : "");
    });
    if (pageNo === 1) insertRows(snap.ids, snap.ids);
  });
})();
