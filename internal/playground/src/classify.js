// classify matches an error to the rows of the error contract served at
// GET /contract.json, as Go's contract.Classify does (the README's three
// steps): the rows that recognise its message or code most precisely, in
// table order, then its class's row; with no match, the troubleshooting
// flow. The first row's fix is the advice.
const matchExact = 1;
const matchAnchored = 2;
const matchPattern = 3;

const contractClasses = [200, 400, 401, 403, 404, 409, 422, 429];

// statusClass is the contract's class of an HTTP status (0: unknown).
function statusClass(status) {
  if (contractClasses.includes(status)) return status;
  if (status >= 400 && status < 500) return 400;
  if (status >= 500 && status < 600) return 500;
  return 0;
}

// statusOf is an error's class: extensions.status, else its code's class,
// else the answer's HTTP status unless 200.
function statusOf(contract, httpStatus, extensions) {
  if (Number.isInteger(extensions?.status)) return statusClass(extensions.status);
  const code = extensions?.code;
  if (typeof code === 'string' && contract.codes?.[code]) return contract.codes[code];
  return httpStatus === 200 ? 0 : statusClass(httpStatus);
}

// compiled holds each row's patterns as RegExps, compiled once per document.
const compiled = new WeakMap();

function patterns(row) {
  if (!compiled.has(row)) {
    compiled.set(row, (row.patterns ?? []).map((p) => ({ anchored: p.startsWith('^'), re: new RegExp(p) })));
  }
  return compiled.get(row);
}

// match tells how precisely row recognises an error (0: not at all).
function match(row, message, code) {
  if ((row.messages ?? []).includes(message) || (code && (row.codes ?? []).includes(code))) return matchExact;
  let best = 0;
  for (const { anchored, re } of patterns(row)) {
    if (re.test(message)) {
      if (anchored) return matchAnchored;
      best = matchPattern;
    }
  }
  return best;
}

function statusRow(contract, cls) {
  if (cls === 0 || cls === 200) return undefined;
  return contract.rows.find((r) => r.table === 'status' && r.status === cls);
}

export function classify(contract, httpStatus, message, extensions) {
  const cls = statusOf(contract, httpStatus, extensions);
  const code = typeof extensions?.code === 'string' ? extensions.code : '';
  const text = String(message ?? '').trim();
  let matched = [];
  let best = 0;
  for (const byClass of [true, false]) {
    for (const row of contract.rows) {
      if (byClass && cls !== 0 && row.status !== cls) continue;
      const m = match(row, text, code);
      if (m === 0) continue;
      if (best === 0 || m < best) {
        matched = [row];
        best = m;
      } else if (m === best) {
        matched.push(row);
      }
    }
    // The message, when it names another class than the status, wins.
    if (matched.length > 0 || cls === 0) break;
  }
  const classes = cls === 0 ? matched.map((r) => r.status) : [cls];
  for (const c of classes) {
    const row = statusRow(contract, c);
    if (row && !matched.some((m) => m.id === row.id)) matched.push(row);
  }
  if (best === 0) matched.push(contract.troubleshooting);
  return matched;
}
