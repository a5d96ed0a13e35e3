// The demo organization's common operations, one tab each, preloaded when
// the tab has no saved tabs yet.
export const examples = [
  {
    query: `# List parts: the first page, with each part's inventory.
# Sign in above first (a demo API key from demo-credentials.json).
query ListParts($first: Int) {
  parts(first: $first, sort: [PART_NUMBER_ASC]) {
    pageInfo { totalCount hasNextPage endCursor }
    edges {
      node {
        id partNumber revision description quantity _etag
        partInventories { id quantity _etag location { name } }
      }
    }
  }
}
`,
    variables: '{ "first": 10 }',
  },
  {
    query: `# Update inventory with its etag: read the row's current _etag
# (ListParts shows it), send it with the change. An etag that is no
# longer current is a 409 and changes nothing: read it again and retry.
mutation UpdateInventory($id: ID!, $etag: String!, $quantity: Float) {
  updatePartInventory(input: {id: $id, etag: $etag, quantity: $quantity}) {
    partInventory { id quantity _etag part { partNumber } }
  }
}
`,
    variables: '{ "id": "<an inventory id from ListParts>", "etag": "<its _etag>", "quantity": 12 }',
  },
  {
    query: `# Start a run: a RELEASED procedure on a unit. ReleasedProcedures
# finds the demo's released procedure and units (one with a serial
# number); run it first, then StartRun with their ids. The run copies the procedure's steps.
query ReleasedProcedures {
  procedures(filters: {status: {eq: "RELEASED"}}, first: 5) {
    edges { node { id title status } }
  }
  partInventories(first: 20) {
    edges { node { id serialNumber part { partNumber } } }
  }
}

mutation StartRun($procedureId: ID!, $partInventoryId: ID) {
  createRun(input: {procedureId: $procedureId, partInventoryId: $partInventoryId}) {
    run { id title status _etag steps { id title status } }
  }
}
`,
    variables: '{ "procedureId": "<a RELEASED procedure id>", "partInventoryId": "<a unit id>" }',
  },
];
