// Who is signed in, and signing in and out. The gateway signs the browser in (OIDC authorization code
// with PKCE) and keeps the tokens in its session: the page holds only the session cookie, which its
// scripts cannot read, and never sees a token.
'use strict';

const Auth = (() => {
  const RETURN_KEY = 'calendar.return-to';
  let sessionPromise;

  /** The signed-in user ({sub, name}), or null when signed out. */
  function session() {
    sessionPromise ??= fetch('/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null))
      .then((s) => (s && s.signed_in ? s : null))
      .catch(() => null);
    return sessionPromise;
  }

  /** Starts the sign-in at the gateway; the browser leaves the page and comes back to returnTo. */
  function signIn(returnTo = window.location.pathname + window.location.search) {
    sessionStorage.setItem(RETURN_KEY, returnTo);
    window.location.assign('/oauth2/authorization/calendar');
  }

  /**
   * After a sign-in the gateway lands on '/': goes on to the page the sign-in started from.
   * Returns true when the browser is leaving.
   */
  function resumeAfterSignIn() {
    const back = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    const here = window.location.pathname + window.location.search;
    if (back && back.startsWith('/') && !back.startsWith('//') && back !== here) {
      window.location.replace(back);
      return true;
    }
    return false;
  }

  /** The CSRF token the gateway set as a cookie, for state-changing requests. */
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  /** Signs out at the gateway and the issuer (a form post: the answer redirects to the issuer). */
  function signOut() {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/logout';
    const token = document.createElement('input');
    token.type = 'hidden';
    token.name = '_csrf';
    token.value = csrfToken() || '';
    form.append(token);
    document.body.append(form);
    form.submit();
  }

  /** Fills the header: who is signed in and a sign-out button, or a sign-in button. */
  function renderSession(element, user) {
    element.replaceChildren();
    const button = document.createElement('button');
    button.type = 'button';
    if (user) {
      const who = document.createElement('span');
      who.className = 'muted who';
      who.title = user.name;
      who.textContent = user.name;
      button.textContent = 'Sign out';
      button.addEventListener('click', signOut);
      element.append(who, button);
    } else {
      button.textContent = 'Sign in';
      button.addEventListener('click', () => signIn());
      element.append(button);
    }
  }

  return { session, signIn, resumeAfterSignIn, csrfToken, signOut, renderSession };
})();
