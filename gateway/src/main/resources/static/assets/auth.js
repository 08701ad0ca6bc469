// Sign-in for the web client: OIDC authorization code flow with PKCE (S256), a public client.
// The issuer and client id come from the gateway's /config.json. The access token lives in
// sessionStorage only (gone when the tab closes) and is never logged.
'use strict';

const Auth = (() => {
  const TOKEN_KEY = 'calendar.token';
  const PENDING_KEY = 'calendar.pending-signin';
  let configPromise;
  let discoveryPromise;

  function config() {
    configPromise ??= fetch('/config.json', { headers: { Accept: 'application/json' } })
      .then((r) => { if (!r.ok) throw new Error('Cannot load /config.json'); return r.json(); });
    return configPromise;
  }

  function discovery() {
    discoveryPromise ??= config().then((c) =>
      fetch(c.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration')
        .then((r) => { if (!r.ok) throw new Error('Cannot reach the sign-in service'); return r.json(); }));
    return discoveryPromise;
  }

  function base64url(bytes) {
    let s = '';
    bytes.forEach((b) => { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString(size = 32) {
    return base64url(crypto.getRandomValues(new Uint8Array(size)));
  }

  async function challenge(verifier) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(digest));
  }

  function redirectUri() {
    return window.location.origin + '/callback.html';
  }

  /** Starts the sign-in; the browser leaves the page. */
  async function signIn(returnTo = window.location.pathname + window.location.search) {
    const [c, d] = await Promise.all([config(), discovery()]);
    const verifier = randomString(48);
    const state = randomString();
    const nonce = randomString();
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo }));
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: c.client_id,
      redirect_uri: redirectUri(),
      scope: c.scope || 'openid calendar',
      state,
      nonce,
      code_challenge: await challenge(verifier),
      code_challenge_method: 'S256',
    });
    window.location.assign(d.authorization_endpoint + '?' + params);
  }

  /** On /callback.html: exchanges the code for tokens; returns the path to go back to. */
  async function completeSignIn() {
    const query = new URLSearchParams(window.location.search);
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
    sessionStorage.removeItem(PENDING_KEY);
    if (query.get('error')) throw new Error('Sign-in was cancelled (' + query.get('error') + ').');
    if (!pending || !query.get('code') || query.get('state') !== pending.state) {
      throw new Error('This sign-in link is no longer valid. Please sign in again.');
    }
    const [c, d] = await Promise.all([config(), discovery()]);
    const response = await fetch(d.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: query.get('code'),
        redirect_uri: redirectUri(),
        client_id: c.client_id,
        code_verifier: pending.verifier,
      }),
    });
    if (!response.ok) throw new Error('The sign-in service refused the sign-in (' + response.status + ').');
    const tokens = await response.json();
    const expiresIn = Number(tokens.expires_in) || 300;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
      accessToken: tokens.access_token,
      expiresAt: Date.now() + (expiresIn - 10) * 1000,
    }));
    const back = pending.returnTo || '/';
    return back.startsWith('/') && !back.startsWith('//') ? back : '/';
  }

  /** The current access token, or null when signed out or expired. */
  function token() {
    const stored = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
    if (!stored || Date.now() >= stored.expiresAt) {
      sessionStorage.removeItem(TOKEN_KEY);
      return null;
    }
    return stored.accessToken;
  }

  /** The user id (the token's sub), for display only. */
  function user() {
    const t = token();
    if (!t) return null;
    try {
      const payload = JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return payload.preferred_username || payload.name || payload.sub;
    } catch (e) {
      return null;
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    window.location.assign('/');
  }

  /** Fills the header: who is signed in and a sign-out button, or a sign-in button. */
  function renderSession(element) {
    element.replaceChildren();
    const name = user();
    const button = document.createElement('button');
    button.type = 'button';
    if (name) {
      const who = document.createElement('span');
      who.className = 'muted who';
      who.title = name;
      who.textContent = name;
      button.textContent = 'Sign out';
      button.addEventListener('click', signOut);
      element.append(who, button);
    } else {
      button.textContent = 'Sign in';
      button.addEventListener('click', () => signIn());
      element.append(button);
    }
  }

  return { signIn, completeSignIn, token, signOut, renderSession };
})();
