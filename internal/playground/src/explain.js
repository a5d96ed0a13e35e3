import { classify } from './classify.js';

// explain turns one answer of /graphql into what the page shows beside the
// raw response: the HTTP status and, for each error, its message, path,
// code and class, and (with the contract, once loaded) the rows it matches.
export function explain(status, body, contract) {
  const errors = Array.isArray(body) ? body.flatMap((b) => b?.errors ?? []) : (body?.errors ?? []);
  return {
    status,
    errors: errors.map((e) => ({
      message: String(e?.message ?? ''),
      path: Array.isArray(e?.path) ? e.path.join('.') : '',
      code: e?.extensions?.code ?? '',
      class: e?.extensions?.status ?? (status >= 400 ? status : ''),
      rows: contract ? classify(contract, status, e?.message, e?.extensions) : [],
    })),
  };
}
