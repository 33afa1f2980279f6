package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

const insertAuditSQL = `
INSERT INTO audit_log (at, actor, token_id, action, municipality_code, report_id, reason, detail)
VALUES ($1, $2, $3, $4, coalesce(nullif($5, ''), (SELECT municipality_code FROM reports WHERE id = $6)),
        $6, nullif($7, ''), $8)`

// AppendAudit adds entries in one round trip; either all are stored or none.
// An entry about a report without a municipality gets the report's.
func (db *DB) AppendAudit(ctx context.Context, entries []privacy.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, e := range entries {
		var detail []byte
		if e.Detail != nil {
			var err error
			if detail, err = json.Marshal(e.Detail); err != nil {
				return err
			}
		}
		b.Queue(insertAuditSQL, e.At, e.Actor, e.TokenID, string(e.Action), e.Municipality, e.ReportID, e.Reason, detail)
	}
	return db.InTx(ctx, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
}

const listAuditSQL = `
SELECT id, at, actor, token_id, action, coalesce(municipality_code, ''), report_id, coalesce(reason, ''), detail
FROM audit_log
WHERE (municipality_code IS NULL OR municipality_code = ANY($1))
  AND ($2 = '' OR actor = $2)
  AND ($3::uuid IS NULL OR report_id = $3)
  AND ($4::timestamptz IS NULL OR at >= $4)
  AND ($5::timestamptz IS NULL OR at < $5)
  AND ($6 = 0 OR id < $6)
ORDER BY id DESC
LIMIT $7`

// AuditEntries lists entries newest first.
func (db *DB) AuditEntries(ctx context.Context, f privacy.AuditFilter) ([]privacy.Entry, error) {
	rows, err := db.Pool.Query(ctx, listAuditSQL, f.Municipalities, f.Actor, f.Report, f.From, f.To, f.Before, f.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Entry, error) {
		var e privacy.Entry
		var action string
		var detail []byte
		err := row.Scan(&e.ID, &e.At, &e.Actor, &e.TokenID, &action, &e.Municipality, &e.ReportID, &e.Reason, &detail)
		e.Action = privacy.Action(action)
		if err == nil && detail != nil {
			err = json.Unmarshal(detail, &e.Detail)
		}
		return e, err
	})
}

// changedBy is the actor of a staff change.
func changedBy(u report.Update) string {
	for _, e := range u.Events {
		if e.Actor != "" {
			return e.Actor
		}
	}
	return "system"
}

// auditDelivery records, in the transaction that enqueues it, that delivery
// id will send the report's description (the only free text a delivery
// carries; contact data never leaves) to an external system. The actor is the
// caseworker whose change forwarded the report.
func auditDelivery(ctx context.Context, tx pgx.Tx, r report.Report, at time.Time, actor string, id uuid.UUID, dest, kind, url string) error {
	fields := []string{"category", "location"}
	if r.Description != "" {
		fields = append(fields, "description")
	}
	detail, err := json.Marshal(map[string]any{"what": "delivery", "delivery": id, "destination": dest, "kind": kind, "url": url, "fields": fields})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, insertAuditSQL, at, actor, nil, string(privacy.ActionDelivery), r.Municipality.Code, r.ID, "", detail)
	return err
}
