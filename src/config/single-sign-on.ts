// The OIDC_* settings: single sign-on with an OpenID Connect provider (Keycloak, Authentik, Entra ID, Google, ...),
// found through its discovery document, and CHORUS_PASSWORD_LOGIN, which can leave that the only way in.
import { z } from 'zod';
import { flag } from './object-storage.ts';

export const singleSignOnFields = {
  /** The provider's issuer URL; its /.well-known/openid-configuration says where to send people. */
  OIDC_ISSUER: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || /^https?:\/\//.test(value), 'must be an http(s) URL')
    .refine((value) => value === undefined || URL.canParse(value), 'must be a URL'),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The words on the sign-in screen's button. */
  OIDC_BUTTON_LABEL: z.string().trim().min(1).max(60).default('Sign in with SSO'),
  /** `false`: nobody signs in or up with an email and password (single sign-on and guests remain). */
  CHORUS_PASSWORD_LOGIN: flag.default(true),
};

const singleSignOnSchema = z.object(singleSignOnFields);
export type SingleSignOnSettings = z.infer<typeof singleSignOnSchema>;

/** The provider Chorus signs people in with, when OIDC_ISSUER is set. */
export type OpenIdProvider = { issuer: string; clientId: string; clientSecret: string; buttonLabel: string };

export function openIdProviderOf(settings: SingleSignOnSettings): OpenIdProvider | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_BUTTON_LABEL } = settings;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return {
    issuer: OIDC_ISSUER.replace(/\/+$/, ''),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    buttonLabel: OIDC_BUTTON_LABEL,
  };
}

/** What is wrong with the OIDC_* settings taken together, one line per problem (`VARIABLE: why`). */
export function singleSignOnProblems(settings: SingleSignOnSettings): string[] {
  const problems: string[] = [];
  const parts = {
    OIDC_ISSUER: settings.OIDC_ISSUER,
    OIDC_CLIENT_ID: settings.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: settings.OIDC_CLIENT_SECRET,
  };
  const given = Object.entries(parts).filter(([, value]) => value !== undefined);
  if (given.length > 0 && given.length < 3) {
    for (const [name, value] of Object.entries(parts)) {
      if (value === undefined)
        problems.push(`${name}: must be set with ${given.map(([other]) => other).join(' and ')}`);
    }
  }
  if (!settings.CHORUS_PASSWORD_LOGIN && given.length < 3) {
    problems.push(
      'CHORUS_PASSWORD_LOGIN: false leaves nobody a way to sign in without OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    );
  }
  return problems;
}
