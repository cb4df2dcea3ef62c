/* The desk's clock and dates: the device's clock corrected by the server's (a tablet's clock
   may be off), Dutch time (Europe/Amsterdam) whatever the device's zone, and the dates and
   times a volunteer types (dd-mm-jjjj, uu:mm), read the Dutch way. No DOM here. */

export const ZONE = "Europe/Amsterdam";
const SKEW_KEY = "ido-clock-skew";
const TOLERATED_MS = 2000;  // a clock this close is right: the answer's own travel time

/* How far the device's clock is behind the server's (ms) by an answer's Date header, or null
   when the header cannot be read. Within two seconds counts as right. */
export function skewFrom(dateHeader, deviceNow) {
  const server = Date.parse(dateHeader || "");
  if (Number.isNaN(server)) return null;
  const off = server - deviceNow;
  return Math.abs(off) > TOLERATED_MS ? off : 0;
}

/* The corrected clock: `storage` keeps the skew between pages (localStorage in the browser). */
export function makeClock(storage, deviceNow = () => Date.now()) {
  const skew = () => Number(storage.getItem(SKEW_KEY) || 0);
  return {
    skew,
    learn(dateHeader) {
      const off = skewFrom(dateHeader, deviceNow());
      if (off !== null) storage.setItem(SKEW_KEY, String(off));
    },
    now: () => new Date(deviceNow() + skew()),
  };
}

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit",
});

/* {year, month, day, hour, minute} of a moment in Dutch time, as two-digit strings. */
export function dutch(moment) {
  const found = {};
  for (const part of parts.formatToParts(moment)) found[part.type] = part.value;
  return found;
}

/* The Dutch day (YYYY-MM-DD) of a moment in ISO 8601, or the day itself when given one. */
export function dayOf(iso) {
  if (iso.length === 10) return iso;
  const p = dutch(new Date(iso));
  return `${p.year}-${p.month}-${p.day}`;
}

/* The Dutch time (uu:mm) of a moment; `unknown` for a day alone (its time is not known). */
export function timeOf(iso, unknown) {
  if (!iso || iso.length === 10) return unknown;
  const p = dutch(new Date(iso));
  return `${p.hour}:${p.minute}`;
}

/* A day (YYYY-MM-DD) written the desk's way: dd-mm-jjjj. */
export function dayText(iso) {
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
}

/* A typed date (dd-mm-jjjj with - / . or , between, or jjjj-mm-dd) as YYYY-MM-DD; null for
   anything else (a year of two digits, a month name, a day that does not exist). */
export function typedDay(text) {
  const typed = (text || "").trim();
  const dutchOrder = /^([0-9]{1,2})[-/.,]([0-9]{1,2})[-/.,]([0-9]{4})$/.exec(typed);
  const isoOrder = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(typed);
  let year, month, day;
  if (dutchOrder) [day, month, year] = dutchOrder.slice(1).map(Number);
  else if (isoOrder) [year, month, day] = isoOrder.slice(1).map(Number);
  else return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  check.setUTCFullYear(year);  // Date.UTC reads the years 0 to 99 as 1900 to 1999
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/* A typed time (uu:mm, also uu.mm or uu,mm) as "uu:mm"; null for anything else. */
export function typedTime(text) {
  const found = /^([0-9]{1,2})[:.,]([0-9]{2})$/.exec((text || "").trim());
  if (!found || +found[1] > 23 || +found[2] > 59) return null;
  return `${found[1].padStart(2, "0")}:${found[2]}`;
}

/* A day (YYYY-MM-DD) and a typed time in Dutch time, as the moment in ISO 8601 (UTC); null
   when either cannot be read. A time that does not exist (the hour skipped in March) or
   happens twice (October) is read with the offset before the change, as Python's zoneinfo
   does. */
export function amsterdam(day, typed) {
  const time = typedTime(typed);
  const d = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(day || "");
  if (!time || !d) return null;
  const [hour, minute] = time.split(":").map(Number);
  const wanted = Date.UTC(+d[1], +d[2] - 1, +d[3], hour, minute);
  const offsetAt = (moment) => {
    const p = dutch(new Date(moment));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - moment;
  };
  const HOURS_3 = 3 * 3600 * 1000;
  const before = offsetAt(wanted - HOURS_3), after = offsetAt(wanted + HOURS_3);
  const fits = (offset) => offsetAt(wanted - offset) === offset;
  const offset = fits(before) || !fits(after) ? before : after;
  const moment = wanted - offset;
  return new Date(moment).toISOString();
}
