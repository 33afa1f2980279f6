package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/privacy"
)

// subjectReportsSQL finds a data subject's reports in $1 (municipalities) by
// e-mail $2 and phone $3 (both normalised, ” when not asked), in the contact
// data and in the free text ($4: the phone's digits without the leading 0, so
// "+46 70…" and "070…" written in a description both match).
const subjectReportsSQL = `
SELECT * FROM (
  SELECT r.id, r.reference, r.kind, r.category, r.municipality_code, r.observed_at, r.received_at, r.status,
         ST_X(r.geom), ST_Y(r.geom), coalesce(r.description, ''), c.name, c.email, c.phone, r.erased_at,
         coalesce($2 <> '' AND lower(trim(c.email)) = $2, false) AS by_email,
         coalesce($3 <> '' AND regexp_replace(regexp_replace(trim(c.phone), '^(\+46|0046)', '0'), '[^0-9]', '', 'g') = $3, false) AS by_phone,
         (($2 <> '' AND position($2 IN lower(coalesce(r.description, ''))) > 0)
          OR ($4 <> '' AND position($4 IN regexp_replace(coalesce(r.description, ''), '[^0-9]', '', 'g')) > 0)) AS by_text
  FROM reports r
  LEFT JOIN report_contacts c ON c.report_id = r.id
  WHERE r.municipality_code = ANY($1)) s
WHERE by_email OR by_phone OR by_text
ORDER BY received_at, id`

const (
	// A report's photos are those that came with it, wherever a merge has
	// moved them since (merged_from[1] is where a moved photo came from).
	subjectPhotosSQL = `
SELECT id, content_type, created_at, CASE WHEN $2 THEN bytes END FROM photos
WHERE (report_id = $1 OR merged_from @> ARRAY[$1::uuid]) AND coalesce(merged_from[1], report_id) = $1
ORDER BY created_at, id`
	// Notes of internal events are staff's deliberation, not the subject's
	// data: only public notes are exported.
	subjectEventsSQL = `
SELECT at, type, coalesce(from_status, ''), coalesce(to_status, ''), CASE WHEN public THEN coalesce(note, '') ELSE '' END
FROM report_events WHERE report_id = $1 ORDER BY id`
)

// SubjectReports returns the reports linked to a subject with their personal
// data, photos (bytes only when withPhotos) and history.
func (db *DB) SubjectReports(ctx context.Context, s privacy.Subject, munis []string, withPhotos bool) ([]privacy.SubjectReport, error) {
	digits := strings.TrimPrefix(s.Phone, "0")
	rows, err := db.Pool.Query(ctx, subjectReportsSQL, munis, s.Email, s.Phone, digits)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.SubjectReport, error) {
		var r privacy.SubjectReport
		var name, email, phone *string
		var byEmail, byPhone, byText bool
		err := row.Scan(&r.ID, &r.Reference, &r.Kind, &r.Category, &r.Municipality, &r.ObservedAt, &r.ReceivedAt, &r.Status,
			&r.Location[0], &r.Location[1], &r.Description, &name, &email, &phone, &r.ErasedAt, &byEmail, &byPhone, &byText)
		if name != nil || email != nil || phone != nil {
			r.Contact = map[string]any{}
			for k, v := range map[string]*string{"name": name, "email": email, "phone": phone} {
				if v != nil {
					r.Contact[k] = *v
				}
			}
		}
		r.MatchedBy = []string{}
		for by, ok := range map[string]bool{"contact.email": byEmail, "contact.phone": byPhone, "description": byText} {
			if ok {
				r.MatchedBy = append(r.MatchedBy, by)
			}
		}
		slices.Sort(r.MatchedBy)
		return r, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		r := &list[i]
		rows, err := db.Pool.Query(ctx, subjectPhotosSQL, r.ID, withPhotos)
		if err != nil {
			return nil, err
		}
		if r.Photos, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.SubjectPhoto, error) {
			var p privacy.SubjectPhoto
			return p, row.Scan(&p.ID, &p.ContentType, &p.CreatedAt, &p.Data)
		}); err != nil {
			return nil, err
		}
		rows, err = db.Pool.Query(ctx, subjectEventsSQL, r.ID)
		if err != nil {
			return nil, err
		}
		if r.Events, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.SubjectEvent, error) {
			var e privacy.SubjectEvent
			return e, row.Scan(&e.At, &e.Type, &e.FromStatus, &e.ToStatus, &e.Note)
		}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// eraseReceiptsSQL removes the follow-up tokens from the stored answers of
// retried POSTs (idempotency_keys) that created the reports or confirmed them:
// the answer otherwise hands the token out again to anyone holding the key.
// The receipt keeps the report's id and reference, so a client retrying after
// the erasure still gets its report, not a second one.
const eraseReceiptsSQL = `
UPDATE idempotency_keys k SET response = convert_to((j - 'follow_up_token')::text, 'UTF8')
FROM (SELECT scope, key, convert_from(response, 'UTF8')::jsonb AS j FROM idempotency_keys
      WHERE scope IN ('report', 'confirmation') AND status_code IN (200, 201)) r
WHERE k.scope = r.scope AND k.key = r.key AND r.j ? 'follow_up_token'
  AND (r.j ->> CASE r.scope WHEN 'report' THEN 'id' ELSE 'report_id' END)::uuid = ANY($1)`

// EraseReports removes the personal data of reports (contact, free text, staff
// notes, photos, device hashes, follow-up tokens and the receipts that carry
// them) and marks them erased at at; the reports stay for statistics, with
// their confirmations. It is idempotent.
func (db *DB) EraseReports(ctx context.Context, ids []uuid.UUID, at time.Time) (privacy.Erasure, error) {
	var e privacy.Erasure
	var confirmers int64
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		steps := []struct {
			sql string
			n   *int64
		}{
			{`DELETE FROM report_contacts WHERE report_id = ANY($1)`, &e.Contacts},
			{`UPDATE reports SET description = NULL WHERE id = ANY($1) AND description IS NOT NULL`, &e.Texts},
			{`DELETE FROM photos WHERE (report_id = ANY($1) OR merged_from && $1::uuid[])
			  AND coalesce(merged_from[1], report_id) = ANY($1)`, &e.Photos},
			{`UPDATE reports SET device_hash = NULL, device_key_period = NULL WHERE id = ANY($1) AND device_hash IS NOT NULL`, &e.Devices},
			{`UPDATE open311_submissions SET device_hash = NULL, device_key_period = NULL WHERE report_id = ANY($1) AND device_hash IS NOT NULL`, new(int64)},
			// The hash of an Open311 submission's fields (name, e-mail, text…)
			// could confirm a guess of them: a random one keeps the row's shape.
			{`UPDATE open311_submissions s SET fields_hash = sha256(uuid_send(gen_random_uuid()))
			  FROM reports r WHERE r.id = s.report_id AND s.report_id = ANY($1) AND r.erased_at IS NULL`, new(int64)},
			{`UPDATE report_events SET note = NULL WHERE report_id = ANY($1) AND note IS NOT NULL`, &e.Notes},
			{eraseReceiptsSQL, &e.Receipts},
			// A report must have a follow-up hash: a random one nobody holds a token for.
			{`UPDATE reports SET follow_up_hash = sha256(uuid_send(gen_random_uuid())) WHERE id = ANY($1) AND erased_at IS NULL`, &e.FollowUps},
			{`UPDATE report_confirmations SET follow_up_hash = NULL WHERE report_id = ANY($1) AND follow_up_hash IS NOT NULL`, &confirmers},
		}
		for _, s := range steps {
			tag, err := tx.Exec(ctx, s.sql, ids)
			if err != nil {
				return err
			}
			*s.n = tag.RowsAffected()
		}
		e.FollowUps += confirmers
		tag, err := tx.Exec(ctx, `UPDATE reports SET erased_at = $2 WHERE id = ANY($1) AND erased_at IS NULL`, ids, at)
		e.Reports = tag.RowsAffected()
		return err
	})
	return e, err
}
