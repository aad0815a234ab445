// Holds the messages table locked from another connection, so a backup waits there, half-way, until `unlock`.
import type postgres from 'postgres';

export function holdLock(connection: postgres.Sql): {
  holding: Promise<unknown>;
  locked: Promise<void>;
  unlock: () => void;
} {
  let unlock!: () => void;
  const released = new Promise<void>((resolve) => (unlock = resolve));
  let markLocked!: () => void;
  const locked = new Promise<void>((resolve) => (markLocked = resolve));
  const holding = connection.begin(async (transaction) => {
    await transaction`lock table messages in access exclusive mode`;
    markLocked();
    await released;
  });
  return { holding, locked, unlock };
}
