// A real OpenID Connect issuer for Shopfloor's tests (see oidctest.go):
// oauth2-mock-server with one RS256 key, serving discovery, JWKS and a token
// endpoint on 127.0.0.1, on the port given as the first argument (0 or none:
// a free one). It prints its issuer URL on one line once it listens, and
// stops when its standard input closes, so it never outlives the test.
//
// A token request may carry `claims`, a JSON object set on the token's
// payload after everything else; a null value removes that claim.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeTokenSigning', (token, req) => {
  for (const [name, value] of Object.entries(JSON.parse(req.body.claims ?? '{}'))) {
    if (value === null) delete token.payload[name];
    else token.payload[name] = value;
  }
});
await server.start(Number(process.argv[2] ?? 0), '127.0.0.1');
server.issuer.url = `http://127.0.0.1:${server.address().port}`;
console.log(server.issuer.url);

process.stdin.resume();
process.stdin.on('end', async () => {
  await server.stop();
  process.exit(0);
});
