package shopfloor

import (
	"strings"
	"unicode"
)

// Permission is one of ION's permission groups: the PascalCase name of the
// mutation it allows, such as "CreatePurchaseOrder". Permissions attach to
// roles; reads generally need none.
type Permission string

// PermissionFamily groups the permissions that act on one kind of resource.
type PermissionFamily struct {
	Name        string
	Permissions []Permission
}

// PermissionFamilies is ION's catalog of permission groups by family.
var PermissionFamilies = []PermissionFamily{
	{"ABomItem", []Permission{"CreateABomForPartInventory", "CreateABomItem", "DeleteABomItem", "InstallKitOnAbomItemChildren", "UpdateABomItem"}},
	{"APIKeyObject", []Permission{"CreateAPIKey", "DeleteAPIKey", "UpdateAPIKey"}},
	{"AnalyticsCredential", []Permission{"CreateAnalyticsCredential", "DeleteAnalyticsCredential"}},
	{"BarcodeLabel", []Permission{"CreateBarcodeLabel", "UpdateBarcodeLabel"}},
	{"BarcodeTemplate", []Permission{"CreateBarcodeTemplate", "UpdateBarcodeTemplate"}},
	{"Comment", []Permission{"CreateComment", "DeleteComment", "UpdateComment"}},
	{"Contact", []Permission{"CreateContact", "DeleteContact", "UpdateContact"}},
	{"Currency", []Permission{"CreateCurrency", "DeleteCurrency", "UpdateCurrency"}},
	{"DatagridColumn", []Permission{"CreateDatagridColumn", "DeleteDatagridColumn", "ReorderDatagridColumn", "UpdateDatagridColumn"}},
	{"DatagridRow", []Permission{"CreateDatagridRow", "DeleteDatagridRow", "ReorderDatagridRow", "UpdateDatagridRow"}},
	{"DatagridValue", []Permission{"SetDatagridValue"}},
	{"FileAttachment", []Permission{"CreateAsset", "CreateFileAttachment", "DeleteAsset", "DeleteFileAttachment"}},
	{"Integration", []Permission{"CreateIntegration", "DeleteIntegration", "UpdateIntegration"}},
	{"Invite", []Permission{"CreateInvite", "ResendInvite", "RevokeInvite"}},
	{"Issue", []Permission{"CreateIssue", "UpdateIssue"}},
	{"IssueApproval", []Permission{"CreateIssueApproval", "UpdateIssueApproval"}},
	{"IssueApprovalRequest", []Permission{"CreateIssueApprovalRequest", "DeleteIssueApprovalRequest", "UpdateIssueApprovalRequest"}},
	{"IssueAttribute", []Permission{"UpdateIssueAttribute"}},
	{"IssueRelation", []Permission{"CreateIssueRelation", "DeleteIssueRelation"}},
	{"Label", []Permission{"AddLabelToItem", "CreateLabel", "DeleteLabel", "RemoveLabelFromItem", "UpdateLabel"}},
	{"Location", []Permission{"CreateLocation", "DeleteLocation", "UpdateLocation"}},
	{"LocationAttribute", []Permission{"UpdateLocationAttribute"}},
	{"LocationSubtype", []Permission{"CreateLocationSubtype", "DeleteLocationSubtype", "UpdateLocationSubtype"}},
	{"MBomItem", []Permission{"CreateMBomItem", "DeleteMBomItem", "UpdateMBomItem"}},
	{"MBomSubstitute", []Permission{"CreateMBomSubstitute", "CreateMBomSubstitutes", "DeleteMBomSubstitute"}},
	{"MRPJob", []Permission{"CreateMRPJob", "UpdateMRPJob"}},
	{"MessageResponse", []Permission{"DispatchNotification"}},
	{"Organization", []Permission{"CreateOrganizationGlobalUniqueSerialNumberScheme", "CreateOrganizationPartRevisionScheme", "DeleteOrganizationGlobalUniqueSerialNumberScheme", "DeleteOrganizationIssueAttributes", "DeleteOrganizationLocationAttributes", "DeleteOrganizationPartAttributes", "DeleteOrganizationPartInventoryAttributes", "DeleteOrganizationPartKitAttributes", "DeleteOrganizationPartKitItemAttributes", "DeleteOrganizationPartRevisionScheme", "DeleteOrganizationProcedureAttributes", "DeleteOrganizationPurchaseOrderAttributes", "DeleteOrganizationPurchaseOrderLineAttributes", "DeleteOrganizationReceiptAttributes", "DeleteOrganizationRunAttributes", "DeleteOrganizationRunStepAttributes", "DeleteOrganizationStepAttributes", "DeleteOrganizationSupplierAttributes", "UpdateOrganization", "UpdateOrganizationGlobalUniqueSerialNumberScheme", "UpdateOrganizationIssueAttributes", "UpdateOrganizationLocationAttributes", "UpdateOrganizationPartAttributes", "UpdateOrganizationPartInventoryAttributes", "UpdateOrganizationPartKitAttributes", "UpdateOrganizationPartKitItemAttributes", "UpdateOrganizationPartRevisionScheme", "UpdateOrganizationProcedureAttributes", "UpdateOrganizationPurchaseOrderAttributes", "UpdateOrganizationPurchaseOrderLineAttributes", "UpdateOrganizationReceiptAttributes", "UpdateOrganizationRunAttributes", "UpdateOrganizationRunStepAttributes", "UpdateOrganizationStepAttributes", "UpdateOrganizationSupplierAttributes"}},
	{"Part", []Permission{"AddSubtypeToPart", "CreatePart", "CreatePartRevision", "DeletePart", "RemoveSubtypeFromPart", "UpdatePart"}},
	{"PartAttribute", []Permission{"UpdatePartAttribute"}},
	{"PartInventory", []Permission{"CreatePartInventory", "DeletePartInventory", "IssueItemToKit", "MoveItemToInventory", "SplitManyPartInventory", "SplitPartInventory", "UpdatePartInventory"}},
	{"PartInventoryAttribute", []Permission{"UpdatePartInventoryAttribute"}},
	{"PartKit", []Permission{"AddPartsToKitFromMbom", "CreateKitForRun", "CreatePartKit", "DeletePartKit", "MoveKitInventoryToLocation", "SplitUnfulfilledPartKit", "UpdatePartKit"}},
	{"PartKitAttribute", []Permission{"UpdatePartKitAttribute"}},
	{"PartKitItem", []Permission{"CreatePartKitItem", "DeletePartKitItem", "UpdatePartKitItem"}},
	{"PartKitItemAttribute", []Permission{"UpdatePartKitItemAttribute"}},
	{"PartProcedure", []Permission{"CreatePartProcedure", "DeletePartProcedure", "UpdatePartProcedure"}},
	{"PartSubtype", []Permission{"CreatePartSubtype", "DeletePartSubtype", "UpdatePartSubtype"}},
	{"Plan", []Permission{"AddPlanItemToPlan", "CreatePlan", "DeletePlan", "RemovePlanItemFromPlan", "UpdatePlan"}},
	{"PlanInput", []Permission{"AddInputToPlan", "RemoveInputFromPlan", "UpdateInputToPlan"}},
	{"PlanItem", []Permission{"AddResultToPlanItem", "ConvertResultsFromPlanItem", "ConvertResultsFromPlanItems", "CreatePlanItem", "DeletePlanItem", "RemoveResultFromPlanItem", "UpdatePlanItem"}},
	{"PlanItemAllocation", []Permission{"CreatePlanItemAllocation", "DeletePlanItemAllocation", "UpdatePlanItemAllocation"}},
	{"Procedure", []Permission{"CloneProcedure", "CreateProcedure", "CreateProcedureVersion", "DeleteProcedure", "UpdateProcedure"}},
	{"ProcedureAttribute", []Permission{"UpdateProcedureAttribute"}},
	{"ProcedureFamilyLabel", []Permission{"AddLabelToProcedureFamily", "RemoveLabelFromProcedureFamily"}},
	{"PurchaseOrder", []Permission{"CreatePurchaseOrder", "DeletePurchaseOrder", "UpdatePurchaseOrder"}},
	{"PurchaseOrderApproval", []Permission{"CreatePurchaseOrderApproval", "UpdatePurchaseOrderApproval"}},
	{"PurchaseOrderApprovalRequest", []Permission{"CreatePurchaseOrderApprovalRequest", "DeletePurchaseOrderApprovalRequest", "UpdatePurchaseOrderApprovalRequest"}},
	{"PurchaseOrderAttribute", []Permission{"UpdatePurchaseOrderAttribute"}},
	{"PurchaseOrderFee", []Permission{"CreatePurchaseOrderFee", "DeletePurchaseOrderFee", "UpdatePurchaseOrderFee"}},
	{"PurchaseOrderLine", []Permission{"AddInventoryToPurchaseOrderLine", "CreatePurchaseOrderLine", "DeletePurchaseOrderLine", "RemoveInventoryFromPurchaseOrderLine", "ReorderPurchaseOrderLine", "UpdatePurchaseOrderLine"}},
	{"PurchaseOrderLineAttribute", []Permission{"UpdatePurchaseOrderLineAttribute"}},
	{"Receipt", []Permission{"AddInventoryToReceipt", "CreateReceipt", "DeleteReceipt", "RemoveInventoryFromReceipt", "UpdateReceipt"}},
	{"ReceiptAttribute", []Permission{"UpdateReceiptAttribute"}},
	{"Redline", []Permission{"UpdateRedline"}},
	{"RedlineApproval", []Permission{"CreateRedlineApproval", "UpdateRedlineApproval"}},
	{"RedlineApprovalRequest", []Permission{"CreateRedlineApprovalRequest", "DeleteRedlineApprovalRequest", "UpdateRedlineApprovalRequest"}},
	{"Requirement", []Permission{"AddRequirementToItem", "CreateRequirement", "DeleteRequirement", "RemoveRequirementFromItem", "UpdateRequirement"}},
	{"Review", []Permission{"CreateReview", "UpdateReview"}},
	{"ReviewRequest", []Permission{"CreateReviewRequest", "DeleteReviewRequest", "UpdateReviewRequest"}},
	{"Role", []Permission{"AttachPermissionGroupToRole", "CreateRole", "DeleteRole", "DetachPermissionGroupFromRole", "UpdateRole"}},
	{"Run", []Permission{"ArchiveRun", "CancelRun", "CreateRun", "GenerateRunSummary", "UpdateRun"}},
	{"RunAttribute", []Permission{"UpdateRunAttribute"}},
	{"RunBatch", []Permission{"UpdateRunBatch"}},
	{"RunStep", []Permission{"AddPartInventoryToRunStep", "CancelRunStepRedline", "CopyStepToRun", "CreateRunStep", "DeleteRunStep", "MergeRunStepToRuns", "RemovePartInventoryFromRunStep", "ReorderRunSteps", "RunStepDataGridOperations", "UpdateRunStep"}},
	{"RunStepAttribute", []Permission{"UpdateRunStepAttribute"}},
	{"RunStepField", []Permission{"CreateRunStepField", "DeleteRunStepField", "ReorderRunStepFields", "UpdateRunStepField", "UpdateRunStepFieldValue"}},
	{"RunStepFieldValidation", []Permission{"CreateRunStepFieldValidation", "DeleteRunStepFieldValidation", "UpdateRunStepFieldValidation"}},
	{"RunStepsEdge", []Permission{"CreateRunStepEdge", "DeleteRunStepEdge"}},
	{"SessionEvent", []Permission{"CheckIn", "CheckOut"}},
	{"Step", []Permission{"CopyStandardStep", "CopyStep", "CreateStandardStepVersion", "CreateStep", "DeleteStep", "ImportStepsFromPDF", "MergeRunStep", "MergeRunStepToProcedure", "ReorderSteps", "StepDataGridOperations", "UpdateStep"}},
	{"StepApproval", []Permission{"CreateStepApproval", "UpdateStepApproval"}},
	{"StepApprovalRequest", []Permission{"CreateStepApprovalRequest", "DeleteStepApprovalRequest", "UpdateStepApprovalRequest"}},
	{"StepAttribute", []Permission{"UpdateStepAttribute"}},
	{"StepField", []Permission{"CopyField", "CreateStepField", "DeleteStepField", "ReorderStepFields", "UpdateStepField"}},
	{"StepFieldValidation", []Permission{"CreateStepFieldValidation", "DeleteStepFieldValidation", "UpdateStepFieldValidation"}},
	{"StepsEdge", []Permission{"CreateStepEdge", "DeleteStepEdge"}},
	{"Supplier", []Permission{"CreateSupplier", "DeleteSupplier", "UpdateSupplier"}},
	{"SupplierAttribute", []Permission{"UpdateSupplierAttribute"}},
	{"Team", []Permission{"AddUserToTeam", "AttachRoleToTeam", "CreateTeam", "DeleteTeam", "DetachRoleFromTeam", "RemoveUserFromTeam", "UpdateTeam"}},
	{"UnitOfMeasurement", []Permission{"CreateUnitOfMeasurement", "DeleteUnitOfMeasurement", "UpdateUnitOfMeasurement"}},
	{"User", []Permission{"AttachRoleToUser", "DetachRoleFromUser", "UpdateUser"}},
	{"UserNotification", []Permission{"UpdateUserNotification"}},
	{"UserSubscription", []Permission{"CreateUserSubscription", "DeleteUserSubscription"}},
	{"WebhookHeader", []Permission{"CreateWebhookHeader", "DeleteWebhookHeader", "UpdateWebhookHeader"}},
	{"WebhookReceiver", []Permission{"AddHeaderToWebhookReceiver", "CreateWebhookReceiver", "DeleteWebhookReceiver", "RemoveHeaderFromWebhookReceiver", "UpdateWebhookReceiver"}},
	{"WebhookSubscription", []Permission{"CreateWebhookSubscription", "DeleteWebhookSubscription", "UpdateWebhookSubscription"}}}

var permissionFamily = func() map[Permission]string {
	m := make(map[Permission]string)
	for _, f := range PermissionFamilies {
		for _, p := range f.Permissions {
			m[p] = f.Name
		}
	}
	return m
}()

// PermissionGroup is a permission as ION lists it: with its family, and an
// id that is its position in the catalog, counting from 1 (the catalog is
// ION's fixed list, so ids are the same in every database).
type PermissionGroup struct {
	ID     int64
	Name   string
	Family string
}

// PermissionGroups lists the catalog as permission groups, by id.
func PermissionGroups() []PermissionGroup {
	var out []PermissionGroup
	for _, f := range PermissionFamilies {
		for _, p := range f.Permissions {
			out = append(out, PermissionGroup{ID: int64(len(out) + 1), Name: string(p), Family: f.Name})
		}
	}
	return out
}

// AllPermissions lists every permission of the catalog, as granted to Admin.
func AllPermissions() []Permission {
	var all []Permission
	for _, f := range PermissionFamilies {
		all = append(all, f.Permissions...)
	}
	return all
}

// Known reports whether p is in the catalog.
func (p Permission) Known() bool { _, ok := permissionFamily[p]; return ok }

// Verb is the action p performs as named in a 403 message: CREATE, DELETE or UPDATE.
func (p Permission) Verb() string {
	switch {
	case strings.HasPrefix(string(p), "Create"):
		return "CREATE"
	case strings.HasPrefix(string(p), "Delete"):
		return "DELETE"
	default:
		return "UPDATE"
	}
}

// familyTitles names families whose title is not their words split apart.
var familyTitles = map[string]string{
	"APIKeyObject":   "API Key",
	"ABomItem":       "ABOM Item",
	"MBomItem":       "MBOM Item",
	"MBomSubstitute": "MBOM Substitute",
	"MRPJob":         "MRP Job",
}

// Resource is the human name of the resource p acts on, as named in a 403
// message: "Purchase Order" for UpdatePurchaseOrder.
func (p Permission) Resource() string {
	family := permissionFamily[p]
	if t, ok := familyTitles[family]; ok {
		return t
	}
	var b strings.Builder
	for i, r := range family {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
