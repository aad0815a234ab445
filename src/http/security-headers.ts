// Headers for browsers, set on every response before the app runs (a route's own value for the same header wins):
// no guessing a type other than the one sent, never shown inside another site's frame, and nothing active unless
// the response is a page of the app, whose pages say what they may load (APP_PAGE_POLICY, sent by web-app.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BASELINE_RESPONSE_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
];

/**
 * The web app's pages: its own scripts, styles and API only. Images may also be data: and blob: URLs (the icon,
 * previews of attachments before they are sent) and https: (people's avatars may live elsewhere).
 */
export const APP_PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Typeset math (KaTeX) places its glyphs with style attributes; an attribute can style, never run anything.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  // The build inlines the smallest of the math fonts as data: URLs.
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A `request` listener, added before the app's: Node merges these with the headers the app writes. */
export function setBaselineHeaders(_request: IncomingMessage, response: ServerResponse): void {
  for (const [name, value] of BASELINE_RESPONSE_HEADERS) response.setHeader(name, value);
}
