package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// exportStep is what ION's procedure export reads of each step.
const exportStep = `fragment S on Step {
	id _etag entityId title type position positionPath version content slateContent leadTime locationId locationSubtypeId
	parentId procedureId isDerivedStep isStandardStep upstreamStepIds labels { id value } attributes { key type value }
	assets { id filename }
	fields { id _etag name type unit options display required allowNotApplicable allowedIonType peerReviewRequired
		signoffRole { id name } validations { functionId fieldId } }
	datagridColumns { edges { node { id index header options type unit editable settable signoffRole { id name } } } }
	datagridRows { edges { node { id index required allowNotApplicable values { columnId type value notApplicable } } } }
	datagrid { columns { id prevId header type } rows { id prevId data } }
}`

const exportProcedure = exportStep + `
query($id: ID!) { procedure(id: $id) {
	id _etag title description type status version exportControlled familyId labels attributes { key type value }
	steps { ...S steps { ...S steps { ...S } } } } }`

type exportedStep struct {
	ID              int64            `json:"id"`
	Title           *string          `json:"title"`
	Type            string           `json:"type"`
	Content         *string          `json:"content"`
	SlateContent    any              `json:"slateContent"`
	LeadTime        any              `json:"leadTime"`
	UpstreamStepIDs []int64          `json:"upstreamStepIds"`
	Attributes      []map[string]any `json:"attributes"`
	Fields          []map[string]any `json:"fields"`
	DatagridColumns struct {
		Edges []struct{ Node map[string]any }
	} `json:"datagridColumns"`
	DatagridRows struct {
		Edges []struct {
			Node struct {
				ID                 int64
				Index              int
				Required           bool
				AllowNotApplicable bool
				Values             []struct {
					ColumnID int64 `json:"columnId"`
					Value    any
				}
			}
		}
	} `json:"datagridRows"`
	Steps []exportedStep `json:"steps"`
}

type exportedProcedure struct {
	Title            string
	Description      *string
	Type             *string
	ExportControlled bool
	Labels           []string
	Attributes       []map[string]any
	Steps            []exportedStep
}

// ION's procedure export works against Shopfloor: a procedure read whole in
// one query (steps, nested steps, fields, datagrid, dependencies, labels,
// attributes) is recreated in the other demo organization through the
// mutations only, released there through its approval, and reads back the
// same but for ids and etags.
func TestProcedureRoundTrip(t *testing.T) { onEngines(t, testProcedureRoundTrip) }

func testProcedureRoundTrip(t *testing.T, s *testServer) {
	source, target := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
	var found struct {
		Edges []struct{ Node struct{ ID int64 } }
	}
	s.gql(t, source, `{ procedures(filters: {title: {eq: "ACME Final assembly"}}) { edges { node { id } } } }`, nil).must(t).field(t, "procedures", &found)
	read := func(tok string, id int64) (exportedProcedure, string) {
		r := s.gql(t, tok, exportProcedure, map[string]any{"id": id}).must(t)
		var p exportedProcedure
		r.field(t, "procedure", &p)
		return p, string(r.Data["procedure"])
	}
	src, srcRaw := read(source, found.Edges[0].Node.ID)
	if len(src.Steps) != 3 || len(src.Steps[0].Steps) != 1 || len(src.Steps[0].Steps[0].Steps) != 1 || len(src.Labels) != 1 {
		t.Fatalf("the demo procedure is not what this test expects: %s", srcRaw)
	}

	var created struct {
		Procedure struct{ ID, FamilyID int64 }
	}
	s.gql(t, target, `mutation($title: String!, $description: String, $exportControlled: Boolean, $type: Proceduretypeenum, $attributes: [PartAttributeInput!]) {
		createProcedure(title: $title, description: $description, exportControlled: $exportControlled, type: $type, attributes: $attributes) { procedure { id familyId } } }`,
		map[string]any{"title": src.Title, "description": src.Description, "exportControlled": src.ExportControlled, "type": src.Type, "attributes": src.Attributes}).
		must(t).field(t, "createProcedure", &created)
	procID := created.Procedure.ID
	for _, value := range src.Labels {
		var labels struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		s.gql(t, target, `query($filters: LabelsInputFilters) { labels(filters: $filters) { edges { node { id } } } }`,
			map[string]any{"filters": map[string]any{"value": map[string]any{"eq": value}}}).must(t).field(t, "labels", &labels)
		labelID := int64(0)
		if len(labels.Edges) > 0 {
			labelID = labels.Edges[0].Node.ID
		} else {
			var l struct{ Label struct{ ID int64 } }
			s.gql(t, target, `mutation($input: CreateLabelInput!) { createLabel(input: $input) { label { id } } }`,
				map[string]any{"input": map[string]any{"value": value}}).must(t).field(t, "createLabel", &l)
			labelID = l.Label.ID
		}
		s.gql(t, target, `mutation($input: LabelToProcedureFamilyInput!) { addLabelToProcedureFamily(input: $input) { labelId familyId } }`,
			map[string]any{"input": map[string]any{"labelId": labelID, "familyId": created.Procedure.FamilyID}}).must(t)
	}

	roleIDs := map[string]int64{}
	roleID := func(role any) any {
		if role == nil {
			return nil
		}
		name := role.(map[string]any)["name"].(string)
		if _, ok := roleIDs[name]; !ok {
			var roles struct {
				Edges []struct{ Node struct{ ID int64 } }
			}
			s.gql(t, target, `query($name: String) { roles(filters: {name: {eq: $name}}) { edges { node { id } } } }`, map[string]any{"name": name}).
				must(t).field(t, "roles", &roles)
			roleIDs[name] = roles.Edges[0].Node.ID
		}
		return roleIDs[name]
	}
	stepIDs := map[int64]int64{}
	fieldIDs := map[int64]etagged{} // the source's field id → the copy
	var validated []map[string]any  // the source's fields with validations
	var edges [][2]int64
	var create func(steps []exportedStep, parent *int64)
	create = func(steps []exportedStep, parent *int64) {
		for _, st := range steps {
			var out struct{ Step struct{ ID int64 } }
			s.gql(t, target, `mutation($input: CreateStepInput!) { createStep(input: $input) { step { id } } }`, map[string]any{"input": map[string]any{
				"procedureId": procID, "parentId": parent, "title": st.Title, "type": st.Type, "content": st.Content,
				"slateContent": st.SlateContent, "leadTime": st.LeadTime, "attributes": st.Attributes,
			}}).must(t).field(t, "createStep", &out)
			id := out.Step.ID
			stepIDs[st.ID] = id
			for _, f := range st.Fields {
				input := map[string]any{"stepId": id, "signoffRoleId": roleID(f["signoffRole"])}
				for k, v := range f {
					if k != "id" && k != "_etag" && k != "validations" && k != "signoffRole" && v != nil {
						input[k] = v
					}
				}
				var made struct{ StepField etagged }
				s.gql(t, target, `mutation($input: CreateStepFieldInput!) { createStepField(input: $input) { stepField { id _etag } } }`, map[string]any{"input": input}).
					must(t).field(t, "createStepField", &made)
				fieldIDs[int64(f["id"].(float64))] = made.StepField
				if vs, _ := f["validations"].([]any); len(vs) > 0 {
					validated = append(validated, f)
				}
			}
			columns := map[int64]int64{}
			for _, e := range st.DatagridColumns.Edges {
				input := map[string]any{"stepId": id, "signoffRoleId": roleID(e.Node["signoffRole"])}
				for _, k := range []string{"index", "header", "options", "type", "unit", "editable", "settable"} {
					input[k] = e.Node[k]
				}
				var col struct{ DatagridColumn struct{ ID int64 } }
				s.gql(t, target, `mutation($input: CreateDatagridColumnInput!) { createDatagridColumn(input: $input) { datagridColumn { id } } }`,
					map[string]any{"input": input}).must(t).field(t, "createDatagridColumn", &col)
				columns[int64(e.Node["id"].(float64))] = col.DatagridColumn.ID
			}
			for _, e := range st.DatagridRows.Edges {
				var row struct{ DatagridRow struct{ ID int64 } }
				s.gql(t, target, `mutation($input: CreateDatagridRowInput!) { createDatagridRow(input: $input) { datagridRow { id } } }`,
					map[string]any{"input": map[string]any{"stepId": id, "index": e.Node.Index, "required": e.Node.Required, "allowNotApplicable": e.Node.AllowNotApplicable}}).
					must(t).field(t, "createDatagridRow", &row)
				for _, v := range e.Node.Values {
					s.gql(t, target, `mutation($input: SetDatagridValueInput!) { setDatagridValue(input: $input) { datagridValue { id } } }`,
						map[string]any{"input": map[string]any{"rowId": row.DatagridRow.ID, "columnId": columns[v.ColumnID], "value": v.Value}}).must(t)
				}
			}
			for _, up := range st.UpstreamStepIDs {
				edges = append(edges, [2]int64{st.ID, up})
			}
			create(st.Steps, &id)
		}
	}
	create(src.Steps, nil)
	// Validations name fields by id: set once every field has its copy.
	for _, f := range validated {
		var vs []map[string]any
		for _, v := range f["validations"].([]any) {
			v := v.(map[string]any)
			var field any
			if v["fieldId"] != nil {
				field = fieldIDs[int64(v["fieldId"].(float64))].ID
			}
			vs = append(vs, map[string]any{"functionId": v["functionId"], "fieldId": field})
		}
		made := fieldIDs[int64(f["id"].(float64))]
		s.gql(t, target, `mutation($input: UpdateStepFieldInput!) { updateStepField(input: $input) { stepField { id } } }`,
			map[string]any{"input": map[string]any{"id": made.ID, "etag": made.Etag, "validations": vs}}).must(t)
	}
	if len(validated) == 0 {
		t.Fatalf("the demo procedure has no field with validations: %s", srcRaw)
	}
	for _, e := range edges {
		s.gql(t, target, `mutation($stepId: ID!, $upstreamStepId: ID!) { createStepEdge(input: {stepId: $stepId, upstreamStepId: $upstreamStepId}) { stepEdge { id } } }`,
			map[string]any{"stepId": stepIDs[e[0]], "upstreamStepId": stepIDs[e[1]]}).must(t)
	}
	p := readProcedure(t, s, target, procID)
	p = mustStatus(t, s, target, p, shopfloor.ProcedureInReview)
	review(t, s, target, procID).must(t)
	mustStatus(t, s, target, p, shopfloor.ProcedureReleased)

	_, copyRaw := read(target, procID)
	if a, b := canonical(t, srcRaw), canonical(t, copyRaw); a != b {
		t.Fatalf("the copy differs from the source:\n%s\n%s", a, b)
	}
}

// canonical is a procedure read with ids and etags replaced by what they
// name: a step by its position path, a column by its step's path and its
// index, a row likewise, a field by its step's path and its name;
// references follow the same names.
func canonical(t *testing.T, raw string) string {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // "<kind> <id>" → name
	var collect func(steps any)
	collect = func(steps any) {
		list, _ := steps.([]any) // the deepest level read selects no steps
		for _, st := range list {
			step := st.(map[string]any)
			path := step["positionPath"].(string)
			names[fmt.Sprint("step ", step["id"])] = "step " + path
			for _, f := range step["fields"].([]any) {
				field := f.(map[string]any)
				names[fmt.Sprint("field ", field["id"])] = fmt.Sprint("field ", path, "/", field["name"])
			}
			for _, e := range step["datagridColumns"].(map[string]any)["edges"].([]any) {
				col := e.(map[string]any)["node"].(map[string]any)
				names[fmt.Sprint("column ", col["id"])] = fmt.Sprint("column ", path, "/", col["index"])
			}
			for _, e := range step["datagridRows"].(map[string]any)["edges"].([]any) {
				row := e.(map[string]any)["node"].(map[string]any)
				names[fmt.Sprint("row ", row["id"])] = fmt.Sprint("row ", path, "/", row["index"])
			}
			collect(step["steps"])
		}
	}
	collect(doc.(map[string]any)["steps"])
	rename := func(kind string, id any) any {
		if id == nil {
			return nil
		}
		if n, ok := names[fmt.Sprint(kind, " ", id)]; ok {
			return n
		}
		t.Fatalf("no %s %v in the procedure", kind, id)
		return nil
	}
	var walk func(v any, kind string) any
	walk = func(v any, kind string) any {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				switch k {
				case "_etag", "entityId", "familyId", "procedureId", "createdById", "updatedById":
					delete(x, k)
				case "id", "prevId":
					if kind == "" {
						delete(x, k)
					} else {
						x[k] = rename(kind, val)
					}
				case "parentId":
					x[k] = rename("step", val)
				case "columnId":
					x[k] = rename("column", val)
				case "fieldId": // a validation's other field
					x[k] = rename("field", val)
				case "upstreamStepIds":
					for i, id := range val.([]any) {
						val.([]any)[i] = rename("step", id)
					}
				case "data": // a linked row's values by column id
					data := map[string]any{}
					for col, cell := range val.(map[string]any) {
						id, _ := strconv.ParseInt(col, 10, 64)
						data[rename("column", id).(string)] = cell
					}
					x[k] = data
				case "steps":
					x[k] = walk(val, "step")
				case "datagridColumns", "columns":
					x[k] = walk(val, "column")
				case "datagridRows", "rows":
					x[k] = walk(val, "row")
				case "fields", "labels", "signoffRole", "values", "attributes", "assets":
					x[k] = walk(val, "")
				default:
					x[k] = walk(val, kind)
				}
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i], kind)
			}
		}
		return v
	}
	out, err := json.Marshal(walk(doc, ""))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
