package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// profilePhase is one command kind driven alone, and what it cost.
type profilePhase struct {
	name  string
	kinds []kind
}

// profilePhases run in this order: done needs the commitments the commit
// phase made.
var profilePhases = []profilePhase{
	{"help", []kind{helpSlash, helpMention}},
	{"commitments", []kind{listSlash, listMention}},
	{"who", []kind{whoMention, whoSlash}},
	{"commit", []kind{commitMention, commitSlash}},
	{"done", []kind{doneSlash}},
}

// profileRow is the cost of one command kind, per command answered.
type profileRow struct {
	Kind            string  `json:"kind"`
	Commands        int     `json:"commands"`
	Statements      float64 `json:"statements"`
	RoundTrips      float64 `json:"round_trips"`
	KnoopCPUms      float64 `json:"knoop_cpu_ms"`
	PostgresCPUms   float64 `json:"postgres_cpu_ms"`
	SocketModeBytes float64 `json:"socket_mode_bytes"` // envelope in, ack out
	WebAPIBytes     float64 `json:"web_api_bytes"`     // request bodies out
}

// costs is a snapshot of the counters a profile phase reads.
type costs struct {
	commands               int
	statements, roundTrips float64
	knoopCPU, pgCPU        time.Duration
	socketBytes, webBytes  int64
}

// profile drives each command kind alone for o.profileFor at o.rate, waits
// for its answers, and returns what it cost per command.
func profile(ctx context.Context, e *environment, d *driver) ([]profileRow, error) {
	var rows []profileRow
	for _, ph := range profilePhases {
		d.mu.Lock()
		d.only = ph.kinds
		d.mu.Unlock()
		before, err := e.costs(ctx, d)
		if err != nil {
			return rows, err
		}
		o := d.o
		d.o.duration = o.profileFor
		err = d.drive(ctx)
		d.o = o
		if err != nil {
			return rows, err
		}
		if left := d.waitAnswered(ctx, false, o.drain); left > 0 {
			e.r.Logf("profile %s: %d commands unanswered", ph.name, left)
		}
		after, err := e.costs(ctx, d)
		if err != nil {
			return rows, err
		}
		n := after.commands - before.commands
		if n <= 0 {
			continue
		}
		per := func(v float64) float64 { return v / float64(n) }
		rows = append(rows, profileRow{
			Kind: ph.name, Commands: n,
			Statements:      per(after.statements - before.statements),
			RoundTrips:      per(after.roundTrips - before.roundTrips),
			KnoopCPUms:      per(float64((after.knoopCPU - before.knoopCPU).Microseconds()) / 1000),
			PostgresCPUms:   per(float64((after.pgCPU - before.pgCPU).Microseconds()) / 1000),
			SocketModeBytes: per(float64(after.socketBytes - before.socketBytes)),
			WebAPIBytes:     per(float64(after.webBytes - before.webBytes)),
		})
	}
	return rows, nil
}

// costs reads the counters: commands answered, the replicas' statement
// counters (/metrics), their CPU time and that of their PostgreSQL
// backends (/proc; found by application_name), and the bytes the fake
// Slack saw.
func (e *environment) costs(ctx context.Context, d *driver) (costs, error) {
	var c costs
	d.mu.Lock()
	for _, ev := range d.events {
		if !ev.warm && ev.replies > 0 {
			c.commands++
		}
	}
	c.socketBytes, c.webBytes = d.socketBytes, d.webBytes
	d.mu.Unlock()
	for _, p := range e.replicas {
		c.knoopCPU += p.readStats().cpu
		st, rt, err := dbCounters(ctx, p.httpAddr)
		if err != nil {
			return c, err
		}
		c.statements += st
		c.roundTrips += rt
	}
	rows, err := e.pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, replicaAppName)
	if err != nil {
		return c, err
	}
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			rows.Close()
			return c, err
		}
		pids = append(pids, pid)
	}
	rows.Close()
	for _, pid := range pids {
		c.pgCPU += processCPU(pid)
	}
	return c, rows.Err()
}

// replicaAppName is the application_name of the replicas' connections.
const replicaAppName = "knoop-load-replica"

var counterLine = regexp.MustCompile(`(?m)^(knoop_db_statements_total|knoop_db_round_trips_total) (\S+)$`)

// dbCounters reads a replica's statement and round-trip counters.
func dbCounters(ctx context.Context, addr string) (statements, roundTrips float64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("metrics of %s: %w", addr, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range counterLine.FindAllStringSubmatch(string(body), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		if m[1] == "knoop_db_statements_total" {
			statements = v
		} else {
			roundTrips = v
		}
	}
	return statements, roundTrips, nil
}

// processCPU is a process's user and system CPU time so far (0 when it is
// gone).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// printProfile prints the profile table.
func printProfile(w io.Writer, rows []profileRow, jsonOut bool) {
	if jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rows)
		return
	}
	fmt.Fprintf(w, "\nper command     commands  statements  round trips  knoop CPU ms  PostgreSQL CPU ms  Socket Mode B  Web API B\n")
	for _, r := range rows {
		fmt.Fprintf(w, "%-14s %9d %11.2f %12.2f %13.3f %18.3f %14.0f %10.0f\n",
			r.Kind, r.Commands, r.Statements, r.RoundTrips, r.KnoopCPUms, r.PostgresCPUms, r.SocketModeBytes, r.WebAPIBytes)
	}
}
