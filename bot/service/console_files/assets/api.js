// The agent API as the console calls it: one bearer token kept for the tab, JSON in and out.

export const session = {
  token: sessionStorage.getItem("agentToken"),
  onUnauthorized: () => {},
};

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "/api/agents/login") session.onUnauthorized();
  if (!response.ok) throw new Error(data.error || `request failed (${response.status})`);
  return data;
}
