// Dashboard: upcoming events of the next 7 days, refreshed live from the event stream.
'use strict';

(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const upcomingPath = '/api/calendar/events/upcoming/?' + new URLSearchParams({ days: '7', limit: '100', tz: zone });
  const live = document.getElementById('live');
  const message = document.getElementById('message');
  const container = document.getElementById('events');
  const announce = document.getElementById('announce');
  let refreshTimer = null;
  // the rows drawn last time, by the event as shown: an unchanged event keeps its row
  let rows = new Map();
  let shown = null; // the ids shown last time, null before the first list

  Auth.renderSession(document.getElementById('session'));
  if (!Auth.token()) {
    document.getElementById('signed-out').hidden = false;
    document.getElementById('sign-in').addEventListener('click', () => Auth.signIn('/'));
    return;
  }
  document.getElementById('signed-in').hidden = false;

  const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  // Timed events carry an offset in the requested zone; all-day events are plain dates.
  function dayKey(event) {
    return event.all_day ? event.start : event.start.slice(0, 10);
  }

  function dayLabel(key) {
    const [y, m, d] = key.split('-').map(Number);
    return dayFormat.format(new Date(y, m - 1, d));
  }

  function when(event) {
    if (event.all_day) return 'All day';
    return timeFormat.format(new Date(event.start)) + ' – ' + timeFormat.format(new Date(event.end));
  }

  function row(event) {
    const swatch = el('span', { className: 'swatch' });
    if (event.color) swatch.style.backgroundColor = event.color;
    const title = event.html_link
      ? el('a', { href: event.html_link, target: '_blank', rel: 'noopener noreferrer' }, event.title || '(no title)')
      : el('span', {}, event.title || '(no title)');
    return el('li', { className: 'event' },
      swatch,
      el('span', { className: 'when' }, when(event)),
      el('div', { className: 'what' },
        el('div', { className: 'title' }, title),
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
    const drawn = new Map();
    const days = [];
    let list = null;
    let currentDay = null;
    for (const event of events) {
      const key = dayKey(event);
      // an event in progress that started before today is shown under today
      const shownKey = key < today ? today : key;
      if (shownKey !== currentDay) {
        currentDay = shownKey;
        list = el('ul', { className: 'events' });
        days.push(el('h2', { className: 'day' }, dayLabel(shownKey)), list);
      }
      const identity = JSON.stringify(event);
      const node = rows.get(identity) || row(event);
      drawn.set(identity, node);
      list.append(node);
    }
    rows = drawn;
    container.replaceChildren(...days);
  }

  /** What the empty list means: no account yet, the first sync still running, or nothing planned. */
  async function emptyState() {
    const [connections, status] = await Promise.all([
      Api.get('/api/calendar/connections/'),
      Api.get('/api/calendar/sync/status/'),
    ]);
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
      const body = await Api.get(upcomingPath);
      render(body);
      if ((body.events || []).length) {
        document.getElementById('empty').hidden = true;
      } else {
        await emptyState();
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
