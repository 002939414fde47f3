// Review of issue 15's stage hover with a backticked field name in a `requires` condition.
import { describe, expect, it } from 'vitest';
import { hover } from '../src/features/hover.js';
import { positionOf, stateOf } from './helpers.js';

describe('stage hover', () => {
  it('quotes a requires condition holding a backticked name as one code span', () => {
    const state = stateOf(['lead {', '  `Lead Source`: text', '  email: text', '}', 'when email is set add 50', 'stage qualifié at 50 requires `Lead Source` not starts "Salon", email', ''].join('\n'));
    const result = hover(state, { textDocument: { uri: state.uri }, position: positionOf(state, 'qualifié', 0, 2) });
    const value = result !== null && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    expect(value).toContain('reached when the score is at least **50**, `email` is set, `` `Lead Source` not starts "Salon" `` holds.');
  });
});
