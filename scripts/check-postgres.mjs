// Exits 0 when the PostgreSQL at the given URL answers a query within 5 seconds, 1 otherwise.
import postgres from 'postgres';

const url = process.argv[2];
const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
try {
  const [row] = await sql`select version()`;
  console.log(row.version);
  await sql.end();
} catch (error) {
  console.error(`cannot reach PostgreSQL: ${error.message}`);
  await sql.end({ timeout: 1 }).catch(() => {});
  process.exit(1);
}
