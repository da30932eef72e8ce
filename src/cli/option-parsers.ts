import { InvalidArgumentError } from 'commander';

/**
 * A commander parser for a whole number in `[minimum, maximum]`; anything else is a usage
 * error that names the allowed range.
 */
export function integerOption(
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): (value: string) => number {
  return (value) => {
    const number = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < minimum || number > maximum) {
      const range =
        maximum === Number.MAX_SAFE_INTEGER
          ? `${minimum} or more`
          : `from ${minimum} to ${maximum}`;
      throw new InvalidArgumentError(`Expected a whole number ${range}.`);
    }
    return number;
  };
}
