/**
 * The scoring runtime as JavaScript source text: the helpers every compiled scorer calls to read
 * a lead's values, coerce them to their declared types, parse dates, weigh decayed events and
 * build explanations.
 *
 * It is source text (not TypeScript functions) because the very same text runs in two places:
 * in-process (instantiated once by `runtime.ts` with `new Function`) and inlined into the
 * standalone modules `emitModule` writes, which must run with no dependency. One text, one
 * meaning. The text must not contain backticks or dollar-brace sequences (it lives in a
 * `String.raw` template).
 *
 * Value rules (LANGUAGE.md, "Values in lead and event data"; docs/language.md §4), as implemented
 * here. "Trimmed" is folding's trim set (space, tab, CR, LF, U+00A0). A descriptor may carry the
 * slot's placeholders (`missing`, a Set of folded values) and the file's `data` dialect
 * (`dialect`: number format, date order, extra bool words); without them the plain reading applies.
 * - reading: only own properties of non-array objects; a literal dotted key (`"company.size"`)
 *   wins over the nested path (`company: {size}`) whenever it is an own property, whatever its
 *   value; a getter or proxy trap that throws makes the value missing (never an exception).
 * - placeholders: a string whose folded form is one of the slot's placeholders is missing and
 *   never reported, for every type (in a list, such items are dropped).
 * - `number`: a finite number, or a string, trimmed, matching `[+-]?\d+(\.\d+)?` (plain),
 *   `[+-]?(\d{1,3}([ \u00A0\u202F.]\d{3})+|\d+)(,\d+)?` (decimal comma) or
 *   `[+-]?(\d{1,3}([ ,\u00A0\u202F]\d{3})+|\d+)(\.\d+)?` (decimal point), separators dropped,
 *   whose value is finite (no exponent).
 * - `bool`: a boolean, or a string folding to true/yes/1 or a true word (true), else false/no/0
 *   or a false word (false). The numbers 1 and 0 are the wrong type, like any number for text.
 * - `date`: a valid Date (any realm), or text, trimmed: ISO 8601 `YYYY-MM-DD` (00:00Z) or
 *   `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]][Z|±HH[:MM]]` (no zone = UTC; 1 to 9 fraction digits,
 *   kept to the millisecond); with a day-first or month-first order also `D/M/YYYY` (or `-`,
 *   `.`, the same separator twice; 1 or 2 digits for D and M) optionally followed by a space or
 *   `T` and `HH:MM[:SS]`, UTC. The date must exist. Instants are epoch MILLISECONDS (exact
 *   integers), so sub-second data compares exactly. An event's `at` follows the date order too.
 * - `text`: a string, folded; blank text is missing. Numbers are the wrong type.
 * - `one of`: a string whose folded form is one of the set; otherwise wrong type.
 * - `list`: an array whose elements are all strings (folded); or a string split on `;` and `|`
 *   (items folded, blank items dropped). An empty list is missing (never reported); with an
 *   array, any non-string element makes the whole value the wrong type.
 * - Absent, null, undefined and blank strings are missing for every type and never reported;
 *   any other value that does not fit is the wrong type: missing, and reported by
 *   explain/validate as an `InvalidValue`.
 */

/**
 * Defines `createRuntime(fold)`, returning the helper object. `fold` is the text-folding
 * function (in-process: `runtime/fold.ts`; standalone: the table fold below).
 */
export const RUNTIME_SOURCE = String.raw`
function createRuntime(foldText) {
  "use strict";
  var hasOwn = Object.prototype.hasOwnProperty;
  var isArray = Array.isArray;
  var dateGetTime = Date.prototype.getTime;
  var floor = Math.floor;
  var abs = Math.abs;
  var pow = Math.pow;
  var dateNow = Date.now;
  var DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  var NO_EVENTS = Object.freeze([]);
  // What scoreAndValidate and validateEvent return when nothing is invalid (the usual case).
  var NO_INVALID = Object.freeze([]);
  var EVENTS_FIELD = { key: "events", parts: ["events"], name: "events", expected: "list of events" };

  function isTrimmed(c) {
    return c === 32 || c === 9 || c === 13 || c === 10 || c === 160;
  }

  // Folding allocates a new string; text already in folded form (lowercase ASCII, nothing to
  // trim: most data) is returned as is, so reading it allocates nothing.
  function fold(s) {
    var n = s.length;
    if (n === 0) return s;
    if (isTrimmed(s.charCodeAt(0)) || isTrimmed(s.charCodeAt(n - 1))) return foldText(s);
    for (var i = 0; i < n; i++) {
      var c = s.charCodeAt(i);
      if ((c >= 65 && c <= 90) || c > 127) return foldText(s);
    }
    return s;
  }

  function isBlank(s) {
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 160) return false;
    }
    return true;
  }

  // -?\d+(\.\d+)? exactly.
  function isNumeric(s) {
    var n = s.length, i = 0;
    if (n > 0 && s.charCodeAt(0) === 45) i = 1;
    var start = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
    if (i === n) return true;
    if (s.charCodeAt(i) !== 46) return false;
    i++;
    start = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    return i > start && i === n;
  }

  // Two decimal digits at i as a number, or -1 (past the end, charCodeAt is NaN: also -1).
  function twoDigits(s, i) {
    var a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  }

  function isLeapYear(y) {
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  }

  // Days before the first of each month (1-12) in a common year.
  var DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

  /**
   * Days from 1970-01-01 of a valid calendar date of a four-digit year (0 to 9999), in int32
   * arithmetic: the float divisions and floors of H. Hinnant's days_from_civil, used before, were
   * about a tenth of parsing an event time (issue 13). The leap days before the year (before the
   * previous one for January and February) are counted from 400 years earlier (97 per 400 years)
   * so every quotient is of a positive number and truncation is the floor. A test compares parseIsoDate with the
   * Date built-ins on every day of years 0 to 9999.
   */
  function dayNumber(y, mo, d) {
    var z = (mo <= 2 ? y - 1 : y) + 400;
    return y * 365 + ((z / 4) | 0) - ((z / 100) | 0) + ((z / 400) | 0) - 97 + DAYS_BEFORE_MONTH[mo] + d - 719528;
  }

  function daysInMonth(y, mo) {
    return mo === 2 ? (isLeapYear(y) ? 29 : 28) : DAYS_IN_MONTH[mo - 1];
  }

  /**
   * ISO 8601 text to epoch milliseconds, or NaN when it is not a real instant. The two forms
   * most data holds, \u0060YYYY-MM-DDTHH:MM:SSZ\u0060 (20 characters) and \u0060YYYY-MM-DD\u0060 (10), are read
   * here in straight-line code with no call in between (parsing event times is about a third of
   * scoring an event-heavy file, and each call returning an instant boxes it): each c is a
   * character minus "0", all are digits when their OR has no bit above 15 and their OR after
   * adding 6 stays below 16. Any other text, or one of these lengths not in that shape, is read
   * by parseIsoText, which decides alone (these paths only take the texts it reads the same way).
   */
  function parseIsoDate(s) {
    var len = s.length;
    if (len === 20) {
      if (s.charCodeAt(19) !== 90) return parseIsoText(s);
    } else if (len !== 10) {
      return parseIsoText(s);
    }
    var a0 = s.charCodeAt(0) - 48, a1 = s.charCodeAt(1) - 48, a2 = s.charCodeAt(2) - 48, a3 = s.charCodeAt(3) - 48;
    var m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
    if (((a0 | a1 | a2 | a3 | m0 | m1 | d0 | d1) & ~15) !== 0 ||
        ((a0 + 6) | (a1 + 6) | (a2 + 6) | (a3 + 6) | (m0 + 6) | (m1 + 6) | (d0 + 6) | (d1 + 6)) >= 16 ||
        s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) {
      return parseIsoText(s);
    }
    var y = a0 * 1000 + a1 * 100 + a2 * 10 + a3, mo = m0 * 10 + m1, d = d0 * 10 + d1;
    if (mo < 1 || mo > 12 || d < 1 || (d > 28 && d > daysInMonth(y, mo))) return NaN;
    if (len === 10) return dayNumber(y, mo, d) * 86400000;
    var h0 = s.charCodeAt(11) - 48, h1 = s.charCodeAt(12) - 48, i0 = s.charCodeAt(14) - 48, i1 = s.charCodeAt(15) - 48;
    var s0 = s.charCodeAt(17) - 48, s1 = s.charCodeAt(18) - 48;
    if (((h0 | h1 | i0 | i1 | s0 | s1) & ~15) !== 0 || ((h0 + 6) | (h1 + 6) | (i0 + 6) | (i1 + 6) | (s0 + 6) | (s1 + 6)) >= 16 ||
        s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
      return parseIsoText(s);
    }
    var h = h0 * 10 + h1, mi = i0 * 10 + i1, se = s0 * 10 + s1;
    if (h > 23 || mi > 59 || se > 59) return NaN;
    return dayNumber(y, mo, d) * 86400000 + (h * 3600000 + mi * 60000 + se * 1000);
  }

  /** parseIsoDate for every form: the general reading, one character at a time. */
  function parseIsoText(s) {
    var len = s.length;
    if (len < 10) return NaN;
    var y1 = twoDigits(s, 0), y2 = twoDigits(s, 2);
    if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
    var y = y1 * 100 + y2;
    var mo = twoDigits(s, 5);
    if (mo < 1 || mo > 12) return NaN;
    var d = twoDigits(s, 8);
    if (d < 1 || d > daysInMonth(y, mo)) return NaN;
    var day = dayNumber(y, mo, d) * 86400000;
    if (len === 10) return day;
    if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return NaN;
    var h = twoDigits(s, 11);
    if (h < 0 || h > 23) return NaN;
    var mi = twoDigits(s, 14);
    if (mi < 0 || mi > 59) return NaN;
    var ms = h * 3600000 + mi * 60000;
    var i = 16;
    if (s.charCodeAt(16) === 58) {
      var se = twoDigits(s, 17);
      if (se < 0 || se > 59) return NaN;
      ms += se * 1000;
      i = 19;
      if (s.charCodeAt(19) === 46) {
        // 1 to 9 fraction digits, kept to the millisecond.
        i = 20;
        var fraction = 0;
        while (i < len && i < 29) {
          var c = s.charCodeAt(i) - 48;
          if (!(c >= 0 && c <= 9)) break;
          if (i < 23) fraction += c * (i === 20 ? 100 : i === 21 ? 10 : 1);
          i++;
        }
        if (i === 20) return NaN;
        ms += fraction;
      }
    }
    if (i < len) {
      var z = s.charCodeAt(i);
      if (z === 90) {
        i++;
      } else if (z === 43 || z === 45) {
        var oh = twoDigits(s, i + 1);
        if (oh < 0 || oh > 23) return NaN;
        i += 3;
        var om = 0;
        if (i < len) {
          if (s.charCodeAt(i) === 58) i++;
          om = twoDigits(s, i);
          if (om < 0 || om > 59) return NaN;
          i += 2;
        }
        var offset = (oh * 60 + om) * 60000;
        ms += z === 43 ? -offset : offset;
      } else {
        return NaN;
      }
      if (i !== len) return NaN;
    }
    return day + ms;
  }

  /**
   * A date written as text, to epoch milliseconds (NaN when it is not a real instant): ISO 8601
   * as parseIsoDate reads it (the common case, no copy), else trimmed and with a space instead of
   * the \u0060T\u0060; with \u0060order\u0060 1 (day first) or 2 (month first) also D/M/YYYY [HH:MM[:SS]].
   */
  function textDate(s, order) {
    var r = parseIsoDate(s);
    return r === r ? r : looseDate(s, order);
  }

  /** textDate's second chance, after parseIsoDate said NaN. */
  function looseDate(s, order) {
    var t = trimText(s);
    var iso = t;
    if (t.length > 10 && t.charCodeAt(10) === 32) iso = t.slice(0, 10) + "T" + t.slice(11);
    if (iso !== s) {
      var r = parseIsoDate(iso);
      if (r === r) return r;
    }
    return order === 0 ? NaN : orderedDate(t, order);
  }

  // One or two digits at i: [value, next index], packed as value * 4 + (digits), or -1.
  function shortNumber(s, i) {
    var a = s.charCodeAt(i) - 48;
    if (!(a >= 0 && a <= 9)) return -1;
    var b = s.charCodeAt(i + 1) - 48;
    return b >= 0 && b <= 9 ? (a * 10 + b) * 4 + 2 : a * 4 + 1;
  }

  /**
   * D/M/YYYY (order 1) or M/D/YYYY (order 2), the separator "/", "-" or "." used twice, then
   * optionally a space or T and HH:MM or HH:MM:SS; UTC. NaN unless the date and time exist.
   */
  function orderedDate(t, order) {
    var n = t.length;
    var p = shortNumber(t, 0);
    if (p < 0) return NaN;
    var first = p >> 2, i = p & 3;
    var sep = t.charCodeAt(i);
    if (sep !== 47 && sep !== 45 && sep !== 46) return NaN;
    p = shortNumber(t, i + 1);
    if (p < 0) return NaN;
    var second = p >> 2;
    i += 1 + (p & 3);
    if (t.charCodeAt(i) !== sep) return NaN;
    var y1 = twoDigits(t, i + 1), y2 = twoDigits(t, i + 3);
    if (y1 < 0 || y2 < 0) return NaN;
    var y = y1 * 100 + y2;
    i += 5;
    var d = order === 1 ? first : second, mo = order === 1 ? second : first;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
    var ms = 0;
    if (i < n) {
      var c = t.charCodeAt(i);
      if (c !== 32 && c !== 84) return NaN;
      var h = twoDigits(t, i + 1);
      if (h < 0 || h > 23 || t.charCodeAt(i + 3) !== 58) return NaN;
      var mi = twoDigits(t, i + 4);
      if (mi < 0 || mi > 59) return NaN;
      ms = h * 3600000 + mi * 60000;
      i += 6;
      if (i < n) {
        if (t.charCodeAt(i) !== 58) return NaN;
        var se = twoDigits(t, i + 1);
        if (se < 0 || se > 59) return NaN;
        ms += se * 1000;
        i += 3;
      }
      if (i !== n) return NaN;
    }
    return dayNumber(y, mo, d) * 86400000 + ms;
  }

  /** A date value (a Date, or text read by textDate with \u0060order\u0060) to epoch milliseconds, or NaN. */
  function toInstant(v, order) {
    if (typeof v === "string") {
      // textDate inlined by hand: one call fewer on the common path (ISO text).
      var r = parseIsoDate(v);
      return r === r ? r : looseDate(v, order);
    }
    return typeof v === "object" && v !== null ? toEpochMillis(v) : NaN;
  }

  /** A Date (any realm) or ISO text to epoch milliseconds; NaN for anything else. */
  function toEpochMillis(v) {
    if (typeof v === "string") return parseIsoDate(v);
    if (typeof v === "object" && v !== null) {
      var ms;
      try {
        ms = dateGetTime.call(v);
      } catch (e) {
        return NaN;
      }
      return ms;
    }
    return NaN;
  }

  function toNumber(v) {
    if (typeof v === "number") return v - v === 0 ? v : NaN;
    if (typeof v === "string") return textNumber(v, true);
    return NaN;
  }

  // The plain reading of a number written as text: -?\d+(\.\d+)? exactly (the common case, no
  // copy), else, when \u0060loose\u0060, the same after trimming and dropping one leading "+" (as CSV
  // cells are written). Whole numbers of up to 15 digits are accumulated while checking (exact:
  // below 2^53); the rest goes through \u0060+s\u0060. NaN when it is not a finite number.
  function textNumber(s, loose) {
    var n = s.length, i = 0, negative = false, x = 0, c;
    if (n > 0 && s.charCodeAt(0) === 45) {
      negative = true;
      i = 1;
    }
    var start = i;
    while (i < n) {
      c = s.charCodeAt(i) - 48;
      if (!(c >= 0 && c <= 9)) break;
      x = x * 10 + c;
      i++;
    }
    if (i === start) return loose ? looseNumber(s) : NaN;
    if (i === n && i - start <= 15) return negative ? -x : x;
    if (i < n) {
      if (s.charCodeAt(i) !== 46) return loose ? looseNumber(s) : NaN;
      i++;
      var fraction = i;
      while (i < n) {
        c = s.charCodeAt(i) - 48;
        if (!(c >= 0 && c <= 9)) break;
        i++;
      }
      if (i === fraction || i !== n) return loose ? looseNumber(s) : NaN;
    }
    var y = +s;
    return y - y === 0 ? y : NaN;
  }

  // textNumber's second chance: trimmed, one leading "+" dropped. Most text that is not a number
  // has nothing to trim and no "+", which is told without a copy.
  function looseNumber(s) {
    var n = s.length;
    if (n === 0) return NaN;
    var c = s.charCodeAt(0);
    if (c !== 43 && !isTrimmed(c) && !isTrimmed(s.charCodeAt(n - 1))) return NaN;
    var t = trimText(s);
    if (t.charCodeAt(0) === 43) {
      c = t.charCodeAt(1) - 48;
      if (!(c >= 0 && c <= 9)) return NaN;
      t = t.slice(1);
    } else if (t === s) {
      return NaN;
    }
    return textNumber(t, false);
  }

  /** s without folding's trim characters at either end (s itself when there are none). */
  function trimText(s) {
    var start = 0, end = s.length;
    while (start < end && isTrimmed(s.charCodeAt(start))) start++;
    while (end > start && isTrimmed(s.charCodeAt(end - 1))) end--;
    return start === 0 && end === s.length ? s : s.slice(start, end);
  }

  /**
   * A number written with groups of thousands, trimmed: \u0060format\u0060 1 is decimal comma
   * ([+-]?(\d{1,3}([ \u00A0\u202F.]\d{3})+|\d+)(,\d+)?), 2 decimal point
   * ([+-]?(\d{1,3}([ ,\u00A0\u202F]\d{3})+|\d+)(\.\d+)?). Separators are dropped; NaN when it
   * does not match or is not finite.
   */
  function groupedNumber(s, format) {
    var t = trimText(s);
    var n = t.length, i = 0, c;
    var point = format === 1 ? 44 : 46;
    var grouping = format === 1 ? 46 : 44;
    var text = "";
    c = t.charCodeAt(0);
    if (c === 43 || c === 45) {
      if (c === 45) text = "-";
      i = 1;
    }
    var start = i;
    while (i < n && (c = t.charCodeAt(i) - 48) >= 0 && c <= 9) i++;
    var lead = i - start;
    if (lead === 0) return NaN;
    text += t.slice(start, i);
    if (i < n) {
      c = t.charCodeAt(i);
      if (c === 32 || c === 160 || c === 8239 || c === grouping) {
        if (lead > 3) return NaN;
        do {
          c = t.charCodeAt(i);
          if (!(c === 32 || c === 160 || c === 8239 || c === grouping)) break;
          var g = i + 1;
          for (var k = g; k < g + 3; k++) {
            var d = t.charCodeAt(k) - 48;
            if (!(d >= 0 && d <= 9)) return NaN;
          }
          text += t.slice(g, g + 3);
          i = g + 3;
        } while (i < n);
      }
    }
    if (i < n) {
      if (t.charCodeAt(i) !== point) return NaN;
      i++;
      var fraction = i;
      while (i < n && (c = t.charCodeAt(i) - 48) >= 0 && c <= 9) i++;
      if (i === fraction || i !== n) return NaN;
      text += "." + t.slice(fraction, n);
    }
    var y = +text;
    return y - y === 0 ? y : NaN;
  }

  /** A number value read with a number format: 0 plain, 1 decimal comma, 2 decimal point. */
  function toNumberAs(v, format) {
    if (typeof v === "number") return v - v === 0 ? v : NaN;
    if (typeof v !== "string") return NaN;
    if (format === 0) return textNumber(v, true);
    // -?\d+(\.\d+)? reads the same in every format, but for a point under decimal comma (where
    // it groups thousands): the common case, with no copy.
    var x = textNumber(v, false);
    if (x === x && (format === 2 || v.indexOf(".") < 0)) return x;
    return groupedNumber(v, format);
  }

  /**
   * A bool value with extra words (Sets of folded words): the built-in true words and
   * \u0060trueWords\u0060 give 1, then the built-in false words and \u0060falseWords\u0060 give 0.
   */
  function toBoolAs(v, trueWords, falseWords) {
    if (v === true) return 1;
    if (v === false) return 0;
    if (typeof v === "string") {
      var f = fold(v);
      if (f === "") return NaN;
      if (f === "true" || f === "yes" || f === "1" || trueWords.has(f)) return 1;
      if (f === "false" || f === "no" || f === "0" || falseWords.has(f)) return 0;
    }
    return NaN;
  }

  /** 1 for true, 0 for false, NaN otherwise. */
  function toBool(v) {
    if (v === true) return 1;
    if (v === false) return 0;
    if (typeof v === "string") {
      var f = fold(v);
      if (f === "true" || f === "yes" || f === "1") return 1;
      if (f === "false" || f === "no" || f === "0") return 0;
    }
    return NaN;
  }

  // Whether a value that did not coerce is simply absent (not reported) rather than wrong.
  function isAbsent(v) {
    return v === undefined || v === null || (typeof v === "string" && isBlank(v));
  }

  /** Whether v is one of a descriptor's placeholders (missing, never reported). */
  function isPlaceholder(d, v) {
    var m = d.missing;
    return m !== undefined && typeof v === "string" && m.has(fold(v));
  }

  // A descriptor's reading of each type (its dialect's, or the plain one).
  function numberOf(d, v) {
    var dialect = d.dialect;
    return dialect === undefined ? toNumber(v) : toNumberAs(v, dialect.numbers);
  }

  function boolOf(d, v) {
    var dialect = d.dialect;
    return dialect === undefined ? toBool(v) : toBoolAs(v, dialect.trueWords, dialect.falseWords);
  }

  function dateOf(d, v) {
    var dialect = d.dialect;
    return toInstant(v, dialect === undefined ? 0 : dialect.dates);
  }

  // A number, bool or date slot: its value, NaN when missing; reports what is wrong.
  function readTyped(obj, d, inv, coerce) {
    var v, r;
    try {
      v = readRaw(obj, d);
      r = isPlaceholder(d, v) ? NaN : coerce(d, v);
    } catch (e) {
      return NaN;
    }
    if (r !== r && inv !== null) reportUnlessMissing(inv, d, v);
    return r;
  }

  function report(inv, d, v) {
    inv.push({ field: d.name, value: v, expected: d.expected });
  }

  /** The raw value of a field descriptor {key, parts}: own properties only; may throw. */
  function readRaw(obj, d) {
    if (typeof obj !== "object" || obj === null || isArray(obj)) return undefined;
    if (hasOwn.call(obj, d.key)) return obj[d.key];
    var parts = d.parts;
    if (parts.length < 2) return undefined;
    var o = obj;
    for (var i = 0; i < parts.length; i++) {
      if (typeof o !== "object" || o === null || isArray(o)) return undefined;
      var p = parts[i];
      if (!hasOwn.call(o, p)) return undefined;
      o = o[p];
    }
    return o;
  }

  function readNumber(obj, d, inv) {
    return readTyped(obj, d, inv, numberOf);
  }

  function readBool(obj, d, inv) {
    return readTyped(obj, d, inv, boolOf);
  }

  function readDate(obj, d, inv) {
    return readTyped(obj, d, inv, dateOf);
  }

  /**
   * An event's \`at\`: like readDate (with the descriptor's date order), but a missing \`at\` is
   * reported too, and placeholders do not apply (an event without a date is ignored).
   */
  function readEventAt(obj, d, inv) {
    var v, r;
    try {
      v = readRaw(obj, d);
      r = dateOf(d, v);
    } catch (e) {
      return NaN;
    }
    if (r !== r && inv !== null) report(inv, d, v);
    return r;
  }

  function readText(obj, d, inv) {
    var v;
    try {
      v = readRaw(obj, d);
      if (typeof v === "string") {
        var f = fold(v);
        return d.missing !== undefined && d.missing.has(f) ? "" : f;
      }
    } catch (e) {
      return "";
    }
    if (inv !== null && v !== undefined && v !== null) report(inv, d, v);
    return "";
  }

  function readOneOf(obj, d, inv) {
    var v, f = "";
    try {
      v = readRaw(obj, d);
      if (typeof v === "string") {
        f = fold(v);
        if (d.missing !== undefined && d.missing.has(f)) return "";
        if (f === "" || d.set.has(f)) return f;
      }
    } catch (e) {
      return "";
    }
    if (inv !== null && v !== undefined && v !== null) report(inv, d, v);
    return "";
  }

  /** Fills \`out\` (reused, emptied first) with the folded elements. */
  function readList(obj, d, inv, out) {
    var v;
    try {
      v = readRaw(obj, d);
    } catch (e) {
      if (out.length !== 0) out.length = 0;
      return;
    }
    listValue(v, d, inv, out);
  }

  // Lists are emptied with \u0060if (out.length !== 0) out.length = 0\u0060: setting the length of an
  // array goes through V8's length accessor, ~20 ns even when it is empty already.

  /**
   * readList on a value already read: the generated readers read fields themselves. Items that
   * are placeholders (d.missing) are dropped; a string is split on ";" and "|".
   */
  function listValue(v, d, inv, out) {
    if (out.length !== 0) out.length = 0;
    var bad = false;
    var missing = d.missing;
    try {
      if (isArray(v)) {
        var n = v.length;
        for (var i = 0; i < n; i++) {
          var el = v[i];
          if (typeof el !== "string") {
            bad = true;
            break;
          }
          var f = fold(el);
          if (missing === undefined || !missing.has(f)) out.push(f);
        }
      } else if (typeof v === "string") {
        splitList(v, missing, out);
      } else if (v !== undefined && v !== null) {
        bad = true;
      }
    } catch (e) {
      if (out.length !== 0) out.length = 0;
      return;
    }
    if (bad) {
      if (out.length !== 0) out.length = 0;
      if (inv !== null) report(inv, d, v);
    }
  }

  /**
   * A list written as one string: a placeholder as a whole is missing; otherwise the items
   * between ";" and "|", folded, without blank items and placeholders. Never reported.
   */
  function splitList(s, missing, out) {
    if (missing !== undefined && missing.has(fold(s))) return;
    var n = s.length, start = 0;
    for (var i = 0; i <= n; i++) {
      var c = i === n ? 59 : s.charCodeAt(i);
      if (c !== 59 && c !== 124) continue;
      var f = fold(s.slice(start, i));
      if (f !== "" && (missing === undefined || !missing.has(f))) out.push(f);
      start = i + 1;
    }
  }

  // Reports of values the generated readers coerced themselves: a number, bool or date that did
  // not coerce is reported unless absent; text that is not a string unless undefined or null.
  function reportUnlessAbsent(inv, d, v) {
    if (!isAbsent(v)) report(inv, d, v);
  }

  // As reportUnlessAbsent, for a slot with placeholders (d.missing): those are not reported.
  function reportUnlessMissing(inv, d, v) {
    if (!isAbsent(v) && !isPlaceholder(d, v)) report(inv, d, v);
  }

  function reportUnlessNullish(inv, d, v) {
    if (v !== undefined && v !== null) report(inv, d, v);
  }

  /**
   * A bounded memo of fold() for one text field, keyed by the raw string: categorical fields
   * (job titles, countries, industries) repeat a few spellings across millions of leads, and a
   * Map lookup of the raw string is cheaper than folding it and then looking the folded text up
   * in the field's value codes. \`codes\` (folded value -> small integer, or null) gives
   * \`memo.code\` after each call. Memory is bounded: at MEMO_LIMIT entries the map is cleared,
   * and when it filled up with fewer than MEMO_LIMIT / 2 hits (a field whose values rarely
   * repeat) lookups stop for MEMO_PAUSE calls, which then fold directly.
   */
  var MEMO_LIMIT = 1024;
  var MEMO_PAUSE = 65536;

  function createTextMemo(codes) {
    return { map: new Map(), codes: codes, code: 0, hits: 0, paused: 0 };
  }

  function codeOf(m, f) {
    if (m.codes === null) return 0;
    var c = m.codes.get(f);
    return c === undefined ? 0 : c;
  }

  /** fold(s) for a string \`s\`, memoised in \`m\`; sets m.code. */
  function memoFold(m, s) {
    var f, c;
    if (m.paused !== 0) {
      m.paused--;
      f = fold(s);
      m.code = codeOf(m, f);
      return f;
    }
    var e = m.map.get(s);
    if (e !== undefined) {
      m.hits++;
      m.code = e.code;
      return e.text;
    }
    f = fold(s);
    c = codeOf(m, f);
    m.code = c;
    if (m.map.size >= MEMO_LIMIT) {
      m.map.clear();
      if (m.hits < MEMO_LIMIT / 2) {
        m.paused = MEMO_PAUSE;
        m.hits = 0;
        return f;
      }
      m.hits = 0;
    }
    m.map.set(s, { text: f, code: c });
    return f;
  }

  /** How many raw strings \`m\` holds (for tests: the memo stays bounded). */
  function memoSize(m) {
    return m.map.size;
  }

  function listHasAny(list, set) {
    for (var i = 0; i < list.length; i++) if (set.has(list[i])) return true;
    return false;
  }

  // op: 0 starts, 1 ends, 2 contains. \`s\` is never blank here.
  function textMatchAny(s, op, values) {
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (op === 0 ? s.startsWith(v) : op === 1 ? s.endsWith(v) : s.includes(v)) return true;
    }
    return false;
  }

  /**
   * One occurrence's weight in hundredths: x = pointsHundredths * 0.5^(ageSeconds / halfLife),
   * then sign(x) * floor(|x| + 0.5) (half away from zero). Scaling first keeps decimal halves
   * exact: 1.15 at one half-life is 57.5 hundredths -> 58, where 1.15 * 0.5 * 100 = 57.4999...
   */
  function decayedHundredths(pointsHundredths, ageSeconds, halfLifeSeconds) {
    var x = pointsHundredths * pow(0.5, ageSeconds / halfLifeSeconds);
    var h = floor(abs(x) + 0.5);
    return x < 0 ? -h : h;
  }

  /**
   * One occurrence's weight in hundredths under \`decay P% per PERIOD\`: k = floor(age / period)
   * whole periods, f = max(0, 10000 - percentHundredths * min(k, 10000)), then
   * sign(p) * floor((|p| * f + 5000) / 10000): integers only. |p| = q * 10000 + r is split so
   * every product stays exact (q * f <= |p|, r * f < 10^8) for any points Rubric accepts.
   */
  function linearDecayedHundredths(pointsHundredths, ageMilliseconds, percentHundredths, periodMilliseconds) {
    var k = floor(ageMilliseconds / periodMilliseconds);
    if (k > 10000) k = 10000;
    var f = 10000 - percentHundredths * k;
    if (f <= 0) return 0;
    var a = abs(pointsHundredths), q = floor(a / 10000), r = a - q * 10000;
    var h = q * f + floor((r * f + 5000) / 10000);
    return pointsHundredths < 0 ? -h : h;
  }

  /**
   * The instants an \`at most K per PERIOD\` keeps, sorted latest first: in each bucket
   * floor((now - at) / period) the K latest. \`ats\` is sorted in place (every at <= now).
   */
  function keepLatestPerPeriod(ats, now, periodMilliseconds, count) {
    ats.sort(function (a, b) { return b - a; });
    var kept = [], bucket = -1, inBucket = 0;
    for (var i = 0; i < ats.length; i++) {
      var b = floor((now - ats[i]) / periodMilliseconds);
      if (b !== bucket) { bucket = b; inBucket = 0; }
      if (inBucket < count) { kept.push(ats[i]); inBucket++; }
    }
    return kept;
  }

  function describe(v) {
    if (typeof v === "string") return JSON.stringify(v);
    if (v === null) return "null";
    return typeof v;
  }

  // The last \`now\` text parsed and its instant: a batch scores every lead at the same \`now\`,
  // so it is parsed once. Only strings are cached (a Date can be changed between calls).
  var nowText = null;
  var nowMillis = 0;

  /** The \`now\` option as epoch milliseconds; the current time when absent. */
  function resolveNow(options) {
    var v = options === undefined || options === null ? undefined : options.now;
    if (typeof v === "string" && v === nowText) return nowMillis;
    if (v === undefined || v === null) return dateNow();
    var s = toEpochMillis(v);
    if (s !== s) {
      throw new RangeError("invalid \u0060now\u0060 option " + describe(v) + ": expected a Date or an ISO 8601 string");
    }
    if (typeof v === "string") {
      nowText = v;
      nowMillis = s;
    }
    return s;
  }

  /** The events to score: options.events when given, else the lead's own \`events\`. */
  function eventsOf(lead, options, inv) {
    var evs;
    if (options !== undefined && options !== null && options.events !== undefined) {
      evs = options.events;
    } else {
      try {
        evs = readRaw(lead, EVENTS_FIELD);
      } catch (e) {
        return NO_EVENTS;
      }
    }
    var list = false;
    try {
      list = isArray(evs);
    } catch (e) {
      return NO_EVENTS;
    }
    if (list) return evs;
    if (inv !== null && evs !== undefined && evs !== null) report(inv, EVENTS_FIELD, evs);
    return NO_EVENTS;
  }

  /**
   * options.eventTimes when it applies (with options.events; an array or typed array of epoch
   * milliseconds, one per event, as validateEvent gave them), else null. A non-number entry
   * means "read this event's \`at\`".
   */
  function eventTimesOf(options) {
    if (options === undefined || options === null || options.events === undefined) return null;
    var times = options.eventTimes;
    if (times === undefined || times === null) return null;
    try {
      return isArray(times) || ArrayBuffer.isView(times) ? times : null;
    } catch (e) {
      return null;
    }
  }

  /** An event's own string \`type\`, or undefined; never throws. */
  function eventType(e) {
    try {
      if (typeof e !== "object" || e === null || isArray(e) || !hasOwn.call(e, "type")) return undefined;
      var t = e.type;
      return typeof t === "string" ? t : undefined;
    } catch (err) {
      return undefined;
    }
  }

  function eventCount(evs) {
    try {
      var n = evs.length;
      return typeof n === "number" && n >= 0 ? n : 0;
    } catch (e) {
      return 0;
    }
  }

  function eventAt(evs, i) {
    try {
      return evs[i];
    } catch (e) {
      return undefined;
    }
  }

  function toIso(millis) {
    return new Date(millis).toISOString();
  }

  /**
   * Builds the explanation from a finished evaluation state. \`meta\` is the compiled file's
   * static description (see emit-js.ts); \`stages\` the per-stage details.
   */
  function buildExplanation(meta, st, now, base, stages, inv) {
    var n = st.n;
    var fired = [];
    for (var i = 0; i < st.fc; i++) fired.push(st.f[i]);
    fired.sort(function (a, b) { return a - b; });
    var hits = [];
    for (var k = 0; k < fired.length; k++) {
      var r = meta.rules[fired[k]];
      if (r.each) {
        hits.push({
          rule: r.index, label: r.label, points: n[r.value] / 100, group: r.group, line: r.line,
          occurrences: n[r.count], capped: n[r.capped] === 1
        });
      } else {
        // A decaying \`when\` rule's points are after decay (its value); others are as written.
        hits.push({ rule: r.index, label: r.label, points: (r.value >= 0 ? n[r.value] : r.points) / 100, group: r.group, line: r.line });
      }
    }
    var groupDetails = [];
    for (var g = 0; g < meta.groups.length; g++) {
      var gm = meta.groups[g];
      var raw = n[gm.raw], value = n[gm.value];
      groupDetails.push({
        name: gm.name, raw: raw / 100, value: value / 100, min: gm.min, max: gm.max,
        clampedBy: value < raw ? "max" : value > raw ? "min" : null
      });
    }
    var rawScore = n[meta.rawScore], total = n[meta.score];
    return {
      score: base.score, stage: base.stage, tier: base.tier, groups: base.groups,
      hits: hits, groupDetails: groupDetails, rawScore: rawScore / 100,
      scoreClampedBy: total < rawScore ? "max" : total > rawScore ? "min" : null,
      stages: stages, invalidValues: inv, now: toIso(now)
    };
  }

  return {
    fold: fold, isBlank: isBlank, isNumeric: isNumeric, parseIsoDate: parseIsoDate, toEpochMillis: toEpochMillis,
    toNumber: toNumber, toBool: toBool, toNumberAs: toNumberAs, toBoolAs: toBoolAs, textDate: textDate,
    toInstant: toInstant, looseDate: looseDate, isPlaceholder: isPlaceholder, reportUnlessMissing: reportUnlessMissing, readRaw: readRaw, readNumber: readNumber, readBool: readBool,
    readDate: readDate, readEventAt: readEventAt, readText: readText, readOneOf: readOneOf,
    readList: readList, listValue: listValue, reportUnlessAbsent: reportUnlessAbsent,
    reportUnlessNullish: reportUnlessNullish, report: report, createTextMemo: createTextMemo,
    memoFold: memoFold, memoSize: memoSize, hasOwn: hasOwn, isArray: isArray, getPrototypeOf: Object.getPrototypeOf, listHasAny: listHasAny, textMatchAny: textMatchAny,
    decayedHundredths: decayedHundredths, linearDecayedHundredths: linearDecayedHundredths,
    keepLatestPerPeriod: keepLatestPerPeriod, resolveNow: resolveNow, eventsOf: eventsOf, eventTimesOf: eventTimesOf,
    eventType: eventType, eventCount: eventCount, eventAt: eventAt, toIso: toIso,
    buildExplanation: buildExplanation, NO_INVALID: NO_INVALID
  };
}
`;

/**
 * Defines `createTableFold(table)`: text folding driven by {@link foldTable} pairs concatenated
 * into one string. Standalone modules use it so they need nothing from Rubric; it gives exactly
 * the results of `fold` (a test checks every code point).
 */
export const TABLE_FOLD_SOURCE = String.raw`
function createTableFold(table) {
  "use strict";
  var map = null;
  function build() {
    map = new Map();
    for (var i = 0; i < table.length; ) {
      var a = table.codePointAt(i);
      i += a > 0xffff ? 2 : 1;
      var b = table.codePointAt(i);
      i += b > 0xffff ? 2 : 1;
      map.set(a, String.fromCodePoint(b));
    }
  }
  function isTrimmed(c) {
    return c === 32 || c === 9 || c === 13 || c === 10 || c === 160;
  }
  return function fold(text) {
    var start = 0, end = text.length;
    while (start < end && isTrimmed(text.charCodeAt(start))) start++;
    while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
    var s = start === 0 && end === text.length ? text : text.slice(start, end);
    var ascii = true;
    for (var i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return s.toLowerCase();
    if (map === null) build();
    var out = "";
    for (var j = 0; j < s.length; j++) {
      var cp = s.codePointAt(j);
      if (cp > 0xffff) j++;
      var to = map.get(cp);
      out += to === undefined ? String.fromCodePoint(cp) : to;
    }
    return out;
  };
}
`;
