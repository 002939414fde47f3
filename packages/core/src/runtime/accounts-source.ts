/**
 * Issue 17: the account scorer, as JavaScript text (like runtime-source.ts) so the in-process
 * scorer (`compile`) and the standalone module run the same code. `createAccountScorer(rt,
 * contact, account, spec)` combines two generated scorers: the file's contact scorer and the
 * scorer of `Model.account.scoring`, both with the `scoreWith` / `explainWith` entries (emit-js.ts:
 * the `account.*` (resp. `contacts#N`) fields are read from the `given` object only, so a
 * contact's own `account` keys never win and nothing is copied per contact). `spec` is plain data
 * made by emit-js-accounts.ts ({@link AccountSpec}).
 *
 * Scoring an account (the order of `AccountModel`):
 * 1. each contact is scored with the account's raw field values as `account.NAME` (read once per
 *    account with the account fields' own keys and paths; `account.stage|score|tier` absent),
 *    and its probes (the aggregates' `where`) evaluated after its stage and tier;
 * 2. each aggregate is computed over those results in exact hundredths (`top N` keeps the N
 *    highest values: one sort of that aggregate's values, O(C log C) per account; `average` is
 *    the sum divided by the count, rounded half away from zero to the hundredth with integers),
 *    then the account is scored from its own fields, the aggregates (as `contacts#N`) and the
 *    events of all its contacts (concatenated once);
 * 3. when `spec.readsResult`, each contact is scored again with `account.stage`, `account.score`
 *    and `account.tier` set too.
 * Every call of one account uses one `now` (resolved once).
 */
export const ACCOUNTS_SOURCE = String.raw`
function createAccountScorer(rt, contact, account, spec) {
  "use strict";
  var fields = spec.fields, aggregates = spec.aggregates, probeCount = spec.probes, results = spec.results;
  var EMPTY = Object.freeze([]);

  /**
   * The account's raw field values under the contacts' \`account.NAME\` keys (never throws). A
   * plain object (its keys always start with \`account.\` or \`contacts#\`, never \`__proto__\`;
   * the scorers read own properties only), built in the same key order every time, so its shape
   * is shared across accounts.
   */
  function givenOf(acct) {
    var given = {};
    for (var i = 0; i < fields.length; i++) {
      var v;
      try {
        v = rt.readRaw(acct, fields[i]);
      } catch (e) {
        v = undefined;
      }
      given[fields[i].to] = v;
    }
    return given;
  }

  /**
   * The contacts: a copy of an array of leads, read once and guardedly (a proxy's traps may throw:
   * an unreadable contact is \`undefined\`, scored with nothing); anything else, array-likes
   * included, is no contact.
   */
  function contactList(contacts) {
    try {
      if (!Array.isArray(contacts)) return EMPTY;
    } catch (e) {
      return EMPTY;
    }
    var count = rt.eventCount(contacts);
    var list = new Array(count);
    for (var i = 0; i < count; i++) list[i] = rt.eventAt(contacts, i);
    return list;
  }

  /** Every contact's own events, in contact order, one array. */
  function allEvents(list) {
    var all = [];
    for (var i = 0; i < list.length; i++) {
      var evs = rt.eventsOf(list[i], undefined, null);
      var count = rt.eventCount(evs);
      for (var k = 0; k < count; k++) all.push(rt.eventAt(evs, k));
    }
    return all;
  }

  /** A value of a contact's result in exact hundredths: its score or a group's value. */
  function valueOf(result, group) {
    var v = 0;
    if (group === null) v = result.score;
    else if (Object.prototype.hasOwnProperty.call(result.groups, group)) v = result.groups[group];
    return Math.round(v * 100);
  }

  function descending(x, y) {
    return y - x;
  }

  /**
   * Keeps the \`top\` highest of \`values\` (in place): a bounded insertion for a small \`top\`
   * (O(C * top)), one sort otherwise (O(C log C)); never quadratic in the contacts.
   */
  function keepHighest(values, top) {
    if (top > 16) {
      values.sort(descending);
      values.length = top;
      return;
    }
    var kept = 0;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (kept === top && v <= values[kept - 1]) continue;
      var j = kept < top ? kept++ : kept - 1;
      while (j > 0 && values[j - 1] < v) {
        values[j] = values[j - 1];
        j--;
      }
      values[j] = v;
    }
    values.length = kept;
  }

  /** One aggregate over the contacts' results: { value (null = missing), contacts }. */
  function aggregateOf(a, list, bits) {
    var values = [];
    var matching = 0;
    for (var i = 0; i < list.length; i++) {
      if (a.probe >= 0 && bits[i * probeCount + a.probe] !== 1) continue;
      matching++;
      if (a.kind !== "count") values.push(valueOf(list[i], a.group));
    }
    return aggregateFrom(a, values, matching);
  }

  /**
   * One aggregate from the values (exact hundredths, in contact order) of the \`matching\`
   * contacts that met its \`where\` (\`values\` is empty for \`count\`; it may be reordered).
   */
  function aggregateFrom(a, values, matching) {
    if (a.kind === "count") return { value: matching, contacts: matching };
    if (a.top > 0 && values.length > a.top) keepHighest(values, a.top);
    var k = values.length;
    if (a.kind === "best") {
      if (k === 0) return { value: null, contacts: matching };
      var best = values[0];
      for (var b = 1; b < k; b++) if (values[b] > best) best = values[b];
      return { value: best / 100, contacts: matching };
    }
    var sum = 0;
    for (var s = 0; s < k; s++) sum += values[s];
    if (a.kind === "sum") return { value: sum / 100, contacts: matching };
    if (k === 0) return { value: null, contacts: matching };
    // Half away from zero with integers: |sum| = q * k + r, one more when 2r >= k.
    var abs = sum < 0 ? -sum : sum;
    var q = Math.floor(abs / k);
    if (2 * (abs - q * k) >= k) q += 1;
    return { value: (sum < 0 ? -q : q) / 100, contacts: matching };
  }

  /**
   * Steps 1 and 2 (and 3): everything scoreAccount and explainAccount need. With \`invalid\` (an
   * array), each contact's invalid values are pushed into it in contact order (EMPTY when none),
   * reported by its first scoring (the values it reads are the same in step 3).
   */
  function run(acct, contacts, options, invalid) {
    // One instant for every call of the account: a string \`now\` is passed on (the runtime parses
    // it once), anything else resolved once here.
    var now = accountNow(options);
    var list = contactList(contacts);
    var given = givenOf(acct);
    var contactOptions = { now: now };
    var bits = probeCount > 0 ? new Uint8Array(probeCount * list.length) : null;
    var first = [];
    var out = probeCount > 0 ? new Uint8Array(probeCount) : null;
    // One list for the reports, copied only for a contact that has some.
    var inv = invalid === undefined || invalid === null ? null : [];
    for (var i = 0; i < list.length; i++) {
      first.push(contact.scoreWith(list[i], contactOptions, given, out, inv));
      if (inv !== null) {
        invalid.push(inv.length === 0 ? EMPTY : inv.slice());
        if (inv.length !== 0) inv.length = 0;
      }
      if (out !== null) for (var p = 0; p < probeCount; p++) bits[i * probeCount + p] = out[p];
    }
    var values = [];
    var aggregateGiven = {};
    for (var g = 0; g < aggregates.length; g++) {
      var value = aggregateOf(aggregates[g], first, bits);
      values.push(value);
      aggregateGiven[aggregates[g].field] = value.value === null ? undefined : value.value;
    }
    var accountOptions = { now: now, events: allEvents(list) };
    var result = account.scoreWith(acct, accountOptions, aggregateGiven, null);
    var final = first;
    var finalGiven = given;
    if (spec.readsResult) {
      finalGiven = {};
      for (var f = 0; f < fields.length; f++) finalGiven[fields[f].to] = given[fields[f].to];
      if (results.stage !== null) finalGiven[results.stage] = result.stage === null ? undefined : result.stage;
      if (results.score !== null) finalGiven[results.score] = result.score;
      if (results.tier !== null) finalGiven[results.tier] = result.tier === null ? undefined : result.tier;
      final = [];
      for (var c = 0; c < list.length; c++) final.push(contact.scoreWith(list[c], contactOptions, finalGiven, null));
    }
    return {
      result: result, values: values, contacts: final, list: list, contactOptions: contactOptions,
      accountOptions: accountOptions, aggregateGiven: aggregateGiven, finalGiven: finalGiven
    };
  }

  /** The instant of every call of one account: a string \`now\` passed on (parsed once by the runtime), anything else resolved once. */
  function accountNow(options) {
    var given0 = options === undefined || options === null ? undefined : options.now;
    return typeof given0 === "string" ? (rt.resolveNow(options), given0) : new Date(rt.resolveNow(options));
  }

  // Whether the account rules query events: then the contacts' events are folded into the
  // account's event values as each contact is added (account.foldEvents), never held.
  var foldsEvents = spec.eventTypes.length > 0;
  // The probes' bits of the contact being added (read right after its scoring).
  var tallyOut = probeCount > 0 ? new Uint8Array(probeCount) : null;

  /**
   * The contract of AccountTally (runtime/types.ts): steps 1 and 2 of run(), a contact at a time.
   * Each contact is scored exactly as run() scores it (same \`given\`, same \`now\`); what the
   * account needs of it is kept: each aggregate's matching count and values (in hundredths), and
   * its events folded into the account's event values (the account scorer's own scan, in contact
   * order, as run() scans them concatenated). finish() computes the aggregates with
   * aggregateFrom, as run() does, and scores the account with those folded events.
   */
  function beginAccount(acct, options) {
    if (spec.readsResult) {
      throw new TypeError("beginAccount: the contact rules read the account's stage, score or tier, so each contact is scored after its account: use scoreAccount");
    }
    return new Tally(acct, tallyNow(options));
  }

  // Tallies keep their instant (a million accounts began at one instant were a million Dates):
  // a string \`now\` is shared as given; any other is resolved, and one Date serves the tallies
  // begun at the same instant (a tally never hands its Date out nor changes it).
  var tallyNowAt = NaN, tallyNowDate = null;

  function tallyNow(options) {
    var given0 = options === undefined || options === null ? undefined : options.now;
    if (typeof given0 === "string") return accountNow(options);
    var at = rt.resolveNow(options);
    if (at !== tallyNowAt || tallyNowDate === null) {
      tallyNowDate = new Date(at);
      tallyNowAt = at;
    }
    return tallyNowDate;
  }

  function Tally(acct, now) {
    // The fields a contact touches come first: V8 lays them out in this order, so they share
    // the object's first cache line (contacts reach their account's tally in random order).
    this.finished = false;
    this.count = 0;
    // For addContactRow: the account's values as the contact scorer reads them, read once at the
    // first contact (contact.givenSlots) and kept at \`so\` in a shared array \`sv\` (see
    // keepSlots); \`given\` itself when they cannot be kept apart; null before the first contact.
    this.sv = null;
    this.so = 0;
    // Per aggregate, at \`o\` in the pool of doubles \`n\` (see allocState): how many contacts met
    // its \`where\`, the best or the sum of their values, and for \`top N\` (N <= 16) the N highest.
    // With the account's folded event values first: the tally is the fold (\`n\`, \`o\`, \`l\`,
    // \`ds\`, what account.foldEvents reads), so a contact touches one stretch of memory.
    this.n = null;
    this.o = 0;
    this.folds = false;
    this.nowAt = 0;
    // Per aggregate with \`top N\` over 16: its contacts' values (null for the others, or none yet).
    this.lists = null;
    this.l = null;
    this.ds = null;
    this.acct = acct;
    this.now = now;
    this.given = givenOf(acct);
    // addContact's options, made at its first call (the row entry never needs them).
    this.options = null;
    this.nowAt = typeof now === "string" ? now : now.getTime();
    if (aggregateSlots > 0 || foldsEvents) allocState(this);
    var fold = foldsEvents ? account.newFold() : null;
    if (fold !== null) {
      // Empty lists (no query keeps times, no distinct count) are never written: one shared.
      this.l = fold.l.length === 0 ? EMPTY : fold.l;
      this.ds = fold.ds.length === 0 ? EMPTY : fold.ds;
      this.folds = true;
    }
  }

  Object.defineProperty(Tally.prototype, "contacts", {
    get: function () {
      return this.count;
    }
  });

  Tally.prototype.addContact = function (c, contactEvents) {
    if (this.finished) throw new TypeError("addContact: the account is finished");
    var options = this.options;
    if (options === null) options = this.options = { now: this.now, events: undefined, eventTimes: undefined };
    var ev = contactEvents === undefined || contactEvents === null ? undefined : contactEvents.events;
    options.events = ev;
    options.eventTimes = ev === undefined ? undefined : contactEvents.eventTimes;
    var checked = ev !== undefined && contactEvents.eventsChecked === true;
    var inv = [];
    try {
      var result = checked ? contact.scoreWithChecked(c, options, this.given, tallyOut, inv) : contact.scoreWith(c, options, this.given, tallyOut, inv);
      this.record(result);
      if (this.folds) account.foldEvents(this, rt.eventsOf(c, options, null), rt.eventTimesOf(options), options);
      this.count++;
      return { result: result, invalid: inv.length === 0 ? EMPTY : inv };
    } finally {
      options.events = undefined;
      options.eventTimes = undefined;
    }
  };

  // The row entry (issue 17: \`rubric score --accounts\` reads CSV contacts and events as cells):
  // there when both generated scorers were compiled with it.
  var hasRows = typeof contact.scoreRowWith === "function" && typeof account.foldEventRows === "function";
  var ACCOUNT_EVENT_PLAN = Object.freeze({});

  function needRows(entry) {
    if (!hasRows) throw new TypeError(entry + ": this account scorer was compiled without the row entry (compile with rows)");
  }

  /** The contact scorer's plan for contact rows of these columns (its rowPlan). */
  function rowPlan(columns) {
    needRows("rowPlan");
    return contact.rowPlan(columns);
  }

  /** The plan for event rows of these columns, for both levels: each scorer's own eventPlan. */
  function eventPlan(columns) {
    needRows("eventPlan");
    return Object.freeze({ owner: ACCOUNT_EVENT_PLAN, columns: columns.length, contact: contact.eventPlan(columns), account: account.eventPlan(columns) });
  }

  // The views of one contact's event rows handed to each scorer (one each for the scorer; a
  // call made while one runs, from a cell's getter, gets its own).
  var rowViews = null;
  var rowViewsBusy = false;
  var rowInvalid = [];

  /**
   * addContact for a contact given as a table row's cells (\`rowPlan\`) and its events as rows
   * (\`eventRows\`: rows, types, times as RowScorer.scoreRowAndValidate takes them, with a plan
   * from \`eventPlan\`; none when undefined). The same result, invalid values and fold as
   * addContact(lead, { events, eventTimes, eventsChecked: true }) for the row's lead and those
   * events as objects: the events are not validated here (validateEventRow checks each once).
   */
  Tally.prototype.addContactRow = function (cells, plan, eventRows) {
    if (this.finished) throw new TypeError("addContactRow: the account is finished");
    needRows("addContactRow");
    var own = !rowViewsBusy;
    var views = own ? (rowViews !== null ? rowViews : (rowViews = newRowViews())) : newRowViews();
    var contactRows = null, accountRows = null;
    if (eventRows !== undefined && eventRows !== null) {
      var ep = eventRows.plan;
      if (typeof ep !== "object" || ep === null || ep.owner !== ACCOUNT_EVENT_PLAN) throw new TypeError("addContactRow: the events plan must come from this account scorer's eventPlan(columns)");
      contactRows = fillView(views.contact, eventRows, ep.contact);
      accountRows = fillView(views.account, eventRows, ep.account);
    }
    // The invalid values into one list (copied only when it holds some), its own when re-entered.
    var inv = own ? rowInvalid : [];
    if (own) rowViewsBusy = true;
    try {
      if (this.sv === null) keepSlots(this);
      var options = rowOptionsFor(this.nowAt);
      var result = contact.scoreRowWith(cells, plan, options, this.sv, tallyOut, inv, contactRows, this.so);
      this.record(result);
      if (this.folds && accountRows !== null) account.foldEventRows(this, accountRows, options);
      this.count++;
      return { result: result, invalid: inv.length === 0 ? EMPTY : inv.slice() };
    } finally {
      if (inv.length !== 0) inv.length = 0;
      if (own) rowViewsBusy = false;
      if (contactRows !== null) {
        clearView(views.contact);
        clearView(views.account);
      }
    }
  };

  // The accounts' values as the contact scorer reads them (givenSlots), many accounts' in one
  // array, each account's side by side: a contact reads its account's from one place, which the
  // tally's first fields name (a frozen array per account was two more objects to reach).
  var SLOT_POOL = 4096;
  var slotPool = null, slotNext = 0;

  function keepSlots(tally) {
    var slots = contact.givenSlots(tally.given);
    if (slots === null) {
      tally.sv = tally.given;
      tally.so = 0;
      return;
    }
    var k = slots.length;
    if (slotPool === null || slotNext + k > slotPool.length) {
      slotPool = new Array(k > SLOT_POOL ? k : SLOT_POOL).fill(undefined);
      slotNext = 0;
    }
    for (var i = 0; i < k; i++) slotPool[slotNext + i] = slots[i];
    tally.sv = slotPool;
    tally.so = slotNext;
    slotNext += k;
  }

  // One options object for every tally of one instant (accounts are met in random order: a
  // tally's own options and Date per contact were memory touched for nothing).
  var rowOptions = null, rowOptionsAt = NaN;

  /** \`at\`: the tally's instant as a string (as given) or epoch milliseconds (Tally.nowAt). */
  function rowOptionsFor(at) {
    if (rowOptions === null || at !== rowOptionsAt) {
      rowOptions = { now: typeof at === "string" ? at : new Date(at) };
      rowOptionsAt = at;
    }
    return rowOptions;
  }

  function newRowViews() {
    return { contact: { plan: null, rows: EMPTY, types: EMPTY, times: EMPTY }, account: { plan: null, rows: EMPTY, types: EMPTY, times: EMPTY } };
  }

  function fillView(view, eventRows, plan) {
    view.plan = plan;
    view.rows = eventRows.rows;
    view.types = eventRows.types;
    view.times = eventRows.times;
    return view;
  }

  function clearView(view) {
    view.plan = null;
    view.rows = EMPTY;
    view.types = EMPTY;
    view.times = EMPTY;
  }

  // The aggregates' state as doubles, a tally's stretch of a pool (values are exact hundredths,
  // integers, so sums are exact): at o + aggregateBase[g], the count of contacts meeting its \`where\`; then
  // the best value (-Infinity for none) for \`best\`, the sum for \`sum\`/\`average\`; then, with
  // \`top N\` (N <= 16), the N highest values so far in descending order. A \`top\` over 16 keeps
  // its values in a list instead (aggregateFrom sorts them once). Streaming these is exactly
  // aggregateFrom over all the values: the best of the N highest is the best; their sum and
  // average are those of the N highest; ties keep equal values.
  var AGG_COUNT = 0, AGG_BEST = 1, AGG_SUM = 2, AGG_AVERAGE = 3;
  var TOP_SLOTS = 16;
  var aggregateProbe = new Int32Array(aggregates.length);
  var aggregateKind = new Uint8Array(aggregates.length);
  var aggregateTop = new Int32Array(aggregates.length);
  var aggregateBase = new Int32Array(aggregates.length);
  var aggregateGroup = [];
  // The folded event values (account.newFold's \`n\`) come first in a tally's stretch of the pool.
  var foldInitial = foldsEvents ? account.newFold().n : [];
  var aggregateSlots = foldInitial.length;
  for (var ag = 0; ag < aggregates.length; ag++) {
    var agg = aggregates[ag];
    aggregateProbe[ag] = agg.probe;
    aggregateKind[ag] = agg.kind === "count" ? AGG_COUNT : agg.kind === "best" ? AGG_BEST : agg.kind === "sum" ? AGG_SUM : AGG_AVERAGE;
    aggregateTop[ag] = agg.kind === "count" || agg.kind === "best" ? 0 : agg.top;
    aggregateGroup.push(agg.group);
    aggregateBase[ag] = aggregateSlots;
    aggregateSlots += 2 + (aggregateTop[ag] > 0 && aggregateTop[ag] <= TOP_SLOTS ? aggregateTop[ag] : 0);
  }

  // A new tally's stretch: copied from this template (allocState).
  var stateTemplate = [];
  for (var st0 = 0; st0 < aggregateSlots; st0++) stateTemplate.push(0.5);
  for (var st1 = 0; st1 < aggregates.length; st1++) stateTemplate[aggregateBase[st1] + 1] = aggregateKind[st1] === AGG_BEST ? -Infinity : 0;
  for (var st2 = 0; st2 < aggregateSlots; st2++) if (stateTemplate[st2] === 0.5) stateTemplate[st2] = 0;
  for (var st3 = 0; st3 < foldInitial.length; st3++) stateTemplate[st3] = foldInitial[st3];

  // Tallies take their state from shared pools of doubles, one stretch each, in the order they
  // begin: a contact's update touches its account's stretch and nothing else (an array per tally
  // is two objects, which a collection moves apart). A pool lives as long as one of its tallies.
  var POOL_DOUBLES = 8192;
  var pool = null, poolNext = 0;

  function allocState(tally) {
    if (pool === null || poolNext + aggregateSlots > pool.length) {
      pool = new Float64Array(aggregateSlots > POOL_DOUBLES ? aggregateSlots : POOL_DOUBLES);
      poolNext = 0;
    }
    var o = poolNext;
    for (var i = 0; i < aggregateSlots; i++) pool[o + i] = stateTemplate[i];
    poolNext += aggregateSlots;
    tally.n = pool;
    tally.o = o;
  }

  Tally.prototype.record = function (result) {
    var state = this.n;
    if (state === null) return;
    var o = this.o;
    for (var g = 0; g < aggregates.length; g++) {
      var probe = aggregateProbe[g];
      if (probe >= 0 && tallyOut[probe] !== 1) continue;
      var base = o + aggregateBase[g];
      var matched = state[base]++;
      var kind = aggregateKind[g];
      if (kind === AGG_COUNT) continue;
      var v = valueOf(result, aggregateGroup[g]);
      if (kind === AGG_BEST) {
        if (v > state[base + 1]) state[base + 1] = v;
      } else {
        state[base + 1] += v;
      }
      var top = aggregateTop[g];
      if (top === 0) continue;
      if (top > TOP_SLOTS) {
        if (this.lists === null) this.lists = new Array(aggregates.length).fill(null);
        if (this.lists[g] === null) this.lists[g] = [];
        this.lists[g].push(v);
        continue;
      }
      // Insert into the N highest (descending), as keepHighest keeps them.
      var kept = matched < top ? matched : top;
      var first = base + 2;
      if (kept === top && v <= state[first + kept - 1]) continue;
      var j = kept < top ? kept : kept - 1;
      while (j > 0 && state[first + j - 1] < v) {
        state[first + j] = state[first + j - 1];
        j--;
      }
      state[first + j] = v;
    }
  };

  /** Aggregate g's value (null: missing) from a tally's state, as aggregateFrom gives it. */
  function aggregateValueOf(tally, g) {
    var a = aggregates[g];
    var state = tally.n;
    var matching = state === null ? 0 : state[tally.o + aggregateBase[g]];
    var kind = aggregateKind[g];
    if (kind === AGG_COUNT) return matching;
    var top = aggregateTop[g];
    if (top > TOP_SLOTS) {
      var list = tally.lists === null || tally.lists[g] === null ? [] : tally.lists[g];
      return aggregateFrom(a, list, matching).value;
    }
    if (matching === 0) return kind === AGG_SUM ? 0 : null;
    var base = tally.o + aggregateBase[g];
    if (kind === AGG_BEST) return state[base + 1] / 100;
    var k = matching, sum = state[base + 1];
    if (top > 0 && matching > top) {
      k = top;
      sum = 0;
      for (var i = 0; i < top; i++) sum += state[base + 2 + i];
    }
    if (kind === AGG_SUM) return sum / 100;
    // Half away from zero with integers, as aggregateFrom.
    var abs = sum < 0 ? -sum : sum;
    var q = Math.floor(abs / k);
    if (2 * (abs - q * k) >= k) q += 1;
    return (sum < 0 ? -q : q) / 100;
  }

  Tally.prototype.finish = function () {
    return this.end(null);
  };

  // finish(), and the account's own invalid values as validateAccount gives them, in the same
  // evaluation (the folded events are not scanned again, so only the account's fields report).
  Tally.prototype.finishAndValidate = function () {
    var inv = [];
    var result = this.end(inv);
    return { result: result, invalid: inv.length === 0 ? EMPTY : inv };
  };

  Tally.prototype.end = function (inv) {
    if (this.finished) throw new TypeError("finish: the account is finished");
    this.finished = true;
    var aggregateGiven = {};
    for (var g = 0; g < aggregates.length; g++) {
      var value = aggregateValueOf(this, g);
      aggregateGiven[aggregates[g].field] = value === null ? undefined : value;
    }
    var result = !this.folds ? account.scoreWith(this.acct, { now: this.now, events: EMPTY }, aggregateGiven, null, inv) : account.scoreFolded(this.acct, { now: this.now }, aggregateGiven, this, inv);
    this.folds = false;
    this.n = this.l = this.ds = null;
    this.lists = null;
    return { score: result.score, stage: result.stage, tier: result.tier, groups: result.groups };
  };

  function scoreAccount(acct, contacts, options) {
    var r = run(acct, contacts, options);
    return { score: r.result.score, stage: r.result.stage, tier: r.result.tier, groups: r.result.groups, contacts: r.contacts };
  }

  // scoreAccount, and each contact's invalid values as \`contact.validate(c, options)\` gives
  // them, with one evaluation per contact (not a second one to validate).
  function scoreAccountAndValidate(acct, contacts, options) {
    var invalid = [];
    var r = run(acct, contacts, options, invalid);
    return {
      result: { score: r.result.score, stage: r.result.stage, tier: r.result.tier, groups: r.result.groups, contacts: r.contacts },
      invalid: invalid
    };
  }

  function explainAccount(acct, contacts, options) {
    var r = run(acct, contacts, options);
    var base = account.explainWith(acct, r.accountOptions, r.aggregateGiven);
    var explained = [];
    for (var i = 0; i < r.list.length; i++) explained.push(contact.explainWith(r.list[i], r.contactOptions, r.finalGiven));
    var aggregateValues = [];
    for (var g = 0; g < aggregates.length; g++) {
      aggregateValues.push({ text: aggregates[g].text, value: r.values[g].value, contacts: r.values[g].contacts });
    }
    var explanation = {};
    for (var key in base) if (Object.prototype.hasOwnProperty.call(base, key)) explanation[key] = base[key];
    explanation.aggregates = aggregateValues;
    explanation.contacts = explained;
    return explanation;
  }

  function validateAccount(acct) {
    return account.validate(acct, { events: EMPTY });
  }

  // A contact without an account: every \`account.*\` missing (an empty \`given\`, not the contact).
  function scoreContact(c, options) {
    return contact.scoreWith(c, { now: nowOf(options) }, {}, null);
  }

  function scoreContactAndValidate(c, options) {
    var inv = [];
    var result = contact.scoreWith(c, { now: nowOf(options) }, {}, null, inv);
    return { result: result, invalid: inv.length === 0 ? EMPTY : inv };
  }

  function explainContact(c, options) {
    return contact.explainWith(c, { now: nowOf(options) }, {});
  }

  function nowOf(options) {
    var v = options === undefined || options === null ? undefined : options.now;
    return v === undefined || v === null ? new Date(rt.resolveNow(options)) : v;
  }

  return {
    scoreAccount: scoreAccount, explainAccount: explainAccount, validateAccount: validateAccount,
    scoreContact: scoreContact, explainContact: explainContact,
    scoreAccountAndValidate: scoreAccountAndValidate, scoreContactAndValidate: scoreContactAndValidate,
    beginAccount: beginAccount, contactsReadAccountResult: spec.readsResult,
    rowPlan: rowPlan, eventPlan: eventPlan
  };
}
`;
