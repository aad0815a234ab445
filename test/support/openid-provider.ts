// A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests: the `oidc-provider` package with one
// client (Chorus) and a minimal login page. Whoever types a login name is signed in as that person: a name with an
// @ is their email, which the provider says it verified unless the test listed it in `unverifiedEmails`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const TEST_CLIENT_ID = 'chorus';
export const TEST_CLIENT_SECRET = 'a client secret for the tests only';

export type OpenIdProviderServer = {
  issuer: string;
  /** Chorus's settings for signing in with this provider. */
  env: Record<string, string>;
  unverifiedEmails: Set<string>;
  close(): Promise<void>;
};

const LOGIN_PAGE = (
  uid: string,
) => `<!doctype html><html><head><title>Test provider sign-in</title><link rel="icon" href="data:,"></head><body>
<form method="post" action="/interaction/${uid}/login">
<label>Login name <input name="login" autofocus></label><button type="submit">Sign in at the provider</button>
</form></body></html>`;

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** `chorusUrl`: where Chorus runs (its callback is the client's one redirect URI). */
export async function startOpenIdProvider(chorusUrl: string): Promise<OpenIdProviderServer> {
  const unverifiedEmails = new Set<string>();
  let provider: Provider | undefined;
  const server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [`${chorusUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['a cookie key for the tests only'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_context, accountId) => ({
      accountId,
      claims: () => ({
        sub: accountId,
        email: accountId.includes('@') ? accountId : `${accountId}@provider.test`,
        email_verified: !unverifiedEmails.has(accountId),
        name: accountId.split('@')[0],
      }),
    }),
  });

  async function answer(request: IncomingMessage, response: ServerResponse) {
    try {
      const login = /^\/interaction\/([^/]+)(\/login)?$/.exec(request.url ?? '');
      if (!login) return provider!.callback()(request, response);
      const details = await provider!.interactionDetails(request, response);
      if (!login[2]) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_PAGE(details.uid));
        return;
      }
      const accountId = (await formOf(request)).get('login')?.trim() || 'someone';
      // Signing in is consenting too: the grant covers the scopes asked for, so no second page is needed.
      const grant = new provider!.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider!.interactionFinished(
        request,
        response,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: TEST_CLIENT_ID, OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET },
    unverifiedEmails,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
