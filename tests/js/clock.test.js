import { test } from "node:test";
import assert from "node:assert/strict";
import { amsterdam, dayOf, dayText, makeClock, skewFrom, timeOf, typedDay, typedTime } from "../../static/js/desk/clock.js";
import { cases } from "./support.js";

test("typed days are read the Dutch way, as the server reads them", () => {
  for (const { typed, day } of cases.days) assert.equal(typedDay(typed), day, JSON.stringify(typed));
});

test("typed times are read as the server reads them", () => {
  for (const { typed, time } of cases.times) assert.equal(typedTime(typed), time, JSON.stringify(typed));
});

test("a day and a time are a moment in Dutch time, also on the days the clocks change", () => {
  for (const { day, time, utc, why } of cases.moments) {
    assert.equal(amsterdam(day, time), new Date(utc).toISOString(), why);
  }
  assert.equal(amsterdam("2026-11-20", "25:00"), null);
  assert.equal(amsterdam("20-11-2026", "14:30"), null);  // the day must be read first
});

test("moments are shown in Dutch time whatever the device's zone", () => {
  assert.equal(timeOf("2026-07-01T12:30:00Z", "?"), "14:30");
  assert.equal(timeOf("2026-11-20T23:30:00Z", "?"), "00:30");
  assert.equal(dayOf("2026-11-20T23:30:00Z"), "2026-11-21");
  assert.equal(timeOf("2026-11-20", "onbekend"), "onbekend");  // a day alone: time unknown
  assert.equal(dayOf("2026-11-20"), "2026-11-20");
  assert.equal(dayText("2026-11-20"), "20-11-2026");
});

test("the clock is corrected by the server's Date header, beyond two seconds", () => {
  const device = Date.parse("2026-12-07T10:00:00Z");
  assert.equal(skewFrom("Mon, 07 Dec 2026 10:10:00 GMT", device), 600_000);
  assert.equal(skewFrom("Mon, 07 Dec 2026 09:50:00 GMT", device), -600_000);
  assert.equal(skewFrom("Mon, 07 Dec 2026 10:00:01 GMT", device), 0);  // its travel time
  assert.equal(skewFrom("", device), null);
  assert.equal(skewFrom("not a date", device), null);
});

test("the corrected clock keeps its skew between pages and ignores an unreadable header", () => {
  const kept = new Map();
  const storage = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) };
  const device = Date.parse("2026-12-07T10:10:00Z");  // ten minutes fast
  const clock = makeClock(storage, () => device);
  assert.equal(clock.now().toISOString(), "2026-12-07T10:10:00.000Z");
  clock.learn("Mon, 07 Dec 2026 10:00:00 GMT");
  assert.equal(clock.now().toISOString(), "2026-12-07T10:00:00.000Z");
  clock.learn(null);
  assert.equal(makeClock(storage, () => device).now().toISOString(), "2026-12-07T10:00:00.000Z");
});
