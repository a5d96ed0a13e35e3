package contract_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/contract"
)

var codes = map[string]shopfloor.Code{
	"CodeBadRequest": shopfloor.CodeBadRequest, "CodeUnauthenticated": shopfloor.CodeUnauthenticated,
	"CodeForbidden": shopfloor.CodeForbidden, "CodeNotFound": shopfloor.CodeNotFound,
	"CodeConflict": shopfloor.CodeConflict, "CodeInvalid": shopfloor.CodeInvalid,
	"CodeRateLimited": shopfloor.CodeRateLimited, "CodeInternal": shopfloor.CodeInternal,
	"CodeBadGateway": shopfloor.CodeBadGateway, "CodeUnavailable": shopfloor.CodeUnavailable,
	"CodeTimeout": shopfloor.CodeTimeout,
}

// serverMessage is a message the server's code writes, with a sample value
// for each of its format verbs and variables.
type serverMessage struct {
	where   string
	code    shopfloor.Code // "" for the token endpoint's OAuth errors
	message string
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// render is an expression of string literals, format verbs and variables
// with sample values in place of the verbs and variables.
func render(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil {
			return verb.ReplaceAllStringFunc(s, func(v string) string {
				if strings.HasSuffix(v, "d") {
					return "7"
				}
				return "x"
			})
		}
	case *ast.BinaryExpr:
		return render(e.X) + render(e.Y)
	}
	return "x"
}

func isText(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.BinaryExpr:
		return isText(e.X) || isText(e.Y)
	}
	return false
}

// serverMessages reads every error message the module's server code writes:
// a call taking an error code and then a text (Errorf, wire.WriteError…), a
// check's fail(field, format) (its entity and field prefix the format), and
// the token endpoint's oauthError{error, description}.
func serverMessages(t *testing.T) []serverMessage {
	var out []serverMessage
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "internal" || d.Name() == "bench" || d.Name() == "contract" || d.Name() == "client" || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, ".generated.go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			where := func() string { return fset.Position(n.Pos()).String() }
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "oauthError" && len(n.Elts) == 2 && isText(n.Elts[1]) {
					out = append(out, serverMessage{where(), "", render(n.Elts[1])})
				}
			case *ast.CallExpr:
				if fn, ok := n.Fun.(*ast.SelectorExpr); ok && fn.Sel.Name == "fail" && len(n.Args) >= 2 && isText(n.Args[1]) {
					out = append(out, serverMessage{where(), shopfloor.CodeInvalid, "Part quantity " + render(n.Args[1])})
					return true
				}
				var code shopfloor.Code
				for _, arg := range n.Args {
					name := ""
					switch a := arg.(type) {
					case *ast.SelectorExpr:
						name = a.Sel.Name
					case *ast.Ident:
						name = a.Name
					}
					if c, ok := codes[name]; ok {
						code = c
					} else if code != "" && isText(arg) {
						if msg := render(arg); len(strings.ReplaceAll(msg, "x", "")) > 8 {
							out = append(out, serverMessage{where(), code, msg})
						}
						break
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every message the server's code writes is recognised by a row of its own
// status class (never only by the troubleshooting flow), so a new message
// without a row fails here.
func TestEveryServerMessageIsClassified(t *testing.T) {
	t.Parallel()
	messages := serverMessages(t)
	if len(messages) < 60 {
		t.Fatalf("found only %d messages in the server's code", len(messages))
	}
	for _, m := range messages {
		status, ext := 0, map[string]any(nil)
		if m.code != "" {
			status, ext = m.code.Status(), map[string]any{"code": string(m.code), "status": float64(m.code.Status())}
		}
		rows := contract.Classify(status, m.message, ext)
		if first, last := rows[0], rows[len(rows)-1]; last.ID == contract.Troubleshooting.ID || m.code != "" && first.Status != contract.Class(status) {
			t.Errorf("%s: %q (%s) is classified as %v", m.where, m.message, m.code, ids(rows))
		}
	}
}
