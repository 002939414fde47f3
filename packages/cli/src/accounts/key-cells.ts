/**
 * Issue 17: what each distinct account-key cell of a contacts file names, found again for every
 * contact that has it (readContactsFile): an account's number, the key text of no account, or
 * no key at all.
 *
 * A table in one Int32Array, open addressing with linear probing, each slot 48 bytes: the cell's
 * hash, what it names, its length and up to 18 of its UTF-16 units. Contacts come in random
 * account order, so each lookup is memory the processor's caches miss once the accounts are
 * many: a cell of up to 18 units (CRM ids: `ACC-000123`, 18-character Salesforce ids, numeric
 * HubSpot ids) is found and checked in its slot alone, where a `Map` of strings reached its hash
 * table, its entry and the stored key string (1,000,000 contacts in 100,000 accounts: about
 * 600 ns a lookup with a Map; bench/notes.md, Accounts). A longer cell is checked against its
 * text kept beside the table.
 */

const SLOT = 12;
const HASH = 0;
const VALUE = 1;
const LENGTH = 2;
const UNITS = 3;
/** UTF-16 units kept in a slot (two per int32). */
const INLINE = (SLOT - UNITS) * 2;
/** VALUE of an empty slot; other negative values name `others[-2 - value]`. */
const EMPTY = -1;
const MIN_SLOTS = 1024;

/** What a key cell names: an account's number, the key text of no account, or null (no key). */
export type KeyCellValue = number | string | null;

export class KeyCellTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  /** Values that are no account number (a key text, or null), by -2 - VALUE. */
  private readonly others: (string | null)[] = [];
  /** Cells longer than INLINE, by slot. */
  private long: (string | undefined)[];

  /**
   * `max`: how many cells it keeps at most (`set` past it is ignored: the caller computes
   * again). `hash`: FNV-1a by default (the tests give one that makes every cell collide).
   */
  constructor(
    private readonly max: number,
    private readonly hash: (text: string) => number = hashOf,
  ) {
    this.slots = emptySlots(MIN_SLOTS);
    this.mask = MIN_SLOTS - 1;
    this.long = [];
  }

  get size(): number {
    return this.count;
  }

  /** What `cell` names, or undefined when it was never set. */
  get(cell: string): KeyCellValue | undefined {
    const slots = this.slots;
    const hash = this.hash(cell) | 0;
    const length = cell.length;
    for (let i = (hash ^ (hash >>> 15)) & this.mask; ; i = (i + 1) & this.mask) {
      const at = i * SLOT;
      const value = slots[at + VALUE];
      if (value === EMPTY) return undefined;
      if (slots[at + HASH] === hash && slots[at + LENGTH] === length && (length > INLINE ? this.long[i] === cell : unitsEqual(slots, at, cell))) {
        return value >= 0 ? value : this.others[-2 - value];
      }
    }
  }

  /** Keeps what `cell` names (a cell not set yet), unless the table holds `max` cells already. */
  set(cell: string, value: KeyCellValue): void {
    if (this.count >= this.max) return;
    if ((this.count + 1) * 10 > (this.mask + 1) * 7) this.grow();
    let stored: number;
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError(`an account number is a whole number from 0, got ${value}`);
      stored = value;
    } else {
      stored = -2 - this.others.length;
      this.others.push(value);
    }
    this.put(this.hash(cell) | 0, cell, stored);
    this.count += 1;
  }

  private put(hash: number, cell: string, stored: number): void {
    const i = this.free(hash);
    const slots = this.slots;
    const at = i * SLOT;
    slots[at + HASH] = hash;
    slots[at + VALUE] = stored;
    slots[at + LENGTH] = cell.length;
    if (cell.length > INLINE) this.long[i] = cell;
    else for (let k = 0; k < cell.length; k += 2) slots[at + UNITS + (k >> 1)] = cell.charCodeAt(k) | ((k + 1 < cell.length ? cell.charCodeAt(k + 1) : 0) << 16);
  }

  /** The first empty slot from `hash`'s. */
  private free(hash: number): number {
    const slots = this.slots;
    let i = (hash ^ (hash >>> 15)) & this.mask;
    while (slots[i * SLOT + VALUE] !== EMPTY) i = (i + 1) & this.mask;
    return i;
  }

  /** Twice the slots, each cell's slot moved as it is (with its text in `long` when it has one there). */
  private grow(): void {
    const old = this.slots;
    const oldLong = this.long;
    const capacity = (this.mask + 1) * 2;
    this.slots = emptySlots(capacity);
    this.mask = capacity - 1;
    this.long = [];
    for (let from = 0; from * SLOT < old.length; from++) {
      const at = from * SLOT;
      if (old[at + VALUE] === EMPTY) continue;
      const to = this.free(old[at + HASH]);
      this.slots.set(old.subarray(at, at + SLOT), to * SLOT);
      if (old[at + LENGTH] > INLINE) this.long[to] = oldLong[from];
    }
  }
}

function emptySlots(count: number): Int32Array {
  const slots = new Int32Array(count * SLOT);
  for (let i = 0; i < count; i++) slots[i * SLOT + VALUE] = EMPTY;
  return slots;
}

/** FNV-1a over the UTF-16 units. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

function unitsEqual(slots: Int32Array, at: number, cell: string): boolean {
  const length = cell.length;
  for (let k = 0; k < length; k += 2) {
    const word = slots[at + UNITS + (k >> 1)];
    if ((word & 0xffff) !== cell.charCodeAt(k)) return false;
    if (k + 1 < length && word >>> 16 !== cell.charCodeAt(k + 1)) return false;
  }
  return true;
}
