// Dashboard: upcoming events of the next 7 days, refreshed live from the event stream.
'use strict';

(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const upcomingPath = '/api/calendar/events/upcoming/?' + new URLSearchParams({ days: '7', limit: '100', tz: zone });
  const live = document.getElementById('live');
  const message = document.getElementById('message');
  let refreshTimer = null;

  Auth.renderSession(document.getElementById('session'));
  if (!Auth.token()) {
    document.getElementById('signed-out').hidden = false;
    document.getElementById('sign-in').addEventListener('click', () => Auth.signIn('/'));
    return;
  }
  document.getElementById('signed-in').hidden = false;

  function showMessage(text) {
    message.textContent = text;
    message.className = 'banner error';
    message.hidden = !text;
  }

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

  function render(body) {
    const events = body.events || [];
    const container = document.getElementById('events');
    container.replaceChildren();
    document.getElementById('empty').hidden = events.length > 0;
    if (body.window) {
      document.getElementById('window').textContent =
        'Times in ' + zone + ' · ' + events.length + ' event' + (events.length === 1 ? '' : 's');
    }
    let list = null;
    let currentDay = null;
    for (const event of events) {
      const key = dayKey(event);
      // an event in progress that started before today is shown under today
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: zone });
      const shownKey = key < today ? today : key;
      if (shownKey !== currentDay) {
        currentDay = shownKey;
        list = el('ul', { className: 'events' });
        container.append(el('h2', { className: 'day' }, dayLabel(shownKey)), list);
      }
      const swatch = el('span', { className: 'swatch' });
      if (event.color) swatch.style.backgroundColor = event.color;
      const title = event.html_link
        ? el('a', { href: event.html_link, target: '_blank', rel: 'noopener noreferrer' }, event.title || '(no title)')
        : el('span', {}, event.title || '(no title)');
      list.append(el('li', { className: 'event' },
        swatch,
        el('span', { className: 'when' }, when(event)),
        el('div', { className: 'what' },
          el('div', { className: 'title' }, title),
          el('div', { className: 'muted small' },
            [event.calendar_name, event.location].filter(Boolean).join(' · ')))));
    }
  }

  async function refresh() {
    try {
      render(await Api.get(upcomingPath));
      showMessage('');
    } catch (error) {
      showMessage(error.message);
    }
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 300); // a sync publishes changes in bursts
  }

  async function listen() {
    let delay = 1000;
    for (;;) {
      try {
        live.textContent = 'connecting';
        live.className = 'live';
        await Api.stream(
          '/api/calendar/events/stream/',
          () => scheduleRefresh(),
          () => {
            live.textContent = 'live';
            live.className = 'live on';
            delay = 1000;
          });
      } catch (error) {
        if (error.status === 401) return; // Api has started a new sign-in
      }
      live.textContent = 'offline';
      live.className = 'live';
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30000);
      scheduleRefresh(); // catch up with what happened while disconnected
    }
  }

  refresh();
  listen();
})();
