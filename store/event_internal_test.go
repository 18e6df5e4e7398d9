package store

import "testing"

// Reads commit without waiting for the WAL flush; anything that may write
// must be seen as a write.
func TestWritesTellsReadsFromWrites(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT c.id, c.updated_at FROM commitments c WHERE c.id = $1":          false,
		"  select skill, created_at from skills where member_id = $1":           false,
		"WITH missing AS MATERIALIZED (SELECT 1) SELECT * FROM missing":         false,
		"SELECT id FROM commitments WHERE id = $1 FOR UPDATE":                   true,
		"SELECT set_config('synchronous_commit', 'on', true)":                   true,
		"INSERT INTO skills (member_id, skill) VALUES ($1, $2)":                 true,
		"SELECT 1 FROM (DELETE FROM x RETURNING 1) d":                           true,
		"UPDATE members SET updated_at = now() WHERE id = $1":                   true,
		"select m.id from members m where m.display_name = 'update the report'": true, // misjudged: only costs a flush
	} {
		if got := writes(sql); got != want {
			t.Errorf("writes(%q) = %v, want %v", sql, got, want)
		}
	}
}
