package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"knoop/bot/eval"
	"knoop/store"
)

// evalNow is the clock of an evaluation: every piece of evidence is dated
// at it and every question asked at it, so runs are reproducible.
var evalNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func runEval(e env, args []string) error {
	fs, cfgPath := e.flags("eval")
	membersPath := fs.String("members", "", "labelled members, one JSON object a line (required)")
	queriesPath := fs.String("queries", "", "labelled questions, one JSON object a line (required)")
	ranker := fs.String("ranker", "both", "which ranker to measure: knoop, bm25 or both")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	perQuery := fs.Bool("per-query", false, "also print every query's answer and scores (to stderr)")
	half := fs.String("half", "all", "which questions to ask: dev (the half rules may be tuned on), test (the half to report) or all")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *membersPath == "" || *queriesPath == "" {
		return usageError(fs, "--members and --queries are required")
	}
	if *ranker != "knoop" && *ranker != "bm25" && *ranker != "both" {
		return usageError(fs, "--ranker must be knoop, bm25 or both, got %q", *ranker)
	}
	members, err := eval.LoadMembers(*membersPath)
	if err != nil {
		return err
	}
	queries, err := eval.LoadQueries(*queriesPath, members)
	if err != nil {
		return err
	}
	if queries, err = eval.SelectHalf(queries, *half); err != nil {
		return usageError(fs, "--half: %v", err)
	}
	var results []eval.Result
	if *ranker != "bm25" {
		cfg, err := e.config(*cfgPath, explicitFlag(fs, "config"))
		if err != nil {
			return err
		}
		log := e.logger(cfg, true)
		err = withScratchSchema(e, cfg, log, func(s *store.Store) error {
			progress, done := e.progressLine("loading members")
			k, err := eval.LoadBulk(e.ctx, s, members, evalNow, progress)
			done()
			if err != nil {
				return err
			}
			if err := eval.Warm(e.ctx, k, queries); err != nil {
				return err
			}
			outs, err := eval.Run(e.ctx, k, queries)
			if err != nil {
				return err
			}
			results = append(results, eval.Result{Ranker: k.Name(), Groups: eval.ByGroup(outs)})
			if *perQuery {
				eval.WritePerQuery(e.stderr, k.Name(), outs)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if *ranker != "knoop" {
		b := eval.NewBM25(members)
		if err := eval.Warm(e.ctx, b, queries); err != nil {
			return err
		}
		outs, err := eval.Run(e.ctx, b, queries)
		if err != nil {
			return err
		}
		results = append(results, eval.Result{Ranker: b.Name(), Groups: eval.ByGroup(outs)})
		if *perQuery {
			eval.WritePerQuery(e.stderr, b.Name(), outs)
		}
	}
	if *asJSON {
		return eval.WriteJSON(e.stdout, results)
	}
	fmt.Fprintf(e.stdout, "%d members, %d questions (half: %s); metrics at depth %d\n\n", len(members), len(queries), *half, eval.Cutoff)
	return eval.WriteTable(e.stdout, results)
}

// withScratchSchema runs fn on a store in a new, uniquely named schema of
// the database the other commands use, and drops the schema afterwards,
// so an evaluation never touches a network's real data.
func withScratchSchema(e env, cfg Config, log *slog.Logger, fn func(*store.Store) error) (err error) {
	pc, emb, err := databaseConfig(e, cfg, log, true)
	if err != nil {
		return err
	}
	if emb != nil {
		defer func() { _ = emb.Stop() }()
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "knoop_eval_" + hex.EncodeToString(b)
	admin, err := pgx.ConnectConfig(e.ctx, pc.ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(e.ctx, "CREATE SCHEMA "+schema); err != nil {
		return fmt.Errorf("create scratch schema: %w", err)
	}
	defer func() {
		// The drop must happen even when the run was interrupted.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, derr := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); derr != nil && err == nil {
			err = fmt.Errorf("drop scratch schema %s: %w", schema, derr)
		}
	}()
	pc.ConnConfig.RuntimeParams["search_path"] = schema + ",public"
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	s, err := store.OpenConfig(ctx, pc, log)
	cancel()
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}
