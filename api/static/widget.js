/* Comment-form widget (docs/widget.md). Plain JS, no dependencies. Add to a site's own <form>:
   <form data-moderation-widget data-key="pk_..." data-article="ID"> with a <textarea name="text">, then
   <script src="https://MODERATION/static/widget.js" defer></script>. Without JS the form posts as usual.
   Counts what the server counts: grapheme clusters of the text with whitespace trimmed and collapsed.
   The pre-check is advice; the site's backend confirms with POST /v1/moderate (the authority). */
(function () {
  "use strict";
  var me = document.currentScript;
  var API = (me && me.getAttribute("data-api")) || (me && me.src ? new URL(me.src).origin : "");
  var seg = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  var uid = 0;

  function visible(t) { return t.replace(/\s+/g, " ").trim(); }
  function count(t) {
    t = visible(t);
    if (!seg) return Array.from(t).length;
    var n = 0, it = seg.segment(t)[Symbol.iterator]();
    while (!it.next().done) n++;
    return n;
  }
  function fill(tpl, f) { return tpl.replace(/\{(\w+)\}/g, function (_, k) { return k in f ? String(f[k]) : ""; }); }
  function utf16(t, cp) { /* the server's offsets count code points; JS strings count UTF-16 units */
    var i = 0;
    for (var n = 0; n < cp && i < t.length; n++) i += t.codePointAt(i) > 0xffff ? 2 : 1;
    return i;
  }
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function Widget(form) {
    var area = form.querySelector(form.getAttribute("data-field") || "textarea");
    if (!area) return;
    var key = form.getAttribute("data-key"), article = form.getAttribute("data-article");
    var rules = {
      min_chars: +form.getAttribute("data-min-chars") || 1, max_chars: +form.getAttribute("data-max-chars") || 5000,
      messages: { TOO_SHORT: "Comments must be at least {min_chars} characters (yours has {characters}; {needed} more needed).",
                  TOO_LONG: "Comments must be at most {max_chars} characters (yours has {characters})." }
    };
    var anyway = form.getAttribute("data-post-anyway") || "review", bypass = false, timer = 0, id = "mw" + (++uid);
    var counter = make("p", "mw-counter"), live = make("span", "mw-sr");
    var msg = make("div", "mw-message"), box = make("div", "mw-review");
    counter.id = id + "-count"; counter.setAttribute("aria-hidden", "true");
    live.id = id + "-live"; live.setAttribute("role", "status"); live.setAttribute("aria-live", "polite");
    msg.id = id + "-msg"; msg.setAttribute("role", "alert"); msg.hidden = true;
    box.hidden = true; box.setAttribute("role", "group"); box.setAttribute("aria-labelledby", id + "-lead");
    area.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", live);
    live.insertAdjacentElement("afterend", msg);
    msg.insertAdjacentElement("afterend", box);
    var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    area.setAttribute("aria-describedby", described.concat([live.id, msg.id]).join(" "));
    form.setAttribute("data-mw-state", "loading");

    function fields(n) {
      return { characters: n, min_chars: rules.min_chars, max_chars: rules.max_chars,
               needed: Math.max(0, rules.min_chars - n), over: Math.max(0, n - rules.max_chars) };
    }
    function update() {
      var n = count(area.value), state = n < rules.min_chars ? "short" : n > rules.max_chars ? "long" : "ready";
      counter.textContent = n + "/" + (state === "long" ? rules.max_chars : rules.min_chars);
      counter.setAttribute("data-state", state);
      clearTimeout(timer);
      timer = setTimeout(function () {
        live.textContent = n + " of " + rules.min_chars + " characters" +
          (state === "short" ? ", " + (rules.min_chars - n) + " more needed" : state === "long" ? ", too long" : ", ready");
      }, 700);
      return n;
    }
    function say(text, kind) { msg.textContent = text; msg.setAttribute("data-kind", kind); msg.hidden = !text; }
    function submitNow() { bypass = true; if (form.requestSubmit) form.requestSubmit(); else form.submit(); }
    function guidelines(text) {
      var sel = form.getAttribute("data-guidelines"), g = sel && document.querySelector(sel);
      if (!text || g) return;
      g = make("p", "mw-guidelines", text);
      g.id = id + "-rules";
      form.insertBefore(g, form.firstChild);
      area.setAttribute("aria-describedby", g.id + " " + area.getAttribute("aria-describedby"));
    }
    function nudge(out, text) {
      box.textContent = "";
      var lead = make("p", "mw-lead", out.decision === "reject" ? "Please edit your comment before posting"
                                                                 : "Are you sure you want to post this?");
      lead.id = id + "-lead";
      box.appendChild(lead);
      var seen = {};
      out.reasons.forEach(function (r) {
        if (r.action === out.decision && !seen[r.message]) { seen[r.message] = 1; box.appendChild(make("p", "mw-reason", r.message)); }
      });
      if (out.marks.length) {
        var quote = make("blockquote", "mw-preview"), pos = 0;
        out.marks.forEach(function (m) {
          var b = utf16(text, m.begin), e = utf16(text, m.end);
          if (b < pos) return;
          quote.appendChild(document.createTextNode(text.slice(pos, b)));
          var mark = make("mark", "mw-mark mw-" + m.kind, text.slice(b, e));
          mark.title = "Reconsider this " + m.kind;
          quote.appendChild(mark);
          pos = e;
        });
        quote.appendChild(document.createTextNode(text.slice(pos)));
        box.appendChild(make("p", "mw-hint", "The marked part is what to reconsider:"));
        box.appendChild(quote);
      }
      var actions = make("div", "mw-actions"), edit = make("button", "mw-edit", "Edit my comment");
      edit.type = "button";
      edit.addEventListener("click", function () {
        box.hidden = true;
        area.focus();
        if (out.marks.length) area.setSelectionRange(utf16(text, out.marks[0].begin), utf16(text, out.marks[0].end));
      });
      actions.appendChild(edit);
      if (anyway === "always" || (anyway === "review" && out.decision === "review")) {
        var post = make("button", "mw-anyway", "Post anyway");
        post.type = "button";
        post.addEventListener("click", submitNow);
        actions.appendChild(post);
      }
      box.appendChild(actions);
      box.hidden = false;
      form.setAttribute("data-mw-state", "nudge");
      lead.tabIndex = -1;
      lead.focus();
    }

    area.addEventListener("input", function () { update(); box.hidden = true; say("", ""); });
    form.addEventListener("submit", function (ev) {
      if (bypass) return;
      ev.preventDefault();
      var n = update(), f = fields(n);
      box.hidden = true;
      if (n < rules.min_chars) { say(fill(rules.messages.TOO_SHORT, f), "short"); area.focus(); return; }
      if (n > rules.max_chars) { say(fill(rules.messages.TOO_LONG, f), "long"); area.focus(); return; }
      if (form.getAttribute("data-mw-state") === "unavailable") return submitNow();
      say("", "");
      form.setAttribute("data-mw-state", "checking");
      form.setAttribute("aria-busy", "true");
      var text = area.value;
      fetch(API + "/v1/widget/check?key=" + encodeURIComponent(key), {
        method: "POST", mode: "cors", credentials: "omit", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(article ? { text: text, article_id: article } : { text: text })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (out) {
        form.removeAttribute("aria-busy");
        form.setAttribute("data-mw-state", "ready");
        if (!out || out.decision === "approve") return submitNow(); /* the backend decides anyway */
        nudge(out, text);
      }, function () { form.removeAttribute("aria-busy"); submitNow(); });
    });

    update();
    var url = API + "/v1/widget/rules?key=" + encodeURIComponent(key) + (article ? "&article_id=" + encodeURIComponent(article) : "");
    fetch(url, { mode: "cors", credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error("rules: " + r.status);
      return r.json();
    }).then(function (got) {
      rules = got;
      guidelines(got.guidelines);
      form.setAttribute("data-mw-state", "ready");
      update();
    }).catch(function () { /* no rules (refused, offline): a plain form; the site's backend decides */
      form.setAttribute("data-mw-state", "unavailable");
      if (!form.getAttribute("data-min-chars")) counter.hidden = true;
    });
  }

  function start() { Array.prototype.forEach.call(document.querySelectorAll("form[data-moderation-widget]"), Widget); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
