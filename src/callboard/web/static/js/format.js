// Durations and times as people read them, in the page's language and the center's zone:
// "1 h 55 min", not "6929s"; 09:00 in Berlin for a Berlin center, whatever the browser's zone.
import { t } from "/static/js/api.js";

const lang = document.documentElement.lang;
// English screens read day-month and a 24-hour clock, as the centers' staff do;
// the other languages use their own locale's forms.
const LOCALE = lang === "en" ? "en-GB" : lang;

/** Seconds in words: "45 s", "12 min", "1 h 55 min", "2 d 3 h"; a dash for nothing. */
export function spokenDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return t(h ? "format.d_h" : "format.d", { d, h });
  if (h) return t(m ? "format.h_min" : "format.h", { h, m });
  if (m) return t(s % 60 && m < 10 ? "format.min_s" : "format.min", { m, s: s % 60 });
  return t("format.s", { s });
}

/** An instant (ISO text or POSIX seconds) as a date and time in `zone`, in the locale's form. */
export function localDateTime(at, zone) {
  return new Intl.DateTimeFormat(LOCALE, { timeZone: zone, dateStyle: "short", timeStyle: "medium" })
    .format(instant(at));
}

/** An instant as a time of day in `zone`: "09:02:30". */
export function localTime(at, zone) {
  return new Intl.DateTimeFormat(LOCALE, { timeZone: zone, timeStyle: "medium" }).format(instant(at));
}

function instant(at) {
  return typeof at === "number" ? new Date(at * 1000) : new Date(at);
}

// The plural categories a catalog text lists its forms in, "|"-separated ("1 row|{count} rows").
const PLURAL_ORDER = ["zero", "one", "two", "few", "many", "other"];
const plurals = new Intl.PluralRules(lang);
const categories = PLURAL_ORDER.filter((c) => plurals.resolvedOptions().pluralCategories.includes(c));

/** The catalog text of `key` in the form its language uses for `count`: "1 row", "3 rows";
 *  Russian "1 строка", "3 строки", "5 строк". */
export function plural(key, count) {
  const forms = t(key, { count }).split("|");
  const index = categories.indexOf(plurals.select(count));
  return forms[Math.min(index, forms.length - 1)] ?? forms.at(-1);
}

/** "Mon", "Tue"...: an ISO weekday (1 = Monday) in the page's language. */
export function weekday(isoDay) {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(LOCALE, { weekday: "short", timeZone: "UTC" })
    .format(new Date(Date.UTC(2024, 0, isoDay)));
}
