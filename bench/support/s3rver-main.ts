// s3rver in a process of its own for the storage benchmark, so the store's work is not counted against the clients
// measured: it starts (test/support/s3-server.ts), sends its settings over IPC, and stops when its parent says so.
import { startS3Server } from '../../test/support/s3-server.ts';

const s3 = await startS3Server();
process.send!({ env: s3.env, settings: s3.settings });
process.on('message', async () => {
  await s3.close();
  process.exit(0);
});
