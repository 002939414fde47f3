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
   * aggregateFrom, as run() does, and scores the account with those folded events. A tally is one
   * account of a table (TallyTable), shared with the tallies begun before and after it.
   */
  function beginAccount(acct, options) {
    refuseReadingResult("beginAccount");
    var now = tallyNow(options);
    if (single === null || single.size === single.capacity) single = new TallyTable(SINGLE_TABLE, null);
    return new Tally(single, single.push(acct, now));
  }

  /**
   * AccountTallies (runtime/types.ts): the accounts of \`accts\` begun at one instant, each by its
   * number (its index in \`accts\`), for a caller that streams contacts in any account order.
   */
  function beginAccounts(accts, options) {
    refuseReadingResult("beginAccounts");
    var list = contactList(accts);
    if (list === EMPTY) throw new TypeError("beginAccounts: expected an array of accounts");
    var now = tallyNow(options);
    var table = new TallyTable(list.length, now);
    for (var i = 0; i < list.length; i++) table.push(list[i], now);
    return table;
  }

  function refuseReadingResult(entry) {
    if (spec.readsResult) {
      throw new TypeError(entry + ": the contact rules read the account's stage, score or tier, so each contact is scored after its account: use scoreAccount");
    }
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

  /** An instant as rowOptionsFor takes it: a string as given, else epoch milliseconds. */
  function instantOf(now) {
    return typeof now === "string" ? now : now.getTime();
  }

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

  // One options object for every contact scored at one instant by addContactRow (accounts are
  // met in random order: an options object and a Date per account were memory touched for nothing).
  var rowOptions = null, rowOptionsAt = NaN;

  /** \`at\`: the instant as a string (as given) or epoch milliseconds (instantOf). */
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

  // An account's aggregates' state as doubles (values are exact hundredths, integers, so sums are
  // exact), at \`o + aggregateBase[g]\` in its stretch: the count of contacts meeting aggregate g's
  // \`where\`; then, but for \`count\`, the best value (-Infinity for none) for \`best\`, the sum for
  // \`sum\`/\`average\`; then, with \`top N\` (N <= 16), the N highest values so far in descending
  // order. A \`top\` over 16 keeps its values in a list instead (aggregateFrom sorts them once).
  // Streaming these is exactly aggregateFrom over all the values: the best of the N highest is the
  // best; their sum and average are those of the N highest; ties keep equal values.
  var AGG_COUNT = 0, AGG_BEST = 1, AGG_SUM = 2, AGG_AVERAGE = 3;
  var TOP_SLOTS = 16;
  var aggregateProbe = new Int32Array(aggregates.length);
  var aggregateKind = new Uint8Array(aggregates.length);
  var aggregateTop = new Int32Array(aggregates.length);
  var aggregateBase = new Int32Array(aggregates.length);
  var aggregateGroup = [];
  var keepsLists = false;
  // The folded event values (account.newFold's \`n\`) come first in an account's stretch; its
  // lists and Sets (\`l\`, \`ds\`: run-limited queries' instants, distinct values) apart, when it has any.
  var foldTemplate = foldsEvents ? account.newFold() : null;
  var foldInitial = foldTemplate === null ? [] : foldTemplate.n;
  var foldKeepsLists = foldTemplate !== null && (foldTemplate.l.length > 0 || foldTemplate.ds.length > 0);
  var aggregateSlots = foldInitial.length;
  for (var ag = 0; ag < aggregates.length; ag++) {
    var agg = aggregates[ag];
    aggregateProbe[ag] = agg.probe;
    aggregateKind[ag] = agg.kind === "count" ? AGG_COUNT : agg.kind === "best" ? AGG_BEST : agg.kind === "sum" ? AGG_SUM : AGG_AVERAGE;
    aggregateTop[ag] = agg.kind === "count" || agg.kind === "best" ? 0 : agg.top;
    if (aggregateTop[ag] > TOP_SLOTS) keepsLists = true;
    aggregateGroup.push(agg.group);
    aggregateBase[ag] = aggregateSlots;
    // A count is one double (a contact touches fewer cache lines when the stretch is short).
    aggregateSlots += (aggregateKind[ag] === AGG_COUNT ? 1 : 2) + (aggregateTop[ag] > 0 && aggregateTop[ag] <= TOP_SLOTS ? aggregateTop[ag] : 0);
  }

  // A new account's stretch of aggregates: copied from this template.
  var stateTemplate = [];
  for (var st0 = 0; st0 < aggregateSlots; st0++) stateTemplate.push(0);
  for (var st1 = 0; st1 < aggregates.length; st1++) if (aggregateKind[st1] === AGG_BEST) stateTemplate[aggregateBase[st1] + 1] = -Infinity;
  for (var st3 = 0; st3 < foldInitial.length; st3++) stateTemplate[st3] = foldInitial[st3];

  // An account's stretch in its table's doubles: how many contacts were added, whether it is
  // finished (1), then its folded event values and its aggregates (from \`HEAD\`).
  var COUNT = 0, FINISHED = 1, HEAD = 2;
  var STRIDE = HEAD + aggregateSlots;
  // beginAccount's tallies: tables of this many accounts, filled one after the other (a table
  // lives as long as one of its tallies).
  var SINGLE_TABLE = 256;
  var single = null;

  /**
   * Accounts scored contact by contact, by number, in flat arrays: each account's stretch (see
   * STRIDE) in one array of doubles, its values as the contact scorer reads them (givenSlots) side
   * by side in one array. Contacts reach their accounts in any order (\`rubric score --accounts\`
   * reads them in file order): a contact's row touches its account's stretch and values, no
   * object of the account (an object per account was more memory to reach per contact, which
   * the processor's caches miss once the accounts are many). \`now\`: the instant of every
   * account, or null when each has its own (beginAccount's tables).
   */
  function TallyTable(capacity, now) {
    this.size = 0;
    this.capacity = capacity;
    this.state = new Float64Array(capacity * STRIDE);
    this.now = now;
    this.nowAt = now === null ? 0 : instantOf(now);
    this.nows = now === null ? [] : null;
    this.nowAts = now === null ? [] : null;
    // Per account: the account, and its raw values under the contacts' \`account.*\` keys (givenOf).
    this.accts = [];
    this.givens = [];
    // The givenSlots of each account, \`k\` each; \`noSlots[i]\` 1 when account i's cannot be kept
    // apart (its \`given\` is read instead).
    this.slots = null;
    this.k = 0;
    this.noSlots = null;
    // Per account, only when needed: its aggregates' value lists (a \`top\` over 16), its fold's
    // lists and Sets.
    this.lists = keepsLists ? [] : null;
    this.ls = foldKeepsLists ? [] : null;
    this.dss = foldKeepsLists ? [] : null;
    // What the fold and the aggregates read of the account at hand (\`n\`, \`o\`, \`l\`, \`ds\`,
    // \`lists\`): one, pointed at each account in turn; a call made while it is in use gets its own.
    this.cursor = new Cursor(this.state);
    this.busy = false;
  }

  function Cursor(state) {
    this.n = state;
    this.o = 0;
    this.l = EMPTY;
    this.ds = EMPTY;
    this.lists = null;
  }

  /** Begins the next account (\`now\`: its instant, when the table has none); its number. */
  TallyTable.prototype.push = function (acct, now) {
    var i = this.size;
    var given = givenOf(acct);
    this.accts.push(acct);
    this.givens.push(given);
    if (this.nows !== null) {
      this.nows.push(now);
      this.nowAts.push(instantOf(now));
    }
    var state = this.state, o = i * STRIDE + HEAD;
    for (var s = 0; s < aggregateSlots; s++) state[o + s] = stateTemplate[s];
    if (this.lists !== null) this.lists.push(null);
    if (this.ls !== null) {
      var fold = account.newFold();
      this.ls.push(fold.l);
      this.dss.push(fold.ds);
    }
    if (hasRows) this.keepSlots(i, given);
    this.size = i + 1;
    return i;
  };

  TallyTable.prototype.keepSlots = function (i, given) {
    var values = contact.givenSlots(given);
    if (values === null) {
      if (this.noSlots === null) this.noSlots = new Uint8Array(this.capacity);
      this.noSlots[i] = 1;
      return;
    }
    var k = values.length;
    if (this.slots === null) {
      this.k = k;
      this.slots = new Array(this.capacity * k).fill(undefined);
    }
    for (var j = 0; j < k; j++) this.slots[i * k + j] = values[j];
  };

  /** Account \`i\`'s stretch (its COUNT), checked: a number of this table (\`entry\` names the call). */
  TallyTable.prototype.at = function (i, entry) {
    if (typeof i !== "number" || !(i >= 0 && i < this.size) || Math.floor(i) !== i) {
      throw new TypeError(entry + ": no account " + (typeof i === "number" ? String(i) : "of type " + typeof i) + " here (" + this.size + " accounts, numbered from 0)");
    }
    return i * STRIDE;
  };

  /** TallyTable.at for an account still open (not finished). */
  TallyTable.prototype.open = function (i, entry) {
    var at = this.at(i, entry);
    if (this.state[at + FINISHED] !== 0) throw new TypeError(entry + ": the account is finished");
    return at;
  };

  /** The cursor pointed at account \`i\` (its stretch at \`at\`). */
  TallyTable.prototype.cursorAt = function (i, at) {
    var c = this.busy ? new Cursor(this.state) : this.cursor;
    c.o = at + HEAD;
    if (this.ls !== null) {
      c.l = this.ls[i];
      c.ds = this.dss[i];
    }
    c.lists = this.lists === null ? null : this.lists[i];
    return c;
  };

  /** What addContact and addContactRow keep of a contact scored: its aggregates' values, its events folded, the count. */
  TallyTable.prototype.keep = function (i, at, result, fold, evs, times, options) {
    var c = this.cursorAt(i, at);
    var outer = this.busy;
    this.busy = true;
    try {
      recordInto(c, result);
      if (this.lists !== null && c.lists !== null) this.lists[i] = c.lists;
      if (fold === 1) account.foldEvents(c, evs, times, options);
      else if (fold === 2) account.foldEventRows(c, evs, options);
    } finally {
      this.busy = outer;
    }
    this.state[at + COUNT] += 1;
  };

  TallyTable.prototype.addContact = function (i, c, contactEvents) {
    var at = this.open(i, "addContact");
    var ev = contactEvents === undefined || contactEvents === null ? undefined : contactEvents.events;
    var options = { now: this.nows === null ? this.now : this.nows[i], events: ev, eventTimes: ev === undefined ? undefined : contactEvents.eventTimes };
    var checked = ev !== undefined && contactEvents.eventsChecked === true;
    var inv = [];
    var given = this.givens[i];
    var result = checked ? contact.scoreWithChecked(c, options, given, tallyOut, inv) : contact.scoreWith(c, options, given, tallyOut, inv);
    if (foldsEvents) this.keep(i, at, result, 1, rt.eventsOf(c, options, null), rt.eventTimesOf(options), options);
    else this.keep(i, at, result, 0, null, null, null);
    return { result: result, invalid: inv.length === 0 ? EMPTY : inv };
  };

  /**
   * addContact for a contact given as a table row's cells (\`rowPlan\`) and its events as rows
   * (\`eventRows\`: rows, types, times as RowScorer.scoreRowAndValidate takes them, with a plan
   * from \`eventPlan\`; none when undefined). The same result, invalid values and fold as
   * addContact(lead, { events, eventTimes, eventsChecked: true }) for the row's lead and those
   * events as objects: the events are not validated here (validateEventRow checks each once).
   */
  TallyTable.prototype.addContactRow = function (i, cells, plan, eventRows) {
    var at = this.open(i, "addContactRow");
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
      var given = this.slots, givenAt = i * this.k;
      if (this.noSlots !== null && this.noSlots[i] === 1) {
        given = this.givens[i];
        givenAt = 0;
      }
      var options = rowOptionsFor(this.nowAts === null ? this.nowAt : this.nowAts[i]);
      var result = contact.scoreRowWith(cells, plan, options, given, tallyOut, inv, contactRows, givenAt);
      if (foldsEvents && accountRows !== null) this.keep(i, at, result, 2, accountRows, null, options);
      else this.keep(i, at, result, 0, null, null, null);
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

  TallyTable.prototype.contacts = function (i) {
    return this.state[this.at(i, "contacts") + COUNT];
  };

  TallyTable.prototype.finish = function (i) {
    return this.end(i, null);
  };

  // finish(), and the account's own invalid values as validateAccount gives them, in the same
  // evaluation (the folded events are not scanned again, so only the account's fields report).
  TallyTable.prototype.finishAndValidate = function (i) {
    var inv = [];
    var result = this.end(i, inv);
    return { result: result, invalid: inv.length === 0 ? EMPTY : inv };
  };

  TallyTable.prototype.end = function (i, inv) {
    var at = this.open(i, "finish");
    this.state[at + FINISHED] = 1;
    var c = this.cursorAt(i, at);
    var outer = this.busy;
    this.busy = true;
    var result;
    try {
      var aggregateGiven = {};
      for (var g = 0; g < aggregates.length; g++) {
        var value = aggregateValueOf(c, g);
        aggregateGiven[aggregates[g].field] = value === null ? undefined : value;
      }
      var now = this.nows === null ? this.now : this.nows[i];
      var acct = this.accts[i];
      result = !foldsEvents ? account.scoreWith(acct, { now: now, events: EMPTY }, aggregateGiven, null, inv) : account.scoreFolded(acct, { now: now }, aggregateGiven, c, inv);
    } finally {
      this.busy = outer;
    }
    // What the account held, let go (its stretch stays, marked finished).
    this.accts[i] = undefined;
    this.givens[i] = undefined;
    if (this.nows !== null) this.nows[i] = undefined;
    if (this.lists !== null) this.lists[i] = null;
    if (this.ls !== null) {
      this.ls[i] = EMPTY;
      this.dss[i] = EMPTY;
    }
    return { score: result.score, stage: result.stage, tier: result.tier, groups: result.groups };
  };

  /** One account of a table: the AccountTally contract, by its number there. */
  function Tally(table, i) {
    this.table = table;
    this.i = i;
  }

  Object.defineProperty(Tally.prototype, "contacts", {
    get: function () {
      return this.table.contacts(this.i);
    }
  });

  Tally.prototype.addContact = function (c, contactEvents) {
    return this.table.addContact(this.i, c, contactEvents);
  };

  Tally.prototype.addContactRow = function (cells, plan, eventRows) {
    return this.table.addContactRow(this.i, cells, plan, eventRows);
  };

  Tally.prototype.finish = function () {
    return this.table.finish(this.i);
  };

  Tally.prototype.finishAndValidate = function () {
    return this.table.finishAndValidate(this.i);
  };

  /** Adds a contact's result to the aggregates of the account at \`acc\` (its stretch at \`acc.o\` of \`acc.n\`). */
  function recordInto(acc, result) {
    var state = acc.n;
    var o = acc.o;
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
        if (acc.lists === null) acc.lists = new Array(aggregates.length).fill(null);
        if (acc.lists[g] === null) acc.lists[g] = [];
        acc.lists[g].push(v);
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
  }

  /** Aggregate g's value (null: missing) from the account at \`acc\`, as aggregateFrom gives it. */
  function aggregateValueOf(acc, g) {
    var a = aggregates[g];
    var state = acc.n;
    var base = acc.o + aggregateBase[g];
    var matching = state[base];
    var kind = aggregateKind[g];
    if (kind === AGG_COUNT) return matching;
    var top = aggregateTop[g];
    if (top > TOP_SLOTS) {
      var list = acc.lists === null || acc.lists[g] === null ? [] : acc.lists[g];
      return aggregateFrom(a, list, matching).value;
    }
    if (matching === 0) return kind === AGG_SUM ? 0 : null;
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
    beginAccount: beginAccount, beginAccounts: beginAccounts, contactsReadAccountResult: spec.readsResult,
    rowPlan: rowPlan, eventPlan: eventPlan
  };
}
`;
