package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Skill is a skill a member declared.
type Skill struct {
	Name      string
	CreatedAt time.Time
}

// Endorsement is one member vouching for another's skill.
type Endorsement struct {
	By        string    `json:"by"` // endorser's display name
	Skill     string    `json:"skill"`
	Receiver  bool      `json:"received_delivery"` // the endorser received a delivery from the endorsee
	CreatedAt time.Time `json:"at"`
}

// AddSkills declares skills for a member and returns the ones that were
// new. Skills are matched case-insensitively.
func (s *Store) AddSkills(ctx context.Context, memberID int64, skills []string, at time.Time) ([]string, error) {
	var added []string
	err := s.Tx(ctx, func(q *Queries) error {
		added = added[:0]
		for _, sk := range skills {
			var id int64
			err := q.db.QueryRow(ctx, `INSERT INTO skills (member_id, skill, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (member_id, lower(skill)) DO NOTHING RETURNING id`, memberID, sk, at).Scan(&id)
			if errors.Is(interpret(err), ErrNotFound) {
				continue // declared before
			}
			if err != nil {
				return fmt.Errorf("add skill: %w", interpret(err))
			}
			if err := q.addEvidence(ctx, memberID, KindDeclared, id, sk, WeightDeclared, at); err != nil {
				return err
			}
			added = append(added, sk)
		}
		return nil
	})
	return added, err
}

// RemoveSkills removes declared skills and returns the ones that existed.
func (s *Store) RemoveSkills(ctx context.Context, memberID int64, skills []string) ([]string, error) {
	var removed []string
	err := s.Tx(ctx, func(q *Queries) error {
		removed = removed[:0]
		for _, sk := range skills {
			var id int64
			var name string
			err := q.db.QueryRow(ctx, `DELETE FROM skills WHERE member_id = $1 AND lower(skill) = lower($2)
				RETURNING id, skill`, memberID, sk).Scan(&id, &name)
			if errors.Is(interpret(err), ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("remove skill: %w", interpret(err))
			}
			if err := q.removeEvidence(ctx, memberID, KindDeclared, id); err != nil {
				return err
			}
			removed = append(removed, name)
		}
		return nil
	})
	return removed, err
}

// Skills lists a member's declared skills, oldest first.
func (q *Queries) Skills(ctx context.Context, memberID int64) ([]Skill, error) {
	rows, err := q.db.Query(ctx, `SELECT skill, created_at FROM skills WHERE member_id = $1 ORDER BY created_at, id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("skills: %w", interpret(err))
	}
	defer rows.Close()
	var out []Skill
	for rows.Next() {
		var sk Skill
		if err := rows.Scan(&sk.Name, &sk.CreatedAt); err != nil {
			return nil, fmt.Errorf("skills: %w", err)
		}
		out = append(out, sk)
	}
	return out, interpret(rows.Err())
}

// Endorse records that endorser vouches for endorsee's skill. It returns
// whether the endorser received a delivery from the endorsee (which makes
// the endorsement count double), or ErrConflict if given before.
func (s *Store) Endorse(ctx context.Context, endorserID, endorseeID int64, skill string, at time.Time) (bool, error) {
	var receiver bool
	err := s.Tx(ctx, func(q *Queries) error {
		err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM commitments
			WHERE owner_id = $1 AND recipient_id = $2 AND status = 'done')`, endorseeID, endorserID).Scan(&receiver)
		if err != nil {
			return fmt.Errorf("endorse: %w", interpret(err))
		}
		weight := WeightEndorsed
		if receiver {
			weight = WeightEndorsedReceiver
		}
		var id int64
		err = q.db.QueryRow(ctx, `INSERT INTO endorsements (endorser_id, endorsee_id, skill, weight, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, endorserID, endorseeID, skill, weight, at).Scan(&id)
		if err != nil {
			return fmt.Errorf("endorse: %w", interpret(err))
		}
		return q.addEvidence(ctx, endorseeID, KindEndorsed, id, skill, weight, at)
	})
	return receiver, err
}

// Endorsements lists the endorsements a member received, newest first.
func (q *Queries) Endorsements(ctx context.Context, memberID int64) ([]Endorsement, error) {
	rows, err := q.db.Query(ctx, `
		SELECT m.display_name, e.skill, e.weight > $2, e.created_at
		FROM endorsements e JOIN members m ON m.id = e.endorser_id
		WHERE e.endorsee_id = $1 ORDER BY e.created_at DESC, e.id DESC`, memberID, WeightEndorsed)
	if err != nil {
		return nil, fmt.Errorf("endorsements: %w", interpret(err))
	}
	defer rows.Close()
	var out []Endorsement
	for rows.Next() {
		var e Endorsement
		if err := rows.Scan(&e.By, &e.Skill, &e.Receiver, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("endorsements: %w", err)
		}
		out = append(out, e)
	}
	return out, interpret(rows.Err())
}

// Forget deletes a member's personal data: name, platform id, organisation,
// preferences, skills, endorsements given and received, asks, the notes
// they wrote on commitments, reminders sent to them, the direct room kept
// for them and (on Matrix) their profile in the client's state store.
// Their commitments stay for the network under an anonymous owner (open
// ones are listed as orphaned until a coordinator reassigns or drops
// them); their evidence goes, so an anonymous row never answers "who is
// good at X".
func (s *Store) Forget(ctx context.Context, memberID int64, at time.Time) error {
	return s.Tx(ctx, func(q *Queries) error {
		// Endorsements this member gave are evidence in other members'
		// profiles: remove it there and refresh their search terms.
		rows, err := q.db.Query(ctx, `WITH gone AS (
				DELETE FROM endorsements WHERE endorser_id = $1 RETURNING id, endorsee_id)
			, ev AS (DELETE FROM evidence e USING gone WHERE e.kind = 'endorsed' AND e.source_id = gone.id)
			SELECT DISTINCT endorsee_id FROM gone WHERE endorsee_id <> $1`, memberID)
		if err != nil {
			return fmt.Errorf("forget: %w", interpret(err))
		}
		var others []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("forget: %w", err)
			}
			others = append(others, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("forget: %w", interpret(err))
		}
		for _, id := range others {
			if err := q.refreshTerms(ctx, id); err != nil {
				return err
			}
		}
		stmts := []string{
			`DELETE FROM evidence WHERE member_id = $1`,
			`DELETE FROM member_terms WHERE member_id = $1`,
			`DELETE FROM skills WHERE member_id = $1`,
			`DELETE FROM endorsements WHERE endorsee_id = $1`,
			// Asks are the member's own words, often with their name or
			// number in them.
			`DELETE FROM asks WHERE member_id = $1`,
			// Introductions are private to the two people in them.
			`DELETE FROM intros WHERE asker_id = $1 OR expert_id = $1`,
			`DELETE FROM intro_offers WHERE member_id = $1`,
			`UPDATE commitment_updates SET note = '' WHERE member_id = $1 AND kind <> 'created'`,
			// Reminders sent to them; releasing the claims also lets a new
			// owner of a reassigned commitment be reminded.
			`DELETE FROM nudges WHERE member_id = $1`,
			`UPDATE schedules SET created_by = NULL WHERE created_by = $1`,
			// Adapter state kept for the member: the direct room Knoop
			// opened with them ("dm:<platform user id>").
			`DELETE FROM adapter_state a USING members m
				WHERE m.id = $1 AND a.platform = m.platform AND a.key = 'dm:' || m.platform_user_id`,
			`DELETE FROM web_tokens WHERE member_id = $1`, // signed out of the network page
		}
		for _, st := range stmts {
			if _, err := q.db.Exec(ctx, st, memberID); err != nil {
				return fmt.Errorf("forget: %w", interpret(err))
			}
		}
		if err := q.forgetMatrixProfile(ctx, memberID); err != nil {
			return err
		}
		tag, err := q.db.Exec(ctx, `UPDATE members SET platform_user_id = NULL, display_name = '',
			org_id = NULL, timezone = NULL, language = NULL, away_until = NULL,
			forgotten_at = $2, updated_at = $2 WHERE id = $1 AND forgotten_at IS NULL`, memberID, at)
		if err != nil {
			return fmt.Errorf("forget: %w", interpret(err))
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return nil
	})
}
