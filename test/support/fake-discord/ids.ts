// Discord ids for the fake: real snowflakes (milliseconds since Discord's epoch, shifted, plus a counter), so they
// have the 17 to 19 digits @discordjs/rest needs to tell rate-limit buckets apart and discord.js reads creation
// times from them as it does from Discord's own.
import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1_420_070_400_000n;

export function createSnowflakes(): () => string {
  let increment = 0n;
  let lastMillis = 0n;
  return () => {
    const millis = BigInt(Date.now()) - DISCORD_EPOCH;
    // The counter keeps ids unique and increasing within one millisecond; 12 bits allow 4,096 a millisecond.
    increment = millis === lastMillis ? (increment + 1n) & 0xfffn : 0n;
    lastMillis = millis;
    return ((millis << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
  };
}

/** A webhook's or an interaction's secret token. */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}
