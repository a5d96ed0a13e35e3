package main

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// runSteps is the size of the measured run: steps of two fields each.
const runSteps = 200

// seedRun releases a procedure of runSteps steps, each with a text and a
// number field, through the store as the measured organization's admin,
// and starts a run of it: createRun copies the steps and fields. It
// returns the run's id.
func seedRun(ctx context.Context, store *sqlstore.Store, userID int64) (int64, error) {
	id, err := store.Identity(ctx, userID, "")
	if err != nil {
		return 0, err
	}
	ctx = shopfloor.WithPrincipal(ctx, &id.Principal)
	title := fmt.Sprintf("Benchmark run of %d steps", runSteps)
	proc, err := store.CreateProcedure(ctx, shopfloor.ProcedureFields{Title: &title})
	if err != nil {
		return 0, err
	}
	text, number, required := "STRING", "NUMBER", true
	for i := range runSteps {
		name := fmt.Sprintf("Step %d", i)
		step, err := store.CreateStep(ctx, shopfloor.StepFields{ProcedureID: &proc.ID, Title: &name})
		if err != nil {
			return 0, err
		}
		serial, torque := "Serial", "Torque"
		for _, f := range []shopfloor.StepFieldFields{{Name: &serial, Type: &text, Required: &required}, {Name: &torque, Type: &number}} {
			if _, err := store.CreateStepField(ctx, step.ID, f); err != nil {
				return 0, err
			}
		}
	}
	// The demo's release gate asks one review by an Admin: the admin's.
	for _, status := range []string{"IN_REVIEW", "RELEASED"} {
		if status == "RELEASED" {
			if _, err := store.CreateReview(ctx, proc.ID, nil); err != nil {
				return 0, err
			}
		}
		if proc, err = store.UpdateProcedure(ctx, proc.ID, proc.Etag, shopfloor.ProcedureFields{Status: &status}); err != nil {
			return 0, err
		}
	}
	run, err := store.CreateRun(ctx, shopfloor.RunFields{ProcedureID: &proc.ID})
	if err != nil {
		return 0, err
	}
	return run.ID, nil
}
