package client_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/client"
	"github.com/shopfloor-dev/shopfloor/internal/shopfloortest"
)

// server is a real Shopfloor, with its demo data, started by the first
// example that needs it and stopped after the package's tests.
var server struct {
	once sync.Once
	*shopfloortest.Server
}

func TestMain(m *testing.M) {
	code := m.Run()
	if server.Server != nil {
		server.Stop()
	}
	os.Exit(code)
}

// newClient is a client of the example server as a demo API key.
func newClient(role string) *client.Client {
	server.once.Do(func() {
		s, err := shopfloortest.Start()
		if err != nil {
			panic(err)
		}
		server.Server = s
	})
	key := server.APIKey(0, role)
	return client.New(server.URL+"/graphql", client.WithTokenSource(client.APIKey(server.TokenURL, key.ClientID, key.ClientSecret)))
}

// List parts page by page: Nodes follows pageInfo.endCursor to the end.
func ExampleNodes() {
	ctx := context.Background()
	c := newClient(shopfloor.RoleAdmin)
	for i := 1; i <= 5; i++ {
		if err := c.Do(ctx, `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id } } }`, map[string]any{"n": fmt.Sprintf("EXAMPLE-%d", i)}, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	type part struct {
		PartNumber string
	}
	parts := `query($first: Int, $after: String) {
		parts(first: $first, after: $after, filters: {partNumber: {ilike: "EXAMPLE-%"}}, sort: [PART_NUMBER_ASC]) {
			edges { node { partNumber } }
			pageInfo { hasNextPage endCursor }
		}
	}`
	for p, err := range client.Nodes[part](ctx, c, parts, nil, "parts", 2) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.PartNumber)
	}
	// Output:
	// EXAMPLE-1
	// EXAMPLE-2
	// EXAMPLE-3
	// EXAMPLE-4
	// EXAMPLE-5
}

// Update inventory with its etag: on a 409 UpdateWithEtag re-reads the row
// and re-applies the change on what another writer left.
func ExampleUpdateWithEtag() {
	ctx := context.Background()
	c := newClient(shopfloor.RoleAdmin)
	var created struct {
		CreatePartInventory struct{ PartInventory struct{ ID int64 } }
	}
	if err := c.Do(ctx, `mutation { createPartInventory(input: {partId: 3, quantity: 10}) { partInventory { id } } }`, nil, &created); err != nil {
		fmt.Println(err)
		return
	}
	id := created.CreatePartInventory.PartInventory.ID

	type inventory struct {
		Quantity float64
		Etag     string `json:"_etag"`
	}
	read := func(ctx context.Context) (inventory, error) {
		var out struct{ PartInventory inventory }
		err := c.Do(ctx, `query($id: ID!) { partInventory(id: $id) { quantity _etag } }`, map[string]any{"id": id}, &out)
		return out.PartInventory, err
	}
	update := `mutation($id: ID!, $etag: String, $q: Float) {
		updatePartInventory(input: {id: $id, etag: $etag, quantity: $q}) { partInventory { quantity } }
	}`
	attempts := 0
	err := client.UpdateWithEtag(ctx, read, func(ctx context.Context, inv inventory) error {
		attempts++
		if attempts == 1 { // someone else counts 2 more first, so our etag is stale
			c.Do(ctx, update, map[string]any{"id": id, "etag": inv.Etag, "q": inv.Quantity + 2}, nil)
		}
		return c.Do(ctx, update, map[string]any{"id": id, "etag": inv.Etag, "q": inv.Quantity + 5}, nil)
	})
	final, _ := read(ctx)
	fmt.Println(err, attempts, final.Quantity)
	// Output: <nil> 2 17
}

// Handle a 403: the error says which of the contract's causes it is, and
// its fix.
func ExampleError() {
	c := newClient(shopfloor.RoleReadOnly)
	err := c.Do(context.Background(), `mutation { createLocation(input: {name: "Bay 9"}) { location { id } } }`, nil, nil)
	var e *client.Error
	if errors.As(err, &e) && errors.Is(err, client.ErrForbidden) {
		first := e.Errors[0]
		fmt.Println(first.Status(), first.Message)
		fmt.Println("cause:", first.Cause())
		fmt.Println("fix:", first.Fix())
	}
	// Output:
	// 403 User does not have permission to perform CREATE on Location.
	// cause: Missing role permission
	// fix: An admin grants the role the missing permission, or assigns the user a role that has it.
}
