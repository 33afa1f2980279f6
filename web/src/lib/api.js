// Calls to trygg's own API. Errors come back as ApiError with the documented
// error code and message, so a page can say what went wrong.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// request sends one request and returns the decoded JSON (or null for 204).
// opts: method, body (JSON-encoded unless FormData), headers, token (staff),
// lang ('sv' or 'en'), signal.
export async function request(path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (opts.lang) headers['Accept-Language'] = opts.lang;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  const res = await fetch(path, { method: opts.method || 'GET', headers, body, signal: opts.signal });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code, e.message, e.details);
    err.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw err;
  }
  return data;
}

// withRetry runs fn until it succeeds, retrying when the network failed or the
// server was unavailable or busy (5xx, 429), waiting longer each time. fn must be
// safe to repeat: requests that create something carry the same Idempotency-Key
// on every attempt.
export async function withRetry(fn, { attempts = 4, delayMs = 600, onRetry } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await fn(i);
    } catch (err) {
      const transient = !(err instanceof ApiError) || err.status >= 500 || err.status === 429;
      if (!transient || i >= attempts) throw err;
      if (onRetry) onRetry(i, err);
      const wait = Math.max(delayMs * 2 ** (i - 1), (err.retryAfter || 0) * 1000);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

// newKey returns a random id for Idempotency-Key and device ids.
export function newKey() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// deviceId is this browser's stable id for confirmations ("me too").
export function deviceId() {
  try {
    let id = localStorage.getItem('trygg.device');
    if (!id) {
      id = `web-${newKey()}`;
      localStorage.setItem('trygg.device', id);
    }
    return id;
  } catch {
    return `web-${newKey()}`;
  }
}
