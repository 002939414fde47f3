/**
 * The fuzzer's input stream: input `i` of a run is a pure function of (seed, i), so a failure is
 * replayed from its seed and index alone, whatever ran before it.
 */
import fc from 'fast-check';
import { arbitraryRuleFile } from '../../packages/core/test/support/arbitrary.js';
import type { SeedFile } from './corpus.js';
import { bigInput, expansionChain, mutate } from './mutate.js';
import { Random } from './random.js';

/** One input and how it was made. */
export interface FuzzInput {
  readonly index: number;
  /** How it was made: `mutated examples/x.rubric`, `generated`, `expansion chain`... */
  readonly origin: string;
  readonly text: string;
}

/** How often each kind of input is made (relative weights). */
export interface InputMix {
  readonly mutatedSeed: number;
  readonly generated: number;
  readonly mutatedGenerated: number;
  readonly expansionChain: number;
  readonly big: number;
  /** The size of big inputs, at most (characters). */
  readonly bigChars: number;
}

/** The default mix: mostly mutated real files; some generated ones (valid: they reach the compiler and the oracle). */
export const DEFAULT_MIX: InputMix = { mutatedSeed: 68, generated: 14, mutatedGenerated: 14, expansionChain: 2, big: 2, bigChars: 100_000 };

/**
 * CI's mix: big inputs stay under 20,000 characters (a stage on 100 KB takes seconds on a loaded
 * machine, and the time limit must not be flaky); the long run (`npm run fuzz`) goes to 100,000.
 */
export const CI_MIX: InputMix = { ...DEFAULT_MIX, bigChars: 20_000 };

/** Makes input `i` of a run of seed `seed` from the seed files. */
export class InputSource {
  private arbitrary: fc.Arbitrary<{ text: string }> | undefined;
  private readonly texts: readonly string[];

  constructor(
    readonly seed: number,
    private readonly seeds: readonly SeedFile[],
    private readonly mix: InputMix = DEFAULT_MIX,
  ) {
    if (seeds.length === 0) throw new Error('the fuzzer needs at least one seed file');
    this.texts = seeds.map((s) => s.text);
  }

  private generated(random: Random): string {
    this.arbitrary ??= arbitraryRuleFile();
    return fc.sample(this.arbitrary, { seed: random.uint32() | 0, numRuns: 1 })[0].text;
  }

  input(index: number): FuzzInput {
    const random = new Random(this.seed, index);
    const kind = random.weighted<Exclude<keyof InputMix, 'bigChars'>>([
      [this.mix.mutatedSeed, 'mutatedSeed'],
      [this.mix.generated, 'generated'],
      [this.mix.mutatedGenerated, 'mutatedGenerated'],
      [this.mix.expansionChain, 'expansionChain'],
      [this.mix.big, 'big'],
    ]);
    switch (kind) {
      case 'mutatedSeed': {
        const seed = random.pick(this.seeds);
        return { index, origin: `mutated ${seed.name}`, text: mutate(seed.text, random, this.texts) };
      }
      case 'generated':
        return { index, origin: 'generated', text: this.generated(random) };
      case 'mutatedGenerated':
        return { index, origin: 'mutated generated', text: mutate(this.generated(random), random, this.texts) };
      case 'expansionChain':
        return { index, origin: 'expansion chain', text: expansionChain(random) };
      case 'big': {
        const seed = random.pick(this.seeds);
        return { index, origin: 'big input', text: bigInput(random, seed.text, this.mix.bigChars) };
      }
    }
  }
}
