// Getting in: sign in, sign up, single sign-on when the server offers it, or continue as a guest (a guest comes back
// here to sign up or in, and keeps their conversations). Errors from the API land next to the field they concern.
import { type ComponentProps, type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, apiRequest, authReasonOf } from '../api.ts';
import { FormProblem } from '../form-problem.tsx';
import type { ResponseBody } from '../types.ts';

type SignInOptions = ResponseBody<'/api/auth-options', 'get'>;

/** The provider sends people back with `?error=` when single sign-on did not work out. */
function singleSignOnProblem(): string | undefined {
  const reason = new URLSearchParams(window.location.search).get('error');
  if (!reason) return undefined;
  if (reason === 'account_not_linked')
    return 'Single sign-on failed: an account with this email exists, and the provider has not verified the email.';
  if (reason === 'account_deactivated') return 'This account is deactivated.';
  return `Single sign-on failed (${reason.replaceAll('_', ' ')}).`;
}

type Mode = 'sign-in' | 'sign-up';
type Field = 'name' | 'email' | 'password';
type Problems = Partial<Record<Field | 'form', string>>;

/** Which field an API error is about, and how to say it to a person. */
export function problemsFromError(error: unknown, mode: Mode): Problems {
  if (!(error instanceof ApiError)) return { form: 'Something went wrong. Try again.' };
  const reason = authReasonOf(error) ?? '';
  // better-auth names the field of a malformed body: "[body.email] Invalid email address".
  const named = /^\[body\.(name|email|password)\]\s*(.+)$/.exec(error.message);
  if (named) return { [named[1] as Field]: named[2] };
  if (error.code === 'conflict') return { email: 'An account with this email already exists. Sign in instead?' };
  if (reason.includes('PASSWORD_TOO_SHORT')) return { password: error.message || 'The password is too short.' };
  if (reason.includes('PASSWORD_TOO_LONG')) return { password: error.message || 'The password is too long.' };
  if (reason.includes('EMAIL')) {
    if (error.code === 'unauthorized' || reason === 'INVALID_EMAIL_OR_PASSWORD')
      return { form: 'Wrong email or password.' };
    return { email: error.message || 'This email address is not valid.' };
  }
  if (error.code === 'unauthorized') return { form: mode === 'sign-in' ? 'Wrong email or password.' : error.message };
  if (error.code === 'forbidden') return { form: error.message };
  if (error.code === 'rate_limited') return { form: 'Too many attempts. Wait a moment and try again.' };
  return { form: error.message };
}

/** `onCancel`: a guest's way back to their chats. */
export function AuthScreen({ onSignedIn, onCancel }: { onSignedIn: () => void; onCancel?: () => void }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  // Unknown until the server answers: no form is shown that the server might refuse (passwords being off).
  const [options, setOptions] = useState<SignInOptions | null>(null);
  useEffect(() => {
    apiRequest<SignInOptions>('GET', '/api/auth-options').then(setOptions, () =>
      setOptions({ passwordSignIn: true, singleSignOn: null }),
    );
    // The reason is shown once: a reload or a link copied from here starts afresh.
    const url = new URL(window.location.href);
    if (url.searchParams.has('error')) {
      url.searchParams.delete('error');
      window.history.replaceState(window.history.state, '', url);
    }
  }, []);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems>(() => ({ form: singleSignOnProblem() }));
  const [busy, setBusy] = useState(false);
  const ids = useId();

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setProblems({});
    try {
      await action();
      onSignedIn();
    } catch (error) {
      setProblems(problemsFromError(error, mode));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() =>
      mode === 'sign-up'
        ? apiRequest('POST', '/api/auth/sign-up/email', { name: name.trim(), email: email.trim(), password })
        : apiRequest('POST', '/api/auth/sign-in/email', { email: email.trim(), password }),
    );
  }

  /** Off to the provider, which sends the browser back here signed in (or with `?error=`). */
  async function signInWithProvider() {
    setBusy(true);
    const here = window.location.pathname;
    try {
      const { url } = await apiRequest<{ url: string }>('POST', '/api/auth/sign-in/social', {
        provider: 'oidc',
        callbackURL: here,
        errorCallbackURL: here,
      });
      window.location.assign(url);
    } catch (error) {
      setProblems(problemsFromError(error, mode));
      setBusy(false);
    }
  }

  const field = (key: Field, label: string, input: ComponentProps<'input'>) => (
    <div className="field">
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input
        id={`${ids}-${key}`}
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={problems[key] ? `${ids}-${key}-problem` : undefined}
        {...input}
      />
      {problems[key] && (
        <p className="field-problem" id={`${ids}-${key}-problem`}>
          {problems[key]}
        </p>
      )}
    </div>
  );

  return (
    <main className="auth-screen">
      <div className="auth-card">
        <h1 className="brand">Chorus</h1>
        <p className="auth-tagline">Talk to many AI models — one at a time, or several side by side.</p>
        {options?.singleSignOn && (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void signInWithProvider()}>
              {options.singleSignOn.label}
            </button>
            {options.passwordSignIn && <div className="auth-divider">or</div>}
          </>
        )}
        {options?.passwordSignIn && (
          <>
            <div className="auth-tabs" role="tablist" aria-label="Account">
              {(['sign-in', 'sign-up'] as const).map((tab) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  aria-selected={mode === tab}
                  className={mode === tab ? 'tab selected' : 'tab'}
                  onClick={() => {
                    setMode(tab);
                    setProblems({});
                  }}
                >
                  {tab === 'sign-in' ? 'Sign in' : 'Sign up'}
                </button>
              ))}
            </div>
            <form onSubmit={submit} noValidate aria-label={mode === 'sign-in' ? 'Sign in' : 'Sign up'}>
              {mode === 'sign-up' &&
                field('name', 'Name', {
                  value: name,
                  onChange: (event) => setName(event.target.value),
                  autoComplete: 'name',
                  required: true,
                })}
              {field('email', 'Email', {
                type: 'email',
                value: email,
                onChange: (event) => setEmail(event.target.value),
                autoComplete: 'email',
                required: true,
              })}
              {field('password', 'Password', {
                type: 'password',
                value: password,
                onChange: (event) => setPassword(event.target.value),
                autoComplete: mode === 'sign-up' ? 'new-password' : 'current-password',
                required: true,
                minLength: 8,
              })}
              <FormProblem problem={problems.form} />
              <button type="submit" className="primary" disabled={busy}>
                {mode === 'sign-in' ? 'Sign in' : 'Create account'}
              </button>
            </form>
          </>
        )}
        {!options?.passwordSignIn && <FormProblem problem={problems.form} />}
        <div className="auth-divider">or</div>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Back to my chats as a guest
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run(() => apiRequest('POST', '/api/auth/sign-in/anonymous', {}))}
          >
            Continue as guest
          </button>
        )}
      </div>
    </main>
  );
}
