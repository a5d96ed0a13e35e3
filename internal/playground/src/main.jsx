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

// retryAdvice says in words what each of the contract's retry values allows.
const retryAdvice = {
  never: 'do not retry: fix the request first',
  'rate-limit': 'back off (1 s, doubling to about 30 s, with jitter), honouring Retry-After',
  'server-error': 'retry after 1, 2, 4, 8 s; stop after three failures in a row',
  're-read': 're-read the entity, re-apply the change, retry with the new _etag',
  'retry-after': 'send the same request again after Retry-After',
};

// Advice is the contract's cause and fix for one error: its first row in
// full, the others' causes after it.
function Advice({ rows }) {
  const [first, ...others] = rows;
  if (!first) return null;
  return (
    <div className="sf-advice">
      <div className="sf-cause"><b>Cause:</b> {first.cause}{first.whatHappened ? ` — ${first.whatHappened}` : ''}</div>
      <div className="sf-fix"><b>Fix:</b> {first.fix}</div>
      {first.steps?.length > 0 && <ol className="sf-steps">{first.steps.map((step, i) => <li key={i}>{step}</li>)}</ol>}
      {first.retry && <div className="sf-retry"><b>Retry:</b> {retryAdvice[first.retry] ?? first.retry}</div>}
      {others.map((row) => <div key={row.id} className="sf-also"><b>Also:</b> {row.cause}: {row.fix}</div>)}
    </div>
  );
}

// Explanation shows the last answer's HTTP status and each error's message,
// path, code and class, with its cause and fix from the contract.
function Explanation({ answer, contract }) {
  if (!answer) {
    return <section id="explanation" className="sf-explain">Run an operation: its HTTP status and errors, with their causes and fixes, show here.</section>;
  }
  const { status, errors } = explain(answer.status, answer.body, contract.document);
  return (
    <section id="explanation" className="sf-explain">
      <div id="http-status" className={status >= 400 || errors.length ? 'sf-bad' : 'sf-good'}>
        HTTP {status}{answer.operation ? ` · ${answer.operation}` : ''} · {errors.length ? `${errors.length} error${errors.length > 1 ? 's' : ''}` : 'no errors'}
      </div>
      {errors.length > 0 && contract.error && <div className="sf-error">Causes and fixes are unavailable: {contract.error}</div>}
      <ol className="sf-errors">
        {errors.map((e, i) => (
          <li key={i} className="sf-error-item">
            <div className="sf-message">{e.message}</div>
            <div className="sf-meta">
              {e.path && <span>path <code>{e.path}</code></span>}
              {e.code && <span>code <code>{e.code}</code></span>}
              {e.class !== '' && <span>class <code>{e.class}</code></span>}
            </div>
            <Advice rows={e.rows} />
          </li>
        ))}
      </ol>
    </section>
  );
}

// useContract loads the error contract's table once, from this server.
function useContract() {
  const [contract, setContract] = useState({});
  useEffect(() => {
    fetch('/contract.json')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`GET /contract.json answered HTTP ${r.status}`))))
      .then((document) => setContract({ document }), (err) => setContract({ error: err.message }));
  }, []);
  return contract;
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
  const contract = useContract();
  const tokenRef = useRef(token.value);
  const onToken = useCallback((value, via) => {
    session.setToken(value);
    tokenRef.current = value;
    setToken(value ? { value, label: `Signed in with ${via}` } : { value: '', label: 'Not signed in' });
  }, []);
  // An Authorization header typed into GraphiQL's headers editor wins over
  // the sign-in's token.
  const fetcher = useCallback(async (params, opts) => {
    const headers = { 'Content-Type': 'application/json', ...(opts?.headers ?? {}) };
    if (tokenRef.current && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
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
      setAnswer({ status: response.status, body, operation: params.operationName ?? '' });
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
            <Explanation answer={answer} contract={contract} />
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
