// The playground: GraphiQL with Shopfloor's sign-in above it and, under the
// raw response, the same answer made readable.
import './workers.js';
import { StrictMode, useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useGraphiQLActions } from '@graphiql/react';
import 'graphiql/style.css';
import './playground.css';
import { examples } from './examples.js';
import { explain } from './explain.js';
import { exchange, session } from './session.js';

function SignIn({ token, onToken }) {
  const [pasted, setPasted] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const exchangeKey = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onToken(await exchange(clientId.trim(), secret.trim()), `API key ${clientId.trim()}`);
      setSecret('');
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const useToken = (e) => {
    e.preventDefault();
    onToken(pasted.trim().replace(/^(Bearer|Token)\s+/i, ''), 'a pasted token');
    setPasted('');
  };
  return (
    <header className="sf-bar">
      <strong className="sf-title">Shopfloor playground</strong>
      <form className="sf-form" onSubmit={exchangeKey}>
        <input id="client-id" placeholder="API key client id" autoComplete="off" value={clientId} onChange={(e) => setClientId(e.target.value)} />
        <input id="client-secret" type="password" placeholder="client secret" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        <button id="exchange" disabled={busy || !clientId || !secret}>Sign in with API key</button>
      </form>
      <form className="sf-form" onSubmit={useToken}>
        <input id="token" type="password" placeholder="or paste an access token" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <button id="use-token" disabled={!pasted.trim()}>Use token</button>
      </form>
      <span id="signed-in" className="sf-status">{token.label}</span>
      {token.value && <button id="sign-out" onClick={() => onToken('', '')}>Sign out</button>}
      {error && <span id="sign-in-error" className="sf-error" role="alert">{error}</span>}
    </header>
  );
}

// Explanation shows the last answer's HTTP status and each error's message,
// path, code and class.
function Explanation({ answer }) {
  if (!answer) {
    return <section id="explanation" className="sf-explain">Run an operation: its HTTP status and errors show here.</section>;
  }
  return (
    <section id="explanation" className="sf-explain">
      <div id="http-status" className={answer.status >= 400 ? 'sf-bad' : 'sf-good'}>
        HTTP {answer.status}{answer.operation ? ` · ${answer.operation}` : ''} · {answer.errors.length ? `${answer.errors.length} error${answer.errors.length > 1 ? 's' : ''}` : 'no errors'}
      </div>
      <ol className="sf-errors">
        {answer.errors.map((e, i) => (
          <li key={i} className="sf-error-item">
            <div className="sf-message">{e.message}</div>
            <div className="sf-meta">
              {e.path && <span>path <code>{e.path}</code></span>}
              {e.code && <span>code <code>{e.code}</code></span>}
              {e.class !== '' && <span>class <code>{e.class}</code></span>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

// Reintrospect fetches the schema again whenever the token changes, so that
// signing in fills the docs and completion.
function Reintrospect({ token }) {
  const { introspect } = useGraphiQLActions();
  const introspected = useRef(token);
  useEffect(() => {
    if (introspected.current !== token) {
      introspected.current = token;
      introspect();
    }
  }, [token, introspect]);
  return null;
}

// A tab that has no saved tabs opens the examples. (GraphiQL fills the
// first tab's query from defaultTabs, but not its variables.)
const firstVisit = !sessionStorage.getItem('graphiql:tabState');

function App() {
  const [token, setToken] = useState(() => ({ value: session.token(), label: session.token() ? 'Signed in (this tab)' : 'Not signed in' }));
  const [answer, setAnswer] = useState(null);
  const tokenRef = useRef(token.value);
  const onToken = useCallback(async (value, via) => {
    session.setToken(value);
    tokenRef.current = value;
    if (!value) {
      setToken({ value: '', label: 'Not signed in' });
      return;
    }
    setToken({ value, label: `Signed in with ${via}` });
  }, []);
  const fetcher = useCallback(async (params, opts) => {
    const headers = { 'Content-Type': 'application/json', ...(opts?.headers ?? {}) };
    if (tokenRef.current) {
      headers.Authorization = `Bearer ${tokenRef.current}`;
    }
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `The server answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}` }] };
    }
    const introspection = params.operationName === 'IntrospectionQuery';
    if (!introspection || !response.ok || body?.errors) {
      setAnswer({ ...explain(response.status, body), operation: params.operationName ?? '' });
    }
    return body;
  }, []);
  return (
    <div className="sf-page">
      <SignIn token={token} onToken={onToken} />
      <main className="sf-main">
        <GraphiQL fetcher={fetcher} storage={sessionStorage} defaultTabs={examples} initialVariables={firstVisit ? examples[0].variables : undefined} defaultEditorToolsVisibility="variables" shouldPersistHeaders={false}>
          <GraphiQL.Footer>
            <Reintrospect token={token.value} />
            <Explanation answer={answer} />
          </GraphiQL.Footer>
        </GraphiQL>
      </main>
    </div>
  );
}

createRoot(document.getElementById('playground')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
