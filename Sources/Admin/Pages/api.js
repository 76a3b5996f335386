// The control API (/api/v1/, described by /api/v1/openapi.json) with the token typed at login.
// The token lives in sessionStorage: it is gone when the tab closes, and other sites never see it.

const KEY = "antenne.admin.token";

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
};

/** An answer in error: its status and the API's message. */
export class APIError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** One request; the JSON answer, or null for 204. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1/${path}`, {
    method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    throw new APIError(response.status, error?.message ?? `HTTP ${response.status}`, error?.field);
  }
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body ?? {});
export const patch = (path, body) => api("PATCH", path, body);
export const del = (path) => api("DELETE", path);

/** Every item of a paged list (200 a page). */
export async function all(path) {
  const items = [];
  let after = null;
  do {
    const joiner = path.includes("?") ? "&" : "?";
    const page = await get(`${path}${joiner}limit=200${after ? `&after=${encodeURIComponent(after)}` : ""}`);
    items.push(...page.items);
    after = page.nextCursor;
  } while (after);
  return items;
}

/** Who the token is: `{ admin: true }` for the server admin, else its organisation. Throws
 *  APIError 401 for a token that is not valid. */
export async function whoami() {
  const organisations = await all("organisations");
  try {
    await get("server");
    return { admin: true, organisations };
  } catch (error) {
    if (error.status !== 403) throw error;
    return { admin: false, organisations };
  }
}
