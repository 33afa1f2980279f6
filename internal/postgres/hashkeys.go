package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

const hashSaltSQL = `
WITH ins AS (INSERT INTO hash_keys (period, salt) VALUES ($1::integer, $2::bytea) ON CONFLICT (period) DO NOTHING RETURNING salt)
SELECT salt FROM ins UNION ALL SELECT salt FROM hash_keys WHERE period = $1::integer LIMIT 1`

// HashSalt returns the salt of a device-hash key period, storing fresh when the
// period has none; concurrent instances agree on the first one stored.
func (db *DB) HashSalt(ctx context.Context, period int, fresh []byte) ([]byte, error) {
	var salt []byte
	err := db.Pool.QueryRow(ctx, hashSaltSQL, period, fresh).Scan(&salt)
	return salt, err
}

// Rows still holding the unkeyed SHA-256 of earlier versions.
var legacyDeviceTables = []struct{ table, key string }{
	{"reports", "id"}, {"report_confirmations", "id"}, {"open311_submissions", "report_id"},
}

// RekeyDeviceHashes replaces every unkeyed device hash (device_key_period NULL)
// by rekey(old), marking it as made under period, in one transaction.
func (db *DB) RekeyDeviceHashes(ctx context.Context, period int, rekey func(old []byte) []byte) (int64, error) {
	var total int64
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		for _, t := range legacyDeviceTables {
			rows, err := tx.Query(ctx, `SELECT `+t.key+`::text, device_hash FROM `+t.table+
				` WHERE device_hash IS NOT NULL AND device_key_period IS NULL FOR UPDATE`)
			if err != nil {
				return err
			}
			type row struct {
				key  string
				hash []byte
			}
			list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
				var x row
				return x, r.Scan(&x.key, &x.hash)
			})
			if err != nil {
				return err
			}
			for _, x := range list {
				if _, err := tx.Exec(ctx, `UPDATE `+t.table+` SET device_hash = $2, device_key_period = $3 WHERE `+t.key+` = $1`,
					x.key, rekey(x.hash), period); err != nil {
					return err
				}
			}
			total += int64(len(list))
		}
		return nil
	})
	return total, err
}
