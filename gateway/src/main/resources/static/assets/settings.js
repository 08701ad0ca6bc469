// Settings: one row per Google account (its status and action, its calendars with a switch each, sync
// now, disconnect). The rows follow the event stream and a status poll: calendars appear after the first
// sync, statuses change, a revoked grant asks to reconnect, without a reload.
'use strict';

(async () => {
  const banner = document.getElementById('banner');

  function say(text, kind) {
    showBanner(banner, text, kind);
  }

  const REASONS = {
    access_denied: 'access was denied at Google',
    invalid_state: 'the link expired, please try again',
    exchange_failed: 'Google did not confirm the grant',
    insufficient_scope: 'calendar access was not granted',
  };

  // Banners from the OAuth callback's redirect: ?calendar=connected|error&reason=...
  const query = new URLSearchParams(window.location.search);
  if (query.get('calendar') === 'connected') {
    say('Google Calendar connected. Your events will appear shortly.', 'success');
  } else if (query.get('calendar') === 'error') {
    const reason = query.get('reason');
    say('Could not connect Google Calendar: ' + (REASONS[reason] || reason || 'unknown error') + '.', 'error');
  }
  if (query.has('calendar')) history.replaceState(null, '', '/settings');

  const user = await Auth.session();
  Auth.renderSession(document.getElementById('session'), user);
  if (!user) {
    document.getElementById('signed-out').hidden = false;
    document.getElementById('sign-in').addEventListener('click', () => Auth.signIn('/settings'));
    return;
  }
  document.getElementById('signed-in').hidden = false;

  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  function formatTime(value) {
    return value ? timeFormat.format(new Date(value)) : '—';
  }

  function fail(error) {
    say(error.message, 'error');
  }

  /** What a sync error means for the user, in plain words; never the raw API text. */
  const ERRORS = {
    google_unavailable: 'Google is not answering',
    quota_exceeded: "Google's usage limit for this app was reached",
    google_unauthorized: 'Google refused access to this account',
    calendar_not_found: 'a calendar is no longer at Google',
    google_error: 'Google refused a request',
    token_unavailable: 'we could not get access to this account',
    publish_failed: 'we could not store the changes',
    aborted: 'the sync was interrupted',
    connection_unknown: 'the account is still being set up',
  };

  function errorText(error, nextSyncAt) {
    const what = (error && ERRORS[error.code]) || 'the last sync failed';
    const when = nextSyncAt ? 'we retry at ' + formatTime(nextSyncAt) : 'we retry in a few minutes';
    return what.charAt(0).toUpperCase() + what.slice(1) + '; ' + when + '.';
  }

  /** One status for an account: the connection's grant first, then its sync. */
  function accountStatus(connection, sync) {
    if (connection.status === 'reauth_required' || (sync && sync.state === 'reauth_required')) {
      return { kind: 'reauth_required', label: 'needs reconnecting',
        text: 'Access to this Google account was revoked or has expired. Reconnect it to keep your events fresh.' };
    }
    if (sync && (sync.state === 'queued' || sync.state === 'syncing')) {
      return { kind: 'syncing', label: 'syncing', text: 'Syncing now…' };
    }
    if (sync && sync.state === 'error') {
      return { kind: 'error', label: 'error', text: errorText(sync.last_error, sync.next_sync_at) };
    }
    if (!sync || !sync.last_success_at) {
      return { kind: 'syncing', label: 'syncing', text: 'Waiting for the first sync…' };
    }
    return { kind: 'active', label: 'active', text: 'Last synced ' + formatTime(sync.last_success_at) };
  }

  async function connect(button) {
    button.disabled = true;
    try {
      const body = await Api.get('/api/calendar/google/authorize/?return_to=' + encodeURIComponent('/settings'));
      window.location.assign(body.authorization_url);
    } catch (error) {
      button.disabled = false;
      fail(error);
    }
  }

  /** The control drawn now under `key` (its data-key: the same control across redraws), or null. */
  function byKey(key) {
    return key ? document.querySelector('[data-key="' + CSS.escape(key) + '"]') : null;
  }

  /**
   * Runs `task` with `control` disabled. A disabled control loses focus, and a redraw
   * replaces it: a keyboard user's focus comes back to it (or to its redrawn twin, by data-key) after.
   */
  async function whileBusy(control, task) {
    const hadFocus = document.activeElement === control;
    control.disabled = true;
    try {
      await task();
    } finally {
      control.disabled = false;
      if (hadFocus && (!document.activeElement || document.activeElement === document.body)) {
        const twin = byKey(control.dataset.key);
        (twin || (control.isConnected ? control : document.getElementById('connect'))).focus();
      }
    }
  }

  function syncNow(button, connectionId) {
    return whileBusy(button, async () => {
      try {
        const body = await Api.post('/api/calendar/sync/', connectionId ? { connection_id: connectionId } : {});
        const n = (body && body.requested ? body.requested.length : 0);
        say('Sync requested for ' + n + ' account' + (n === 1 ? '' : 's') + '.', 'info');
        await refreshStatus();
      } catch (error) {
        fail(error);
      }
    });
  }

  function calendarRow(cal) {
    const box = el('input', { type: 'checkbox', checked: !!cal.selected, id: 'cal-' + cal.id, className: 'switch' });
    box.dataset.key = 'select-' + cal.id;
    box.setAttribute('role', 'switch');
    box.addEventListener('change', () => whileBusy(box, async () => {
      try {
        const updated = await Api.patch('/api/calendar/calendars/' + encodeURIComponent(cal.id) + '/', { selected: box.checked });
        box.checked = !!(updated ? updated.selected : box.checked);
      } catch (error) {
        box.checked = !box.checked;
        fail(error);
      }
    }));
    const swatch = el('span', { className: 'swatch' });
    swatch.style.backgroundColor = calendarColor(cal.color);
    // the colour is the user's to change: stored by the platform, shown with the calendar's events
    const picker = el('input', { type: 'color', className: 'color', value: calendarColor(cal.color) });
    picker.setAttribute('aria-label', 'Colour of ' + (cal.name || 'the calendar'));
    picker.dataset.key = 'color-' + cal.id;
    picker.addEventListener('change', () => whileBusy(picker, async () => {
      try {
        const updated = await Api.patch('/api/calendar/calendars/' + encodeURIComponent(cal.id) + '/', { color: picker.value });
        cal.color = updated ? updated.color : picker.value;
        swatch.style.backgroundColor = calendarColor(cal.color);
      } catch (error) {
        picker.value = calendarColor(cal.color);
        fail(error);
      }
    }));
    return el('li', { className: 'calendar' },
      el('label', { htmlFor: box.id, className: 'check' }, box, swatch,
        el('span', { className: 'name' }, cal.name || cal.id, cal.primary ? el('span', { className: 'muted' }, ' (primary)') : null)),
      el('span', { className: 'calendar-side' },
        el('span', { className: 'muted small zone' }, cal.time_zone || ''), picker));
  }

  function accountRow(connection, sync, calendars) {
    const account = connection.account_email || 'this account';
    const status = accountStatus(connection, sync);
    const actions = el('div', { className: 'actions' });
    if (status.kind === 'reauth_required') {
      const reconnect = el('button', { type: 'button', className: 'primary' }, 'Reconnect');
      reconnect.dataset.key = 'action-' + connection.id;
      reconnect.addEventListener('click', () => connect(reconnect));
      actions.append(reconnect);
    } else {
      const button = el('button', { type: 'button' }, 'Sync now');
      button.setAttribute('aria-label', 'Sync now ' + account);
      button.dataset.key = 'action-' + connection.id;
      button.addEventListener('click', () => syncNow(button, connection.id));
      actions.append(button);
    }
    const disconnect = el('button', { type: 'button', className: 'danger' }, 'Disconnect');
    disconnect.setAttribute('aria-label', 'Disconnect ' + account);
    disconnect.dataset.key = 'disconnect-' + connection.id;
    // once the row is gone, focus goes on to "Connect Google Calendar" (see whileBusy)
    disconnect.addEventListener('click', () => {
      if (!confirm('Disconnect ' + account + '? Its events leave the dashboard.')) return undefined;
      return whileBusy(disconnect, async () => {
        try {
          await Api.del('/api/calendar/connections/' + encodeURIComponent(connection.id) + '/');
          say('Disconnected ' + account + '.', 'info');
          await loadAll();
        } catch (error) {
          fail(error);
        }
      });
    });
    actions.append(disconnect);
    const list = el('ul', { className: 'list calendars' });
    for (const cal of calendars) list.append(calendarRow(cal));
    if (!calendars.length) {
      list.append(el('li', { className: 'calendar muted small' }, 'No calendars yet. They appear after the first sync.'));
    }
    const row = el('li', { className: 'account', id: 'account-' + connection.id },
      el('div', { className: 'account-head' },
        el('div', { className: 'who' },
          el('div', { className: 'title' }, connection.account_email || connection.id),
          el('div', { className: 'status' },
            el('span', { className: 'badge ' + status.kind }, status.label), ' ',
            el('span', { className: status.kind === 'error' || status.kind === 'reauth_required' ? 'error-text small' : 'muted small' }, status.text))),
        actions),
      list);
    row.dataset.status = status.kind;
    return row;
  }

  // the last answers, so a status poll can redraw without reading everything again
  let connections = [];
  let calendars = [];
  let syncs = [];

  /**
   * Redraws the rows. A keyboard user's place survives it: the control that had focus (a switch, a
   * colour, an account's action) has it again in the new rows, where a plain redraw would drop focus
   * to the page's start on every status poll.
   */
  function draw() {
    const list = document.getElementById('accounts');
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    document.getElementById('no-connections').hidden = connections.length > 0;
    document.getElementById('sync-all').hidden = connections.length < 2;
    list.replaceChildren(...connections.map((c) => accountRow(c,
      syncs.find((s) => s.connection_id === c.id),
      calendars.filter((cal) => cal.connection_id === c.id))));
    const again = byKey(focused);
    if (again) again.focus();
  }

  /** Re-reads the sync status; re-reads the rest too when it knows of something not drawn yet. */
  async function refreshStatus() {
    const body = await Api.get('/api/calendar/sync/status/');
    syncs = body.connections || [];
    const known = new Set(calendars.map((cal) => cal.id));
    const unlisted = syncs.some((s) => (s.calendars || []).some((cal) => !known.has(cal.calendar_id)));
    const regranted = syncs.some((s) => s.state === 'reauth_required'
      && connections.some((c) => c.id === s.connection_id && c.status !== 'reauth_required'));
    if (unlisted || regranted) {
      await loadAll();
    } else {
      draw();
    }
    return syncs.some((s) => s.state === 'queued' || s.state === 'syncing' || !s.last_success_at);
  }

  let statusTimer = null;
  async function pollStatus() {
    clearTimeout(statusTimer);
    try {
      const busy = await refreshStatus();
      statusTimer = setTimeout(pollStatus, busy ? 2000 : 15000);
    } catch (error) {
      fail(error);
    }
  }

  async function loadAll() {
    try {
      const [c, cal, s] = await Promise.all([
        Api.get('/api/calendar/connections/'),
        Api.get('/api/calendar/calendars/'),
        Api.get('/api/calendar/sync/status/'),
      ]);
      connections = c.connections || [];
      calendars = cal.calendars || [];
      syncs = s.connections || [];
      draw();
      const busy = syncs.some((x) => x.state === 'queued' || x.state === 'syncing' || !x.last_success_at);
      clearTimeout(statusTimer);
      statusTimer = setTimeout(pollStatus, busy ? 2000 : 15000);
    } catch (error) {
      fail(error);
    }
  }

  document.getElementById('connect').addEventListener('click', (e) => connect(e.currentTarget));
  document.getElementById('sync-all').addEventListener('click', (e) => syncNow(e.currentTarget, null));

  // a change of a connection or a calendar (the first sync's calendars, a revoked grant) redraws the rows
  let reloadTimer = null;
  function changed(event) {
    if (event && !/^(calendar|connection)\./.test(event.event)) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadAll, 300);
  }

  loadAll();
  Api.listen(changed, () => {});
})();
