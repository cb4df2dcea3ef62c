/* The desk keeps working without a connection. Every question saved with this script goes
   first into a queue in IndexedDB, with an id made here, and is then sent to the JSON API
   (POST /api/v1/questions, the session's cookie and CSRF header). The API stores an id once:
   an entry sent twice (the answer was lost, the page reloaded) is never counted twice. The
   queue is sent when the page loads, when the connection returns, every half minute and on
   the retry button; an entry the server refuses stays, with the reason, to be corrected.
   Without this script (or IndexedDB) the forms post as they always did. */
(function () {
  "use strict";
  var root = document.querySelector("[data-offline-desk]");
  if (!root || !window.indexedDB || !window.fetch || !window.Promise) return;
  var texts = JSON.parse(root.getAttribute("data-texts"));
  var branch = root.getAttribute("data-branch");
  var api = root.getAttribute("data-api");
  var csrf = root.getAttribute("data-csrf");
  var STORE = "queue";
  var sending = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw")).catch(function () {});
  }

  /* ---- the queue in IndexedDB ---- */
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("ido-desk", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }
  function transaction(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function entries() {
    return transaction("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (e) { return e.branch === branch; })
        .sort(function (a, b) { return a.loggedAt - b.loggedAt; });
    });
  }
  function keep(entry) { return transaction("readwrite", function (s) { s.put(entry); }); }
  function drop(id) { return transaction("readwrite", function (s) { s.delete(id); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* A day (YYYY-MM-DD) and a typed time (uu:mm or uu.mm) in Dutch time, as the moment in
     ISO 8601 (UTC); null when the time is not one. The tablet's own time zone may differ. */
  function amsterdam(day, typed) {
    var t = /^([0-9]{1,2})[:.,]([0-9]{2})$/.exec(typed);
    var d = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(day || "");
    if (!t || !d || +t[1] > 23 || +t[2] > 59) return null;
    var wanted = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Amsterdam", hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit"
    });
    var guess = wanted;
    for (var i = 0; i < 2; i++) {  // twice: the offset may change between guesses (DST)
      var p = {};
      parts.formatToParts(new Date(guess)).forEach(function (x) { p[x.type] = +x.value; });
      var shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
      guess += wanted - shown;
    }
    return new Date(guess).toISOString();
  }

  /* ---- what a form says, as the API's JSON ---- */
  function checked(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && el.checked;
    }).map(function (el) { return el.value; });
  }
  function labelOf(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    var label = input && form.querySelector('label[for="' + input.id + '"] .toggle-label');
    return label ? label.textContent.trim() : value;
  }
  function fromQuestionForm(form) {
    var topics = checked(form, "topics");
    var body = {
      id: newId(),
      branch: branch,
      asked_at: new Date().toISOString(),
      topics: topics,
      agencies: checked(form, "agencies"),
      referrals: checked(form, "referrals"),
      help: checked(form, "help"),
      channel: checked(form, "channel")[0],
      outcome: checked(form, "outcome")[0],
      duration_minutes: parseInt(checked(form, "duration_minutes")[0], 10),
      note: form.elements.note && form.elements.note.value.trim() ? form.elements.note.value : null
    };
    return {
      body: body,
      label: topics.map(function (t) { return labelOf(form, "topics", t); }).join(", "),
      referrals: body.referrals.map(function (r) { return labelOf(form, "referrals", r); }).join(", ")
    };
  }

  /* ---- sending ---- */
  function refreshToken() {
    return fetch(root.getAttribute("data-csrf-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) { if (found && found.csrf_token) csrf = found.csrf_token; });
  }
  function post(entry) {
    return fetch(api, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(entry.body)
    });
  }
  function reasons(found) {
    var errors = (found && found.errors) || {};
    var out = [];
    Object.keys(errors).forEach(function (field) {
      errors[field].forEach(function (e) { out.push(e.message); });
    });
    return out.join(" ") || texts.refused;
  }
  function sendOne(entry, retried) {
    entry.state = "sending";
    var request = entry.kind === "delete" ? fetch(api + "/" + entry.question, {
      method: "DELETE", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }) : post(entry);
    return request.then(function (response) {
      if (entry.kind === "delete" && (response.status === 204 || response.status === 404)) {
        return drop(entry.id).then(function () { return "sent"; });  // gone (404: already)
      }
      if (response.status === 200 || response.status === 201) {
        return drop(entry.id).then(function () {
          return response.json().then(function (stored) { shown(entry, stored); return "sent"; });
        });
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        entry.state = "login";
        return keep(entry).then(function () { return "stop"; });
      }
      return response.json().catch(function () { return null; }).then(function (found) {
        var csrfError = response.status === 400 && found && found.errors && found.errors._ &&
          found.errors._[0].code === "csrf";
        if (csrfError && !retried) {
          return refreshToken().then(function () { return sendOne(entry, true); });
        }
        if (response.status >= 500 || response.status === 429 || csrfError) {
          entry.state = "waiting";
          return keep(entry).then(function () { return "stop"; });
        }
        entry.state = "refused";
        entry.reason = reasons(found);
        return keep(entry).then(function () { return "refused"; });
      });
    }, function () {  // no connection
      entry.state = "waiting";
      return keep(entry).then(function () { return "stop"; });
    });
  }
  var again = false;  // asked to send while sending (the connection came back meanwhile)
  function sendAll() {
    if (sending) { again = true; return Promise.resolve(); }
    sending = true;
    again = false;
    return entries().then(function (all) {
      var waiting = all.filter(function (e) { return e.state !== "refused"; });
      var next = function (i) {
        if (i >= waiting.length) return Promise.resolve();
        return sendOne(waiting[i]).then(function (how) {
          render();
          return how === "stop" ? null : next(i + 1);
        });
      };
      return next(0);
    }).then(finished, finished);
  }
  function finished() {
    sending = false;
    render();
    if (again) sendAll();
  }

  /* ---- what the volunteer sees ---- */
  function time(iso) {
    var d = iso ? new Date(iso) : new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function button(text, cls, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button small" + (cls ? " " + cls : "");
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }
  function render() {
    return entries().then(function (all) {
      var list = root.querySelector("[data-queue-list]");
      list.textContent = "";
      root.hidden = all.length === 0;
      var waiting = all.filter(function (e) { return e.state !== "refused"; }).length;
      root.querySelector("[data-queue-count]").textContent =
        (waiting === 1 ? texts.waiting_one : texts.waiting_many).replace("%(n)s", waiting);
      all.forEach(function (entry) {
        var item = document.createElement("li");
        var what = document.createElement("span");
        var at = entry.body.asked_at || "";
        what.textContent = (entry.kind === "delete" ? texts.undo_waiting : at.length === 10 ? texts.unknown : time(at)) +
          " · " + entry.label + " · " + texts[entry.state === "sending" ? "waiting" : entry.state] + (entry.reason ? ": " + entry.reason : "");
        item.appendChild(what);
        item.setAttribute("data-state", entry.state);
        if (entry.state === "refused" && entry.kind !== "delete") {
          item.appendChild(button(texts.fix, "", function () { fix(entry); }));
        }
        item.appendChild(button(entry.state === "refused" ? texts.remove : texts.undo, "danger", function () {
          drop(entry.id).then(render);
        }));
        list.appendChild(item);
      });
      var login = root.querySelector("[data-queue-login]");
      login.hidden = !all.some(function (e) { return e.state === "login"; });
    });
  }
  function shown(entry, stored) {
    var box = document.querySelector("[data-saved-live]");
    box.textContent = "";
    box.className = "saved";
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = texts.saved + ":";
    p.appendChild(strong);
    var when = stored.asked_at.length === 10 ? "" : " · " + time(stored.asked_at);
    p.appendChild(document.createTextNode(" " + entry.label + when));
    box.appendChild(p);
    box.appendChild(button(texts.undo, "", function () {
      // an undo is queued like a save: sent now, or once there is a connection
      keep({
        id: "undo:" + stored.id, kind: "delete", question: stored.id, branch: branch,
        body: {}, label: entry.label, state: "waiting", loggedAt: Date.now()
      }).then(function () {
        box.textContent = texts.undone;
        var row = document.querySelector('[data-row-id="' + stored.id + '"]');
        if (row) row.parentNode.removeChild(row);
        return render();
      }).then(sendAll);
    }));
    addRow(entry, stored);
  }
  function addRow(entry, stored) {
    var body = document.querySelector("[data-today-rows]");
    if (!body) return;
    var row = document.createElement("tr");
    row.setAttribute("data-row-id", stored.id);
    var when = stored.asked_at.length === 10 ? texts.unknown : time(stored.asked_at);  // a day alone
    var cells = body.getAttribute("data-columns") === "time topics"
      ? [when, entry.label, ""] : [when, entry.label, entry.referrals || "–", texts.you, ""];
    cells.forEach(function (text) {
      var cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    });
    body.insertBefore(row, body.firstChild);
    var table = document.querySelector("[data-today-table]");
    if (table) table.hidden = false;
    var none = document.querySelector("[data-today-none]");
    if (none) none.parentNode.removeChild(none);
  }
  function fix(entry) {  // back into the form, to be corrected and saved again
    var form = document.querySelector("form.question-form");
    if (!form) return;
    form.reset();
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = entry.body[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = [].concat(values == null ? [] : values).map(String).indexOf(el.value) >= 0;
      }
    });
    if (form.elements.note) form.elements.note.value = entry.body.note || "";
    var more = form.elements.note && form.elements.note.closest("details");
    if (more) more.open = true;
    drop(entry.id).then(render);
    (form.elements.note || form).focus();
  }

  /* ---- saving ---- */
  function queue(made) {
    var entry = {
      id: made.body.id, branch: branch, body: made.body, label: made.label,
      referrals: made.referrals || "", state: "waiting", loggedAt: Date.now()
    };
    return keep(entry).then(render).then(function () {
      var box = document.querySelector("[data-saved-live]");
      box.className = "saved";
      box.textContent = texts.queued.replace("%(topics)s", made.label);
      sendAll();
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) return;
    if (form.matches("form.question-form")) {
      var typed = ["asked_date", "asked_time"].some(function (name) {
        return form.elements[name] && form.elements[name].value.trim();
      });
      var made = fromQuestionForm(form);
      if (typed || !made.body.topics.length) return;  // the server checks these, with messages
      event.preventDefault();
      queue(made).then(function () {
        form.reset();
        delete form.dataset.submitting;  // stored: the next question may be saved
        window.scrollTo(0, 0);
      });
    } else if (form.matches("form.paper-form") && event.submitter && event.submitter.value) {
      var at = form.elements.at ? form.elements.at.value.trim() : "";
      var moment = at ? amsterdam(form.getAttribute("data-day"), at) : form.getAttribute("data-day");
      if (!moment) return;  // a time the server must explain: the form posts as usual
      event.preventDefault();
      var times = parseInt(checked(form, "times")[0] || "1", 10);
      var tileText = event.submitter.querySelector(".toggle-label");
      var label = (tileText ? tileText.textContent.trim() : event.submitter.value) +
        " · " + form.getAttribute("data-day-text");
      var saving = Promise.resolve();
      for (var n = 0; n < times; n++) {
        saving = saving.then(function () {
          return queue({
            body: { id: newId(), branch: branch, asked_at: moment, topics: [event.submitter.value] },
            label: label
          });
        });
      }
      saving.then(function () { delete form.dataset.submitting; });
    } else if (form.matches("form.quick-form") && event.submitter && event.submitter.value) {
      event.preventDefault();
      var tile = event.submitter.querySelector(".toggle-label");
      queue({
        body: { id: newId(), branch: branch, asked_at: new Date().toISOString(), topics: [event.submitter.value] },
        label: tile ? tile.textContent.trim() : event.submitter.value
      }).then(function () { delete form.dataset.submitting; });
    }
  });
  root.querySelector("[data-queue-retry]").addEventListener("click", sendAll);
  window.addEventListener("online", sendAll);
  window.setInterval(sendAll, 30000);
  render().then(sendAll);
})();
