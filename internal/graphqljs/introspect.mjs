// Introspects a live GraphQL server as graphql-js tools do (GraphiQL,
// codegen): getIntrospectionQuery() with every option on, then
// buildClientSchema, which throws on a schema the spec does not allow, and
// printSchema. It also checks what graphql-core 3.2's build_client_schema
// (Python's gql) refuses and graphql-js 16.15 allows: a directive location
// the October 2021 specification does not define. Usage: node introspect.mjs URL TOKEN; prints the SDL.
import { assertValidSchema, buildClientSchema, getIntrospectionQuery, printSchema } from "graphql";

const [url, token] = process.argv.slice(2);
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});
const response = await fetch(url, {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: token },
  body: JSON.stringify({ query, operationName: "IntrospectionQuery" }),
});
const body = await response.json();
if (response.status !== 200 || body.errors) {
  console.error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  process.exit(1);
}
const specifiedLocations = [
  "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
  "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
  "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
];
const schema = buildClientSchema(body.data);
assertValidSchema(schema);
for (const directive of schema.getDirectives()) {
  for (const location of directive.locations) {
    if (!specifiedLocations.includes(location)) {
      console.error(`@${directive.name} has the location ${location}, which the specification does not define`);
      process.exit(1);
    }
  }
}
process.stdout.write(printSchema(schema));
