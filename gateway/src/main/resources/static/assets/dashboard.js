// Dashboard: upcoming events of the next 7 days, refreshed live from the event stream.
'use strict';

(async () => {
  const zone = currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const upcomingPath = '/api/calendar/events/upcoming/?' + new URLSearchParams({ days: '7', limit: '100', tz: zone });
  const live = document.getElementById('live');
  const message = document.getElementById('message');
  const container = document.getElementById('events');
  const announce = document.getElementById('announce');
  let refreshTimer = null;
  // the rows drawn last time, by the event as shown: an unchanged event keeps its row
  let rows = new Map();
  let shown = null; // the ids shown last time, null before the first list

  const user = await Auth.session();
  const query = new URLSearchParams(window.location.search);
  if (user && Auth.resumeAfterSignIn()) return;
  Auth.renderSession(document.getElementById('session'), user);
  if (!user) {
    document.getElementById('signed-out').hidden = false;
    if (query.get('sign_in') === 'failed') {
      showBanner(document.getElementById('sign-in-message'),
        'The sign-in did not complete (it may have been cancelled or taken too long). Please sign in again.', 'error');
    }
    document.getElementById('sign-in').addEventListener('click', () => Auth.signIn('/'));
    return;
  }
  document.getElementById('signed-in').hidden = false;

  const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: zone });
  const syncedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });

  // Dates are handled as 'yyyy-mm-dd' keys: timed events carry an offset in the requested zone, so
  // their first ten characters are their date there; all-day events are plain dates, end exclusive.
  function asDate(key) {
    const [y, m, d] = key.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  }

  function addDays(key, n) {
    const date = asDate(key);
    date.setUTCDate(date.getUTCDate() + n);
    return date.toISOString().slice(0, 10);
  }

  function dayLabel(key) {
    return dayFormat.format(asDate(key));
  }

  /** The dates an event covers, first and last (inclusive). */
  function span(event) {
    const first = event.start.slice(0, 10);
    if (event.all_day) {
      return { first, last: event.end > first ? addDays(event.end.slice(0, 10), -1) : first };
    }
    let last = event.end.slice(0, 10);
    // a timed event that ends at midnight ends on the day before
    if (last > first && event.end.slice(11, 16) === '00:00') last = addDays(last, -1);
    return { first, last: last < first ? first : last };
  }

  /** Overnight: a timed event that ends on the next day, less than a day after it started. */
  function overnight(event, s) {
    return !event.all_day && s.last === addDays(s.first, 1)
      && new Date(event.end) - new Date(event.start) < 24 * 3600 * 1000;
  }

  function when(event, s) {
    const range = s.last > s.first ? shortDay.formatRange(asDate(s.first), asDate(s.last)) : null;
    if (event.all_day) return range ? 'All day · ' + range : 'All day';
    const from = timeFormat.format(new Date(event.start));
    const to = timeFormat.format(new Date(event.end));
    if (overnight(event, s)) return from + ' → ' + to + ' next day';
    if (range) return from + ' · ' + range + ' → ' + to;
    return from + ' – ' + to;
  }

  function row(event, s) {
    const swatch = el('span', { className: 'swatch' });
    swatch.style.backgroundColor = calendarColor(event.color);
    const title = event.html_link
      ? el('a', { href: event.html_link, target: '_blank', rel: 'noopener noreferrer' }, event.title || '(no title)')
      : el('span', {}, event.title || '(no title)');
    return el('li', { className: 'event' },
      swatch,
      el('span', { className: 'when' }, when(event, s)),
      el('div', { className: 'what' },
        el('div', { className: 'title' }, title,
          event.recurring_event_id ? el('span', { className: 'tag', title: 'Part of a recurring series' }, 'Repeats') : null),
        el('div', { className: 'muted small' },
          [event.calendar_name, event.location].filter(Boolean).join(' · '))));
  }

  /** Tells screen readers what changed since the last list, not the whole list again. */
  function announceChanges(events) {
    const ids = new Set(events.map((e) => e.id));
    if (shown !== null) {
      const added = [...ids].filter((id) => !shown.has(id)).length;
      const removed = [...shown].filter((id) => !ids.has(id)).length;
      const parts = [];
      if (added) parts.push(added + ' event' + (added === 1 ? '' : 's') + ' added');
      if (removed) parts.push(removed + ' event' + (removed === 1 ? '' : 's') + ' removed');
      if (parts.length) announce.textContent = parts.join(', ') + '.';
    }
    shown = ids;
  }

  function render(body) {
    const events = body.events || [];
    announceChanges(events);
    document.getElementById('window').textContent =
      'Times in ' + zone + ' · ' + events.length + ' event' + (events.length === 1 ? '' : 's');
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: zone });
    const lastDay = addDays(today, 6);
    // an event is listed on each of its days in the window; one in progress since before today under today
    const byDay = new Map();
    for (const event of events) {
      const s = span(event);
      const days = overnight(event, s) ? [s.first] : [];
      if (!days.length) {
        for (let d = s.first; d <= s.last && d <= lastDay; d = addDays(d, 1)) days.push(d);
      }
      for (const day of new Set(days.map((d) => (d < today ? today : d)))) {
        if (!byDay.has(day)) byDay.set(day, []);
        byDay.get(day).push({ event, s });
      }
    }
    const drawn = new Map();
    const sections = [];
    for (const day of [...byDay.keys()].sort()) {
      const list = el('ul', { className: 'events' });
      // all-day entries first on each day, then by start
      const entries = byDay.get(day).sort((a, b) => (b.event.all_day - a.event.all_day) || a.event.start.localeCompare(b.event.start));
      for (const { event, s } of entries) {
        const identity = day + '|' + JSON.stringify(event);
        const node = rows.get(identity) || row(event, s);
        drawn.set(identity, node);
        list.append(node);
      }
      const heading = el('h2', { className: day === today ? 'day today' : 'day' },
        day === today ? 'Today · ' + dayLabel(day) : dayLabel(day));
      if (day === today) heading.setAttribute('aria-current', 'date');
      sections.push(heading, list);
    }
    rows = drawn;
    container.replaceChildren(...sections);
  }

  /** "Last synced" per account, and a warning when one needs reconnecting or is failing. */
  function renderAccounts(connections, status) {
    const syncs = status.connections || [];
    const parts = [];
    const troubled = [];
    for (const c of connections) {
      const sync = syncs.find((s) => s.connection_id === c.id);
      const name = c.account_email || 'an account';
      if (c.status === 'reauth_required' || (sync && sync.state === 'reauth_required')) {
        troubled.push(name + ' needs reconnecting');
      } else if (sync && sync.state === 'error') {
        troubled.push(name + ' is failing to sync');
      }
      parts.push(name + ': ' + (sync && sync.last_success_at
        ? 'last synced ' + syncedFormat.format(new Date(sync.last_success_at))
        : 'not synced yet'));
    }
    const synced = document.getElementById('synced');
    synced.textContent = parts.join(' · ');
    synced.hidden = !parts.length;
    const warning = document.getElementById('warning');
    if (troubled.length) {
      warning.replaceChildren(troubled.join('; ') + '. Events may be out of date. ',
        el('a', { href: '/settings' }, 'Fix it in Settings'));
      warning.hidden = false;
    } else {
      warning.hidden = true;
    }
  }

  /** What the empty list means: no account yet, the first sync still running, or nothing planned. */
  function emptyState(connections, status) {
    const empty = document.getElementById('empty');
    if (!(connections.connections || []).length) {
      empty.replaceChildren('No calendar connected yet. Connect Google Calendar in ',
        el('a', { href: '/settings' }, 'Settings'), '.');
    } else if ((status.connections || []).some((c) => !c.last_success_at)) {
      empty.replaceChildren('Syncing your calendars for the first time. Events appear here as they arrive.');
    } else {
      empty.replaceChildren('Nothing planned in the next 7 days.');
    }
    empty.hidden = false;
  }

  async function refresh() {
    try {
      const [body, connections, status] = await Promise.all([
        Api.get(upcomingPath),
        Api.get('/api/calendar/connections/'),
        Api.get('/api/calendar/sync/status/'),
      ]);
      render(body);
      renderAccounts(connections.connections || [], status);
      if ((body.events || []).length) {
        document.getElementById('empty').hidden = true;
      } else {
        emptyState(connections, status);
      }
      showBanner(message, '');
    } catch (error) {
      showBanner(message, error.message, 'error');
    } finally {
      document.getElementById('loading').hidden = true;
      container.closest('section').removeAttribute('aria-busy');
    }
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 300); // a sync publishes changes in bursts
  }

  refresh();
  Api.listen(scheduleRefresh, (state) => {
    live.textContent = state;
    live.className = state === 'live' ? 'live on' : 'live';
  });
})();
