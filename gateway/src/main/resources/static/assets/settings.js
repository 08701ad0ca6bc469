// Settings: connect Google, list and disconnect connections, select calendars, sync now. The cards
// follow the event stream: calendars appear after the first sync, statuses change, without a reload.
'use strict';

(() => {
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

  Auth.renderSession(document.getElementById('session'));
  if (!Auth.token()) {
    document.getElementById('signed-out').hidden = false;
    document.getElementById('sign-in').addEventListener('click', () => Auth.signIn('/settings'));
    return;
  }
  document.getElementById('signed-in').hidden = false;

  function formatTime(value) {
    return value ? new Date(value).toLocaleString() : '—';
  }

  function fail(error) {
    say(error.message, 'error');
  }

  // how many connections there are, for the Calendars card's empty state
  let connectionCount = 0;
  // the calendars the Calendars card shows, to notice when the sync status knows more
  let listedCalendars = new Set();

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

  async function loadConnections() {
    const body = await Api.get('/api/calendar/connections/');
    const list = document.getElementById('connections');
    const connections = body.connections || [];
    list.replaceChildren();
    document.getElementById('no-connections').hidden = connections.length > 0;
    connectionCount = connections.length;
    for (const c of connections) {
      const status = el('span', { className: 'badge ' + c.status }, c.status === 'active' ? 'active' : 'needs reconnect');
      const disconnect = el('button', { type: 'button', className: 'danger' }, 'Disconnect');
      disconnect.addEventListener('click', async () => {
        if (!confirm('Disconnect ' + (c.account_email || 'this account') + '? Its events leave the dashboard.')) return;
        disconnect.disabled = true;
        try {
          await Api.del('/api/calendar/connections/' + encodeURIComponent(c.id) + '/');
          say('Disconnected ' + (c.account_email || 'the account') + '.', 'info');
          await loadAll();
        } catch (error) {
          disconnect.disabled = false;
          fail(error);
        }
      });
      const actions = el('div', { className: 'actions' });
      if (c.status === 'reauth_required') {
        const reconnect = el('button', { type: 'button' }, 'Reconnect');
        reconnect.addEventListener('click', () => connect(reconnect));
        actions.append(reconnect);
      }
      actions.append(disconnect);
      list.append(el('li', { className: 'row' },
        el('div', {},
          el('div', { className: 'title' }, c.account_email || c.id, ' ', status),
          el('div', { className: 'muted small' }, 'Connected ' + formatTime(c.created_at))),
        actions));
    }
    return connections;
  }

  async function loadCalendars() {
    const body = await Api.get('/api/calendar/calendars/');
    const list = document.getElementById('calendars');
    const calendars = body.calendars || [];
    list.replaceChildren();
    listedCalendars = new Set(calendars.map((cal) => cal.id));
    const none = document.getElementById('no-calendars');
    none.textContent = connectionCount
      ? 'No calendars yet. They appear after the first sync.'
      : 'No calendars: connect a Google account first.';
    none.hidden = calendars.length > 0;
    for (const cal of calendars) {
      const box = el('input', { type: 'checkbox', checked: !!cal.selected, id: 'cal-' + cal.id });
      box.addEventListener('change', async () => {
        box.disabled = true;
        try {
          const updated = await Api.patch('/api/calendar/calendars/' + encodeURIComponent(cal.id) + '/', { selected: box.checked });
          box.checked = !!(updated ? updated.selected : box.checked);
        } catch (error) {
          box.checked = !box.checked;
          fail(error);
        } finally {
          box.disabled = false;
        }
      });
      const swatch = el('span', { className: 'swatch' });
      if (cal.color) swatch.style.backgroundColor = cal.color;
      list.append(el('li', { className: 'row' },
        el('label', { htmlFor: box.id, className: 'check' }, box, swatch,
          el('span', {}, cal.name || cal.id, cal.primary ? el('span', { className: 'muted' }, ' (primary)') : null)),
        el('span', { className: 'muted small' }, cal.time_zone || '')));
    }
  }

  async function loadSyncStatus() {
    const body = await Api.get('/api/calendar/sync/status/');
    const container = document.getElementById('sync-status');
    container.replaceChildren();
    const connections = body.connections || [];
    if (!connections.length) {
      container.append(el('p', { className: 'muted' }, 'Nothing to sync yet.'));
      return false;
    }
    let busy = false;
    let unlisted = false;
    for (const c of connections) {
      unlisted = unlisted || (c.calendars || []).some((cal) => !listedCalendars.has(cal.calendar_id));
      busy = busy || c.state === 'queued' || c.state === 'syncing';
      const rows = el('ul', { className: 'list compact' });
      for (const cal of c.calendars || []) {
        rows.append(el('li', { className: 'row' },
          el('span', {}, cal.name || cal.calendar_id),
          el('span', { className: 'muted small' },
            cal.state + ' · ' + (cal.event_count ?? 0) + ' events · last success ' + formatTime(cal.last_success_at))));
      }
      container.append(el('div', { className: 'sync' },
        el('div', {}, el('span', { className: 'badge ' + c.state }, c.state),
          el('span', { className: 'muted small' },
            ' last success ' + formatTime(c.last_success_at) + ' · next ' + formatTime(c.next_sync_at))),
        c.last_error ? el('p', { className: 'error-text small' }, c.last_error.message || c.last_error.code) : null,
        rows));
    }
    if (unlisted) await loadCalendars();
    return busy;
  }

  let statusTimer = null;
  async function pollStatus() {
    clearTimeout(statusTimer);
    try {
      const busy = await loadSyncStatus();
      statusTimer = setTimeout(pollStatus, busy ? 2000 : 15000);
    } catch (error) {
      fail(error);
    }
  }

  async function loadAll() {
    try {
      await loadConnections();
      await loadCalendars();
      await pollStatus();
    } catch (error) {
      fail(error);
    }
  }

  document.getElementById('connect').addEventListener('click', (e) => connect(e.currentTarget));
  document.getElementById('sync-now').addEventListener('click', async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      const body = await Api.post('/api/calendar/sync/', {});
      const n = (body && body.requested ? body.requested.length : 0);
      say('Sync requested for ' + n + ' connection' + (n === 1 ? '' : 's') + '.', 'info');
      await pollStatus();
      await loadCalendars();
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
    }
  });

  // a change of a connection or a calendar (the first sync's calendars, a revoked grant) redraws the cards
  let reloadTimer = null;
  function changed(event) {
    if (event && !/^(calendar|connection)\./.test(event.event)) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadAll, 300);
  }

  loadAll();
  Api.listen(changed, () => {});
})();
