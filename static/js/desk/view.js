/* What the desk shows: pure functions that work out the texts (tested without a browser),
   and the few that put them on the page. A question row is cloned from the page's
   <template data-row-template>, which the server renders with the same macro as its own rows
   (templates/desk/_row.html): one description of a row. */

import { dayOf, dayText, timeOf } from "./clock.js";
import { summary } from "./queue.js";

const ID_MARK = "00000000-0000-0000-0000-000000000000";  // ido/web/question_rows.py

export const fill = (text, values) =>
  Object.entries(values).reduce((t, [k, v]) => t.replaceAll(`%(${k})s`, String(v)), text);

/* "1 question today" or "N questions today" from the two forms a count element carries. */
export function countText(n, one, many) {
  return n === 1 ? one : fill(many, { n });
}

/* The queue's heading and state: what waits is counted apart from what was refused (which is
   never sent by itself), and sessions' counts apart from questions. */
export function queueView(all, owner, texts) {
  const s = summary(all, owner);
  const said = (n, one, many) => (n ? [fill(n === 1 ? texts[one] : texts[many], { n })] : []);
  const parts = [
    ...said(s.waiting, "waiting_one", "waiting_many"),
    ...said(s.countsWaiting, "counts_waiting_one", "counts_waiting_many"),
    ...said(s.refused, "refused_one", "refused_many"),
    ...said(s.countsRefused, "counts_refused_one", "counts_refused_many"),
  ];
  const heading = parts.length ? parts.join(" · ") : fill(texts.waiting_many, { n: 0 });
  return {
    hidden: all.length === 0, heading, waiting: s.waiting + s.countsWaiting,
    refused: s.refused + s.countsRefused,
    others: s.others, othersText: fill(texts.others, { n: s.others }), login: s.login,
    items: s.mine.map((entry) => queueItem(entry, texts)),
  };
}

/* What logging out asks when something of this person's is not sent yet: the queue's own
   heading (questions one by one, a tap of x N as N, sessions' counts apart), or null. */
export function logOutQuestion(all, owner, texts) {
  const view = queueView(all, owner, texts);
  return view.waiting + view.refused ? fill(texts.log_out, { waiting: view.heading }) : null;
}

/* One line of the queue: when, what, and its state (with the reason of a refusal). A
   session's count is taken out only once refused (a new tap on the tile corrects one that
   waits). */
export function queueItem(entry, texts) {
  if (entry.kind === "attendance") {
    const state = entry.state === "refused" ? "refused" : entry.state === "login" ? "login" : "waiting";
    return {
      id: entry.id, state, deleting: false, fix: false, removable: state === "refused",
      text: `${entry.label} · ${fill(texts.people, { n: entry.count })} · ${texts[state]}${entry.reason ? ": " + entry.reason : ""}`,
      context: entry.label, removeText: texts.remove,
    };
  }
  const deleting = entry.kind === "delete";
  const first = deleting ? null : entry.bodies[0];
  const when = deleting ? texts.undo_waiting : timeOf(first.asked_at, texts.unknown);
  const state = entry.state === "refused" ? "refused" : entry.state === "login" ? "login" : "waiting";
  return {
    id: entry.id, state, deleting,
    text: `${when} · ${entry.label} · ${texts[state]}${entry.reason ? ": " + entry.reason : ""}`,
    context: `${when} ${entry.label}`,
    fix: state === "refused" && !deleting && entry.bodies.length === 1,
    removable: !deleting, removeText: state === "refused" ? texts.remove : texts.undo,
  };
}

/* What a session's tile says of its count: the latest waiting in the queue (sent or refused
   later), else what the server said (`stored`). */
export function tileText(entry, stored, texts) {
  if (!entry) return stored;
  const key = entry.state === "refused" ? "people_refused" : "people_waiting";
  return fill(texts[key], { n: entry.count });
}

/* The latest count in the queue per session. */
export function latestCounts(all) {
  const latest = new Map();
  for (const e of all) {
    if (e.kind !== "attendance") continue;
    const kept = latest.get(e.session);
    if (!kept || kept.loggedAt <= e.loggedAt) latest.set(e.session, e);
  }
  return latest;
}

/* What the confirmation says after a tap: queued, or stored, with "x N", and the day when it
   is not today. */
export function confirmation(entry, texts, { today, arrived }) {
  const first = entry.bodies[0].asked_at;
  const day = dayOf(first);
  const when = [day !== today ? dayText(day) : "", first.length === 10 ? "" : timeOf(first, "")]
    .filter(Boolean).join(" ");
  const what = entry.label + (when ? ` · ${when}` : "");
  return arrived ? { strong: `${texts.saved}:`, text: ` ${what}` } : { strong: "", text: fill(texts.queued, { topics: what }) };
}

/* The cells of a new row in a list, from what the server stored. */
export function rowCells(stored, entry, texts) {
  return {
    time: timeOf(stored.asked_at, texts.unknown),
    topics: entry.topicLabel || entry.label,
    referrals: entry.referrals || "–",
    who: texts.you,
  };
}

/* ---- on the page ---- */

/* A row for a stored question, from the page's template; null when the page has none. */
export function makeRow(doc, stored, cells) {
  const template = doc.querySelector("template[data-row-template]");
  if (!template) return null;
  const row = template.content.firstElementChild.cloneNode(true);
  row.setAttribute("data-row-id", stored.id);
  for (const el of row.querySelectorAll("[data-fill]")) el.textContent = cells[el.getAttribute("data-fill")] ?? "";
  for (const el of row.querySelectorAll("[href], [action]")) {
    for (const name of ["href", "action"]) {
      if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).replace(ID_MARK, stored.id));
    }
  }
  return row;
}

/* Every count on the page (elements with data-count) moves by `delta`, and a list that
   becomes empty or stops being empty says so. */
export function moveCounts(doc, delta) {
  for (const el of doc.querySelectorAll("[data-count]")) {
    const n = Math.max(0, Number(el.getAttribute("data-count")) + delta);
    el.setAttribute("data-count", String(n));
    el.textContent = countText(n, el.getAttribute("data-one"), el.getAttribute("data-many"));
  }
  const rows = doc.querySelector("[data-today-rows]");
  if (!rows) return;
  const shown = doc.querySelector("[data-today-shown]");  // "the latest N of M" on a busy day
  if (shown) shown.textContent = String(rows.children.length);
  const empty = rows.children.length === 0;
  const table = doc.querySelector("[data-today-table]");
  if (table) table.hidden = empty;
  const none = doc.querySelector("[data-today-none]");
  if (none) none.hidden = !empty;
}

/* A stored question into the list it belongs to (the list is of one branch and one day). */
export function addRow(doc, stored, entry, texts, today) {
  const body = doc.querySelector("[data-today-rows]");
  if (!body || stored.branch !== entry.branch) return false;
  if (dayOf(stored.asked_at) !== (body.getAttribute("data-day") || today)) return false;
  if (body.querySelector(`[data-row-id="${stored.id}"]`)) return false;
  const row = makeRow(doc, stored, rowCells(stored, entry, texts));
  if (!row) return false;
  body.insertBefore(row, body.firstChild);
  moveCounts(doc, +1);
  return true;
}

/* Each session tile says its count: what waits in the queue, else what the server stored
   (kept in data-stored: the page's own text, or a count that arrived since). */
export function showCounts(doc, all, texts) {
  const latest = latestCounts(all);
  for (const tile of doc.querySelectorAll("[data-session-id]")) {
    const count = tile.querySelector("[data-session-count]");
    if (!("stored" in count.dataset)) count.dataset.stored = count.textContent;
    count.textContent = tileText(latest.get(Number(tile.dataset.sessionId)), count.dataset.stored, texts);
  }
}

/* The rows of questions taken back leave the list, and the counts go down with them. */
export function removeRows(doc, ids) {
  let removed = 0;
  for (const id of ids) {
    const row = doc.querySelector(`[data-today-rows] [data-row-id="${id}"]`);
    if (row) { row.remove(); removed++; }
  }
  if (removed) moveCounts(doc, -removed);
  return removed;
}

/* A small button for an entry ("Ongedaan maken", "Aanpassen"), named for screen readers with
   the entry it acts on. */
export function smallButton(doc, text, context, cls, action) {
  const b = doc.createElement("button");
  b.type = "button";
  b.className = "button small" + (cls ? " " + cls : "");
  b.textContent = text;
  const hidden = doc.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = " " + context;
  b.appendChild(hidden);
  b.addEventListener("click", action);
  return b;
}
