// PostGraphile 5, the comparison server of shopfloor's benchmark (go run ./bench).
// Each request must carry an RS256 JWT signed by the benchmark; its org_id and
// user_id claims become jwt.claims.* settings that the row-level security
// policies of setup.sql read, so a caller sees only its organization's rows.
import { createServer } from "node:http";
import { createPublicKey, verify } from "node:crypto";
import { postgraphile } from "postgraphile";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const key = createPublicKey(process.env.JWT_PUBLIC_KEY);
const port = Number(process.env.PORT);

// claims verifies the bearer token and returns its claims.
function claims(req) {
  const auth = req?.headers?.authorization ?? "";
  const [header, payload, signature] = auth.replace(/^Bearer /, "").split(".");
  if (!signature || !verify("RSA-SHA256", Buffer.from(header + "." + payload), key, Buffer.from(signature, "base64url"))) {
    throw new Error("invalid token");
  }
  const c = JSON.parse(Buffer.from(payload, "base64url"));
  if (c.exp * 1000 < Date.now()) throw new Error("token expired");
  return c;
}

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 20 },
      pgSettings(requestContext) {
        const c = claims(requestContext.node?.req);
        return { "jwt.claims.org_id": String(c.org_id), "jwt.claims.user_id": String(c.user_id) };
      },
    }),
  ],
  grafserv: { port, host: "127.0.0.1", graphqlPath: "/graphql", watch: false, graphiql: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => { console.error(e); process.exit(1); });
await serv.addTo(server);
server.listen(port, "127.0.0.1", () => console.log("listening on " + port));
process.on("SIGTERM", () => { server.close(); pgl.release().then(() => process.exit(0)); });
