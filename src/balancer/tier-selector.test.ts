import { describe, expect, it } from 'vitest';
import { TierSelector } from './tier-selector.js';

function shareOf(selector: TierSelector, starts: number, available = () => true) {
  let premium = 0;
  for (let index = 0; index < starts; index++) {
    const tier =
      selector.order().find((candidate) => candidate === 'general' || available()) ??
      'general';
    selector.started(tier);
    if (tier === 'premium') premium++;
  }
  return premium / starts;
}

describe('TierSelector', () => {
  it.each([0.75, 0.5, 0.9])('gives premium a %s share while both tiers wait', (share) => {
    expect(Math.abs(shareOf(new TierSelector(share), 400) - share)).toBeLessThan(0.05);
  });

  it('interleaves rather than serving one tier in a block', () => {
    const selector = new TierSelector(0.75);
    const firstEight = Array.from({ length: 8 }, () => {
      const [tier] = selector.order();
      selector.started(tier ?? 'general');
      return tier;
    });
    expect(firstEight.filter((tier) => tier === 'general')).toHaveLength(2);
    expect(firstEight.slice(0, 4)).toContain('general');
  });

  it('does not let a tier bank credit while it has nothing to run', () => {
    const selector = new TierSelector(0.75);
    // General runs alone for a while (premium empty), then premium arrives.
    shareOf(selector, 100, () => false);
    expect(Math.abs(shareOf(selector, 400) - 0.75)).toBeLessThan(0.05);
  });
});
