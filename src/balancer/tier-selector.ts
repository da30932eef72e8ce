import type { JobTier } from './job.js';

/**
 * Shares the executors between the tiers: premium gets `premiumShare` of the starts and
 * general the rest, by smooth weighted round robin. It only orders the tiers; the store
 * falls through to the next when one has nothing ready, so no slot waits while any job
 * could run (the original wasted the slot of an empty tier).
 */
export class TierSelector {
  private premiumCredit = 0;
  private generalCredit = 0;
  private preferred: JobTier = 'premium';

  constructor(private readonly premiumShare: number) {}

  /** The tiers in the order to try for the next start. */
  order(): readonly JobTier[] {
    this.premiumCredit += this.premiumShare;
    this.generalCredit += 1 - this.premiumShare;
    this.preferred = this.premiumCredit >= this.generalCredit ? 'premium' : 'general';
    return this.preferred === 'premium'
      ? (['premium', 'general'] as const)
      : (['general', 'premium'] as const);
  }

  /** The tier that was actually started, which pays for its turn. */
  started(tier: JobTier): void {
    if (tier !== this.preferred) {
      // The preferred tier had nothing ready: it forfeits its turn instead of banking
      // credit that would later let it take a long run of slots in a row.
      this.premiumCredit = 0;
      this.generalCredit = 0;
      return;
    }
    if (tier === 'premium') this.premiumCredit -= 1;
    else this.generalCredit -= 1;
  }
}
