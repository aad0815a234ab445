// Single sign-on with an OpenID Connect provider, through better-auth's generic OAuth plugin: the web app starts
// at POST /api/auth/sign-in/social { provider: "oidc" } and the provider sends the browser back to
// /api/auth/callback/oidc. Someone new gets an account; someone whose email already has one is signed in to it,
// but only when the provider says it verified that email (better-auth checks email_verified before linking: we do
// not list the provider as trusted). A guest who signs in this way keeps their conversations like any other
// sign-in (the anonymous plugin's link hook runs on the callback too: guest-linking.ts).
import { APIError } from 'better-auth/api';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import type { Environment } from '../config/env.ts';
import { type OpenIdProvider, openIdProviderOf } from '../config/single-sign-on.ts';
import { avatarUrlSchema } from './new-users.ts';

/** The provider's id in better-auth: part of the callback URL to register with the provider. */
export const SINGLE_SIGN_ON_PROVIDER_ID = 'oidc';

/** How people may get in, as the sign-in screen must know it before anyone is signed in. */
export type SignInOptions = { passwordSignIn: boolean; singleSignOn: { label: string } | null };

export function signInOptionsOf(env: Environment): SignInOptions {
  const provider = openIdProviderOf(env);
  return {
    passwordSignIn: env.CHORUS_PASSWORD_LOGIN,
    singleSignOn: provider ? { label: provider.buttonLabel } : null,
  };
}

/** A picture the provider offers is kept only where ours would be accepted (https, or a small inline image). */
const acceptedPicture = (picture: unknown) =>
  typeof picture === 'string' && avatarUrlSchema.safeParse(picture).success ? picture : undefined;

function singleSignOnPlugin(provider: OpenIdProvider) {
  return genericOAuth({
    config: [
      {
        providerId: SINGLE_SIGN_ON_PROVIDER_ID,
        name: provider.buttonLabel,
        discoveryUrl: `${provider.issuer}/.well-known/openid-configuration`,
        // Identity comes from the ID token's `sub`: a provider whose keys cannot be discovered is not used.
        requireIdTokenVerification: true,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        scopes: ['openid', 'email', 'profile'],
        mapProfileToUser: (profile) => ({
          name: typeof profile.name === 'string' ? profile.name : undefined,
          image: acceptedPicture(profile.picture ?? profile.image),
        }),
      },
    ],
  });
}

/** The better-auth plugins single sign-on needs: none when OIDC_ISSUER is unset. */
export function singleSignOnPlugins(env: Environment) {
  const provider = openIdProviderOf(env);
  return provider ? [singleSignOnPlugin(provider)] : [];
}

const PASSWORD_PATHS = new Set(['/sign-in/email', '/sign-up/email']);

/** With CHORUS_PASSWORD_LOGIN=false, signing in or up with a password is refused, saying why. */
export function refusePasswordSignIn(env: Environment, path: string) {
  if (env.CHORUS_PASSWORD_LOGIN || !PASSWORD_PATHS.has(path)) return;
  throw new APIError('FORBIDDEN', {
    code: 'PASSWORD_SIGN_IN_DISABLED',
    message: 'signing in with an email and password is turned off on this server; use single sign-on',
  });
}
