/* The desk without a connection (docs/desk.md, "Without a connection"): each save goes into
   a queue in IndexedDB with its id and moment, then to the JSON API; refused entries stay to
   be corrected. Without this script (or IndexedDB) the forms post as before. The parts:
   docs/architecture.md, "The desk script in native modules". */

import { amsterdam, dayOf, makeClock, typedDay } from "./clock.js";
import { attendanceEntry, deleteEntry, idbStore, idsOf, newId, replacedBy, saveEntry, undoPlan } from "./queue.js";
import { http, sender } from "./send.js";
import { addRow, confirmation, fill, logOutQuestion, queueView, removeRows, showCounts, smallButton } from "./view.js";
import { clearRefusal, checked, describeTile, putBack, readCount, readQuestionForm, showRefusal } from "./form.js";
import { keepForOffline } from "./offline.js";
import { startSlips } from "./slip.js";
import { paperTap, quickTap } from "./taps.js";

startSlips(document);  // the referral slip needs no queue: also without IndexedDB
const root = document.querySelector("[data-offline-desk]");
if (root && window.indexedDB && window.fetch) start(root);

function start(root) {
  const texts = JSON.parse(root.getAttribute("data-texts"));
  const branch = root.getAttribute("data-branch");
  const owner = root.getAttribute("data-owner");
  const store = idbStore(window.indexedDB);
  const clock = makeClock(window.localStorage);
  const api = http({
    fetch: window.fetch.bind(window), api: root.getAttribute("data-api"), batch: root.getAttribute("data-batch-api"),
    sessions: root.getAttribute("data-sessions-api"),
    csrfUrl: root.getAttribute("data-csrf-url"), csrf: root.getAttribute("data-csrf"),
  });
  const fresh = new Set();  // taps made on this page now: their confirmation is shown
  let lastQueued = 0;
  let shown = null;  // the tap the confirmation is about
  const today = () => dayOf(clock.now().toISOString());
  const box = () => document.querySelector("[data-saved-live]");
  const questionForm = () => document.querySelector("form.question-form");

  keepForOffline(root);

  /* ---- what the page shows ---- */
  function say(text, tone = "saved") {
    const b = box();
    b.className = tone;
    b.textContent = text;
  }
  function confirm(entry, arrived) {
    const b = box();
    // a message of the page before this tap (a time the server explained) is about the past
    if (!arrived) document.querySelectorAll(".messages").forEach((old) => old.remove());
    const said = confirmation(entry, texts, { today: today(), arrived });
    const p = document.createElement("p");
    if (said.strong) p.appendChild(Object.assign(document.createElement("strong"), { textContent: said.strong }));
    p.appendChild(document.createTextNode(said.text));
    const kept = shown === entry.id && b.querySelector("p");
    shown = entry.id;
    b.className = "saved";
    if (kept) {  // it arrived: the words change, the undo button (perhaps focused) stays
      b.replaceChild(p, kept);
      return;
    }
    b.textContent = "";
    b.appendChild(p);
    b.appendChild(smallButton(document, texts.undo, entry.label, "", () => undo(entry)));
  }
  async function render() {
    const all = await store.all();  // read first: two renders at once must not mix their lines
    const view = queueView(all, owner, texts);
    const entries = new Map(all.map((e) => [e.id, e]));
    const form = questionForm();
    root.hidden = view.hidden;
    root.querySelector("[data-queue-count]").textContent = view.heading;
    root.classList.toggle("has-refused", view.refused > 0);
    root.querySelector("[data-queue-waiting-note]").hidden = view.waiting === 0;
    root.querySelector("[data-queue-refused-note]").hidden = view.refused === 0;
    const list = root.querySelector("[data-queue-list]");
    list.replaceChildren(...view.items.map((item) => {
      const li = document.createElement("li");
      li.setAttribute("data-state", item.state);
      li.className = `queue-${item.state}`;
      li.appendChild(Object.assign(document.createElement("span"), { textContent: item.text }));
      const entry = entries.get(item.id);
      if (item.fix && form) li.appendChild(smallButton(document, texts.fix, item.context, "", () => fix(entry, form)));
      const remove = entry.kind === "attendance" ? () => store.drop(entry.id).then(render) : () => undo(entry);
      if (item.removable) li.appendChild(smallButton(document, item.removeText, item.context, "danger", remove));
      return li;
    }));
    showCounts(document, all, texts);
    const others = root.querySelector("[data-queue-others]");
    others.hidden = view.others === 0;
    others.textContent = view.othersText;
    root.querySelector("[data-queue-login]").hidden = !view.login;
  }
  function fix(entry, form) {
    putBack(form, entry);
    const more = form.elements.note && form.elements.note.closest("details");
    if (more) more.open = true;
    (form.elements.note || form).focus();
  }

  /* ---- sending, and what arrives ---- */
  const queue = sender({
    store, api, clock, owner, fresh: (id) => fresh.has(id), online: () => navigator.onLine,
    events: {
      arrived(entry, stored) { addRow(document, stored, entry, texts, today()); },
      finished(entry) { if (fresh.has(entry.id) && shown === entry.id) confirm(entry, true); },
      counted(entry) {
        const count = document.querySelector(`[data-session-id="${entry.session}"] [data-session-count]`);
        if (count) count.dataset.stored = fill(texts.people, { n: entry.count });
        if (fresh.has(entry.id) && shown === entry.id) say(fill(texts.counted, { activity: entry.name, n: entry.count }));
      },
      refused(entry, found) {
        const form = questionForm();
        const pristine = form && checked(form, "topics").length === 0;
        const question = entry.kind === "save" && entry.bodies.length === 1;
        if (fresh.has(entry.id) && !entry.delayed && form && pristine && question) {
          // refused straight after the save: the form as it was typed, with the reasons
          // at its fields, as without the script; saved again under its id and moment
          putBack(form, entry);
          showRefusal(document, form, found, texts.refused);
          store.drop(entry.id).then(render);
          say("", "");
          return;
        }
        say(texts.refused_now.replace("%(topics)s", entry.label) + " " + (entry.reason || texts.refused), "saved refused");
      },
      changed: render,
      // the confirmation of a tap on this page stays (with its undo): the list says the rest
      sentQuietly(n) { if (shown === null) say(texts.sent.replace("%(n)s", n)); },
    },
  });
  const sendAll = () => queue.sendAll();

  /* Undo of a tap: all of it, whether it waits, is on its way or has arrived. */
  async function undo(entry) {
    const focused = document.activeElement;  // the undo button, which goes
    const ids = idsOf(entry);
    const kept = await store.get(entry.id);
    const plan = undoPlan(kept, ids, queue.state.onTheWay);
    if (plan.drop) await store.drop(entry.id);
    if (plan.remove.length) {
      await store.put(deleteEntry({
        tap: entry.id, questions: plan.remove, owner, branch, label: entry.label, loggedAt: Date.now(),
      }));
    }
    removeRows(document, ids);
    if (shown === entry.id || !kept) say(texts.undone);
    await render();
    if (focused && !focused.isConnected) {  // its button went: focus what tells of the undo
      const told = shown === entry.id || !kept || root.hidden;
      const target = told ? box() : root.querySelector("[data-queue-count]");  // the list
      target.tabIndex = -1;
      target.focus();
    }
    sendAll();
  }

  async function enqueue(entry) {
    fresh.add(entry.id);
    lastQueued = Date.now();
    await store.put(entry);
    confirm(entry, false);
    await render();
    sendAll();
  }

  /* ---- the forms ---- */
  function onQuestionForm(form, event) {
    const day = form.elements.asked_date ? form.elements.asked_date.value.trim() : "";
    const at = form.elements.asked_time ? form.elements.asked_time.value.trim() : "";
    let moment = null;
    if (day || at) {
      if (navigator.onLine) return;  // the server checks a typed moment, with its messages
      const iso = day ? typedDay(day) : today();
      moment = iso && at ? amsterdam(iso, at) : null;
      if (!moment) {  // offline, and not a date and time that can be read here
        event.preventDefault();
        delete form.dataset.submitting;
        say(texts.typed_offline, "saved refused");
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
    clearRefusal(document);
    const id = form.dataset.fixId || newId();
    const made = readQuestionForm(form, {
      id, branch, moment: form.dataset.fixMoment || moment || clock.now().toISOString(),
    });
    const entry = saveEntry({
      id, owner, branch, bodies: [made.body], label: made.label, referrals: made.referrals,
      deviceTime: !form.dataset.fixMoment && !moment, loggedAt: Date.now(),
    });
    // saved without a connection: a refusal comes later, to the queue, not into the form
    entry.delayed = !navigator.onLine;
    form.reset();
    delete form.dataset.fixId;
    delete form.dataset.fixMoment;
    form.dispatchEvent(new Event("change", { bubbles: true }));  // the follow-ups close (ido.js)
    enqueue(entry).then(() => {
      delete form.dataset.submitting;  // stored: the next question may be saved
      window.scrollTo(0, 0);
    });
  }

  function onPaperForm(form, event) {
    const tile = event.submitter.querySelector(".toggle-label");
    const entry = paperTap({
      newId, owner, branch, day: form.getAttribute("data-day"),
      at: form.elements.at ? form.elements.at.value.trim() : "",
      times: parseInt(checked(form, "times")[0] || "1", 10), code: event.submitter.value,
      topic: tile ? tile.textContent.trim() : event.submitter.value, loggedAt: Date.now(),
    });
    if (!entry) {  // a time that cannot be read here
      if (navigator.onLine) return;  // the server explains it: the form posts as usual
      event.preventDefault();  // offline: say so here, × N and the typed time kept
      delete form.dataset.submitting;
      say(texts.paper_time, "saved refused");
      return;
    }
    event.preventDefault();
    // back to one, without a time: the next tap must not log N at that time unseen
    if (form.elements.at) form.elements.at.value = "";
    const one = form.querySelector('input[name="times"][value="1"]');
    if (one) one.checked = true;
    enqueue(entry).then(() => { delete form.dataset.submitting; });
  }

  /* A session tile's number: into the queue (replacing a count of it still waiting), the tile
     closes and says the count waits; the server's answer comes to the queue. */
  async function onSessionForm(form, event) {
    const tile = form.closest("[data-session-id]");
    const count = readCount(form, event.submitter);
    if (!tile || count === null) return;  // the server explains
    event.preventDefault();
    const { session, name, label } = describeTile(tile);
    const entry = attendanceEntry({ id: newId(), owner, branch, session, count, name, label, loggedAt: Date.now() });
    fresh.add(entry.id);
    const details = tile.querySelector("details");
    if (details) details.open = false;
    tile.querySelector("summary").focus();
    if (form.elements.count && form.elements.count.type === "number") form.elements.count.value = "";
    for (const id of replacedBy(await store.all(), entry)) await store.drop(id);
    await store.put(entry);
    shown = entry.id;
    say(fill(texts.queued, { topics: `${name}, ${fill(texts.people, { n: count })}` }));
    await render();
    sendAll();
  }

  function onQuickForm(form, event) {
    event.preventDefault();
    const tile = event.submitter.querySelector(".toggle-label");
    enqueue(quickTap({
      id: newId(), owner, branch, now: clock.now().toISOString(), code: event.submitter.value,
      topic: tile ? tile.textContent.trim() : event.submitter.value, loggedAt: Date.now(),
    })).then(() => { delete form.dataset.submitting; });
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented) return;
    const tapped = event.submitter && event.submitter.value;
    if (form.matches("form.question-form")) onQuestionForm(form, event);
    else if (form.matches("form.paper-form") && tapped) onPaperForm(form, event);
    else if (form.matches("form.quick-form") && tapped) onQuickForm(form, event);
    else if (form.matches("form.session-form")) onSessionForm(form, event);
    else if (form.matches("[data-log-out]")) {
      event.preventDefault();
      store.all().then((all) => {
        const asked = logOutQuestion(all, owner, texts);
        if (!asked || window.confirm(asked)) {
          form.removeAttribute("data-log-out");
          form.submit();
        }
      });
    }
  });
  root.querySelector("[data-queue-retry]").addEventListener("click", sendAll);
  window.addEventListener("online", sendAll);
  window.setInterval(sendAll, 30000);
  render().then(sendAll);
}
