// Calls to the platform's API through the gateway. The session cookie goes with them (same origin);
// state-changing requests add the CSRF token.
'use strict';

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'Request failed (' + status + ')');
    this.status = status;
    this.code = problem && problem.code;
  }
}

const Api = (() => {
  function headers(method, extra) {
    const h = { Accept: 'application/json', ...extra };
    if (method !== 'GET') {
      const csrf = Auth.csrfToken();
      if (csrf) h['X-XSRF-TOKEN'] = csrf;
    }
    return h;
  }

  async function failure(response) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    if (response.status === 401) {
      // the session ended (or its sign-in expired): sign in again and come back here
      Auth.signIn();
    }
    return new ApiError(response.status, problem);
  }

  async function request(method, path, body) {
    const init = { method, headers: headers(method, body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    if (!response.ok) throw await failure(response);
    if (response.status === 204) return null;
    const type = response.headers.get('Content-Type') || '';
    return type.includes('json') ? response.json() : null;
  }

  /**
   * Reads a text/event-stream with fetch, which reports the answer's status (EventSource does not).
   * Calls onOpen() once the server has accepted the stream, then onEvent({event, data, id}) per event;
   * resolves when the stream ends, rejects on error.
   */
  async function stream(path, onEvent, onOpen, signal) {
    const response = await fetch(path, { headers: headers('GET', { Accept: 'text/event-stream' }), signal, cache: 'no-store' });
    if (!response.ok) throw await failure(response);
    if (onOpen) onOpen();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = { event: 'message', data: '', id: null };
        const data = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue; // comment heartbeat
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.event = val;
          else if (field === 'data') data.push(val);
          else if (field === 'id') event.id = val;
        }
        if (data.length || event.event !== 'message') {
          event.data = data.join('\n');
          onEvent(event);
        }
      }
    }
  }

  /**
   * Keeps the caller's event stream open, reconnecting with backoff: onState('connecting' | 'live' |
   * 'offline') on each change, onEvent per change; after a reconnection onEvent(null), so the page
   * re-reads what it may have missed. Stops when the sign-in has to start again.
   */
  async function listen(onEvent, onState) {
    let delay = 1000;
    for (;;) {
      try {
        onState('connecting');
        await stream('/api/calendar/events/stream/', onEvent, () => {
          onState('live');
          delay = 1000;
        });
      } catch (error) {
        if (error.status === 401) return; // a new sign-in has started
      }
      onState('offline');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30000);
      onEvent(null);
    }
  }

  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    patch: (path, body) => request('PATCH', path, body),
    del: (path) => request('DELETE', path),
    stream,
    listen,
  };
})();

/**
 * The current IANA name of a zone: browsers may report a legacy alias (ICU keeps "Asia/Calcutta"),
 * which people no longer know and which the zone database keeps only as a link.
 */
const ZONE_RENAMES = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Europe/Kiev': 'Europe/Kyiv',
  'Europe/Uzhgorod': 'Europe/Kyiv',
  'Europe/Zaporozhye': 'Europe/Kyiv',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

function currentZoneName(zone) {
  return ZONE_RENAMES[zone] || zone;
}

/**
 * A calendar's colour: the user's choice, else Google's, else the one sync-service gave it from its
 * palette (distinct among the user's calendars). A neutral grey (3:1 on the card) only until the
 * platform has said.
 */
function calendarColor(color) {
  return color || '#616161';
}

/** Small DOM helper: el('li', {className: 'x'}, 'text', child). */
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/**
 * Shows text in a banner, or hides it when text is empty. Errors are announced at once (role alert),
 * other news politely (role status).
 */
function showBanner(banner, text, kind) {
  banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  banner.textContent = text;
  banner.className = 'banner ' + (kind || 'info');
  banner.hidden = !text;
}
