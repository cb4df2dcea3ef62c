/* The desk keeps working without a connection. Every question saved with this script goes
   first into a queue in IndexedDB, with an id made here and the moment it was logged, and is
   then sent to the JSON API (POST /api/v1/questions, the session's cookie and CSRF header).
   The API stores an id once: an entry sent twice (the answer was lost, the page reloaded) is
   never counted twice. The queue is sent when the page loads, when the connection returns,
   every half minute and on the retry button; an entry the server refuses stays, with the
   reason, to be corrected. Each entry belongs to the person (or desk tablet) who saved it and
   is only sent while they are logged in here. Without this script (or IndexedDB) the forms
   post as they always did. */
(function () {
  "use strict";
  var root = document.querySelector("[data-offline-desk]");
  if (!root || !window.indexedDB || !window.fetch || !window.Promise) return;
  var texts = JSON.parse(root.getAttribute("data-texts"));
  var branch = root.getAttribute("data-branch");
  var owner = root.getAttribute("data-owner");
  var api = root.getAttribute("data-api");
  var csrf = root.getAttribute("data-csrf");
  var CACHE = "ido-desk-v1";  // the service worker's (desk-sw.js)
  var STORE = "queue";
  var ZONE = "Europe/Amsterdam";
  var sending = false, again = false, inFlight = null, lastQueued = 0;
  var fresh = {};  // ids saved on this page now: their confirmation is shown

  /* ---- offline use: the service worker, and this page kept from the first visit on ---- */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw")).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var path = location.pathname;
      if (location.search || !window.caches) return;
      return caches.open(CACHE).then(function (cache) {
        return cache.match(path).then(function (kept) {
          if (kept) return;
          return fetch(path, { credentials: "same-origin" }).then(function (response) {
            if (response.ok && !response.redirected) return cache.put(path, response);
          });
        });
      });
    }).catch(function () {});
  }

  /* ---- the device's clock: corrected by the server's (a tablet's clock may be off) ---- */
  function skew() { return Number(localStorage.getItem("ido-clock-skew") || 0); }
  function learn(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) {
      var off = date - Date.now();
      localStorage.setItem("ido-clock-skew", String(Math.abs(off) > 2000 ? off : 0));
    }
  }
  function now() { return new Date(Date.now() + skew()); }
  var clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit"
  });
  function dutch(moment) {  // {year, month, day, hour, minute} in Dutch time
    var p = {};
    clock.formatToParts(moment).forEach(function (x) { p[x.type] = x.value; });
    return p;
  }
  function dayOf(iso) {
    if (iso.length === 10) return iso;
    var p = dutch(new Date(iso));
    return p.year + "-" + p.month + "-" + p.day;
  }
  function time(iso) {
    if (!iso || iso.length === 10) return texts.unknown;  // a day alone: the time unknown
    var p = dutch(new Date(iso));
    return p.hour + ":" + p.minute;
  }
  /* A day (YYYY-MM-DD) and a typed time (uu:mm or uu.mm) in Dutch time, as the moment in
     ISO 8601 (UTC); null when the time is not one. */
  function amsterdam(day, typed) {
    var t = /^([0-9]{1,2})[:.,]([0-9]{2})$/.exec(typed);
    var d = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(day || "");
    if (!t || !d || +t[1] > 23 || +t[2] > 59) return null;
    var wanted = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
    var guess = wanted;
    for (var i = 0; i < 2; i++) {  // twice: the offset may change between guesses (DST)
      var p = dutch(new Date(guess));
      guess += wanted - Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
    }
    return new Date(guess).toISOString();
  }
  /* A typed date (dd-mm-jjjj, - / . or , between, or jjjj-mm-dd) as YYYY-MM-DD, or null. */
  function typedDay(text) {
    var m = /^([0-9]{1,2})[-/.,]([0-9]{1,2})[-/.,]([0-9]{4})$/.exec(text);
    var iso = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(text);
    var y, mo, d;
    if (m) { d = +m[1]; mo = +m[2]; y = +m[3]; } else if (iso) { y = +iso[1]; mo = +iso[2]; d = +iso[3]; } else return null;
    var check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
    return check.toISOString().slice(0, 10);
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
  function everything() {
    return transaction("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).sort(function (a, b) { return a.loggedAt - b.loggedAt; });
    });
  }
  function entries() {  // this person's (or tablet's): only they send them
    return everything().then(function (all) {
      return all.filter(function (e) { return e.owner === owner; });
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
  function fromQuestionForm(form, moment) {
    var topics = checked(form, "topics");
    var body = {
      id: form.dataset.fixId || newId(),
      branch: branch,
      asked_at: form.dataset.fixMoment || moment || now().toISOString(),
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
      deviceTime: !form.dataset.fixMoment && !moment,
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
  function request(entry) {
    var deleting = entry.kind === "delete";
    return fetch(deleting ? api + "/" + entry.question : api, {
      method: deleting ? "DELETE" : "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: deleting ? undefined : JSON.stringify(entry.body)
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
  function code(found, field) {
    var list = found && found.errors && found.errors[field];
    return list && list[0] && list[0].code;
  }
  function sendOne(entry, retried) {
    inFlight = entry;
    return request(entry).then(function (response) {
      learn(response);
      var done = response.status === 200 || response.status === 201 ||
        (entry.kind === "delete" && (response.status === 204 || response.status === 404));
      if (done) {
        return drop(entry.id).then(function () {
          if (entry.kind === "delete") return "sent";
          return response.json().then(function (stored) {
            if (entry.cancelled) return undo(entry, stored).then(function () { return "sent"; });
            arrived(entry, stored);
            return "sent";
          });
        });
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        entry.state = "login";
        return keep(entry).then(function () { return "stop"; });
      }
      return response.json().catch(function () { return null; }).then(function (found) {
        var csrfError = response.status === 400 && code(found, "_") === "csrf";
        if (csrfError && !retried) {
          return refreshToken().then(function () { return sendOne(entry, true); });
        }
        if (response.status >= 500 || response.status === 429 || csrfError) {
          entry.state = "waiting";
          return keep(entry).then(function () { return "stop"; });
        }
        if (code(found, "asked_at") === "future" && entry.deviceTime && !entry.shifted) {
          // the device's clock runs ahead: the server's clock (learnt from this answer) says
          // when "now" was, so the moment moves back by the difference and is sent again
          entry.body.asked_at = new Date(Date.parse(entry.body.asked_at) + skew()).toISOString();
          entry.shifted = true;
          return keep(entry).then(function () { return sendOne(entry, retried); });
        }
        entry.state = "refused";
        entry.reason = reasons(found);
        say(texts.refused_now.replace("%(topics)s", entry.label) + " " + entry.reason);
        return keep(entry).then(function () { return "refused"; });
      });
    }, function () {  // no connection
      entry.state = "waiting";
      return keep(entry).then(function () { return "stop"; });
    });
  }
  function sendAll() {
    if (sending) { again = true; return Promise.resolve(); }
    sending = true;
    again = false;
    var sentQuietly = 0;
    return entries().then(function (all) {
      var waiting = all.filter(function (e) { return e.state !== "refused"; });
      var next = function (i) {
        if (i >= waiting.length) return Promise.resolve();
        var entry = waiting[i];
        return sendOne(entry).then(function (how) {
          inFlight = null;
          if (how === "sent" && !fresh[entry.id] && entry.kind !== "delete") sentQuietly++;
          render();
          return how === "stop" ? null : next(i + 1);
        });
      };
      return next(0);
    }).then(function () { finished(sentQuietly); }, function () { finished(sentQuietly); });
  }
  function finished(sentQuietly) {
    sending = false;
    inFlight = null;
    if (sentQuietly) say(texts.sent.replace("%(n)s", sentQuietly));
    render();
    if (again) sendAll();
  }

  /* ---- what the volunteer sees ---- */
  function say(text) {
    var box = document.querySelector("[data-saved-live]");
    box.className = "saved";
    box.textContent = text;
  }
  function button(text, context, cls, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button small" + (cls ? " " + cls : "");
    b.textContent = text;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + context;
    b.appendChild(hidden);
    b.addEventListener("click", action);
    return b;
  }
  function render() {
    return everything().then(function (all) {
      var mine = all.filter(function (e) { return e.owner === owner; });
      var others = all.length - mine.length;
      var list = root.querySelector("[data-queue-list]");
      list.textContent = "";
      root.hidden = all.length === 0;
      var refused = mine.filter(function (e) { return e.state === "refused"; }).length;
      var waiting = mine.length - refused;
      var heading = (waiting === 1 ? texts.waiting_one : texts.waiting_many).replace("%(n)s", waiting);
      if (refused) heading += " · " + texts.refused_count.replace("%(n)s", refused);
      root.querySelector("[data-queue-count]").textContent = heading;
      var form = document.querySelector("form.question-form");
      mine.forEach(function (entry) {
        var item = document.createElement("li");
        var what = document.createElement("span");
        var deleting = entry.kind === "delete";
        var context = time(entry.body.asked_at) + " " + entry.label;
        what.textContent = (deleting ? texts.undo_waiting : time(entry.body.asked_at)) + " · " + entry.label +
          " · " + texts[entry.state === "refused" ? "refused" : entry.state === "login" ? "login" : "waiting"] +
          (entry.reason ? ": " + entry.reason : "");
        item.appendChild(what);
        item.setAttribute("data-state", entry.state);
        item.className = "queue-" + entry.state;
        if (entry.state === "refused" && !deleting && form) {
          item.appendChild(button(texts.fix, context, "", function () { fix(entry, form); }));
        }
        if (!deleting) {
          item.appendChild(button(entry.state === "refused" ? texts.remove : texts.undo, context, "danger", function () {
            if (inFlight && inFlight.id === entry.id) {
              inFlight.cancelled = true;  // on its way: undone once the server has it
              say(texts.undone);
            } else {
              drop(entry.id).then(render);
            }
          }));
        }
        list.appendChild(item);
      });
      root.querySelector("[data-queue-others]").hidden = others === 0;
      root.querySelector("[data-queue-others]").textContent = texts.others.replace("%(n)s", others);
      root.querySelector("[data-queue-login]").hidden = !mine.some(function (e) { return e.state === "login"; });
    });
  }
  function undo(entry, stored) {  // queued like a save: sent now, or once there is a connection
    return keep({
      id: "undo:" + stored.id, kind: "delete", question: stored.id, owner: owner, branch: branch,
      body: { asked_at: stored.asked_at }, label: entry.label, state: "waiting", loggedAt: Date.now()
    }).then(function () {
      var row = document.querySelector('[data-row-id="' + stored.id + '"]');
      if (row) row.parentNode.removeChild(row);
      return render();
    });
  }
  function arrived(entry, stored) {
    addRow(entry, stored);
    if (!fresh[entry.id]) return;  // sent from the queue: counted, not announced one by one
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
    box.appendChild(button(texts.undo, entry.label, "", function () {
      undo(entry, stored).then(function () { say(texts.undone); sendAll(); });
    }));
  }
  function addRow(entry, stored) {
    var body = document.querySelector("[data-today-rows]");
    if (!body || stored.branch !== branch) return;
    var shownDay = body.getAttribute("data-day") || dayOf(now().toISOString());
    if (dayOf(stored.asked_at) !== shownDay) return;  // the list is of one day
    var row = document.createElement("tr");
    row.setAttribute("data-row-id", stored.id);
    var cells = body.getAttribute("data-columns") === "time topics"
      ? [time(stored.asked_at), entry.label, ""] : [time(stored.asked_at), entry.label, entry.referrals || "–", texts.you, ""];
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
  function fix(entry, form) {  // back into the form; saved again under its id and moment
    form.reset();
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = entry.body[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = [].concat(values == null ? [] : values).map(String).indexOf(el.value) >= 0;
      }
    });
    if (form.elements.note) form.elements.note.value = entry.body.note || "";
    form.dataset.fixId = entry.id;
    form.dataset.fixMoment = entry.body.asked_at;
    var more = form.elements.note && form.elements.note.closest("details");
    if (more) more.open = true;
    (form.elements.note || form).focus();
  }

  /* ---- saving ---- */
  function queue(made) {
    var entry = {
      id: made.body.id, owner: owner, branch: made.body.branch, body: made.body, label: made.label,
      referrals: made.referrals || "", state: "waiting", loggedAt: Date.now(), deviceTime: !!made.deviceTime
    };
    fresh[entry.id] = true;
    lastQueued = Date.now();
    return keep(entry).then(render).then(function () {
      say(texts.queued.replace("%(topics)s", made.label));
      sendAll();
    });
  }
  function questionForm(form, event) {
    var day = form.elements.asked_date ? form.elements.asked_date.value.trim() : "";
    var at = form.elements.asked_time ? form.elements.asked_time.value.trim() : "";
    var moment = null;
    if (day || at) {
      if (navigator.onLine) return;  // the server checks a typed moment, with its messages
      var iso = day ? typedDay(day) : dayOf(now().toISOString());
      moment = iso && at ? amsterdam(iso, at) : null;
      if (!moment) {  // offline, and not a date and time that can be read here
        event.preventDefault();
        delete form.dataset.submitting;
        say(texts.typed_offline);
        return;
      }
    }
    if (!checked(form, "topics").length) {
      if (Date.now() - lastQueued < 2000) {  // a tap after the save cleared the form
        event.preventDefault();
        delete form.dataset.submitting;
      }
      return;  // else the server says a topic is needed
    }
    event.preventDefault();
    var made = fromQuestionForm(form, moment);
    queue(made).then(function () {
      form.reset();
      delete form.dataset.fixId;
      delete form.dataset.fixMoment;
      delete form.dataset.submitting;  // stored: the next question may be saved
      window.scrollTo(0, 0);
    });
  }
  function paperForm(form, event) {
    var at = form.elements.at ? form.elements.at.value.trim() : "";
    var moment = at ? amsterdam(form.getAttribute("data-day"), at) : form.getAttribute("data-day");
    if (!moment) return;  // a time the server must explain: the form posts as usual
    event.preventDefault();
    var times = parseInt(checked(form, "times")[0] || "1", 10);
    var tile = event.submitter.querySelector(".toggle-label");
    var label = (tile ? tile.textContent.trim() : event.submitter.value) + " · " + form.getAttribute("data-day-text");
    var topic = event.submitter.value;
    var saving = Promise.resolve();
    for (var n = 0; n < times; n++) {
      saving = saving.then(function () {
        return queue({ body: { id: newId(), branch: branch, asked_at: moment, topics: [topic] }, label: label });
      });
    }
    saving.then(function () { delete form.dataset.submitting; });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) return;
    if (form.matches("form.question-form")) {
      questionForm(form, event);
    } else if (form.matches("form.paper-form") && event.submitter && event.submitter.value) {
      paperForm(form, event);
    } else if (form.matches("form.quick-form") && event.submitter && event.submitter.value) {
      event.preventDefault();
      var tile = event.submitter.querySelector(".toggle-label");
      queue({
        body: { id: newId(), branch: branch, asked_at: now().toISOString(), topics: [event.submitter.value] },
        label: tile ? tile.textContent.trim() : event.submitter.value,
        deviceTime: true
      }).then(function () { delete form.dataset.submitting; });
    } else if (form.matches("[data-log-out]")) {
      entries().then(function (mine) {
        if (!mine.length || window.confirm(texts.log_out.replace("%(n)s", mine.length))) {
          form.removeAttribute("data-log-out");
          form.submit();
        }
      });
      event.preventDefault();
    }
  });
  root.querySelector("[data-queue-retry]").addEventListener("click", sendAll);
  window.addEventListener("online", sendAll);
  window.setInterval(sendAll, 30000);
  render().then(sendAll);
})();
