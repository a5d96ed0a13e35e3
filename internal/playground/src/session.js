// The token lives in this tab only: sessionStorage, which the browser drops
// with the tab, never localStorage or a cookie.
const tokenKey = 'shopfloor:token';

export const session = {
  token: () => sessionStorage.getItem(tokenKey) ?? '',
  setToken: (token) => (token ? sessionStorage.setItem(tokenKey, token) : sessionStorage.removeItem(tokenKey)),
};

// exchange trades an API key for an access token at POST /oauth/token and
// returns the token, or throws an Error telling what the endpoint said.
export async function exchange(clientId, clientSecret) {
  const response = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`HTTP ${response.status}: ${body.error_description ?? body.error ?? 'the token endpoint did not answer a token'}`);
  }
  return body.access_token;
}
