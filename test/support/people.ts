// People of a test server, signed in over HTTP the way a browser signs in: users by email and password (the first
// to sign up on a server is its site admin), and guests (better-auth's anonymous sign-in).
import assert from 'node:assert/strict';
import { type Actor, actorOf } from '../../src/store/index.ts';
import { TestClient, type TestServer } from './server.ts';

export const TEST_PASSWORD = 'a long enough password';

/** Someone with a browser session: their client (cookie jar), who they are, and the store's view of them. */
export type Person = { id: string; name: string; email: string | null; client: TestClient; actor: Actor };

async function personOf(server: TestServer, client: TestClient, id: string, name: string): Promise<Person> {
  const user = await server.runtime.store.users.getById(id);
  return { id, name, email: user.email, client, actor: actorOf(user) };
}

/** `name` also makes the email (`<name>@example.test`), so it must be unique on the server. */
export async function signUp(server: TestServer, name: string): Promise<Person> {
  const client = new TestClient(server.baseUrl);
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.test`;
  const response = await client.post('/api/auth/sign-up/email', { email, password: TEST_PASSWORD, name });
  assert.equal(response.status, 200, `signing up ${name}: ${JSON.stringify(response.body)}`);
  return personOf(server, client, response.body.user.id, name);
}

export async function signInAsGuest(server: TestServer): Promise<Person> {
  const client = new TestClient(server.baseUrl);
  const response = await client.post('/api/auth/sign-in/anonymous', {});
  assert.equal(response.status, 200, `signing in a guest: ${JSON.stringify(response.body)}`);
  const me = await client.get('/api/me');
  assert.equal(me.body.isGuest, true);
  return personOf(server, client, me.body.id, 'guest');
}
