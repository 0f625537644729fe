// Package production is the kitchen service. It turns every paid order
// (order-paid-event) into one kitchen record in DynamoDB, lists the records
// the kitchen still has to cook, oldest first, through a status index instead
// of a table scan, and moves a record RECEIVED → IN_PREPARATION → COMPLETED on
// an employee's request, telling the order service each time
// (production-started-event, production-completed-event).
package production
