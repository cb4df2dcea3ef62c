import { test } from "node:test";
import assert from "node:assert/strict";
import { attendanceEntry, saveEntry } from "../../static/js/desk/queue.js";
import { confirmation, countText, latestCounts, logOutQuestion, moveCounts, queueItem, queueView, rowCells, tileText } from "../../static/js/desk/view.js";

const texts = {
  waiting_one: "1 vraag wacht op verzending", waiting_many: "%(n)s vragen wachten op verzending",
  refused_one: "1 vraag geweigerd", refused_many: "%(n)s vragen geweigerd",
  others: "%(n)s vragen van iemand anders", waiting: "wacht", refused: "geweigerd",
  login: "log opnieuw in", undo_waiting: "ongedaan maken", unknown: "onbekend", fix: "Aanpassen",
  remove: "Verwijderen", undo: "Ongedaan maken", saved: "Opgeslagen",
  queued: "Opgeslagen op dit apparaat: %(topics)s. Wordt verzonden…", you: "uzelf",
  people: "%(n)s mensen", people_waiting: "%(n)s mensen (nog niet verzonden)", people_refused: "%(n)s mensen (geweigerd)",
  counts_waiting_one: "1 telling wacht op verzending", counts_waiting_many: "%(n)s tellingen wachten op verzending",
  counts_refused_one: "1 telling geweigerd", counts_refused_many: "%(n)s tellingen geweigerd",
};
const tap = (n, asked_at, extra = {}) => ({
  ...saveEntry({
    id: `t${n}`, owner: "u1", branch: "a1", times: n, loggedAt: 1,
    label: `Toeslagen${n > 1 ? ` × ${n}` : ""}`,
    bodies: Array.from({ length: n }, (_, i) => ({ id: `q${i}`, asked_at })),
  }),
  ...extra,
});

test("the count says one or many", () => {
  assert.equal(countText(1, "1 vraag vandaag", "%(n)s vragen vandaag"), "1 vraag vandaag");
  assert.equal(countText(0, "1 vraag vandaag", "%(n)s vragen vandaag"), "0 vragen vandaag");
  assert.equal(countText(13, "1 vraag vandaag", "%(n)s vragen vandaag"), "13 vragen vandaag");
});

test("the queue's heading counts waiting questions and refused ones apart", () => {
  const at = "2026-12-07T13:30:00Z";
  assert.equal(queueView([tap(5, at)], "u1", texts).heading, "5 vragen wachten op verzending");
  const refused = tap(1, at, { id: "r", state: "refused", reason: "Een telefoonnummer." });
  const onlyRefused = queueView([refused], "u1", texts);
  assert.equal(onlyRefused.heading, "1 vraag geweigerd");  // never "waiting", never "sent"
  assert.equal(onlyRefused.waiting, 0);
  assert.equal(queueView([tap(1, at), refused], "u1", texts).heading, "1 vraag wacht op verzending · 1 vraag geweigerd");
  const empty = queueView([], "u1", texts);
  assert.equal(empty.hidden, true);
  assert.equal(queueView([{ ...tap(2, at), owner: "u2" }], "u1", texts).othersText, "2 vragen van iemand anders");
});

test("a queued line says when, what and its state; a refused one offers Aanpassen", () => {
  const waiting = queueItem(tap(5, "2026-12-04"), texts);
  assert.equal(waiting.text, "onbekend · Toeslagen × 5 · wacht");
  assert.equal(waiting.fix, false);
  assert.equal(waiting.removeText, "Ongedaan maken");
  const refused = queueItem(tap(1, "2026-12-07T13:30:00Z", { state: "refused", reason: "Een telefoonnummer." }), texts);
  assert.equal(refused.text, "14:30 · Toeslagen · geweigerd: Een telefoonnummer.");
  assert.equal(refused.state, "refused");
  assert.equal(refused.fix, true);
  assert.equal(refused.removeText, "Verwijderen");
  const undo = queueItem({ id: "undo:t", kind: "delete", label: "DigiD", questions: ["q"], done: [], state: "waiting" }, texts);
  assert.equal(undo.text, "ongedaan maken · DigiD · wacht");
  assert.equal(undo.deleting, true);
});

test("the confirmation names × N, and the day when it is not today", () => {
  const paper = tap(5, "2026-12-04");
  assert.deepEqual(confirmation(paper, texts, { today: "2026-12-07", arrived: true }),
    { strong: "Opgeslagen:", text: " Toeslagen × 5 · 04-12-2026" });
  assert.deepEqual(confirmation(paper, texts, { today: "2026-12-07", arrived: false }),
    { strong: "", text: "Opgeslagen op dit apparaat: Toeslagen × 5 · 04-12-2026. Wordt verzonden…" });
  const now = tap(1, "2026-12-07T13:30:00Z");
  assert.equal(confirmation(now, texts, { today: "2026-12-07", arrived: true }).text, " Toeslagen · 14:30");
});

test("a new row's cells: Dutch time, the topic without × N, who in words", () => {
  const entry = { ...tap(5, "2026-12-04"), topicLabel: "Toeslagen" };
  assert.deepEqual(rowCells({ id: "q0", asked_at: "2026-12-04" }, entry, texts),
    { time: "onbekend", topics: "Toeslagen", referrals: "–", who: "uzelf" });
  const desk = { ...tap(1, "x"), label: "DigiD, DigiD activeren", referrals: "Logius" };
  assert.deepEqual(rowCells({ id: "q0", asked_at: "2026-12-07T08:05:00Z" }, desk, texts),
    { time: "09:05", topics: "DigiD, DigiD activeren", referrals: "Logius", who: "uzelf" });
});

/* Just enough of a page for moveCounts: elements by selector, attributes, text, hidden. */
function fakePage({ rows, counts }) {
  const element = (attributes = {}) => ({
    attributes: { ...attributes }, textContent: "", hidden: false,
    getAttribute(name) { return this.attributes[name] ?? null; },
    setAttribute(name, value) { this.attributes[name] = value; },
  });
  const found = {
    "[data-today-rows]": { children: { length: rows } },
    "[data-today-shown]": element(),
    "[data-today-table]": element(),
    "[data-today-none]": element(),
  };
  const counted = counts.map((n) => element({ "data-count": String(n), "data-one": "1 vraag", "data-many": "%(n)s vragen" }));
  return {
    found, counted,
    querySelector: (selector) => found[selector] ?? null,
    querySelectorAll: (selector) => (selector === "[data-count]" ? counted : []),
  };
}

test("a save moves every count, and the busy day's 'latest N of M' with it", () => {
  const page = fakePage({ rows: 21, counts: [25, 25] });  // the heading's and the line's
  moveCounts(page, +1);
  assert.deepEqual(page.counted.map((e) => e.textContent), ["26 vragen", "26 vragen"]);
  assert.equal(page.found["[data-today-shown]"].textContent, "21");
  assert.equal(page.found["[data-today-table]"].hidden, false);
  assert.equal(page.found["[data-today-none]"].hidden, true);
});

test("an undo that empties the list shows the line that says so, and no count goes below 0", () => {
  const page = fakePage({ rows: 0, counts: [0] });
  moveCounts(page, -1);
  assert.equal(page.counted[0].textContent, "0 vragen");
  assert.equal(page.found["[data-today-table]"].hidden, true);
  assert.equal(page.found["[data-today-none]"].hidden, false);
});

const counted = (id, session, n, extra = {}) => ({
  ...attendanceEntry({ id, owner: "u1", branch: "a1", session, count: n, name: "Digicafé", label: "Digicafé, maandag 7 dec., 09:00–11:00", loggedAt: 2 }),
  ...extra,
});

test("the queue's heading names sessions' counts apart, and a refused one offers Verwijderen only", () => {
  const at = "2026-12-07T13:30:00Z";
  assert.equal(queueView([counted("c", 12, 7)], "u1", texts).heading, "1 telling wacht op verzending");
  const refused = counted("r", 13, 4, { state: "refused", reason: "Deze bijeenkomst is geannuleerd." });
  const view = queueView([tap(1, at), counted("c", 12, 7), counted("d", 14, 2), refused], "u1", texts);
  assert.equal(view.heading, "1 vraag wacht op verzending · 2 tellingen wachten op verzending · 1 telling geweigerd");
  assert.equal(view.waiting, 3);
  assert.equal(view.refused, 1);
  const waiting = queueItem(counted("c", 12, 7), texts);
  assert.equal(waiting.text, "Digicafé, maandag 7 dec., 09:00–11:00 · 7 mensen · wacht");
  assert.equal(waiting.removable, false);  // a new tap on the tile corrects it
  const line = queueItem(refused, texts);
  assert.equal(line.text, "Digicafé, maandag 7 dec., 09:00–11:00 · 4 mensen · geweigerd: Deze bijeenkomst is geannuleerd.");
  assert.equal(line.state, "refused");
  assert.equal(line.fix, false);
  assert.equal(line.removable, true);
  assert.equal(line.removeText, "Verwijderen");
});

test("a tile says the count waiting in the queue, refused, or what the server stored", () => {
  assert.equal(tileText(null, "Nog niet geteld", texts), "Nog niet geteld");
  assert.equal(tileText(counted("c", 12, 7), "Nog niet geteld", texts), "7 mensen (nog niet verzonden)");
  assert.equal(tileText(counted("c", 12, 7, { state: "login" }), "3 mensen", texts), "7 mensen (nog niet verzonden)");
  assert.equal(tileText(counted("c", 12, 0, { state: "refused" }), "3 mensen", texts), "0 mensen (geweigerd)");
  const latest = latestCounts([counted("a", 12, 7, { loggedAt: 5 }), counted("b", 12, 8, { loggedAt: 4 }), tap(1, "2026-12-07")]);
  assert.deepEqual([...latest.keys()], [12]);
  assert.equal(latest.get(12).count, 7);
});

test("logging out names what is not sent yet as the queue does: x 5 as five, counts apart", () => {
  const asks = { ...texts, log_out: "Nog niet verzonden vanaf dit apparaat: %(waiting)s. Uitloggen?" };
  const count = attendanceEntry({ id: "c1", owner: "u1", branch: "a1", session: 9, count: 7, name: "Digicafé", label: "Digicafé", loggedAt: 2 });
  const all = [tap(5, "2026-12-07T13:30:00Z"), count, { ...tap(1, "2026-12-07T13:31:00Z"), id: "o", owner: "u2" }];
  assert.equal(
    logOutQuestion(all, "u1", asks),
    "Nog niet verzonden vanaf dit apparaat: 5 vragen wachten op verzending · 1 telling wacht op verzending. Uitloggen?",
  );
  assert.equal(logOutQuestion(all, "u3", asks), null);  // nothing of this person's: no question
});
